import Foundation

/// `math.*` (and `round`): numeric functions over int and float columns.
///
/// Result types follow DuckDB, which the PRQL reference runs on: `math.abs` and `math.round` keep an
/// int an int; `math.floor` and `math.ceil` give floats even for ints (DuckDB's FLOOR(BIGINT) is a
/// DOUBLE); everything else gives a float. Domain errors give NaN or ±inf as in DuckDB
/// (`math.sqrt -1` is NaN, `math.ln 0` is -inf), never null and never an error.
enum MathFunctions {
    static let all: [ScalarFunction] = [
        abs,
        floatFunction("math.floor", "largest whole number not above x") { Foundation.floor($0) },
        floatFunction("math.ceil", "smallest whole number not below x") { Foundation.ceil($0) },
        floatFunction("math.sqrt", "square root (NaN for negatives)") { $0.squareRoot() },
        floatFunction("math.ln", "natural logarithm") { Foundation.log($0) },
        floatFunction("math.log10", "base-10 logarithm") { Foundation.log10($0) },
        floatFunction("math.exp", "e to the power x") { Foundation.exp($0) },
        floatFunction("math.sin", "sine (radians)") { Foundation.sin($0) },
        floatFunction("math.cos", "cosine (radians)") { Foundation.cos($0) },
        floatFunction("math.tan", "tangent (radians)") { Foundation.tan($0) },
        floatFunction("math.asin", "arc sine") { Foundation.asin($0) },
        floatFunction("math.acos", "arc cosine") { Foundation.acos($0) },
        floatFunction("math.atan", "arc tangent") { Foundation.atan($0) },
        floatFunction("math.degrees", "radians to degrees") { $0 * (180 / Double.pi) },
        floatFunction("math.radians", "degrees to radians") { $0 * (Double.pi / 180) },
        round("round"),
        round("math.round"),
        pow,
        log,
        pi,
    ]

    static func round(_ name: String) -> ScalarFunction {
        ScalarFunction(name, ["n_digits", "column"], "round to n digits, half away from zero",
                       signature: Rounding.signature(name), kernel: Rounding.kernel(name))
    }

    static func numberSignature(_ name: String, result: DataType?) -> ScalarFunction.Signature {
        { args in
            guard args.allSatisfy(Signatures.isNumber) else {
                throw Signatures.mismatch(name, expected: args.count == 1 ? "an int or float" : "ints or floats",
                                          got: args)
            }
            return result ?? args[0]
        }
    }

    /// A function of one number that always gives a float.
    static func floatFunction(_ name: String, _ summary: String,
                              _ f: @escaping @Sendable (Double) -> Double) -> ScalarFunction {
        ScalarFunction(name, ["column"], summary, signature: numberSignature(name, result: .float)) { args, rows, _ in
            .column(NumericKernels.mapToDouble(args[0].materialize(count: rows), f))
        }
    }

    /// Oracle: `from t | select {a = math.abs i}` is BIGINT for a BIGINT column; ABS of the smallest
    /// BIGINT is an error in DuckDB, and an error here.
    static let abs = ScalarFunction("math.abs", ["column"], "absolute value",
                                    signature: numberSignature("math.abs", result: nil)) { args, rows, _ in
        let column = args[0].materialize(count: rows)
        switch column.values {
        case .int(let values):
            var overflow = false
            let out: [Int64] = withValidBits(column.validity) { bits in
                values.withUnsafeBufferPointer { src in
                    buildArray(rows) { dst in
                        for i in 0..<rows {
                            let v = src[i]
                            if v == .min {
                                if bits?.isValid(i) ?? true { overflow = true }
                                dst.initializeElement(at: i, to: 0)
                            } else {
                                dst.initializeElement(at: i, to: v < 0 ? -v : v)
                            }
                        }
                    }
                }
            }
            if overflow {
                throw TallyError(.runtime, "integer overflow in `math.abs`: \(Int64.min) has no positive int",
                                 hint: "use a float: `math.abs (x | as float)`")
            }
            return .column(Column(.int(out), validity: column.validity))
        default:
            return .column(NumericKernels.mapToDouble(column) { Swift.abs($0) })
        }
    }

    /// `math.pow exponent column` is POW(column, exponent) (PRQL puts the exponent first); a float.
    static let pow = ScalarFunction("math.pow", ["exponent", "column"], "column to the power exponent",
                                    signature: numberSignature("math.pow", result: .float)) { args, rows, _ in
        binaryDouble(args, rows: rows) { exponent, base in Foundation.pow(base, exponent) }
    }

    /// `math.log base column` is LOG10(column) / LOG10(base), as PRQL writes it.
    static let log = ScalarFunction("math.log", ["base", "column"], "logarithm of column in base",
                                    signature: numberSignature("math.log", result: .float)) { args, rows, _ in
        binaryDouble(args, rows: rows) { base, value in Foundation.log10(value) / Foundation.log10(base) }
    }

    static let pi = ScalarFunction("math.pi", [], "π", signature: { _ in .float }) { _, _, _ in
        .constant(.float(Double.pi), .float)
    }

    /// `f(a, b)` over two numeric arguments, either of which may be a constant.
    static func binaryDouble(_ args: [Vector], rows: Int, _ f: (Double, Double) -> Double) -> Vector {
        let validity = Validity.intersect(args[0].nullMask, args[1].nullMask)
        func side(_ v: Vector) -> (constant: Double, values: [Double]?) {
            switch v {
            case .constant(.int(let x), _): return (Double(x), nil)
            case .constant(.float(let x), _): return (x, nil)
            case .constant: return (0, nil)
            case .column(let c): return (0, NumericKernels.doubles(c) ?? [Double](repeating: 0, count: rows))
            }
        }
        let (a, aValues) = side(args[0]), (b, bValues) = side(args[1])
        let out: [Double] = buildArray(rows) { dst in
            switch (aValues, bValues) {
            case (nil, let ys?):
                ys.withUnsafeBufferPointer { ys in for i in 0..<rows { dst.initializeElement(at: i, to: f(a, ys[i])) } }
            case (let xs?, nil):
                xs.withUnsafeBufferPointer { xs in for i in 0..<rows { dst.initializeElement(at: i, to: f(xs[i], b)) } }
            case (let xs?, let ys?):
                xs.withUnsafeBufferPointer { xs in
                    ys.withUnsafeBufferPointer { ys in for i in 0..<rows { dst.initializeElement(at: i, to: f(xs[i], ys[i])) } }
                }
            case (nil, nil):
                let v = f(a, b)
                for i in 0..<rows { dst.initializeElement(at: i, to: v) }
            }
        }
        return .column(Column(.float(out), validity: validity))
    }
}
