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

    /// Enough rows for a heap per piece of the rows, on every core: the merged best rows are the
    /// first of the full sort, ties (many equal keys) broken by row as one heap breaks them.
    @Test(arguments: [1, 10, 1_000])
    func theFirstRowsWithAHeapPerPiece(_ limit: Int) {
        let n = 1 << 17 + 3
        let a = Column(ints: SortTopNTests.values(n, seed: 5, range: 40))
        let b = Column(floats: SortTopNTests.values(n, seed: 6, range: 7).map { $0.map { Double($0) / 3 } })
        let keys = [SortPermutation.Key(column: a, descending: false), SortPermutation.Key(column: b, descending: true)]
        let full = SortPermutation.compute(keys, rowCount: n)
        #expect(SortPermutation.compute(keys, rowCount: n, limit: limit) == Array(full.prefix(limit)))
    }

    /// `filter | sort | take` lists the kept rows and gathers only the sort keys' columns for
    /// them: the rows, their order and every column are those of filtering first.
    @Test func filteredSortsMatchFilteringFirst() throws {
        let s = Session()
        let n = 3_000
        try s.register(name: "t", table: try Table(names: ["a", "b", "k", "id"], columns: [
            Column(ints: SortTopNTests.values(n, seed: 7, range: 9)),
            Column(floats: SortTopNTests.values(n, seed: 8, range: 11).map { $0.map { Double($0) / 4 } }),
            Column(texts: SortTopNTests.values(n, seed: 9, range: 6).map { $0.map { "县\($0)" } }),
            Column(ints: (0..<n).map { Int64($0) }),
        ]))
        let queries = [
            "filter a > 3 | sort {-b, k} | take 7",
            "filter a > 3 && k != \"县2\" | sort {k, -(b * 2), id}",
            "filter b != null | sort {-a} | take 100..120",
            "filter (text.length k) == 2 | sort {a} | take 5",
                        "filter a != null | sort {-id} | take 4 | derive {r = row_number this}",
        ]
        func ids(_ t: Table) -> [String?] {
            guard let c = t.names.firstIndex(of: "id") else { return [] }
            return (0..<t.rowCount).map { t.columns[c].text(at: $0) }
        }
        for q in queries {
            let direct = try s.query("from t | \(q)")
            // A derive between the filter and the sort: the filtered rows are copied first.
            let reference = try s.query("from t | \(q.replacingOccurrences(of: "| sort", with: "| derive {z = 0} | sort"))")
            #expect(ids(direct) == ids(reference), "\(q)")
            #expect(direct.rowCount == reference.rowCount && direct.rowCount > 0, "\(q)")
            #expect(GroupBodyTests.csv(direct).first == "a,b,k,id" + (q.contains("row_number") ? ",r" : ""), "\(q)")
        }
        let none = try s.query("from t | filter a > 100 | sort {b} | take 3")
        #expect(none.rowCount == 0 && none.names == ["a", "b", "k", "id"])
        // A filter in front of a join: the sort reads the joined rows.
        try s.register(name: "u", table: try Table(names: ["k", "w"], columns: [
            Column(texts: ["县1", "县3"]), Column(ints: [10, 30]),
        ]))
        let joined = try s.query("from t | join u (==k) | filter w > 10 | sort {-id} | take 2 | select {id, w}")
        #expect(joined.rowCount == 2)
        #expect(TestFiles.cells(joined).allSatisfy { $0[1] == "30" })
    }
}
