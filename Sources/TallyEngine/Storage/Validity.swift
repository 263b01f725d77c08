/// A validity bitmap: bit `i` is set when row `i` holds a value, clear when it is null.
///
/// Columns without nulls carry no bitmap at all (`Column.validity == nil`), so the common case
/// costs nothing and operators can skip null checks entirely.
public struct Validity: Sendable, Equatable {
    public private(set) var words: [UInt64]

    /// Mutable access to the bit words, for whole-bitmap operations.
    mutating func withWords<R>(_ body: (inout [UInt64]) -> R) -> R { body(&words) }
    public let count: Int

    /// A bitmap of `count` rows, all valid (`true`) or all null (`false`).
    public init(count: Int, allValid: Bool) {
        self.count = count
        let wordCount = (count + 63) >> 6
        words = [UInt64](repeating: allValid ? ~0 : 0, count: wordCount)
        if allValid, count & 63 != 0, wordCount > 0 {
            words[wordCount - 1] = (1 << UInt64(count & 63)) - 1
        }
    }

    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        for (i, flag) in flags.enumerated() where flag { set(i) }
    }

    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    @inline(__always)
    public mutating func set(_ row: Int) {
        words[row >> 6] |= 1 << UInt64(row & 63)
    }

    @inline(__always)
    public mutating func clear(_ row: Int) {
        words[row >> 6] &= ~(1 << UInt64(row & 63))
    }

    /// Number of null rows.
    public var nullCount: Int {
        var valid = 0
        for w in words { valid += w.nonzeroBitCount }
        return count - valid
    }
}
