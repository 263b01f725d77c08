import Testing
@testable import TallyEngine

/// A `group` body with `sort`, window functions or frames runs for all groups at once; for each
/// group it must give exactly what the same body gives over that group's rows alone. Each case
/// compares `group g (body)` with the bodies run over `filter g == k`, one group at a time, in
/// order of first appearance, on a table with nulls in every column, ties, and groups of one row.
@Suite("Group bodies with sort and windows")
struct GroupBodyTests {
    static let bodies: [String] = [
        "sort x | derive {r = row_number this, rk = rank x, d = rank_dense x}",
        "sort {-x, k} | derive {p = lag 1 y, n = lead 2 y, far = lag 1000 y}",
        "sort id | window rolling:3 (derive {s = sum x, a = average y, lo = min y, hi = max x, c = count this})",
        "sort id | window rows:-2..1 (derive {f = first k, l = last k, c = count x})",
        "sort id | window expanding:true (derive {running = sum y})",
        "sort x | window range:-2..0 (derive {s = sum x, c = count this})",
        "sort {-y} | window range:0..1.5 (derive {s = sum y})",
        "sort x | window rows:1..3 (derive {m = median y})",
        "sort {k, id} | take 2",
        "sort {-x, id} | take 1..3",
        "sort y | take 100",
        "derive {r = row_number this} | filter r <= 2",
        "sort id | filter (lag 1 x) != null | derive {t = sum x}",
        "filter x != null | sort x | derive {g2 = growth y}",
        "sort id | derive {share_x = x / (sum x)} | sort {-share_x, id} | take 2",
        "sort k | sort x | derive {r = row_number this}",
        "take 2 | sort {-id} | derive {r = row_number this}",
        "sort x | select {id, r = row_number this} | filter r > 1",
        "filter x > 5 | sort id | derive {r = row_number this}",
    ]

    static func table(_ n: Int) throws -> Table {
        func values(_ seed: UInt64, _ range: Int64) -> [Int64?] { SortTopNTests.values(n, seed: seed, range: range) }
        return try Table(names: ["g", "k", "x", "y", "id"], columns: [
            Column(ints: values(11, 14)),
            Column(texts: values(12, 5).map { $0.map { "县\($0)" } }),
            Column(ints: values(13, 7)),
            Column(floats: values(14, 9).map { $0.map { Double($0) / 4 } }),
            Column(ints: (0..<n).map { Int64($0) }),
        ])
    }

    static func csv(_ t: Table) -> [String] {
        CSVWriter().string(t).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test(arguments: GroupBodyTests.bodies)
    func eachGroupAsIfAlone(_ body: String) throws {
        let s = Session()
        try s.register(name: "t", table: try GroupBodyTests.table(300))
        let grouped = try s.query("from t | group g (\(body))")
        // The groups in order of first appearance, the null group where it first appears.
        let keys = try s.query("from t | derive {pos = row_number this} | group g (aggregate {first_pos = min pos}) | sort first_pos")
        var expected: [String] = []
        var names: [String]?
        for row in 0..<keys.rowCount {
            let key = keys.columns[0].text(at: row)
            let part = try s.query("from t | filter \(key.map { "g == \($0)" } ?? "g == null") | \(body)")
            // The key comes first when the body does not keep it.
            let prefix = part.names.contains("g") ? "" : (key ?? "") + ","
            names = part.names.contains("g") ? part.names : ["g"] + part.names
            expected.append(contentsOf: GroupBodyTests.csv(part).dropFirst().filter { !$0.isEmpty }.map { prefix + $0 })
        }
        #expect(grouped.names == names, "\(body)")
        #expect(Array(GroupBodyTests.csv(grouped).dropFirst().filter { !$0.isEmpty }) == expected, "\(body)")
        #expect(grouped.rowCount > 0, "\(body)")
    }

    @Test func noRowsGiveTheBodysShape() throws {
        let s = Session()
        try s.register(name: "t", table: try GroupBodyTests.table(50))
        let t = try s.query("from t | filter id < 0 | group g (sort x | derive {r = row_number this, p = lag 1 x})")
        #expect(t.rowCount == 0)
        #expect(t.names == ["g", "k", "x", "y", "id", "r", "p"])
    }

    @Test func everyRowItsOwnGroup() throws {
        let s = Session()
        try s.register(name: "t", table: try GroupBodyTests.table(40))
        let t = try s.query("from t | group id (sort x | derive {r = row_number this, p = lag 1 x, s = sum x}) | sort id")
        #expect((0..<t.rowCount).allSatisfy { t.columns[5].text(at: $0) == "1" && t.columns[6].text(at: $0) == nil })
        #expect(t.rowCount == 40)
    }
}
