import Testing
@testable import TallyEngine

/// The language's rules that the differential corpus cannot pin (they differ from, or go beyond,
/// what prqlc + DuckDB do), and the errors.
@Suite("Query semantics")
struct QuerySemanticsTests {
    func session() throws -> Session {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["k", "x", "y", "s"], columns: [
            Column(texts: ["a", "b", "a", nil]),
            Column(ints: [1, nil, 3, 4]),
            Column(floats: [0.5, 2, nil, 8]),
            Column(texts: ["南宁市", "柳州市", "桂林市", "百色市"]),
        ]))
        return s
    }

    func cells(_ table: Table) -> [[String]] {
        (0..<table.rowCount).map { r in table.columns.map { $0.text(at: r) ?? "null" } }
    }

    @Test func countOfAColumnSkipsNulls() throws {
        let t = try session().query("from t | aggregate {rows = count this, xs = count x}")
        #expect(cells(t) == [["4", "3"]])
    }

    @Test func comparingWithTheNullLiteralTestsForMissingValues() throws {
        let t = try session().query("from t | filter x == null | select {k}")
        #expect(cells(t) == [["b"]])
        let present = try session().query("from t | filter null != x | select {k}")
        #expect(present.rowCount == 3)
        // Any other comparison with a missing value is null, and `filter` drops it.
        let u = try session().query("from t | filter x != 3 | select {x}")
        #expect(cells(u) == [["1"], ["4"]])
        let v = try session().query("from t | derive {e = x == 3, n = x != 3, m = x == null} | select {e, n, m}")
        #expect(cells(v) == [["false", "true", "false"], ["null", "null", "true"], ["true", "false", "false"], ["false", "true", "false"]])
    }

    @Test func twoMissingValuesAreNotEqual() throws {
        let s = Session()
        try s.register(name: "p", table: Table(names: ["a", "b"], columns: [
            Column(texts: [nil, "x", nil]), Column(texts: [nil, "x", "y"]),
        ]))
        let t = try s.query("from p | derive {same = a == b, differ = a != b}")
        #expect(cells(t) == [["null", "null", "null", "null"], ["x", "x", "true", "false"], ["null", "y", "null", "null"]])
        // `filter note != ""` drops the missing notes as well as the empty ones.
        let u = try s.query("from p | filter a != \"\" | select {a}")
        #expect(cells(u) == [["x"]])
    }

    @Test func threeValuedAndOr() throws {
        let t = try session().query("from t | derive {a = x > 2 && true, o = x > 2 || true, f = x > 2 && false} | select {a, o, f}")
        #expect(cells(t) == [["false", "true", "false"], ["null", "true", "false"], ["true", "true", "false"], ["true", "true", "false"]])
    }

    @Test func intervalsMoveDatesAndTimestamps() throws {
        let t = try Session().query("from [{d = @2020-01-31}] | select {a = d + 1months, b = d + 1years + 29days, c = d - 36hours, e = d + 90minutes}")
        #expect(cells(t) == [["2020-02-29 00:00:00", "2021-03-01 00:00:00", "2020-01-29 12:00:00", "2020-01-31 01:30:00"]])
        let e = #expect(throws: TallyError.self) { try Session().query("from [{n = 1}] | derive x = n + 2days") }
        #expect(e?.message == "an interval moves a date or a timestamp, not int")
        #expect(throws: TallyError.self) { try Session().query("from [{n = 1}] | derive x = 2days") }
        let far = #expect(throws: TallyError.self) { try Session().query("from [{d = @2020-01-31}] | derive x = d + 9999999999years") }
        #expect(far?.message.contains("out of range") == true)
    }

    @Test func integerDivisionTruncatesAndRemainderTakesTheDividendsSign() throws {
        let t = try Session().query("from [{a = 1}] | select {q = -13 // 5, r = -13 % 5, p = 13 // -5, s = 7 % -3, f = -13.0 // 5, g = -7.5 % 2}")
        #expect(cells(t) == [["-2", "-3", "-2", "1", "-2.0", "-1.5"]])
    }

    @Test func orderingWithNullIsNullAndFiltersOut() throws {
        let t = try session().query("from t | filter x > 0 | aggregate {n = count this}")
        #expect(cells(t) == [["3"]])
    }

    @Test func divisionByZeroIsNull() throws {
        let t = try session().query("from t | derive {q = x / 0, r = x % 0, d = x // 0} | select {q, r, d} | take 1")
        #expect(cells(t) == [["null", "null", "null"]])
    }

    @Test func slashAlwaysGivesFloat() throws {
        let t = try session().query("from t | derive q = x / 2 | select {q} | take 1")
        #expect(t.columns[0].type == .float)
        #expect(cells(t) == [["0.5"]])
    }

    @Test func integerOverflowIsAnError() throws {
        #expect(throws: TallyError.self) {
            try session().query("from t | derive big = x * 9223372036854775807")
        }
    }

    @Test func emptyInputAggregates() throws {
        let t = try session().query("from t | filter x > 100 | aggregate {s = sum x, n = count this, a = average y, m = max s}")
        #expect(cells(t) == [["0", "0", "null", "null"]])
    }

    @Test func unknownColumnPointsAtIt() throws {
        do {
            _ = try session().query("from t | filter xx > 0")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "unknown column `xx`")
            #expect(error.span == 16..<18)
            #expect(error.hint == "did you mean `x`?")
            #expect(error.rendered().contains("                ^^"))
        }
    }

    @Test func unknownTableSuggests() throws {
        do {
            _ = try session().query("from tt")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "unknown table `tt`")
            #expect(error.hint == "did you mean `t`?")
        }
    }

    @Test func typeErrorsNameTheTypes() throws {
        do {
            _ = try session().query("from t | derive z = k + 1")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "cannot apply `+` to text and int")
        }
    }

    @Test func unknownParameter() throws {
        do {
            _ = try session().query("from t | filter x == $year")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "unknown parameter `$year`")
        }
    }

    @Test func parametersAreTyped() throws {
        let s = try session()
        s.parameters["min"] = "3"
        #expect(cells(try s.query("from t | filter x >= $min | select {x}")) == [["3"], ["4"]])
    }

    @Test func letRelationsScalarsAndFunctions() throws {
        let s = try session()
        _ = try s.run("let big = (from t | filter x > 1)")
        _ = try s.run("let limit = 3")
        _ = try s.run("let double = v -> v * 2")
        let t = try s.query("from big | filter x <= limit | derive {d = double x} | select {x, d}")
        #expect(cells(t) == [["3", "6"]])
    }

    /// A one-step relation needs no pipe (prqlc reads `let t = from x` as a relation too).
    @Test func letOfASingleFromIsARelation() throws {
        let s = try session()
        _ = try s.run("let lit = from [{县 = \"兴宁区\", 人数 = 3}]")
        _ = try s.run("let copy = (from t)")
        #expect(cells(try s.query("from lit | derive {n = 人数 * 2} | select {县, n}")) == [["兴宁区", "6"]])
        #expect(try s.query("from copy").rowCount == s.query("from t").rowCount)
    }

    @Test func failedStatementChangesNothing() throws {
        let s = try session()
        #expect(throws: TallyError.self) { try s.run("let broken = (from t | filter nope)") }
        #expect(!s.catalog.contains("broken"))
    }

    @Test func theSameColumnTwiceIsKeptOnce() throws {
        let t = try session().query("from t | select {k, x, k}")
        #expect(t.names == ["k", "x"])
    }

    @Test func wildcardsSelectEveryColumnOfARelation() throws {
        let t = try session().query("from a = t | select {a.*} | take 1")
        #expect(t.names == ["k", "x", "y", "s"])
        let u = try session().query("from t | select !{this.*}")
        #expect(u.names.isEmpty)
        let distinct = try session().query("from t | select {k} | group {this.*} (take 1)")
        #expect(cells(distinct) == [["a"], ["b"], ["null"]])
        #expect(throws: TallyError.self) { try session().query("from t | select {q.*}") }
    }

    @Test func nameClashSaysHowToRename() throws {
        do {
            _ = try session().query("from t | select {x, x = y}")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "two columns are named `x`")
            #expect(error.hint?.contains("x_2") == true)
        }
    }

    @Test func unnamedComputedColumnsAreNamedFromTheirText() throws {
        let t = try session().query("from t | aggregate {sum x, count this}")
        #expect(t.names == ["sum_x", "count_this"])
    }

    @Test func groupsAppearInFirstAppearanceOrder() throws {
        let t = try session().query("from t | group k (aggregate {n = count this})")
        #expect(cells(t) == [["a", "2"], ["b", "1"], ["null", "1"]])
    }

    @Test func sortIsStableAndNullsLast() throws {
        let t = try session().query("from t | sort {-x} | select {x}")
        #expect(cells(t) == [["4"], ["3"], ["1"], ["null"]])
    }

    @Test func textLengthCountsCharacters() throws {
        let t = try session().query("from t | derive {n = text.length s} | select {n} | take 1")
        #expect(cells(t) == [["3"]])
    }

    @Test func sStringsAreRefused() throws {
        #expect(throws: TallyError.self) { try session().query("from t | derive z = s\"UPPER(k)\"") }
    }

    @Test func lastResultIsUnderscore() throws {
        let s = try session()
        _ = try s.run("from t | filter x > 2")
        #expect(cells(try s.query("from _ | select {x}")) == [["3"], ["4"]])
    }
}
