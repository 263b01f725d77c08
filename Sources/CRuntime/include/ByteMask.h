#ifndef TALLY_BYTE_MASK_H
#define TALLY_BYTE_MASK_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit k of the result is set when byte k of the 64 bytes at `p` is `a` or `b`.
///
/// The CSV parser takes a block's mask once and then finds each field's end with one
/// count-trailing-zeros, instead of testing a word per eight bytes and branching on each: on x86-64
/// that is four 16-byte compares (SSE2, which every x86-64 processor has) and a move of their sign
/// bits. `static inline`, so Swift inlines it into the loop. The caller guarantees 64 readable bytes.
static inline uint64_t tally_byte_mask64(const uint8_t *p, uint8_t a, uint8_t b) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb));
        mask |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * k);
    }
    return mask;
#else
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) {
        mask |= (uint64_t)(p[k] == a || p[k] == b) << k;
    }
    return mask;
#endif
}

#endif
