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

/// Maps the pages of [start, start + bytes) in one call (Linux `MADV_POPULATE_WRITE`) before they
/// are first written, instead of one page fault per 4 KB as a loop writes them. Returns 0 when
/// done, -1 where the call is missing (older kernels, other systems): the pages then fault in as
/// before.
int tally_populate(void *start, size_t bytes);

#endif
