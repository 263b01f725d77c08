import Foundation

/// Vectorized operators: each takes whole vectors and loops over typed arrays.
enum Kernels {
    // MARK: - Unary

    static func unary(_ op: UnaryOp, _ v: Vector, rowCount: Int) throws -> Vector {
        if case .constant(let s, let t) = v {
            return try constantResult(rowCount) { n in try unary(op, .column(s.column(count: 1, type: t)), rowCount: n) }
        }
        let c = v.materialize(count: rowCount)
        switch (op, c.values) {
        case (.neg, .int(let x)):
            var out = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count {
                guard x[i] != Int64.min else { throw overflow("-") }
                out[i] = -x[i]
            }
            return .column(Column(.int(out), validity: c.validity))
        case (.neg, .float(let x)):
            return .column(Column(.float(x.map { -$0 }), validity: c.validity))
        case (.not, .bool(let x)):
            return .column(Column(.bool(x.map { !$0 }), validity: c.validity))
        default:
            return v
        }
    }

    /// Evaluates a constant expression once, on one row.
    private static func constantResult(_ rowCount: Int, _ body: (Int) throws -> Vector) throws -> Vector {
        let one = try body(1)
        switch one {
        case .constant: return one
        case .column(let c): return .constant(c.scalar(at: 0), c.type)
        }
    }

    static func overflow(_ op: String) -> TallyError {
        TallyError(.runtime, "integer overflow in `\(op)`", hint: "convert to float first, e.g. `x | as float`")
    }

    // MARK: - Binary

    static func binary(_ op: BinaryOp, _ a: Vector, _ b: Vector, resultType: DataType, rowCount: Int) throws -> Vector {
        if case .constant(let sa, let ta) = a, case .constant(let sb, let tb) = b {
            return try constantResult(rowCount) { _ in
                try binary(op, .column(sa.column(count: 1, type: ta)), .column(sb.column(count: 1, type: tb)),
                           resultType: resultType, rowCount: 1)
            }
        }
        switch op {
        case .and, .or: return logic(op, a, b, rowCount: rowCount)
        case .coalesce:
            let ca = a.materialize(count: rowCount), cb = b.materialize(count: rowCount)
            guard ca.validity != nil else { return .column(ca) }
            let choices = (0..<rowCount).map { ca.isNull($0) ? Int32(1) : Int32(0) }
            return .column(Column.choose(choices, from: [ca, cb], type: resultType))
        case .eq, .ne, .lt, .le, .gt, .ge:
            if case .column(let c) = a, case .constant(let k, _) = b, let fast = Comparison.compare(op, c, constant: k) {
                return .column(fast)
            }
            if case .constant(let k, _) = a, case .column(let c) = b,
               let fast = Comparison.compare(Comparison.flipped(op), c, constant: k) {
                return .column(fast)
            }
            return .column(try Comparison.compare(op, a.materialize(count: rowCount), b.materialize(count: rowCount)))
        case .regex:
            return .column(try Comparison.regex(a.materialize(count: rowCount), b.materialize(count: rowCount)))
        case .add, .sub, .mul, .div, .intDiv, .mod, .pow:
            if resultType == .int, case .column(let column) = a, case .constant(.int(let k), _) = b,
               let fast = try arithmetic(op, column, constant: k) {
                return .column(fast)
            }
            return .column(try arithmetic(op, a.materialize(count: rowCount), b.materialize(count: rowCount), resultType: resultType))
        }
    }

    /// `ints op constant` (`student_id % 3`, `year - 1`): one pass, with no column of copies of the
    /// constant (80 MB for 10M rows, and its page faults). Nil for other shapes. Same rules as the
    /// general path: overflow is an error, division by zero is null, `//` and `%` truncate.
    static func arithmetic(_ op: BinaryOp, _ a: Column, constant k: Int64) throws -> Column? {
        guard case .int(let x) = a.values, [.add, .sub, .mul, .intDiv, .mod].contains(op) else { return nil }
        let n = x.count
        if k == 0, op == .intDiv || op == .mod {
            return Column(.int([Int64](repeating: 0, count: n)), validity: Validity(count: n, allValid: false))
        }
        // Int64.min by -1 overflows: the general path reports it.
        if k == -1, op == .intDiv || op == .mod { return nil }
        var overflowed = false
        let out = [Int64](unsafeUninitializedCapacity: n) { out, initialized in
            x.withUnsafeBufferPointer { x in
                switch op {
                case .add:
                    for i in 0..<n {
                        let (r, o) = x[i].addingReportingOverflow(k)
                        out[i] = r
                        if o { overflowed = true }
                    }
                case .sub:
                    for i in 0..<n {
                        let (r, o) = x[i].subtractingReportingOverflow(k)
                        out[i] = r
                        if o { overflowed = true }
                    }
                case .mul:
                    for i in 0..<n {
                        let (r, o) = x[i].multipliedReportingOverflow(by: k)
                        out[i] = r
                        if o { overflowed = true }
                    }
                case .mod:
                    for i in 0..<n { out[i] = x[i] % k }
                default:
                    for i in 0..<n { out[i] = x[i] / k }
                }
            }
            initialized = n
        }
        if overflowed { throw overflow(op.symbol) }
        return Column(.int(out), validity: a.validity)
    }

    static func arithmetic(_ op: BinaryOp, _ a: Column, _ b: Column, resultType: DataType) throws -> Column {
        var validity = Validity.and(a.validity, b.validity)
        let n = a.count
        if resultType == .date {
            guard case .date(let days) = a.values, case .int(let delta) = b.values else { return a }
            var out = [Int32](repeating: 0, count: n)
            for i in 0..<n {
                let d = op == .add ? Int64(days[i]) + delta[i] : Int64(days[i]) - delta[i]
                guard let value = Int32(exactly: d) else { throw overflow(op.symbol) }
                out[i] = value
            }
            return Column(.date(out), validity: validity)
        }
        if case .date(let x) = a.values, case .date(let y) = b.values {
            return Column(.int(zip(x, y).map { Int64($0) - Int64($1) }), validity: validity)
        }
        if resultType == .int, case .int(let x) = a.values, case .int(let y) = b.values {
            var out = [Int64](repeating: 0, count: n)
            try x.withUnsafeBufferPointer { x in
                try y.withUnsafeBufferPointer { y in
                    try out.withUnsafeMutableBufferPointer { out in
                        switch op {
                        case .add:
                            for i in 0..<n {
                                let (r, o) = x[i].addingReportingOverflow(y[i])
                                if o { throw overflow("+") }
                                out[i] = r
                            }
                        case .sub:
                            for i in 0..<n {
                                let (r, o) = x[i].subtractingReportingOverflow(y[i])
                                if o { throw overflow("-") }
                                out[i] = r
                            }
                        case .mul:
                            for i in 0..<n {
                                let (r, o) = x[i].multipliedReportingOverflow(by: y[i])
                                if o { throw overflow("*") }
                                out[i] = r
                            }
                        case .intDiv, .mod:
                            for i in 0..<n {
                                if y[i] == 0 {
                                    if validity == nil { validity = Validity(count: n, allValid: true) }
                                    validity?.clear(i)
                                    continue
                                }
                                if x[i] == Int64.min && y[i] == -1 { throw overflow(op.symbol) }
                                out[i] = op == .mod ? x[i] % y[i] : x[i] / y[i]  // both truncate toward zero
                            }
                        default: break
                        }
                    }
                }
            }
            return Column(.int(out), validity: validity)
        }
        let x = a.doubleValues, y = b.doubleValues
        var out = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { out in
                    switch op {
                    case .add: for i in 0..<n { out[i] = x[i] + y[i] }
                    case .sub: for i in 0..<n { out[i] = x[i] - y[i] }
                    case .mul: for i in 0..<n { out[i] = x[i] * y[i] }
                    case .pow: for i in 0..<n { out[i] = Foundation.pow(x[i], y[i]) }
                    case .div, .intDiv, .mod:
                        for i in 0..<n {
                            if y[i] == 0 {
                                if validity == nil { validity = Validity(count: n, allValid: true) }
                                validity?.clear(i)
                                continue
                            }
                            switch op {
                            case .div: out[i] = x[i] / y[i]
                            case .intDiv: out[i] = (x[i] / y[i]).rounded(.towardZero)
                            default: out[i] = fmod(x[i], y[i])
                            }
                        }
                    default: break
                    }
                }
            }
        }
        return Column(.float(out), validity: validity)
    }

    /// Three-valued AND / OR (Kleene): `false && null` is false, `true || null` is true.
    static func logic(_ op: BinaryOp, _ a: Vector, _ b: Vector, rowCount: Int) -> Vector {
        let ca = a.materialize(count: rowCount), cb = b.materialize(count: rowCount)
        guard case .bool(let x) = ca.values, case .bool(let y) = cb.values else { return a }
        if ca.validity == nil, cb.validity == nil {
            // No nulls: plain boolean logic in one pass, on the bytes (a Bool is stored as 0 or 1),
            // so the loop has no branch and vectorizes; `&&` on Bools would test each row.
            let n = min(rowCount, x.count, y.count)
            let out = [Bool](unsafeUninitializedCapacity: n) { buffer, initialized in
                let o = UnsafeMutableRawBufferPointer(buffer)
                x.withUnsafeBytes { x in
                    y.withUnsafeBytes { y in
                        if op == .and {
                            for i in 0..<n { o[i] = x[i] & y[i] }
                        } else {
                            for i in 0..<n { o[i] = x[i] | y[i] }
                        }
                    }
                }
                initialized = n
            }
            return .column(Column(.bool(out)))
        }
        var out = [Bool](repeating: false, count: rowCount)
        var validity = Validity(count: rowCount, allValid: true)
        let dominant = op == .or  // the value that decides the result alone
        for i in 0..<rowCount {
            let an = ca.isNull(i), bn = cb.isNull(i)
            if (!an && x[i] == dominant) || (!bn && y[i] == dominant) {
                out[i] = dominant
            } else if an || bn {
                validity.clear(i)
            } else {
                out[i] = op == .and ? (x[i] && y[i]) : (x[i] || y[i])
            }
        }
        return .column(Column(.bool(out), validity: validity))
    }

    // MARK: - case and f-strings

    static func caseWhen(_ arms: [(Vector, Vector)], type: DataType, rowCount: Int) throws -> Vector {
        var choices = [Int32](repeating: -1, count: rowCount)
        var values: [Column] = []
        for (k, (condition, value)) in arms.enumerated() {
            let c = condition.materialize(count: rowCount)
            values.append(value.materialize(count: rowCount))
            guard case .bool(let flags) = c.values else { continue }
            for i in 0..<rowCount where choices[i] < 0 && flags[i] && !c.isNull(i) { choices[i] = Int32(k) }
        }
        if values.isEmpty { return .constant(.null, type) }
        return .column(Column.choose(choices, from: values, type: type))
    }

    static func format(_ parts: [Vector], rowCount: Int) throws -> Vector {
        let columns = parts.map { $0.materialize(count: rowCount) }
        var builder = TextDictionaryBuilder()
        var codes = [UInt32](repeating: 0, count: rowCount)
        var validity = Validity(count: rowCount, allValid: true)
        for i in 0..<rowCount {
            var text = ""
            var isNull = false
            for column in columns {
                guard let part = column.text(at: i) else { isNull = true; break }
                text += part
            }
            if isNull { validity.clear(i) } else { codes[i] = builder.code(for: text) }
        }
        return .column(Column(.text(codes: codes, dictionary: builder.build()), validity: validity))
    }
}
