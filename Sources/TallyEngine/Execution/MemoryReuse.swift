import CRuntime

/// Keeps the memory a step frees inside the process, so the next step reuses pages that are
/// already mapped instead of asking the kernel for fresh ones.
///
/// glibc's defaults serve every allocation above 32 MB with its own `mmap` and give it back with
/// `munmap` when freed, and give each thread that allocates an arena of its own. A query over ten
/// million rows allocates and frees columns, row lists and hash tables of tens of megabytes at each
/// step, so with those defaults each one costs a page fault and a page cleared by the kernel per
/// 4 KB: a fifth of a join's time in `perf`. `enable()` makes glibc keep freed memory in one arena
/// for reuse. `releaseRetained()` hands it back; the shell calls it after a statement when much is
/// held, and the memory budget before it refuses a step, so what is kept never counts against a
/// query.
public enum MemoryReuse {
    /// Freed memory held past a statement beyond this is given back: an eighth of physical memory
    /// (3 GB on a 24 GB machine), enough to keep what the next query over the same tables needs.
    static var retainLimit: Int { MemoryBudget.physicalMemory / 8 }

    private static let state = EnabledFlag()

    /// Whether `enable()` has run in this process.
    public static var isEnabled: Bool { state.value }

    /// Sets glibc's allocator to keep freed memory: no `mmap` per large block, no trimming of the
    /// heap's top, one arena for all threads. Call once, at the start of the process, before other
    /// threads run (the command-line tool does; an embedding program may). Elsewhere than glibc it
    /// does nothing.
    public static func enable() {
        state.value = tally_allocator_keep_freed() == 1
    }

    /// Bytes the allocator holds free for reuse (0 where that cannot be asked).
    public static func retainedBytes() -> Int {
        Int(clamping: tally_allocator_free_bytes())
    }

    /// Gives the memory the allocator holds free back to the operating system.
    public static func releaseRetained() {
        guard isEnabled else { return }
        tally_allocator_release()
    }

    /// After a statement: gives freed memory back when more than `retainLimit` is held.
    public static func releaseIfRetainingMuch() {
        guard isEnabled, retainedBytes() > retainLimit else { return }
        releaseRetained()
    }

    /// A flag set once at start and read from any thread.
    private final class EnabledFlag: @unchecked Sendable {
        var value = false
    }
}
