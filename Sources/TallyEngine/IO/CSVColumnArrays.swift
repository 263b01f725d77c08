import CRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The arrays a CSV parse writes its first pass straight into, so that a finished column is the
/// array itself and not a copy of a separate buffer: the copy was a pass over every column, and
/// while it ran the load held one column twice (80 MB for an int column of ten million rows).
///
/// Each array is made for the chunks' row capacity (not cleared: the parse writes each kept row's
/// slot, a null's as zero) and stays at a fixed address for the whole parse inside `withPointers`.
enum CSVColumnArray {
    case int([Int64]), float([Double]), date([Int32]), bool([Bool]), codes([UInt32])
    /// A column that classifies only, is skipped, or lies past `openLimit`: nothing to write.
    case none

    /// How many columns are opened one inside another (each opening is a few stack frames): the
    /// columns of a wider file past these are parsed into buffers and copied, as before.
    static let openLimit = 64

    /// The arrays for a parse's columns: the first `openLimit` that store values.
    static func forColumns(_ modes: [StoreMode], capacity: Int) -> [CSVColumnArray] {
        modes.enumerated().map { c, mode in c < openLimit ? CSVColumnArray(mode, capacity: capacity) : .none }
    }

    init(_ mode: StoreMode, capacity: Int) {
        let count = max(1, capacity)
        switch mode {
        case .int, .timestamp: self = .int(CSVColumnArray.unfilled(count))
        case .float: self = .float(CSVColumnArray.unfilled(count))
        case .date: self = .date(CSVColumnArray.unfilled(count))
        case .bool: self = .bool(CSVColumnArray.unfilled(count))
        case .text: self = .codes(CSVColumnArray.unfilled(count))
        case .classify, .skip: self = .none
        }
    }

    /// Room for `count` values, not cleared: the parse writes every slot of a row it keeps,
    /// zero for a null, and the slots past the rows are cut off. Clearing them first was a pass
    /// over every column before the parse. The pages are faulted in up front, a part per core
    /// (`tally_populate`), so the parse does not stop for a fault every 4 KB.
    static func unfilled<T: BitwiseCopyable>(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                let raw = UnsafeMutableRawPointer(base)
                let bytes = count * MemoryLayout<T>.stride
                let pieces = bytes >= 1 << 22 ? Parallel.cores : 1
                let size = (bytes / pieces + 4095) / 4096 * 4096
                let target = UncheckedSendable(raw)
                Parallel.forEach(pieces) { p in
                    let start = min(bytes, p * size), end = min(bytes, start + size)
                    if start < end { _ = tally_populate(target.value + start, end - start) }
                }
            }
            initialized = count
        }
    }

    /// Runs `body` with a pointer to each array's first element (nil for `.none`), all valid for
    /// the whole call: the arrays are opened one inside another.
    static func withPointers<R>(_ arrays: inout [CSVColumnArray],
                                _ body: ([UnsafeMutableRawPointer?]) throws -> R) rethrows -> R {
        var pointers: [UnsafeMutableRawPointer?] = []
        pointers.reserveCapacity(arrays.count)
        return try open(&arrays, from: 0, &pointers, body)
    }

    private static func open<R>(_ arrays: inout [CSVColumnArray], from c: Int, _ pointers: inout [UnsafeMutableRawPointer?],
                                _ body: ([UnsafeMutableRawPointer?]) throws -> R) rethrows -> R {
        guard c < min(arrays.count, openLimit) else {
            // The columns past the limit hold `.none` (see `forColumns`): no pointer.
            while pointers.count < arrays.count { pointers.append(nil) }
            return try body(pointers)
        }
        // Taken out of the list while open, so it is the only reference and is never copied.
        var array = arrays[c]
        arrays[c] = .none
        defer { arrays[c] = array }
        return try array.withPointer { pointer in
            pointers.append(pointer)
            return try open(&arrays, from: c + 1, &pointers, body)
        }
    }

    private mutating func withPointer<R>(_ body: (UnsafeMutableRawPointer?) throws -> R) rethrows -> R {
        switch self {
        case .int(var a):
            self = .none
            defer { self = .int(a) }
            return try a.withUnsafeMutableBufferPointer { try body(UnsafeMutableRawPointer($0.baseAddress)) }
        case .float(var a):
            self = .none
            defer { self = .float(a) }
            return try a.withUnsafeMutableBufferPointer { try body(UnsafeMutableRawPointer($0.baseAddress)) }
        case .date(var a):
            self = .none
            defer { self = .date(a) }
            return try a.withUnsafeMutableBufferPointer { try body(UnsafeMutableRawPointer($0.baseAddress)) }
        case .bool(var a):
            self = .none
            defer { self = .bool(a) }
            return try a.withUnsafeMutableBufferPointer { try body(UnsafeMutableRawPointer($0.baseAddress)) }
        case .codes(var a):
            self = .none
            defer { self = .codes(a) }
            return try a.withUnsafeMutableBufferPointer { try body(UnsafeMutableRawPointer($0.baseAddress)) }
        case .none:
            return try body(nil)
        }
    }

    /// The first `count` values as a column of `type` (its rows were packed to the front by
    /// `ParsedColumns.finish`); nil when the array does not hold that type. Leaves `.none` behind,
    /// so the array moves into the column without a copy.
    mutating func takeColumn(count: Int, type: DataType, dictionary: TextDictionary?, validity: Validity?) -> Column? {
        func cut<T>(_ a: inout [T]) -> Bool {
            guard count <= a.count else { return false }
            a.removeLast(a.count - count)
            return true
        }
        // No `where` on these cases: with one, the payload was copied before the cut (massif
        // showed a second 8 MB array per column), since the subject stayed alive beside it.
        switch self {
        case .int(var a):
            self = .none
            guard type == .int || type == .timestamp, cut(&a) else { return nil }
            return Column(type == .int ? .int(a) : .timestamp(a), validity: validity)
        case .float(var a):
            self = .none
            guard type == .float, cut(&a) else { return nil }
            return Column(.float(a), validity: validity)
        case .date(var a):
            self = .none
            guard type == .date, cut(&a) else { return nil }
            return Column(.date(a), validity: validity)
        case .bool(var a):
            self = .none
            guard type == .bool, cut(&a) else { return nil }
            return Column(.bool(a), validity: validity)
        case .codes(var a):
            self = .none
            guard type == .text, let dictionary, cut(&a) else { return nil }
            return Column(.text(codes: a, dictionary: dictionary), validity: validity)
        case .none:
            return nil
        }
    }
}
