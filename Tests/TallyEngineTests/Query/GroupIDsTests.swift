import Testing
@testable import TallyEngine

@Suite("Group ids")
struct GroupIDsTests {
    /// The fused multi-key path must number groups exactly as combining the keys pairwise does:
    /// same ids, first-appearance order, nulls as their own value.
    @Test func fusedMatchesPairwise() throws {
        var rng = SystemRandomNumberGenerator()
        let n = 5000
        let years = Column(ints: (0..<n).map { _ in Int.random(in: 0..<10, using: &rng) == 0 ? nil : Int64.random(in: 2019...2025, using: &rng) })
        let levels = Column(texts: (0..<n).map { _ in Int.random(in: 0..<12, using: &rng) == 0 ? nil : ["小学", "初中", "高中"].randomElement(using: &rng) })
        let flags = Column(bools: (0..<n).map { _ in Int.random(in: 0..<5, using: &rng) == 0 ? nil : Bool.random(using: &rng) })
        let keys = [years, levels, flags]
        let fused = try #require(GroupIDs.fusedDirect(keys, rowCount: n))
        var (ids, count) = GroupIDs.dense(keys[0])
        for key in keys.dropFirst() {
            let (other, otherCount) = GroupIDs.dense(key)
            (ids, count) = GroupIDs.combine(ids, count, other, otherCount)
        }
        #expect(fused.0 == ids)
        #expect(fused.1 == count)
    }

    /// The first rows noted while numbering are the ones a separate pass finds, on every path:
    /// one key with and without nulls, fused keys, keys combined pairwise, hashed keys.
    @Test func firstRowsAreNotedOnEveryPath() {
        let n = 3000
        var yearValues: [Int64?] = []
        for i in 0..<n {
            let year: Int = 2019 + (i * 5) % 7
            yearValues.append(i % 13 == 0 ? nil : Int64(year))
        }
        let years = Column(ints: yearValues)
        let plain = Column(ints: (0..<n).map { i -> Int64? in Int64((i * 31) % 50) })
        let step = Int64.max / 64
        let wide = Column(ints: (0..<n).map { i -> Int64? in Int64((i * 17) % 40) * step })
        let floats = Column(floats: (0..<n).map { i -> Double? in Double(i % 23) / 4 })
        let texts = Column(texts: (0..<n).map { i -> String? in i % 5 == 0 ? nil : "县\(i % 9)" })
        let cases: [[Column]] = [[years], [plain], [wide], [floats], [texts], [years, texts], [wide, texts], [wide, floats]]
        for (k, keys) in cases.enumerated() {
            let (ids, count, first) = GroupIDs.compute(keys, rowCount: n)
            #expect(first == GroupIDs.firstRows(ids, count), "case \(k)")
            #expect(first.count == count)
        }
    }

    @Test func wideKeysFallBack() {
        let wide = Column(ints: [0, Int64.max / 2, 5])
        #expect(GroupIDs.fusedDirect([wide, wide], rowCount: 3) == nil)
        let (ids, count, first) = GroupIDs.compute([wide, Column(texts: ["a", "b", "a"])], rowCount: 3)
        #expect(ids == [0, 1, 2])
        #expect(count == 3)
        #expect(first == [0, 1, 2])
    }
}
