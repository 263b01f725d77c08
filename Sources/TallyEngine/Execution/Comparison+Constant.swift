/// Comparisons of a column with one constant, the shape of most filters (`year == 2023`,
/// `level == "小学"`, `amount > 1000`): one pass over the typed array, text decided once per
/// dictionary entry, no column of copies of the constant.
extension Comparison {
    /// `column op constant`, or nil when this pair of types has no fast path.
    static func compare(_ op: BinaryOp, _ column: Column, constant: Scalar) -> Column? {
        if case .null = constant { return nil }
        let n = column.count
        // Every path below writes each row, or leaves the result unused.
        var out = [Bool](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        func loop<T: Comparable>(_ values: [T], _ c: T) {
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { out in
                    switch op {
                    case .eq: for i in 0..<n { out[i] = v[i] == c }
                    case .ne: for i in 0..<n { out[i] = v[i] != c }
                    case .lt: for i in 0..<n { out[i] = v[i] < c }
                    case .le: for i in 0..<n { out[i] = v[i] <= c }
                    case .gt: for i in 0..<n { out[i] = v[i] > c }
                    default: for i in 0..<n { out[i] = v[i] >= c }
                    }
                }
            }
        }
        switch (column.values, constant) {
        case (.int(let v), .int(let c)): loop(v, c)
        case (.int(let v), .float(let c)):
            loop(v.map { Double($0) }, c)
        case (.float(let v), .float(let c)): loop(v, c)
        case (.float(let v), .int(let c)): loop(v, Double(c))
        case (.date(let v), .date(let c)): loop(v, c)
        case (.timestamp(let v), .timestamp(let c)): loop(v, c)
        case (.text(let codes, let dictionary), .text(let c)):
            // Decide once per distinct string, then map codes.
            let verdict = verdicts(op, dictionary, c)
            guard !verdict.isEmpty else {
                out = [Bool](repeating: false, count: n)
                break
            }
            codes.withUnsafeBufferPointer { codes in
                verdict.withUnsafeBufferPointer { verdict in
                    out.withUnsafeMutableBufferPointer { out in
                        for i in 0..<n { out[i] = verdict[Int(codes[i])] }
                    }
                }
            }
        default:
            return nil
        }
        // A null row compares to null, whatever the operator.
        return Column(.bool(out), validity: column.validity)
    }

    /// `string op c` for each string of the dictionary, in the order of Unicode scalars.
    static func verdicts(_ op: BinaryOp, _ dictionary: TextDictionary, _ c: String) -> [Bool] {
        dictionary.strings.map { s -> Bool in
            let o = s == c ? 0 : (s.unicodeScalars.lexicographicallyPrecedes(c.unicodeScalars) ? -1 : 1)
            switch op {
            case .eq: return o == 0
            case .ne: return o != 0
            case .lt: return o < 0
            case .le: return o <= 0
            case .gt: return o > 0
            default: return o >= 0
            }
        }
    }

    /// The operator with its operands swapped (`3 < x` is `x > 3`).
    static func flipped(_ op: BinaryOp) -> BinaryOp {
        switch op {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return op
        }
    }
}
