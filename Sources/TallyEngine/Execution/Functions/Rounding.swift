import Foundation

/// `round n x` / `math.round n x`: half away from zero, as DuckDB's ROUND.
///
/// Floats round their exact binary value, as DuckDB does, so `round 2 2.675` is 2.67 there and here
/// (the double 2.675 is 2.67499…). Ints stay ints: a non-negative `n` leaves them as
/// they are, a negative `n` rounds to tens, hundreds, … half away from zero (`round -1 15` = 20,
/// `round -1 -25` = -30), and a result beyond the int range is an error.
enum Rounding {
    /// Rounds the exact binary value of `x`, as this DuckDB does: `round 2 2.675` is 2.67 because the
    /// double 2.675 is 2.67499999999999982…, although 2.675 × 100 computes to 267.5. The product's
    /// rounding error (from a fused multiply-add) decides the ties that the product alone gets wrong.
    /// Oracle: `SQL: select round(2.5::double, 0), round(-2.5::double, 0), round(2.675::double, 2),
    /// round(-1.555::double, 2), round(1.25::double, 1), round('inf'::double, -1), round(1e300::double, -400)`
    /// → 3.0, -3.0, 2.67, -1.55, 1.3, inf, 0.0. Checked against DuckDB on 480,000 (value, digits)
    /// pairs (random doubles and ties, digits -3…12): no difference.
    @inline(__always)
    static func round(_ x: Double, digits: Int64) -> Double { FloatRounder(digits: digits).round(x) }

    /// `v` rounded half away from zero, where the exact value is `v + error` (|error| ≤ ulp(v)/2):
    /// only when `v` is a tie can the error change the answer.
    @inline(__always)
    static func tieBreak(_ v: Double, error: Double) -> Double {
        let r = v.rounded(.toNearestOrAwayFromZero)
        guard error != 0, Swift.abs(v - v.rounded(.towardZero)) == 0.5 else { return r }
        // A tie that is really a little nearer zero rounds toward zero.
        if (v > 0) != (error > 0) { return v.rounded(.towardZero) }
        return r
    }

    /// Oracle: `SQL: select round(15::bigint, -1), round(-25::bigint, -1), round(14::bigint, 1),
    /// round(5::bigint, -20)` → 20, -30, 14, 0.
    @inline(__always)
    static func round(_ x: Int64, digits: Int64) -> Int64? {
        if digits >= 0 { return x }
        if digits <= -19 { return 0 }
        var power: Int64 = 1
        for _ in 0..<Int(-digits) { power &*= 10 }
        var quotient = x / power
        let remainder = x % power
        if remainder.magnitude * 2 >= power.magnitude { quotient += x < 0 ? -1 : 1 }
        let (result, overflow) = quotient.multipliedReportingOverflow(by: power)
        return overflow ? nil : result
    }

    static func signature(_ name: String) -> ScalarFunction.Signature {
        { args in
            guard args[0] == .int, Signatures.isNumber(args[1]) else {
                throw Signatures.mismatch(name, expected: "(int digits, int or float value), as in `\(name) 2 x`",
                                          got: args)
            }
            return args[1]
        }
    }

    static func kernel(_ name: String) -> ScalarFunction.Kernel {
        { args, rows, _ in
            let digits = NumberSource(args[0], rows: rows)
            let column = args[1].materialize(count: rows)
            let validity = Validity.intersect(args[0].nullMask, column.validity)
            switch column.values {
            case .float(let values):
                let out: [Double] = values.withUnsafeBufferPointer { src in
                    buildArray(rows) { dst in
                        if let d = digits.constantInt {
                            let rounder = FloatRounder(digits: d)
                            for i in 0..<rows { dst.initializeElement(at: i, to: rounder.round(src[i])) }
                        } else {
                            for i in 0..<rows { dst.initializeElement(at: i, to: round(src[i], digits: digits.int(i))) }
                        }
                    }
                }
                return .column(Column(.float(out), validity: validity))
            case .int(let values):
                if let d = digits.constantInt, d >= 0 { return .column(Column(.int(values), validity: validity)) }
                var overflowRow: Int? = nil
                let constant = digits.constantInt
                let out: [Int64] = withValidBits(validity) { bits in
                    values.withUnsafeBufferPointer { src in
                        buildArray(rows) { dst in
                            for i in 0..<rows {
                                if let r = round(src[i], digits: constant ?? digits.int(i)) {
                                    dst.initializeElement(at: i, to: r)
                                } else {
                                    dst.initializeElement(at: i, to: 0)
                                    if overflowRow == nil, bits?.isValid(i) ?? true { overflowRow = i }
                                }
                            }
                        }
                    }
                }
                if let row = overflowRow {
                    throw TallyError(.runtime, "integer overflow in `\(name)`: rounding \(values[row]) to \(digits.int(row)) digits does not fit in an int",
                                     hint: "round a float instead: `\(name) \(digits.int(row)) (x | as float)`")
                }
                return .column(Column(.int(out), validity: validity))
            default:
                return .constant(.null, column.type)
            }
        }
    }
}

/// Rounding of floats to a fixed number of digits, with the power of ten computed once.
struct FloatRounder {
    let digits: Int64
    let modifier: Double

    init(digits: Int64) {
        self.digits = digits
        modifier = digits == 0 ? 1 : Foundation.pow(10.0, Double(Swift.min(Swift.max(digits, -400), 400).magnitude))
    }

    @inline(__always)
    func round(_ x: Double) -> Double {
        if !x.isFinite { return x }
        if digits == 0 { return x.rounded(.toNearestOrAwayFromZero) }
        if digits < 0 {
            let q = x / modifier
            // x − q × modifier, exact: its sign says on which side of q the true quotient lies.
            let remainder = x.addingProduct(-q, modifier)
            let out = Rounding.tieBreak(q, error: remainder) * modifier
            return out.isFinite ? out : 0
        }
        let p = x * modifier
        if !p.isFinite { return x }
        // p + error is x × modifier exactly (two-product by fused multiply-add).
        let error = (-p).addingProduct(x, modifier)
        let out = Rounding.tieBreak(p, error: error) / modifier
        return out.isFinite ? out : x
    }
}
