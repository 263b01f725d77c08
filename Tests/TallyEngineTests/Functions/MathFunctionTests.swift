import Foundation
import Testing
@testable import TallyEngine

@Suite("Function registry")
struct FunctionRegistryTests {
    @Test func looksUpFunctionsWithPRQLParameterOrder() throws {
        let round = try #require(FunctionRegistry.scalar(named: "round"))
        #expect(round.parameters == ["n_digits", "column"])
        #expect(try #require(FunctionRegistry.scalar(named: "text.extract")).parameters == ["offset", "length", "column"])
        #expect(try #require(FunctionRegistry.scalar(named: "text.replace")).arity == 3)
        #expect(try #require(FunctionRegistry.scalar(named: "date.to_text")).parameters == ["format", "column"])
        #expect(try #require(FunctionRegistry.scalar(named: "math.pow")).parameters == ["exponent", "column"])
        #expect(FunctionRegistry.scalar(named: "math.nope") == nil)
        #expect(FunctionRegistry.scalar(named: "std.math.sqrt")?.name == "math.sqrt")
        #expect(FunctionRegistry.scalar(named: "sum") == nil)
        #expect(FunctionRegistry.isAggregate("sum") && FunctionRegistry.isAggregate("spark"))
    }

    @Test func listsEveryDocumentedFunction() {
        let documented = ["round", "math.abs", "math.floor", "math.ceil", "math.round", "math.pow", "math.sqrt",
                          "math.ln", "math.log10", "math.exp", "math.sin", "math.cos", "math.tan", "math.asin",
                          "math.acos", "math.atan", "text.length", "text.lower", "text.upper", "text.trim",
                          "text.ltrim", "text.rtrim", "text.starts_with", "text.ends_with", "text.contains",
                          "text.extract", "text.replace", "date.to_text", "date.year", "date.month"]
        for name in documented { #expect(FunctionRegistry.scalarNames.contains(name), "\(name)") }
    }

    @Test func wrongArgumentCountNamesTheFunction() throws {
        let f = try #require(FunctionRegistry.scalar(named: "text.replace"))
        let error = #expect(throws: TallyError.self) { try f.resultType([.text]) }
        #expect(error?.kind == .type)
        #expect(error?.message.contains("`text.replace` takes 3 arguments") == true)
        #expect(error?.hint?.contains("text.replace pattern replacement column") == true)
    }

    @Test func wrongArgumentTypeNamesFunctionAndExpectedTypes() throws {
        let f = try #require(FunctionRegistry.scalar(named: "math.sqrt"))
        let error = #expect(throws: TallyError.self) { try f.resultType([.text]) }
        #expect(error?.message == "`math.sqrt` expects an int or float, got (text)")
        let round = try #require(FunctionRegistry.scalar(named: "round"))
        #expect(throws: TallyError.self) { try round.resultType([.float, .float]) }
    }

    @Test func nullConstantGivesNullConstant() throws {
        let out = try F.call("math.sqrt", .constant(.null, .float), rows: 10)
        guard case .constant(.null, .float) = out else { Issue.record("\(out)"); return }
    }
}

@Suite("Math functions")
struct MathFunctionTests {
    /// Oracle: `from t | select {r = math.round 0 f}` with f = 1.5, -2.5, 2.5, null, 0.5 → 2, -3, 3, null, 1.
    @Test func roundHalfAwayFromZero() throws {
        let out = try F.call("round", F.int(0), F.floats([2.5, -2.5, 0.5, -0.5, 1.5, nil, -0.4]))
        let d = F.doubles(of: out)
        #expect(d[0...5] == [3, -3, 1, -1, 2, nil])
        #expect(d[6] == 0 && d[6]!.sign == .minus)  // DuckDB: round(-0.4, 0) = -0.0
        #expect(out.type == .float)
    }

    /// Oracle: `SQL: select round(1.25::double, 1), round(2.675::double, 2), round(1.005::double, 2), round(123.456::double, -1)`
    /// → 1.3, 2.67, 1.0, 120.0.
    @Test func roundToDigitsMatchesDuckDBArithmetic() throws {
        let out = try F.call("math.round", F.int(2), F.floats([2.675, 1.005, -1.555]))
        #expect(F.doubles(of: out) == [2.67, 1.0, -1.55])  // oracle: round(-1.555::double, 2) = -1.55
        #expect(F.doubles(of: try F.call("round", F.int(1), F.floats([1.25]))) == [1.3])
        #expect(F.doubles(of: try F.call("round", F.int(-1), F.floats([123.456, 2.5]))) == [120, 0])
        #expect(F.doubles(of: try F.call("round", F.int(-400), F.floats([1e300]))) == [0])
        #expect(F.doubles(of: try F.call("round", F.int(10), F.floats([1e300, .infinity]))) == [1e300, .infinity])
    }

    /// Oracle: `from t | select {ri = math.round 0 i, rn = math.round (-1) i}` keeps BIGINT;
    /// `SQL: select round(15::bigint, -1), round(-25::bigint, -1), round(5::bigint, -20)` → 20, -30, 0.
    @Test func roundKeepsIntsAndRoundsTensHalfAwayFromZero() throws {
        let same = try F.call("round", F.int(2), F.ints([1, -7, nil]))
        #expect(same.type == .int)
        #expect(F.values(same) == [.int(1), .int(-7), .null])
        let tens = try F.call("round", F.int(-1), F.ints([15, -25, 14, 5, -14, nil]))
        #expect(F.values(tens) == [.int(20), .int(-30), .int(10), .int(10), .int(-10), .null])
        #expect(F.values(try F.call("round", F.int(-20), F.ints([5]))) == [.int(0)])
        #expect(F.values(try F.call("round", F.int(-2), F.ints([150, 149, -150]))) == [.int(200), .int(100), .int(-200)])
    }

    @Test func roundIntOverflowIsAnError() throws {
        let error = #expect(throws: TallyError.self) {
            try F.call("round", F.int(-1), F.ints([9_223_372_036_854_775_807]))
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("integer overflow in `round`") == true)
        // A null row's placeholder value never overflows.
        let column = Column(.int([9_223_372_036_854_775_807, 1]), validity: Validity([false, true]))
        #expect(F.values(try F.call("round", F.int(-1), .column(column))) == [.null, .int(0)])
    }

    @Test func roundFoldsConstants() throws {
        let out = try F.call("round", F.int(0), F.float(-2.5), rows: 1000)
        guard case .constant(.float(-3), .float) = out else { Issue.record("\(out)"); return }
        let i = try F.call("round", F.int(-1), F.int(25), rows: 5)
        guard case .constant(.int(30), .int) = i else { Issue.record("\(i)"); return }
    }

    @Test func roundWithDigitsFromAColumn() throws {
        let out = try F.call("round", F.ints([0, 1, 2, nil]), F.floats([1.2345, 1.2345, 1.2345, 1.2345]))
        #expect(F.doubles(of: out) == [1, 1.2, 1.23, nil])
    }

    /// Oracle: `from t | select {a = math.abs i, ab = math.abs f}` → BIGINT / DOUBLE.
    @Test func absKeepsTypeAndChecksOverflow() throws {
        #expect(F.values(try F.call("math.abs", F.ints([-3, 4, nil]))) == [.int(3), .int(4), .null])
        #expect(F.doubles(of: try F.call("math.abs", F.floats([-2.5, 0.5, nil]))) == [2.5, 0.5, nil])
        #expect(throws: TallyError.self) { try F.call("math.abs", F.ints([Int64.min])) }
    }

    /// Oracle: `from t | select {fl = math.floor i, ce = math.ceil f}` → DOUBLE for both (DuckDB's
    /// FLOOR(BIGINT) is a DOUBLE); floor(-2.5) = -3, ceil(-2.5) = -2.
    @Test func floorAndCeilGiveFloats() throws {
        let fl = try F.call("math.floor", F.floats([1.5, -2.5, nil]))
        #expect(F.doubles(of: fl) == [1, -3, nil])
        let ce = try F.call("math.ceil", F.floats([1.5, -2.5, 0.5]))
        #expect(F.doubles(of: ce) == [2, -2, 1])
        let ints = try F.call("math.floor", F.ints([5, -5]))
        #expect(ints.type == .float)
        #expect(F.doubles(of: ints) == [5, -5])
    }

    /// Oracle: `SQL: select ln(0.0), log10(0.0), ln(-1.0), sqrt(-1.0), asin(2.0)` → -inf, -inf, nan, nan, nan.
    @Test func domainErrorsGiveNaNOrInfinityLikeDuckDB() throws {
        let sq = F.doubles(of: try F.call("math.sqrt", F.floats([4, -1, nil])))
        #expect(sq[0] == 2 && sq[1]!.isNaN && sq[2] == nil)
        let ln = F.doubles(of: try F.call("math.ln", F.floats([0, -1, M_E])))
        #expect(ln[0] == -.infinity && ln[1]!.isNaN && approximately(ln[2], 1))
        #expect(F.doubles(of: try F.call("math.log10", F.ints([1000, 0]))) == [3, -.infinity])
        #expect(F.doubles(of: try F.call("math.asin", F.floats([2])))[0]!.isNaN)
    }

    /// Oracle: `from t | select {sq = math.sqrt f, e = math.exp i}` → 1.224744871 for 1.5, e² = 7.389056099.
    @Test func sqrtExpAndIntInputs() throws {
        #expect(approximately(F.doubles(of: try F.call("math.sqrt", F.floats([1.5])))[0], 1.224744871391589))
        let e = F.doubles(of: try F.call("math.exp", F.ints([2, nil])))
        #expect(approximately(e[0], 7.38905609893065) && e[1] == nil)
    }

    /// Oracle: `SQL: select sin(1), cos(1), tan(1), asin(0.5), acos(0.5), atan(1)`.
    @Test func trigonometry() throws {
        #expect(approximately(F.doubles(of: try F.call("math.sin", F.ints([1])))[0], 0.8414709848078965))
        #expect(approximately(F.doubles(of: try F.call("math.cos", F.floats([1])))[0], 0.5403023058681398))
        #expect(approximately(F.doubles(of: try F.call("math.tan", F.floats([1])))[0], 1.5574077246549023))
        #expect(approximately(F.doubles(of: try F.call("math.asin", F.floats([0.5])))[0], 0.5235987755982989))
        #expect(approximately(F.doubles(of: try F.call("math.acos", F.floats([0.5])))[0], 1.0471975511965979))
        #expect(approximately(F.doubles(of: try F.call("math.atan", F.floats([1])))[0], 0.7853981633974483))
    }

    /// PRQL: `math.pow exponent column` compiles to POW(column, exponent). Oracle:
    /// `from t | select {p = math.pow 2 i}` → 1, 4, null, 16, 25 as DOUBLE.
    @Test func powPutsTheExponentFirst() throws {
        let out = try F.call("math.pow", F.int(2), F.ints([1, 2, nil, 4, 5]))
        #expect(out.type == .float)
        #expect(F.doubles(of: out) == [1, 4, nil, 16, 25])
        let perRow = try F.call("math.pow", F.floats([0.5, 3]), F.ints([4, 2]))
        #expect(F.doubles(of: perRow) == [2, 8])
        #expect(F.doubles(of: try F.call("math.pow", F.int(-1), F.ints([0])))[0] == .infinity)
    }

    @Test func logWithBaseAndPi() throws {
        #expect(approximately(F.doubles(of: try F.call("math.log", F.int(2), F.ints([8])))[0], 3))
        let pi = try F.call("math.pi", rows: 3)
        guard case .constant(.float(let v), .float) = pi else { Issue.record("\(pi)"); return }
        #expect(v == Double.pi)
    }

    @Test func keepsTheNullMaskOfItsInput() throws {
        let out = try F.call("math.exp", F.floats([nil, 0, nil]))
        guard case .column(let c) = out else { Issue.record("not a column"); return }
        #expect(c.nullCount == 2)
        #expect(c.scalar(at: 1) == .float(1))
    }
}
