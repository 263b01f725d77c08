import Testing
@testable import TallyEngine

/// Filters run through selection vectors (`RowSelection`, `RowTest`) on a table long enough to be
/// cut into several pieces and many blocks, with nulls in every column, NaN among the floats and
/// every type a comparison with a constant has a test for. The reference is the condition
/// computed as a column of flags (`derive {f = …} | filter f == true`), which takes the flags
/// path, so the two evaluations of the same condition are checked against each other.
@Suite("Filters through selection vectors")
struct RowSelectionTests {
    /// More rows than `16 * RowSelection.block`, and not a multiple of a block.
    static let rows = 16 * RowSelection.block + 4_321

    static let table: Table = {
        let n = rows
        func pick(_ i: Int, _ seed: Int, _ range: Int) -> Int { (i &* 2_654_435_761 &+ seed &* 40_503) % range }
        let ids = (0..<n).map { Int64($0) }
        let x: [Int64?] = (0..<n).map { $0 % 7 == 3 ? nil : Int64(pick($0, 1, 20)) }
        let y: [Double?] = (0..<n).map { i in
            if i % 13 == 5 { return nil }
            if i % 11 == 2 { return .nan }
            return Double(pick(i, 2, 40)) / 4 - (i % 17 == 0 ? 0.0 : 0.5)
        }
        let k: [String?] = (0..<n).map { $0 % 9 == 4 ? nil : ["县1", "县2", "县10", "乡", "", "a"][pick($0, 3, 6)] }
        let d: [Int32?] = (0..<n).map { $0 % 19 == 7 ? nil : Int32(18_600 + pick($0, 4, 400)) }
        let flag: [Bool?] = (0..<n).map { $0 % 23 == 1 ? nil : pick($0, 5, 3) == 0 }
        let ts = (0..<n).map { Int64(pick($0, 6, 1000)) * 3_600_000_000 + 1_600_000_000_000_000 }
        return try! Table(names: ["id", "x", "y", "k", "d", "flag", "ts"], columns: [
            Column(.int(ids)), Column(ints: x), Column(floats: y), Column(texts: k), Column(dates: d),
            Column(bools: flag), Column(.timestamp(ts)),
        ])
    }()

    static let conditions: [String] = [
        "x > 10",
        "x == 0",
        "x != 5 && x <= 15",
        "7 >= x && y < 3.5",
        "x > 2.5",
        "y == 0 || x == 1",
        "y != 2 && k != \"县1\"",
        "y >= -0.5 && y < 0",
        "y > 4",
        "k == \"县10\" && x >= 1 && y > 1",
        "k < \"县2\" && k != \"\"",
        "k == \"不存在\"",
        "d >= @2021-01-01 && d < @2021-03-01",
        "ts > @2020-10-01T00:00 && x == 3",
        "flag && x < 10",
        "flag == true",
        "(x | in 3..9)",
        "(x | in 15..) && y < 2",
        "(y | in ..1.5)",
        "x == null",
        "x != null && y == null",
        "k == null || d == null",
        "id >= 40000 && id < 40010",
        "id > 1000000",
        "x > 10 && (text.length k) == 2",
        "x < 4 && id % 3 == 0 && k != \"乡\"",
    ]

    @Test(arguments: RowSelectionTests.conditions)
    func keepsWhatTheFlagsKeep(_ condition: String) throws {
        let s = Session()
        try s.register(name: "t", table: RowSelectionTests.table)
        let selected = try s.query("from t | filter \(condition) | select {id}")
        let flagged = try s.query("from t | derive {f = (\(condition))} | filter f == true | select {id}")
        #expect(selected.rowCount == flagged.rowCount, "\(condition)")
        #expect(GroupBodyTests.csv(selected) == GroupBodyTests.csv(flagged), "\(condition)")
    }

    /// The tests on their own: every row in order, nothing for none, nil for all.
    @Test func selectKeepsRowsInOrderAcrossPiecesAndBlocks() {
        let n = RowSelectionTests.rows
        let values = (0..<n).map { Int64($0 % 1000) }
        let kept = RowSelection.select([.int(values, .lt, 3)], count: n)
        let expected = (0..<n).filter { $0 % 1000 < 3 }
        #expect(kept == expected)
        #expect(RowSelection.select([.int(values, .ge, 0)], count: n) == nil)
        #expect(RowSelection.select([.int(values, .gt, 5000)], count: n) == [])
        #expect(RowSelection.select([.none], count: 10) == [])
        // A second test sees only the rows the first kept.
        let odd = (0..<n).map { $0 % 2 == 1 }
        let both = RowSelection.select([.int(values, .lt, 3), .flags(odd)], count: n)
        #expect(both == expected.filter { $0 % 2 == 1 })
    }

    @Test func nullRowsAreNeverKept() throws {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["a", "b", "c"], columns: [
            Column(ints: [1, nil, 3, 4, nil, 6]), Column(texts: ["甲", "乙", nil, "甲", "甲", "甲"]),
            Column(bools: [true, true, true, nil, true, false]),
        ]))
        #expect(TestFiles.cells(try s.query("from t | filter a > 0 && b == \"甲\" && c")) == [["1", "甲", "true"]])
        #expect(TestFiles.cells(try s.query("from t | filter a == null | select {b}")) == [["乙"], ["甲"]])
        #expect(TestFiles.cells(try s.query("from t | filter b != null && c != null | select {a}")) == [["1"], ["null"], ["null"], ["6"]])
    }

    /// A conjunct evaluated the ordinary way still reports its error, at its place in the query.
    @Test func otherConjunctsStillReportTheirErrors() throws {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["a", "b"], columns: [
            Column(ints: [1, 2, 3]), Column(texts: ["1", "x", "3"]),
        ]))
        let error = #expect(throws: TallyError.self) { try s.query("from t | filter a > 5 && (b | as int) > 0") }
        #expect(error?.message == "cannot convert text 'x' to int with `as int`")
    }
}
