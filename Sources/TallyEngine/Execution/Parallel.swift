import Dispatch
import Foundation

/// Runs independent pieces of work on all cores.
///
/// Callers give each piece its own slot of a preallocated result buffer, so the pieces share nothing
/// mutable and need no locks.
package enum Parallel {
    /// Number of worker threads worth using on this machine.
    package static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Calls `body(i)` for every `i` in `0..<count`, concurrently when `count > 1`.
    package static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count == 1 { body(0); return }
        guard count > 1 else { return }
        // Each piece writes only its own slots, which the type system cannot see: vouch for it here.
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
        }
    }

    /// `body(i)` for every `i`, results in index order.
    package static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        // Deinitialized before it is freed: the slots hold the results (arrays, columns), which
        // would otherwise never be released.
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let slots = UncheckedSendable(results)
        forEach(count) { i in slots.value[i] = body(i) }
        return results.compactMap { $0 }
    }
}

/// Carries a value across a concurrency boundary that the caller has made safe by construction.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
