// Prefetch.h and ByteMask.h are all static inline; the allocator calls are here, where <malloc.h>
// can be included.
#include "Prefetch.h"
#include "ByteMask.h"
#include "Allocator.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc, which the check below needs

#if defined(__GLIBC__)
#include <malloc.h>
#include <limits.h>

int tally_allocator_keep_freed(void) {
    int arenas = mallopt(M_ARENA_MAX, 1);
    int mmaps = mallopt(M_MMAP_MAX, 0);
    int trim = mallopt(M_TRIM_THRESHOLD, INT_MAX);
    return arenas == 1 && mmaps == 1 && trim == 1;
}

size_t tally_allocator_free_bytes(void) {
    return mallinfo2().fordblks;
}

void tally_allocator_release(void) {
    malloc_trim(0);
}
#else
int tally_allocator_keep_freed(void) { return 0; }
size_t tally_allocator_free_bytes(void) { return 0; }
void tally_allocator_release(void) {}
#endif

#if defined(__linux__)
#include <sys/mman.h>
#include <stdint.h>
#include <unistd.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int tally_populate(void *start, size_t bytes) {
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t first = ((uintptr_t)start + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)start + bytes) & ~(page - 1);
    if (end <= first) return -1;
    return madvise((void *)first, end - first, MADV_POPULATE_WRITE);
}
#else
int tally_populate(void *start, size_t bytes) { (void)start; (void)bytes; return -1; }
#endif
