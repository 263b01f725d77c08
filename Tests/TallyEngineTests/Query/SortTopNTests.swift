import Testing
@testable import TallyEngine

/// `sort … | take n` orders only the rows it keeps: the same rows, in the same order, as the first
/// n of the full stable sort, with ties, nulls and several keys.
@Suite("Sort then take")
struct SortTopNTests {
    /// Deterministic pseudo-random values (a linear congruential generator).
    static func values(_ count: Int, seed: UInt64, range: Int64) -> [Int64?] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let v = Int64(truncatingIfNeeded: state >> 33) % range
            return v == 0 ? nil : v
        }
    }

    @Test(arguments: [0, 1, 2, 7, 50, 249])
    func theFirstRowsOfTheFullSort(_ limit: Int) {
        let a = Column(ints: SortTopNTests.values(1000, seed: 1, range: 9))
        let b = Column(texts: SortTopNTests.values(1000, seed: 2, range: 5).map { $0.map { "县\($0)" } })
        let keys = [SortPermutation.Key(column: a, descending: true), SortPermutation.Key(column: b, descending: false)]
        let full = SortPermutation.compute(keys, rowCount: 1000)
        #expect(SortPermutation.compute(keys, rowCount: 1000, limit: limit) == Array(full.prefix(limit)))
    }

    @Test func queriesGiveTheSameRowsWithOrWithoutTheLimit() throws {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["a", "b", "id"], columns: [
            Column(ints: SortTopNTests.values(500, seed: 3, range: 4)),
            Column(floats: SortTopNTests.values(500, seed: 4, range: 6).map { $0.map { Double($0) / 2 } }),
            Column(ints: (0..<500).map { Int64($0) }),
        ]))
        func ids(_ q: String) throws -> [String?] {
            let t = try s.query(q)
            return (0..<t.rowCount).map { t.columns[2].text(at: $0) }
        }
        let full = try ids("from t | sort {-a, b}")
        #expect(try ids("from t | sort {-a, b} | take 5") == Array(full.prefix(5)))
        #expect(try ids("from t | sort {-a, b} | take 11..20") == Array(full[10..<20]))
        #expect(try ids("from t | sort {-a, b} | take 0").isEmpty)
        // A window after the top rows still sees their order.
        let ranked = try s.query("from t | sort {a, id} | take 3 | derive {r = row_number this}")
        #expect((0..<3).map { ranked.columns[3].text(at: $0) } == ["1", "2", "3"])
    }
}
