import Foundation
import Testing
@testable import TallyEngine

/// The logical plan: what the resolver builds from schemas, what the rewrites make of it, and that
/// running it gives the answers the language defines.
@Suite("Logical plan")
struct PlanTests {
    static func session() throws -> Session {
        let session = Session()
        try session.register(name: "aid", table: Table(names: ["county_code", "year", "amount"], columns: [
            Column(ints: [1, 1, 2, 2, 3, 3]), Column(ints: [2022, 2023, 2022, 2023, 2022, 2023]),
            Column(ints: [10, 20, 30, 40, 50, 60]),
        ]))
        try session.register(name: "counties", table: Table(names: ["county_code", "county", "key"], columns: [
            Column(ints: [1, 2, 4]), Column(texts: ["隆安县", "马山县", "上林县"]), Column(bools: [true, false, true]),
        ]))
        return session
    }

    func table(_ session: Session, _ query: String) throws -> Table {
        guard let table = try session.run(query).table else {
            Issue.record("no table for \(query)")
            return .empty
        }
        return table
    }

    @Test func explainPrintsTheTreeWithColumnsAndTypes() throws {
        let plan = try PlanTests.session().explain("from aid | filter year == 2023 | select {county_code, amount}")
        #expect(plan == """
            Project select {county_code, amount}
            │   → county_code int, amount int
            └── Keep 2 columns
                │   → county_code int, amount int
                └── Filter year == 2023
                    │   → county_code int, year int, amount int
                    └── Scan aid
                            → county_code int, year int, amount int
            """)
    }

    @Test func constantsAreFoldedAndConjunctsPushedIntoTheJoinSides() throws {
        let session = try PlanTests.session()
        let query = "from aid | join c = counties (==county_code) | filter c.key && year == 2020 + 3 | select {county, amount}"
        let plan = try session.explain(query)
        let lines = plan.split(separator: "\n").map(String.init)
        let join = try #require(lines.firstIndex { $0.contains("Join inner") })
        // Both terms moved below the join, each to the side it reads, the sum computed once.
        #expect(lines[(join + 1)...].contains { $0.contains("Filter year == 2023") })
        #expect(lines[(join + 1)...].contains { $0.contains("Filter key") })
        #expect(!lines[..<join].contains { $0.contains("Filter") })
        #expect(TestFiles.cells(try table(session, query)) == [["隆安县", "20"]])
    }

    @Test func aFilterOnTheNullSideOfALeftJoinStaysAboveIt() throws {
        let session = try PlanTests.session()
        let query = "from aid | join side:left c = counties (==county_code) | filter c.county == null | select {county_code = aid.county_code, amount}"
        let lines = try session.explain(query).split(separator: "\n").map(String.init)
        let join = try #require(lines.firstIndex { $0.contains("Join left") })
        #expect(lines[..<join].contains { $0.contains("Filter county == null") })
        #expect(TestFiles.cells(try table(session, query)) == [["3", "50"], ["3", "60"]])
    }

    @Test func projectionPushdownNarrowsTheJoin() throws {
        let session = try PlanTests.session()
        let query = "from aid | join c = counties (==county_code) | group c.county (aggregate {total = sum amount})"
        let plan = try session.explain(query)
        #expect(plan.contains("Keep 2 columns"), "\(plan)")
        #expect(TestFiles.cells(try table(session, query)) == [["隆安县", "30"], ["马山县", "70"]])
    }

    @Test func explainShowsABracketedValueWithItsClosingBracket() throws {
        let plan = try PlanTests.session().explain("from aid | derive {g = (amount - amount % 7)} | derive h = (year + 1)")
        #expect(plan.contains("derive {g = (amount - amount % 7)}"), "\(plan)")
        #expect(plan.contains("derive {h = (year + 1)}"), "\(plan)")
    }

    @Test func aSortGathersOnlyTheColumnsUsedAfterIt() throws {
        let session = try PlanTests.session()
        let query = "from aid | sort {-amount} | derive {r = row_number this} | select {r, year}"
        let lines = try session.explain(query).split(separator: "\n").map(String.init)
        let sort = try #require(lines.firstIndex { $0.contains("Sort {-amount}") })
        // Below the sort, the scan is narrowed to the key and the one column read later.
        #expect(lines[(sort + 1)...].contains { $0.contains("Keep 2 columns") }, "\(lines)")
        #expect(lines[sort + 1].contains("amount int") && !lines[sort + 1].contains("county_code"), "\(lines)")
        #expect(TestFiles.cells(try table(session, query)) == [["1", "2023"], ["2", "2022"], ["3", "2023"], ["4", "2022"],
                                                                ["5", "2023"], ["6", "2022"]])
    }

    @Test func aGroupBodyGetsOnlyTheColumnsUsedAfterIt() throws {
        let session = try PlanTests.session()
        let query = "from aid | derive {twice = amount * 2} | group county_code (sort year | derive {p = lag 1 amount}) | aggregate {s = sum p}"
        let plan = try session.explain(query)
        // The body's rows are the key and what the body and the aggregate read (`year`, `amount`), not `twice`.
        #expect(plan.contains("Keep 3 columns"), "\(plan)")
        #expect(TestFiles.cells(try table(session, query)) == [["90"]])
        // A step that needs every column keeps them all.
        let all = try session.explain("from aid | group county_code (sort year | take 1) | append (from aid | take 1)")
        #expect(!all.contains("Keep"), "\(all)")
    }

    @Test func groupedDeriveRunsPartitionedWithPerGroupAggregates() throws {
        let session = try PlanTests.session()
        let shares = try table(session, "from aid | group county_code (derive {share = amount / (sum amount)}) | select {county_code, year, share}")
        #expect(TestFiles.cells(shares) == [
            ["1", "2022", "0.3333333333333333"], ["1", "2023", "0.6666666666666666"],
            ["2", "2022", "0.42857142857142855"], ["2", "2023", "0.5714285714285714"],
            ["3", "2022", "0.45454545454545453"], ["3", "2023", "0.5454545454545454"],
        ])
        let top = try table(session, "from aid | group year (sort -amount | take 2) | select {year, amount}")
        #expect(TestFiles.cells(top) == [["2022", "50"], ["2022", "30"], ["2023", "60"], ["2023", "40"]])
        let above = try table(session, "from aid | group year (filter (amount > (average amount))) | select {year, amount}")
        #expect(TestFiles.cells(above) == [["2022", "50"], ["2023", "60"]])
        // A body with a window function runs group by group, with the same result shape.
        let ranked = try table(session, "from aid | group year (sort amount | derive {r = row_number this}) | select {year, amount, r}")
        #expect(TestFiles.cells(ranked) == [["2022", "10", "1"], ["2022", "30", "2"], ["2022", "50", "3"],
                                            ["2023", "20", "1"], ["2023", "40", "2"], ["2023", "60", "3"]])
    }

    /// A CSV larger than a sample, with a column of numbers that turns to text near its end.
    static func largeFile(textAt row: Int?) -> String {
        var text = "id,code,amount\n"
        for i in 0..<30_000 {
            let code = i == row ? "X12" : String(i % 97)
            text += "\(i),\(code),\(i * 3)\n"
        }
        return TestFiles.write("large.csv", text)
    }

    @Test func aMisspeltColumnInTheLastStepIsReportedWithoutReadingTheFile() throws {
        let path = PlanTests.largeFile(textAt: nil)
        let session = Session()
        try session.register(name: "big", path: path)
        let loads = LoadCounter()
        session.catalog.onLoad = { _ in loads.add() }
        let query = "from big | filter amount > 10 | derive twice = amount * 2 | sort -twice | select {id, twcie}"
        #expect(throws: TallyError.self) { try session.run(query) }
        do {
            _ = try session.run(query)
        } catch let error as TallyError {
            #expect(error.kind == .name)
            #expect(error.message == "unknown column `twcie`")
            #expect(error.hint == "did you mean `twice`?")
            let start = query.utf8.count - "twcie}".utf8.count
            #expect(error.span == start..<(start + 5))
        }
        #expect(loads.count == 0)
        let result = try table(session, "from big | filter amount > 10 | sort -amount | select {id} | take 1")
        #expect(TestFiles.cells(result) == [["29999"]])
        #expect(loads.count == 1)
    }

    @Test func aTypeTheSampleMissedIsFoundAndTheQueryResolvedAgain() throws {
        let session = Session()
        try session.register(name: "codes", path: PlanTests.largeFile(textAt: 29_000))
        // The sample's rows hold numbers only; the whole column is text.
        let first = try table(session, "from codes | select {code} | take 2")
        #expect(first.columns[0].type == .text)
        #expect(TestFiles.cells(first) == [["0"], ["1"]])
        let other = Session()
        try other.register(name: "codes", path: PlanTests.largeFile(textAt: 29_500))
        // Resolved against the sample this compares a number with text; against the file it is fine.
        #expect(TestFiles.cells(try table(other, "from codes | filter code == \"X12\" | select {id}")) == [["29500"]])
    }

    @Test func readCSVGivesItsSchemaFromASampleAndChecksItAgainstTheLoad() throws {
        let path = PlanTests.largeFile(textAt: 29_900)
        let session = Session()
        let result = try table(session, "from (read_csv \"\(path)\") | filter code == \"X12\" | select {id, code}")
        #expect(TestFiles.cells(result) == [["29900", "X12"]])
        let numbers = try table(session, "from (read_csv \"\(PlanTests.largeFile(textAt: nil))\") | aggregate {n = count this, top = max code}")
        #expect(TestFiles.cells(numbers) == [["30000", "96"]])
    }

    @Test func everyErrorOfAQueryComesBeforeAnyStepRuns() throws {
        let session = try PlanTests.session()
        // A `loop` that would never end and a type error after it: the type error is what is reported.
        do {
            _ = try session.run("from [{n = 1}] | loop (select {n = n + 1}) | filter n == \"x\"")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.kind == .type)
            #expect(error.message.contains("cannot apply `==` to int and text"), "\(error.message)")
        }
    }
}

extension PlanTests {
    @Test func aLetRelationIsAPlanUntilItIsUsed() throws {
        let session = Session()
        try session.register(name: "big", path: PlanTests.largeFile(textAt: nil))
        let loads = LoadCounter()
        session.catalog.onLoad = { _ in loads.add() }
        _ = try session.run("let recent = (from big | filter id >= 29990 | select {id, amount})")
        #expect(loads.count == 0)
        #expect(session.catalog.entry("recent")?.table == nil)
        // Its columns are known without its rows.
        #expect(session.columns(ofTable: "recent") == nil || session.columns(ofTable: "recent")?.count == 2)
        let tables = try session.tablesTable()
        let row = try #require((0..<tables.rowCount).first { tables[$0, "name"] == .text("recent") })
        #expect(tables[row, "rows"] == .null)
        #expect(tables[row, "source"] == .text("let"))
        // Used: computed once, then kept.
        #expect(TestFiles.cells(try table(session, "from recent | aggregate {n = count this}")) == [["10"]])
        #expect(loads.count == 1)
        #expect(session.catalog.entry("recent")?.table?.rowCount == 10)
        #expect(TestFiles.cells(try table(session, "from recent | sort -id | take 1 | select {id}")) == [["29999"]])
    }

    @Test func aLetIsCheckedWhenDeclaredAndMayReuseItsOwnName() throws {
        let session = try PlanTests.session()
        do {
            _ = try session.run("let bad = (from aid | select {amont})")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "unknown column `amont`")
        }
        #expect(!session.catalog.contains("bad"))
        _ = try session.run("let aid = (from aid | filter year == 2023)")
        _ = try session.run("let aid = (from aid | filter amount > 25)")
        #expect(TestFiles.cells(try table(session, "from aid | select {amount}")) == [["40"], ["60"]])
    }
}

/// Counts calls from the catalog's load hook.
final class LoadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
