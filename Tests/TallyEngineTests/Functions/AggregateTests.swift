import Testing
@testable import TallyEngine

/// The data of the oracle's t.csv, grouped by g: a = rows 0, 1; b = rows 2, 3; c = row 4.
///   g,i,f,s,d,b
///   a,1,1.5,南宁市,2021-03-05,true
///   a,2,-2.5,Hello,2022-12-31,false
///   b,,2.5,,,
///   b,4,,abc,2020-02-29,true
///   c,5,0.5, x ,2021-01-01,
enum Sample {
    static let groups: [Int32] = [0, 0, 1, 1, 2]
    static let i = Column(ints: [1, 2, nil, 4, 5])
    static let f = Column(floats: [1.5, -2.5, 2.5, nil, 0.5])
    static let s = Column(texts: ["南宁市", "Hello", nil, "abc", " x "])
    static let d = Column(dates: [F.day("2021-03-05"), F.day("2022-12-31"), nil, F.day("2020-02-29"), F.day("2021-01-01")])
    static let b = Column(bools: [true, false, nil, true, nil])

    static func agg(_ name: String, _ input: Column?, _ parameters: [Scalar] = []) throws -> [Scalar] {
        try F.aggregate(name, input, groups: groups, groupCount: 3, rows: 5, parameters)
    }
}

@Suite("Aggregates")
struct AggregateTests {
    /// Oracle: `from t | group g (aggregate {n = count this, si = sum i, sf = sum f, a = average i, mn = min s,
    /// mx = max s, md = min d, sd = stddev f, sdi = stddev i, cd = count_distinct s, mb = min b})` →
    ///   a: 2, 3, -1.0, 1.5, Hello, 南宁市, 2021-03-05, 2.8284271247461903, 0.7071067811865476, 2, false
    ///   b: 2, 4, 2.5, 4.0, abc, abc, 2020-02-29, null, null, 1, true
    ///   c: 1, 5, 0.5, 5.0, " x ", " x ", 2021-01-01, null, null, 1, null
    @Test func theOracleTableGroupedByG() throws {
        #expect(try Sample.agg("count", nil) == [.int(2), .int(2), .int(1)])
        #expect(try Sample.agg("sum", Sample.i) == [.int(3), .int(4), .int(5)])
        #expect(try Sample.agg("sum", Sample.f) == [.float(-1), .float(2.5), .float(0.5)])
        #expect(try Sample.agg("average", Sample.i) == [.float(1.5), .float(4), .float(5)])
        #expect(try Sample.agg("min", Sample.s) == [.text("Hello"), .text("abc"), .text(" x ")])
        #expect(try Sample.agg("max", Sample.s) == [.text("南宁市"), .text("abc"), .text(" x ")])
        #expect(try Sample.agg("min", Sample.d) == [.date(F.day("2021-03-05")), .date(F.day("2020-02-29")), .date(F.day("2021-01-01"))])
        let sd = try Sample.agg("stddev", Sample.f)
        #expect(sd[0] == .float(2.8284271247461903) && sd[1] == .null && sd[2] == .null)
        #expect(try Sample.agg("stddev", Sample.i)[0] == .float(0.7071067811865476))
        #expect(try Sample.agg("count_distinct", Sample.s) == [.int(2), .int(1), .int(1)])
        #expect(try Sample.agg("min", Sample.b) == [.bool(false), .bool(true), .null])
    }

    /// Oracle: `from t | group g (aggregate {n = count this, an = any b, al = all b, ca = concat_array s})` →
    ///   a: 2, true, false, "南宁市Hello";  b: 2, true, true, "abc";  c: 1, false, true, " x ".
    @Test func anyAllConcatOfTheOracleTable() throws {
        #expect(try Sample.agg("any", Sample.b) == [.bool(true), .bool(true), .bool(false)])
        #expect(try Sample.agg("all", Sample.b) == [.bool(false), .bool(true), .bool(true)])
        #expect(try Sample.agg("concat_array", Sample.s) == [.text("南宁市Hello"), .text("abc"), .text(" x ")])
    }

    /// LANGUAGE.md: `count x` counts non-null values (prqlc emits COUNT(*) for both; we follow LANGUAGE.md).
    @Test func countValuesSkipsNulls() throws {
        #expect(try Sample.agg("count", Sample.i) == [.int(2), .int(1), .int(1)])
        #expect(try Sample.agg("count", Sample.b) == [.int(2), .int(1), .int(0)])
        #expect(try F.aggregate("count", Sample.i) == [.int(4)])
        #expect(try F.aggregate("count", nil, rows: 5) == [.int(5)])
    }

    /// Oracle: `from t | filter i > 100 | aggregate {n = count this, si = sum i, sf = sum f, a = average i, mn = min s,
    /// sd = stddev f, cd = count_distinct s, an = any b, al = all b, ca = concat_array s}` →
    /// 0, 0, 0.0, null, null, null, 0, false, true, "".
    @Test func emptyInputIsOneGroup() throws {
        let empty = Column(ints: [])
        #expect(try F.aggregate("count", nil, rows: 0) == [.int(0)])
        #expect(try F.aggregate("sum", empty) == [.int(0)])
        #expect(try F.aggregate("sum", Column(floats: [])) == [.float(0)])
        #expect(try F.aggregate("average", empty) == [.null])
        #expect(try F.aggregate("min", Column(texts: [])) == [.null])
        #expect(try F.aggregate("stddev", Column(floats: [])) == [.null])
        #expect(try F.aggregate("count_distinct", Column(texts: [])) == [.int(0)])
        #expect(try F.aggregate("any", Column(bools: [])) == [.bool(false)])
        #expect(try F.aggregate("all", Column(bools: [])) == [.bool(true)])
        #expect(try F.aggregate("concat_array", Column(texts: [])) == [.text("")])
        #expect(try F.aggregate("median", empty) == [.null])
        #expect(try F.aggregate("first", empty) == [.null])
        #expect(try F.aggregate("spark", empty) == [.null])
    }

    @Test func emptyAndAllNullGroups() throws {
        // Group 1 has no rows at all; group 2 only nulls.
        let x = Column(ints: [5, nil, 7])
        let ids: [Int32] = [0, 2, 0]
        func run(_ name: String) throws -> [Scalar] { try F.aggregate(name, x, groups: ids, groupCount: 3) }
        #expect(try run("sum") == [.int(12), .int(0), .int(0)])
        #expect(try run("count") == [.int(2), .int(0), .int(0)])
        #expect(try F.aggregate("count", nil, groups: ids, groupCount: 3, rows: 3) == [.int(2), .int(0), .int(1)])
        #expect(try run("average") == [.float(6), .null, .null])
        #expect(try run("max") == [.int(7), .null, .null])
        #expect(try run("median") == [.float(6), .null, .null])
        #expect(try run("count_distinct") == [.int(2), .int(0), .int(0)])
        #expect(try run("first") == [.int(5), .null, .null])
        #expect(try run("concat_array") == [.text("57"), .text(""), .text("")])
    }

    @Test func sumOverflowIsAnError() throws {
        let x = Column(ints: [Int64.max, 1])
        let error = #expect(throws: TallyError.self) { try F.aggregate("sum", x) }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("integer overflow in `sum`") == true)
        #expect(error?.hint?.contains("as float") == true)
        // The 128-bit total only has to fit at the end, in whatever order rows come.
        #expect(try F.aggregate("sum", Column(ints: [Int64.max, 10, -20])) == [.int(Int64.max - 10)])
        #expect(try F.aggregate("sum", Column(ints: [Int64.min, -1, 1])) == [.int(Int64.min)])
        #expect(throws: TallyError.self) { try F.aggregate("sum", Column(ints: [Int64.min, -1])) }
        // Average of huge ints does not overflow.
        #expect(try F.aggregate("average", Column(ints: [Int64.max, Int64.max])) == [.float(9.223372036854775807e18)])
    }

    /// Oracle: `from t | aggregate {sb = sum b}` → 2 (SUM(BOOLEAN) is an integer).
    @Test func sumOfBoolsCountsTrues() throws {
        #expect(try F.aggregate("sum", Sample.b) == [.int(2)])
    }

    /// Oracle: `from t | aggregate {ab = average d}` → TIMESTAMP 2021-05-02 06:00:00.
    @Test func averageOfDatesIsATimestamp() throws {
        #expect(try AggregateKernel.resultType("average", .date) == .timestamp)
        #expect(try F.aggregate("average", Sample.d) == [.timestamp(F.micros("2021-05-02", 6))])
        #expect(try F.aggregate("avg", Sample.f) == [.float(0.5)])
    }

    /// Oracle: `SQL: select max(x) from (values (1.0::double),('nan'::double))` → nan;
    /// `select min(x) from (values ('Z'),('a'),('Ä'))` → 'Z' (code point order).
    @Test func minMaxOrdering() throws {
        guard case .float(let m) = try F.aggregate("max", Column(floats: [1, .nan, 3]))[0] else { Issue.record("max"); return }
        #expect(m.isNaN)
        #expect(try F.aggregate("min", Column(floats: [.nan, 3, nil, -1])) == [.float(-1)])
        #expect(try F.aggregate("min", Column(texts: ["a", "Z", "Ä"])) == [.text("Z")])
        #expect(try F.aggregate("max", Column(texts: ["a", "Z", "Ä", nil])) == [.text("Ä")])
        #expect(try F.aggregate("max", Column(texts: ["宁", "南", "市"])) == [.text("市")])  // U+5E02 > U+5B81 > U+5357
        #expect(try F.aggregate("max", Column(bools: [false, nil, true])) == [.bool(true)])
        let ts = Column(.timestamp([5, -3, 9]))
        #expect(try F.aggregate("min", ts) == [.timestamp(-3)])
    }

    @Test func minMaxTextKeepsTheInputDictionary() throws {
        let out = try AggregateKernel.evaluate("max", input: Sample.s, rowCount: 5, groups: .ids(Sample.groups, count: 3))
        guard case .text(_, let dictionary) = out.values, case .text(_, let inputDictionary) = Sample.s.values else {
            Issue.record("not text"); return
        }
        #expect(dictionary === inputDictionary)
    }

    /// Oracle: `SQL: select stddev(x) from (values (1),(2),(4),(7))` → 2.6457513110645907.
    @Test func stddevIsTheSampleDeviation() throws {
        #expect(approximately(try F.aggregate("stddev", Column(ints: [1, 2, 4, 7, nil]))[0].asDouble, 2.6457513110645907))
        #expect(try F.aggregate("stddev", Column(floats: [3])) == [.null])
        #expect(try F.aggregate("stddev", Column(floats: [3, 3, 3])) == [.float(0)])
    }

    /// Oracle: `SQL: select g, median(i), median(f), quantile_cont(i, 0.9) ... group by g` →
    /// a: 1.5, -0.5, 1.9;  `quantile_cont(x, 0.25)` of 1..4 → 1.75; `median` of (3, 1, 2) → 2.0.
    @Test func medianAndQuantileInterpolate() throws {
        #expect(try Sample.agg("median", Sample.i) == [.float(1.5), .float(4), .float(5)])
        #expect(try Sample.agg("median", Sample.f) == [.float(-0.5), .float(2.5), .float(0.5)])
        #expect(approximately(try Sample.agg("quantile", Sample.i, [.float(0.9)])[0].asDouble, 1.9))
        #expect(try F.aggregate("quantile", Column(ints: [4, 2, 3, 1]), [.float(0.25)]) == [.float(1.75)])
        #expect(try F.aggregate("median", Column(ints: [3, 1, 2])) == [.float(2)])
        #expect(try F.aggregate("quantile", Column(ints: [3, 1, 2]), [.int(1)]) == [.float(3)])
        #expect(try F.aggregate("quantile", Column(ints: [3, 1, 2]), [.int(0)]) == [.float(1)])
        #expect(try AggregateKernel.resultType("median", .int) == .float)
    }

    /// Oracle: `SQL: select median(x) from (values (1.0),('nan'),(3.0))` → 3.0 (NaN sorts last).
    @Test func medianSortsNaNLast() throws {
        #expect(try F.aggregate("median", Column(floats: [1, .nan, 3])) == [.float(3)])
    }

    /// Oracle: `median(d)` for 2021-03-05 and 2022-12-31 → TIMESTAMP 2022-02-01 00:00:00;
    /// `quantile_cont(x, 0.9)` of 2021-01-01, 2021-01-11 → 2021-01-10 00:00:00.
    @Test func medianOfDatesIsATimestamp() throws {
        #expect(try Sample.agg("median", Sample.d)[0] == .timestamp(F.micros("2022-02-01")))
        let d = Column(dates: [F.day("2021-01-11"), F.day("2021-01-01")])
        #expect(try F.aggregate("quantile", d, [.float(0.9)]) == [.timestamp(F.micros("2021-01-10"))])
    }

    /// Oracle: `SQL: select median(x), quantile_disc(x, 0.9), quantile_disc(x, 0.25) from (values ('a'),('b'),('c'),('d'))`
    /// → 'b', 'd', 'a'; median of a…e → 'c'.
    @Test func medianOfTextTakesARank() throws {
        let t = Column(texts: ["d", "b", nil, "a", "c"])
        #expect(try F.aggregate("median", t) == [.text("b")])
        #expect(try F.aggregate("quantile", t, [.float(0.9)]) == [.text("d")])
        #expect(try F.aggregate("quantile", t, [.float(0.25)]) == [.text("a")])
        #expect(try F.aggregate("median", Column(texts: ["e", "d", "c", "b", "a"])) == [.text("c")])
    }

    /// Oracle: `quantile_cont(y, 1.5)` → "QUANTILE can only take parameters in the range [-1, 1]".
    @Test func quantileNeedsAProbability() throws {
        let error = #expect(throws: TallyError.self) { try F.aggregate("quantile", Sample.i, [.float(1.5)]) }
        #expect(error?.message.contains("from 0 to 1") == true)
        #expect(throws: TallyError.self) { try F.aggregate("quantile", Sample.i) }
        #expect(AggregateKernel.parameterCount("quantile") == 1 && AggregateKernel.parameterCount("sum") == 0)
    }

    /// Oracle: `count(distinct x)` of 0.0, -0.0 → 1.
    @Test func countDistinctPerType() throws {
        let ids: [Int32] = [0, 0, 0, 1, 1, 1]
        #expect(try F.aggregate("count_distinct", Column(ints: [1, 1, nil, 2, 3, 2]), groups: ids, groupCount: 2) == [.int(1), .int(2)])
        #expect(try F.aggregate("count_distinct", Column(floats: [0, -0.0, .nan, .nan, 1, nil])) == [.int(3)])
        #expect(try F.aggregate("count_distinct", Sample.d) == [.int(4)])
        #expect(try F.aggregate("count_distinct", Column(bools: [true, nil, true, false])) == [.int(2)])
        #expect(try F.aggregate("count_distinct", Column(texts: ["南宁", "南宁", nil, "x", "南宁", "x"]), groups: ids, groupCount: 2)
                == [.int(1), .int(2)])
    }

    @Test func countDistinctTextIgnoresCodesOfNullRowsAndUnusedEntries() throws {
        let column = Column(.text(codes: [0, 1, 2, 0], dictionary: TextDictionary(["a", "b", "c", "unused"])),
                            validity: Validity([true, false, true, true]))
        #expect(try F.aggregate("count_distinct", column) == [.int(2)])
    }

    @Test func countDistinctTextWithManyGroupsSortsCodes() throws {
        // groupCount × dictionary above the bitmap limit: the sort path.
        let n = 9000
        let texts = (0..<n).map { "v\($0 % 9000)" }
        let ids = (0..<n).map { Int32($0 % 8000) }
        let out = try F.aggregate("count_distinct", Column(texts: texts), groups: ids, groupCount: 8000)
        #expect(8000 * 9000 > CountDistinctKernel.bitmapLimit)
        #expect(out[0] == .int(2) && out[999] == .int(2) && out[1000] == .int(1) && out[7999] == .int(1))
    }

    /// Oracle: `from t | aggregate {ci = concat_array i, cf = concat_array f, cb = concat_array b}` →
    /// "1245", "1.5-2.52.50.5", "truefalsetrue".
    @Test func concatArrayConvertsAndSkipsNulls() throws {
        #expect(try F.aggregate("concat_array", Sample.i) == [.text("1245")])
        #expect(try F.aggregate("concat_array", Sample.f) == [.text("1.5-2.52.50.5")])
        #expect(try F.aggregate("concat_array", Sample.b) == [.text("truefalsetrue")])
        #expect(try F.aggregate("concat_array", Sample.d) == [.text("2021-03-052022-12-312020-02-292021-01-01")])
    }

    /// Oracle: `from t | group g (window (derive {fi = first i, la = last i}))` → b's first is null (its first row
    /// is null), last 4; a: 1, 2; c: 5, 5.
    @Test func firstAndLastTakeTheRowIncludingNull() throws {
        #expect(try Sample.agg("first", Sample.i) == [.int(1), .null, .int(5)])
        #expect(try Sample.agg("last", Sample.i) == [.int(2), .int(4), .int(5)])
        #expect(try Sample.agg("first", Sample.s) == [.text("南宁市"), .null, .text(" x ")])
        #expect(try Sample.agg("last", Sample.d)[1] == .date(F.day("2020-02-29")))
    }

    @Test func sparkDrawsEachGroupBetweenItsMinAndMax() throws {
        #expect(try F.aggregate("spark", Column(ints: [1, 2, 3, 4, 5, 6, 7, 8])) == [.text("▁▂▃▄▅▆▇█")])
        #expect(try F.aggregate("spark", Column(floats: [0, nil, 10, 5])) == [.text("▁ █▅")])
        #expect(try F.aggregate("spark", Column(ints: [3, 3, 3])) == [.text("▄▄▄")])
        let ids: [Int32] = [0, 1, 0, 1]
        #expect(try F.aggregate("spark", Column(ints: [1, 100, 2, 50]), groups: ids, groupCount: 3)
                == [.text("▁█"), .text("█▁"), .null])
        #expect(try F.aggregate("spark", Column(ints: [nil, nil])) == [.text("  ")])
    }

    @Test func resultTypes() throws {
        #expect(try AggregateKernel.resultType("count", nil) == .int)
        #expect(try AggregateKernel.resultType("count", .text) == .int)
        #expect(try AggregateKernel.resultType("sum", .int) == .int)
        #expect(try AggregateKernel.resultType("sum", .float) == .float)
        #expect(try AggregateKernel.resultType("sum", .bool) == .int)
        #expect(try AggregateKernel.resultType("stddev", .int) == .float)
        #expect(try AggregateKernel.resultType("min", .text) == .text)
        #expect(try AggregateKernel.resultType("first", .date) == .date)
        #expect(try AggregateKernel.resultType("concat_array", .int) == .text)
        #expect(try AggregateKernel.resultType("spark", .float) == .text)
        #expect(try AggregateKernel.resultType("count_distinct", .text) == .int)
        let sumText = #expect(throws: TallyError.self) { try AggregateKernel.resultType("sum", .text) }
        #expect(sumText?.message == "`sum` expects int or float values, got text")
        #expect(throws: TallyError.self) { try AggregateKernel.resultType("any", .int) }
        #expect(throws: TallyError.self) { try AggregateKernel.resultType("average", .text) }
        #expect(throws: TallyError.self) { try AggregateKernel.resultType("sum", nil) }
        let unknown = #expect(throws: TallyError.self) { try AggregateKernel.resultType("avarage", .int) }
        #expect(unknown?.hint == "did you mean `average`?")
    }

    @Test func badGroupIdsAreErrorsNotCrashes() throws {
        #expect(throws: TallyError.self) { try F.aggregate("sum", Column(ints: [1, 2]), groups: [0, 5], groupCount: 2) }
        #expect(throws: TallyError.self) { try F.aggregate("sum", Column(ints: [1, 2]), groups: [0], groupCount: 1, rows: 2) }
    }

    @Test func pointerAndArrayEntryPointsAgree() throws {
        let ids: [Int32] = [1, 0, 1, 1, 0]
        let viaArray = try AggregateKernel.evaluate("sum", input: Sample.i, rowCount: 5, groups: .ids(ids, count: 2))
        let viaPointer = try ids.withUnsafeBufferPointer {
            try AggregateKernel.evaluate("sum", input: Sample.i, rowCount: 5, groupIDs: $0, groupCount: 2)
        }
        #expect(F.values(viaArray) == F.values(viaPointer))
        #expect(F.values(viaArray) == [.int(7), .int(5)])  // 2 + 5; 1 + 4 (row 2 is null)
    }
}

extension Scalar {
    var asDouble: Double? {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }
}
