import Testing
@testable import TallyEngine

/// Joins and the set operations built on them: edge cases and errors the corpus does not reach.
@Suite("Joins")
struct JoinTests {
    func session() throws -> Session {
        let s = Session()
        try s.register(name: "l", table: try Table(names: ["id", "name"], columns: [
            Column(ints: [1, 2, nil, 2, 5]),
            Column(texts: ["a", "b", "c", "d", "e"]),
        ]))
        try s.register(name: "r", table: try Table(names: ["id", "v"], columns: [
            Column(ints: [2, nil, 2, 1, 9]),
            Column(floats: [20, 0, 21, 10, 90]),
        ]))
        try s.register(name: "e", table: try Table(names: ["id", "w"], columns: [Column(ints: []), Column(texts: [])]))
        return s
    }

    func cells(_ table: Table) -> [[String]] {
        (0..<table.rowCount).map { r in table.columns.map { $0.text(at: r) ?? "null" } }
    }

    func message(_ query: String) throws -> TallyError? {
        do { _ = try session().query(query) } catch let e as TallyError { return e }
        return nil
    }

    @Test func nullKeysNeverMatch() throws {
        let t = try session().query("from l | join side:left r (==id) | select {l.name, r.v}")
        #expect(cells(t) == [["a", "10.0"], ["b", "20.0"], ["b", "21.0"], ["c", "null"], ["d", "20.0"], ["d", "21.0"], ["e", "null"]])
    }

    @Test func innerKeepsLeftOrderAndManyToMany() throws {
        let t = try session().query("from l | join r (==id) | select {l.name, r.v}")
        #expect(cells(t) == [["a", "10.0"], ["b", "20.0"], ["b", "21.0"], ["d", "20.0"], ["d", "21.0"]])
    }

    @Test func rightAndFullAppendUnmatchedRightRows() throws {
        let right = try session().query("from l | join side:right r (==id) | select {l.name, r.v}")
        #expect(cells(right).suffix(2) == [["null", "0.0"], ["null", "90.0"]])
        let full = try session().query("from l | join side:full r (==id) | select {l.name, r.v}")
        #expect(full.rowCount == 9)
    }

    @Test func emptySides() throws {
        let t = try session().query("from l | join side:left e (==id) | select {l.name, e.w}")
        #expect(cells(t).map(\.[1]) == ["null", "null", "null", "null", "null"])
        let u = try session().query("from e | join side:left l (==id) | select {e.w, l.name}")
        #expect(u.rowCount == 0)
        let v = try session().query("from l | join e true | select {l.name}")
        #expect(v.rowCount == 0)
    }

    @Test func intAgainstFloatKeys() throws {
        let t = try session().query("from l | join r (this.id == that.v / 10) | select {l.name, r.v}")
        #expect(cells(t) == [["a", "10.0"], ["b", "20.0"], ["d", "20.0"]])
    }

    @Test func textKeysOnDifferentDictionaries() throws {
        let s = Session()
        try s.register(name: "a", table: try Table(names: ["k"], columns: [Column(texts: ["x", "y", "z", nil])]))
        try s.register(name: "b", table: try Table(names: ["k", "n"], columns: [Column(texts: ["z", "q", "x"]), Column(ints: [1, 2, 3])]))
        let t = try s.query("from a | join side:left b (==k) | select {a.k, b.n}")
        #expect(cells(t) == [["x", "3"], ["y", "null"], ["z", "1"], ["null", "null"]])
    }

    @Test func wideIntegerKeysUseTheHashTable() throws {
        let s = Session()
        try s.register(name: "a", table: try Table(names: ["k"], columns: [Column(ints: [1, 1 << 40, -(1 << 50), 7])]))
        try s.register(name: "b", table: try Table(names: ["k", "n"], columns: [Column(ints: [-(1 << 50), 1 << 40, 3]), Column(ints: [1, 2, 3])]))
        let t = try s.query("from a | join b (==k) | select {b.n}")
        #expect(cells(t) == [["2"], ["1"]])
    }

    @Test func aJoinKeepsBothKeyColumnsUnderQualifiedNames() throws {
        let s = try session()
        let t = try s.query("from l | join r (==id) | sort {l.id, name, v}")
        #expect(t.names == ["l.id", "name", "r.id", "v"])
        #expect(cells(t) == [["1", "a", "1", "10.0"], ["2", "b", "2", "20.0"], ["2", "b", "2", "21.0"],
                             ["2", "d", "2", "20.0"], ["2", "d", "2", "21.0"]])
        // The same under aliases, and the wildcard of one side.
        let u = try s.query("from a = l | join b = r (==id) | select {b.*, a.name} | take 1")
        #expect(u.names == ["id", "v", "name"])
        let w = try s.query("from a = l | join b = r (==id) | select {a.id, b.id} | take 1")
        #expect(w.names == ["a.id", "b.id"])
    }

    @Test func aSelfJoinWithoutAliasesCannotNameItsColumns() throws {
        let e = try message("from l | join l (==id)")
        #expect(e?.message.contains("two columns named `l.id`") == true)
        #expect(e?.hint?.contains("rename one") == true)
        #expect(e?.span != nil)
    }

    @Test func ambiguousBareNameNamesBothSides() throws {
        let e = try message("from l | join r (==id) | select {id}")
        #expect(e?.message.contains("ambiguous") == true)
        #expect(e?.hint?.contains("`l.id`") == true && e?.hint?.contains("`r.id`") == true)
    }

    @Test func unambiguousBareNamesResolve() throws {
        let t = try session().query("from l | join r (==id) | select {name, v} | take 1")
        #expect(cells(t) == [["a", "10.0"]])
    }

    @Test func aliasesQualifyTheRightSide() throws {
        let t = try session().query("from x = l | join y = r (x.id == y.id) | select {x.name, y.v} | take 1")
        #expect(cells(t) == [["a", "10.0"]])
    }

    @Test func badSideIsAnErrorWithHint() throws {
        let e = try message("from l | join side:outer r (==id)")
        #expect(e?.message.contains("inner, left, right, full") == true)
        #expect(e?.span != nil)
    }

    @Test func conditionMustBeBoolean() throws {
        let e = try message("from l | join r (this.id + that.id)")
        #expect(e?.kind == .type)
    }

    @Test func selfEqualityOutsideJoinIsAnError() throws {
        let e = try message("from l | filter (==id)")
        #expect(e?.message.contains("join condition") == true)
    }

    @Test func unknownRightTable() throws {
        let e = try message("from l | join rr (==id)")
        #expect(e?.message.contains("unknown table `rr`") == true)
        #expect(e?.hint?.contains("`r`") == true)
    }

    @Test func intersectAndRemoveCompareWholeRows() throws {
        let i = try session().query("from l | select {id} | intersect (from r | select {id})")
        #expect(cells(i) == [["1"], ["2"], ["2"], ["2"], ["2"]])
        let r = try session().query("from l | select {id} | remove (from r | select {id})")
        #expect(cells(r) == [["null"], ["5"]])
    }

    @Test func appendChecksWidthAndTypes() throws {
        #expect(try message("from l | append r")?.message.contains("text on one side and float") == true)
        #expect(try message("from l | select {id} | append r")?.message.contains("same number of columns") == true)
        let t = try session().query("from l | select {id} | append (from r | select {id})")
        #expect(t.rowCount == 10)
    }

    @Test func loopStopsAtItsLimit() throws {
        let e = try message("from [{n = 1}] | loop (select {n = n + 1})")
        #expect(e?.message.contains("iterations") == true)
        let t = try session().query("from [{n = 1}] | loop (filter n < 3 | select {n = n + 1})")
        #expect(cells(t) == [["1"], ["2"], ["3"]])
    }

    @Test func pruningKeepsEveryColumnLaterStepsUse() throws {
        let plan = try session().explain("from l | join r (==id) | derive {z = v * 2} | select {l.name, z} | sort z")
        let lines = plan.split(separator: "\n").map(String.init)
        let keep = try #require(lines.firstIndex { $0.contains("Keep") })
        // The join gives only what the later steps read: the left name and the right v.
        #expect(lines[keep + 1].hasSuffix("→ name int, v int") || lines[keep + 1].contains("name") && lines[keep + 1].contains("v "),
                "\(plan)")
        #expect(!lines[keep + 1].contains("id"), "\(plan)")
        #expect(lines[keep + 2].contains("Join inner"))
        let t = try session().query("from l | join side:left r (==id) | derive {z = v * 2} | select {l.name, z}")
        #expect(cells(t).map(\.[1]) == ["20.0", "40.0", "42.0", "null", "40.0", "42.0", "null"])
    }

    @Test func hashJoinKeyIDs() {
        let ids = HashJoin.keyIDs([(Column(ints: [5, nil, 6, 7]), Column(ints: [6, 5, nil, 6]))])
        #expect(ids.left == [1, -1, 0, -1])
        #expect(ids.right == [0, 1, -1, 0])
    }

    /// Keys too spread out for a direct array go through the open-addressing map, whose bulk
    /// insert and probe prefetch ahead and split the probe over the cores: every id must be the
    /// one a dictionary gives, nulls -1 on both sides, on more rows than one core's share.
    @Test func wideKeysGetTheIdsADictionaryGives() {
        let n = 300_000
        let spread: Int64 = 1_000_000_007
        let rightKeys: [Int64?] = (0..<n).map { (i: Int) -> Int64? in i % 7 == 3 ? nil : Int64(i % 5_000) * spread }
        let leftKeys: [Int64?] = (0..<n).map { (i: Int) -> Int64? in i % 11 == 5 ? nil : Int64((i * 7) % 6_000) * spread }
        let ids = HashJoin.keyIDs([(Column(ints: leftKeys), Column(ints: rightKeys))])
        var expected: [Int64: Int32] = [:]
        for key in rightKeys {
            guard let key else { continue }
            if expected[key] == nil { expected[key] = Int32(expected.count) }
        }
        #expect(ids.count == expected.count)
        let rightExpected: [Int32] = rightKeys.map { (key: Int64?) -> Int32 in key.flatMap { expected[$0] } ?? -1 }
        let leftExpected: [Int32] = leftKeys.map { (key: Int64?) -> Int32 in key.flatMap { expected[$0] } ?? -1 }
        #expect(ids.right == rightExpected)
        #expect(ids.left == leftExpected)
    }

    /// A row limit refuses past its rows unless a release of kept memory makes room: without a
    /// way to release, its rows are the last word.
    @Test func rowLimitsRefuseUnlessReleaseMakesRoom() throws {
        let refuse: (Int) -> TallyError = { TallyError(.runtime, "\($0) rows") }
        #expect(throws: TallyError.self) { try HashJoin.check(6, HashJoin.RowLimit(rows: 5, exceeded: refuse)) }
        try HashJoin.check(5, HashJoin.RowLimit(rows: 5, exceeded: refuse))
        try HashJoin.check(6, HashJoin.RowLimit(rows: 5, exceeded: refuse, afterRelease: { 8 }))
        #expect(throws: TallyError.self) {
            try HashJoin.check(9, HashJoin.RowLimit(rows: 5, exceeded: refuse, afterRelease: { 8 }))
        }
    }

    /// A right side with one row per key takes the lookup path; the pairs must be the ones the
    /// bucketed path gives, with unmatched and null left keys, inner and left.
    @Test func uniqueRightKeysPairLikeBuckets() throws {
        let ids = HashJoin.KeyIDs(left: [2, -1, 0, 2, -1, 1], right: [1, -1, 2, 0], count: 3)
        #expect(HashJoin.uniqueRows(ids) == [3, 0, 2])
        let inner = try HashJoin.matches(ids)
        #expect(inner.left == [0, 2, 3, 5])
        #expect(inner.right == [2, 3, 2, 0])
        let left = try HashJoin.matches(ids, keepUnmatchedLeft: true)
        #expect(left.left == [0, 1, 2, 3, 4, 5])
        #expect(left.right == [2, -1, 3, 2, -1, 0])
    }

    /// Ids that number a dictionary can outnumber the values in use: two right rows with one id
    /// and an unused id must not be taken for a one-row-per-key side.
    @Test func aRepeatedIdBesideAnUnusedOneIsNotUnique() throws {
        let ids = HashJoin.KeyIDs(left: [0, 1], right: [0, 0], count: 2)
        #expect(HashJoin.uniqueRows(ids) == nil)
        let pairs = try HashJoin.matches(ids)
        #expect(pairs.left == [0, 0])
        #expect(pairs.right == [0, 1])
        // The same through a query: the filter keeps the right dictionary's "b" with no row.
        let s = Session()
        try s.register(name: "a", table: try Table(names: ["k"], columns: [Column(texts: ["x", "y"])]))
        try s.register(name: "b", table: try Table(names: ["k", "n"], columns: [
            Column(texts: ["x", "y", "x"]), Column(ints: [1, 2, 3]),
        ]))
        let t = try s.query("from a | join (from b | filter n != 2) (==k) | select {a.k, n}")
        #expect(cells(t) == [["x", "1"], ["x", "3"]])
    }
}
