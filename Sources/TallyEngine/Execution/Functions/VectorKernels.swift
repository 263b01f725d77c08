/// Loops the function library shares: null masks, typed maps over numeric buffers, and reading
/// arguments that may be a column or one constant.

extension Validity {
    /// Rows valid in both (nil stands for "no nulls"). Costs one step per null of `b`.
    static func intersect(_ a: Validity?, _ b: Validity?) -> Validity? {
        guard let a else { return b }
        guard let b else { return a }
        var out = a
        let words = b.words
        let tail = b.count & 63
        for w in 0..<words.count {
            var missing = ~words[w]
            if w == words.count - 1 && tail != 0 { missing &= (1 << UInt64(tail)) - 1 }
            while missing != 0 {
                out.clear(w << 6 | missing.trailingZeroBitCount)
                missing &= missing - 1
            }
        }
        return out
    }

    /// Rows valid in every one of `all`.
    static func intersect(_ all: [Validity?]) -> Validity? {
        var result: Validity? = nil
        for v in all { result = intersect(result, v) }
        return result
    }
}

/// Read-only view of a validity bitmap for hot loops (no bounds checks, no copy-on-write traffic).
struct ValidBits {
    let words: UnsafeBufferPointer<UInt64>

    @inline(__always)
    func isValid(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
}

@inline(__always)
func withValidBits<R>(_ validity: Validity?, _ body: (ValidBits?) throws -> R) rethrows -> R {
    guard let validity else { return try body(nil) }
    return try validity.words.withUnsafeBufferPointer { try body(ValidBits(words: $0)) }
}

/// Builds `[T]` of `count` elements by writing each slot once.
@inline(__always)
func buildArray<T>(_ count: Int, _ fill: (UnsafeMutableBufferPointer<T>) throws -> Void) rethrows -> [T] {
    try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        try fill(buffer)
        initialized = count
    }
}

enum NumericKernels {
    /// `f` over an int or float column, as floats; nulls stay null.
    @inline(__always)
    static func mapToDouble(_ column: Column, _ f: (Double) -> Double) -> Column {
        let n = column.count
        switch column.values {
        case .float(let values):
            let out: [Double] = values.withUnsafeBufferPointer { src in
                buildArray(n) { dst in for i in 0..<n { dst.initializeElement(at: i, to: f(src[i])) } }
            }
            return Column(.float(out), validity: column.validity)
        case .int(let values):
            let out: [Double] = values.withUnsafeBufferPointer { src in
                buildArray(n) { dst in for i in 0..<n { dst.initializeElement(at: i, to: f(Double(src[i]))) } }
            }
            return Column(.float(out), validity: column.validity)
        default:
            return Scalar.null.column(count: n, type: .float)
        }
    }

    /// The column's values as floats (ints converted), or nil for other types.
    static func doubles(_ column: Column) -> [Double]? {
        switch column.values {
        case .float(let v): return v
        case .int(let v):
            return v.withUnsafeBufferPointer { src in
                buildArray(src.count) { dst in for i in 0..<src.count { dst.initializeElement(at: i, to: Double(src[i])) } }
            }
        default: return nil
        }
    }
}

/// A numeric argument that is either one constant or a column of values, read as Double or Int64.
enum NumberSource {
    case constant(Double, Int64)
    case floats([Double])
    case ints([Int64])

    init(_ vector: Vector, rows: Int) {
        switch vector {
        case .constant(.int(let v), _): self = .constant(Double(v), v)
        case .constant(.float(let v), _): self = .constant(v, Int64(exactly: v.rounded()) ?? 0)
        case .constant: self = .constant(0, 0)
        case .column(let c):
            switch c.values {
            case .int(let v): self = .ints(v)
            case .float(let v): self = .floats(v)
            default: self = .constant(0, 0)
            }
        }
    }

    @inline(__always)
    func double(_ row: Int) -> Double {
        switch self {
        case .constant(let d, _): return d
        case .floats(let v): return v[row]
        case .ints(let v): return Double(v[row])
        }
    }

    @inline(__always)
    func int(_ row: Int) -> Int64 {
        switch self {
        case .constant(_, let i): return i
        case .floats(let v): return Int64(exactly: v[row].rounded()) ?? 0
        case .ints(let v): return v[row]
        }
    }

    var constantDouble: Double? {
        if case .constant(let d, _) = self { return d }
        return nil
    }

    var constantInt: Int64? {
        if case .constant(_, let i) = self { return i }
        return nil
    }
}

extension Vector {
    /// Null mask of the vector over its rows (nil when it has no nulls; a non-null constant has none).
    var nullMask: Validity? {
        if case .column(let c) = self { return c.validity }
        return nil
    }
}
