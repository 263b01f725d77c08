import Testing
@testable import TallyEngine

/// `count_distinct` over a slice big enough to be sorted a piece per core: values repeated within
/// and across the pieces, the extremes of 64 bits, against a set's count.
@Suite("count_distinct in pieces")
struct CountDistinctTests {
    @Test func sortedRunsCountEachValueOnce() {
        var a: [UInt64] = [1, 3, 3, 9, UInt64.max]
        var b: [UInt64] = [0, 3, 9, 9, 10]
        var c: [UInt64] = []
        let n = a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in CountDistinctKernel.distinctInSortedRuns([a, b, c]) }
            }
        }
        #expect(n == 6)
    }

    @Test func aBigSliceCountsAsASetDoes() {
        var values = (0..<2_100_000).map { i -> UInt64 in
            let v = UInt64((i &* 2_654_435_761) % 1_000_003)
            return i % 97 == 0 ? UInt64.max - v : v << 30
        }
        let expected = Int64(Set(values).count)
        let counted = values.withUnsafeMutableBufferPointer { CountDistinctKernel.parallelDistinct($0) }
        #expect(counted == expected)
    }

    @Test func aQueryOverManyRowsAgreesWithASet() throws {
        let ids: [Int64?] = (0..<1_200_000).map { (i: Int) -> Int64? in
            if i % 11 == 0 { return nil }
            let v: Int = (i * 7_919) % 400_009
            return Int64(v) * 40_000
        }
        let session = Session()
        try session.register(name: "t", table: try Table(names: ["id"], columns: [Column(ints: ids)]))
        let t = try session.query("from t | aggregate {d = count_distinct id}")
        #expect(t[0, "d"] == .int(Int64(Set(ids.compactMap { $0 }).count)))
    }
}
