import Testing
@testable import TallyEngine

/// Functions as PRQL has them: named parameters with defaults, functions that return transforms,
/// partial application, pipelines of transforms as values, functions on relations, `into`.
@Suite("User functions")
struct UserFunctionTests {
    func session() throws -> Session {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["id", "city", "score"], columns: [
            Column(ints: [1, 2, 3, 4]),
            Column(texts: ["南宁市", "柳州市", "南宁市", nil]),
            Column(floats: [1600, 1200, nil, 400]),
        ]))
        return s
    }

    func cells(_ table: Table) -> [[String]] {
        (0..<table.rowCount).map { r in table.columns.map { $0.text(at: r) ?? "null" } }
    }

    func run(_ statements: String...) throws -> Table {
        let s = try session()
        for statement in statements.dropLast() { _ = try s.run(statement) }
        return try s.query(statements.last ?? "")
    }

    @Test func aParameterWithADefaultIsNamedOnly() throws {
        let t = try run("let interp = low:0 high x -> (x - low) / (high - low)",
                        "from t | select {a = interp 1600 score, b = interp low:400 1600 score, c = (score | interp 1600)}")
        #expect(cells(t)[0] == ["1.0", "1.0", "1.0"])
        #expect(cells(t)[3] == ["0.25", "0.0", "0.25"])
        let s = try session()
        _ = try s.run("let interp = low:0 high x -> (x - low) / (high - low)")
        let e = #expect(throws: TallyError.self) { try s.query("from t | select {a = interp lo:1 1600 score}") }
        #expect(e?.message == "`interp` has no named parameter `lo`")
        #expect(e?.hint == "call it as `interp low:… high x`")
    }

    @Test func aFunctionThatReturnsATransformIsAStep() throws {
        let t = try run("let top_n = n -> take n", "from t | top_n 2")
        #expect(cells(t).map { $0[0] } == ["1", "2"])
        let sorted = try run("let by = col -> sort {-col}", "from t | by score | select {id}")
        #expect(cells(sorted).map { $0[0] } == ["1", "2", "4", "3"])
        let s = try session()
        _ = try s.run("let top_n = n -> take n")
        let e = #expect(throws: TallyError.self) { try s.query("from t | top_n") }
        #expect(e?.message == "`top_n` needs a value for `n`")
    }

    @Test func partialApplicationAndPipelinesAsValues() throws {
        let t = try run("let top_n = n -> take n", "let top_3 = top_n 3", "from t | top_3")
        #expect(t.rowCount == 3)
        let tidy = try run("let top_n = n -> take n", "let tidy = (top_n 2 | derive {k = 42})", "from t | tidy")
        #expect(cells(tidy) == [["1", "南宁市", "1600.0", "42"], ["2", "柳州市", "1200.0", "42"]])
        let scalar = try run("let add = a b -> a + b", "let add10 = add 10", "from t | select {x = add10 id}")
        #expect(cells(scalar).map { $0[0] } == ["11", "12", "13", "14"])
    }

    @Test func aFunctionOnRelations() throws {
        let t = try run("let distinct = rel -> (from r = _param.rel | group {r.*} (take 1))",
                        "from t | select {city} | distinct")
        #expect(cells(t) == [["南宁市"], ["柳州市"], ["null"]])
    }

    @Test func intoBindsARelation() throws {
        let s = try session()
        #expect(try s.run("from t | filter score > 1000 | into high").table == nil)
        #expect(cells(try s.query("from high | select {id}")) == [["1"], ["2"]])
        #expect(throws: TallyError.self) { try s.run("from t | into") }
    }

    @Test func relationsFromTextAndFilesAnywhere() throws {
        let csv = try Session().query("from_text format:csv \"a,b\\n1,南宁\\n2,\"")
        #expect(cells(csv) == [["1", "南宁"], ["2", "null"]])
        let split = try Session().query(#"from_text format:json '{"columns": ["a", "b"], "data": [[1, "x"], [2]]}'"#)
        #expect(split.names == ["a", "b"])
        #expect(cells(split) == [["1", "x"], ["2", "null"]])
        let objects = try Session().query(#"from_text format:json '[{"a": 1.5}, {"b": true}]'"#)
        #expect(cells(objects) == [["1.5", "null"], ["null", "true"]])
        let appended = try session().query("from t | select {id} | append (from_text \"id\\n9\") | sort -id | take 1")
        #expect(cells(appended) == [["9"]])
        let e = #expect(throws: TallyError.self) { try Session().query("from_text format:xml \"a\"") }
        #expect(e?.message == "unknown argument `format:` of `from_text`")
    }

    @Test func sqlTypeNamesMathConstantsAndTheVersion() throws {
        let t = try Session().query("from [{a = 2}] | select {r = a | as REAL, i = 2.7 | as Integer, v = a | as VARCHAR, p = math.pi, l = math.log 2 8, v2 = prql.version}")
        #expect(cells(t) == [["2.0", "3", "2", "3.141592653589793", "3.0", "0.13"]])  // as DuckDB casts: 2.7 rounds to 3
    }
}
