/// A question long operations ask now and then: has the user pressed Ctrl-C?
///
/// The engine knows nothing of signals; the shell passes a check that reads its SIGINT flag.
public struct CancellationCheck: Sendable {
    private let check: @Sendable () -> Bool

    public init(_ check: @escaping @Sendable () -> Bool) { self.check = check }

    public static let never = CancellationCheck { false }

    public var isCancelled: Bool { check() }

    /// Throws `TallyError.cancelled()` when the user asked to stop.
    public func checkpoint() throws {
        if check() { throw TallyError.cancelled() }
    }
}
