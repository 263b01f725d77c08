#ifndef TALLY_ALLOCATOR_H
#define TALLY_ALLOCATOR_H

#include <stddef.h>

/// glibc's allocator settings and statistics (<malloc.h>, which Swift's Glibc module leaves out).
/// Elsewhere they do nothing and report nothing.

/// One arena for all threads, no `mmap` per large block, no trimming of the heap's top: freed
/// memory stays mapped for the next allocation. Returns 1 when every setting took.
int tally_allocator_keep_freed(void);

/// Bytes the allocator holds free.
size_t tally_allocator_free_bytes(void);

/// Gives the free memory back to the operating system.
void tally_allocator_release(void);

#endif
