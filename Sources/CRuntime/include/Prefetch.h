#ifndef TALLY_PREFETCH_H
#define TALLY_PREFETCH_H

/// A hint to the processor to start loading the cache line at `address`, for hash tables probed
/// with keys known a few rows ahead: the load overlaps the work on the rows before it instead of
/// stalling the probe that needs it. `static inline`, so Swift inlines it into its loops; a hint
/// never faults, whatever the address.
static inline void tally_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// The same, for a line about to be written (a slot an insert may fill).
static inline void tally_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
