import Foundation

/// Runs work on a thread with a large stack.
///
/// Plans are trees, and resolving, rewriting, running and releasing them recurse once per step: a
/// generated pipeline of 20,000 `derive`s is 20,000 frames deep, more than a default 8 MiB thread
/// stack holds. The stack is reserved address space, committed only as deep as the work goes.
enum LargeStack {
    static let size = 1 << 30
    private static let marker = "tally.large-stack"

    static func run<T>(_ body: () throws -> T) throws -> T {
        // Already on such a thread (a `let` relation computed inside a query): no second one.
        if Thread.current.threadDictionary[marker] != nil { return try body() }
        nonisolated(unsafe) var outcome: Result<T, Error>?
        withoutActuallyEscaping(body) { body in
            // The thread holds only the box, which gives the work up before the caller goes on.
            let box = Box(body)
            let work = UncheckedSendable(box)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                Thread.current.threadDictionary[marker] = true
                outcome = work.value.run()
                done.signal()
            }
            thread.stackSize = size
            thread.start()
            done.wait()
        }
        guard let outcome else { throw TallyError(.runtime, "the query's thread ended without a result") }
        return try outcome.get()
    }

    private final class Box<T> {
        var body: (() throws -> T)?
        init(_ body: @escaping () throws -> T) { self.body = body }

        func run() -> Result<T, Error> {
            guard let body else { return .failure(TallyError(.runtime, "the query ran twice")) }
            self.body = nil
            return Result { try body() }
        }
    }
}
