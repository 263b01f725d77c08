import Testing
@testable import TallyEngine

/// Filters with several conjuncts, comparisons with constants on either side, functions and
/// aggregates keep exactly the rows where the whole condition is true, nulls dropping a row as in
/// SQL's WHERE. The reference is the same condition computed as a column first
/// (`derive {f = …} | filter f == true`), so a rewrite of either path is checked against the other.
@Suite("Filters with several conjuncts")
struct FilterSelectionTests {
    static let conditions: [String] = [
        "x > 3",
        "3 < x",
        "x >= 2 && k == \"县3\"",
        "k != \"县1\" && y <= 1.5 && x != 4",
        "y > 1 && x > 0.5",
        "x == 2 && (text.contains \"2\" k)",
        "x > 1 && y > (average y)",
        "(x > 5 || y < 1) && k >= \"县2\"",
        "id < 50 && id >= 40 && x != null",
        "x > 100 && y > 0",
        "g == 3 && x < 3 && k < \"县5\" && y != 0.5",
    ]

    @Test(arguments: FilterSelectionTests.conditions)
    func keepsWhatTheWholeConditionKeeps(_ condition: String) throws {
        let s = Session()
        try s.register(name: "t", table: try GroupBodyTests.table(2000))
        let fused = try s.query("from t | filter \(condition) | select {id}")
        let whole = try s.query("from t | derive {f = \(condition)} | filter f == true | select {id}")
        #expect(GroupBodyTests.csv(fused) == GroupBodyTests.csv(whole), "\(condition)")
    }

    @Test func nullsInEitherConjunctDropTheRow() throws {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["a", "b"], columns: [
            Column(ints: [1, nil, 3, 4, nil]), Column(texts: ["甲", "乙", nil, "甲", "甲"]),
        ]))
        let t = try s.query("from t | filter a > 0 && b == \"甲\"")
        #expect(TestFiles.cells(t) == [["1", "甲"], ["4", "甲"]])
    }
}
