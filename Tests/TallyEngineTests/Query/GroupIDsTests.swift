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

    /// Many keys numbered in partitions on every core give the ids, count and first rows of one
    /// table over all rows: all keys alike, all distinct, a few hot keys among many, keys that
    /// differ only in their high bits, and the pairs of two wide keys.
    @Test func partitionedNumberingMatchesOneTable() throws {
        let n = PartitionedKeys.minimumRows + 12_345
        var seed: UInt64 = 5
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 11
        }
        let shapes: [[UInt64]] = [
            [UInt64](repeating: 42, count: n),
            (0..<n).map { UInt64($0) &* 7 },
            (0..<n).map { $0 % 5 == 0 ? UInt64($0 % 3) : next() % 50_000 },
            (0..<n).map { UInt64($0 % 1_000) << 44 },
        ]
        for keys in shapes {
            var table = DenseKeyTable(expected: 16)
            table.recordsFirstRows = true
            var expected = [Int32](repeating: 0, count: n)
            var noNulls: Int32 = -1
            keys.withUnsafeBufferPointer { k in
                expected.withUnsafeMutableBufferPointer { table.assign(k, into: $0, nullID: &noNulls) }
            }
            guard Parallel.cores > 1 else { continue }
            let got = try #require(keys.withUnsafeBufferPointer { PartitionedKeys.assign($0) })
            #expect(got.count == Int(table.count))
            #expect(got.ids == expected)
            #expect(got.firstRows == table.firstRows)
        }
        // Through a group-by: one wide int key, and two wide keys combined as pairs.
        let a = Column(.int((0..<n).map { Int64($0 % 70_001) * 1_000_003 }))
        // 70,001 × 97 ids are too many for a direct array: the pairs are hashed.
        let b = Column(.int((0..<n).map { Int64($0 % 97) << 40 }))
        for keys in [[a], [a, b]] {
            let (ids, count, firstRows) = GroupIDs.compute(keys, rowCount: n)
            #expect(count == (keys.count == 1 ? 70_001 : n))
            #expect(firstRows == GroupIDs.firstRows(ids, count))
            #expect(firstRows.prefix(3) == [0, 1, 2])
            #expect(ids[70_001] == (keys.count == 1 ? 0 : 70_001))
        }
        #expect(PartitionedKeys.assign(UnsafeBufferPointer(start: nil, count: 0)) == nil)
    }

    /// Wide keys packed side by side in one integer number the rows exactly as the keys
    /// combined pair by pair: nulls of each key their own value, negative and extreme ints, dates,
    /// text and bools; floats and ranges wider than 64 bits together are not packed.
    @Test func packedKeysMatchPairwise() throws {
        let n = 4_000
        var seed: UInt64 = 21
        func next(_ range: UInt64) -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (seed >> 20) % range
        }
        let wide = Column(ints: (0..<n).map { i -> Int64? in i % 13 == 0 ? nil : Int64(next(300)) * 1_000_000_007 - 150_000_000_000 })
        let text = Column(texts: (0..<n).map { i -> String? in i % 7 == 0 ? nil : ["甲", "乙", "丙"][Int(next(3))] })
        let dates = Column(dates: (0..<n).map { i -> Int32? in i % 11 == 0 ? nil : Int32(next(3)) * 40_000 - 20_000 })
        let flags = Column(bools: (0..<n).map { i -> Bool? in i % 5 == 0 ? nil : next(2) == 0 })
        let keys = [wide, text, dates, flags]
        let packed = try #require(GroupIDs.packed(keys, rowCount: n))
        let numbered = GroupIDs.hashedNumbered(packed)
        var (ids, count) = GroupIDs.dense(keys[0])
        for key in keys.dropFirst() {
            let (other, otherCount) = GroupIDs.dense(key)
            (ids, count) = GroupIDs.combine(ids, count, other, otherCount)
        }
        #expect(numbered.ids == ids)
        #expect(numbered.count == count)
        #expect(numbered.firstRows == GroupIDs.firstRows(ids, count))
        // Through compute, which tries the direct array first and then packs.
        #expect(GroupIDs.compute(keys, rowCount: n).ids == ids)
        #expect(GroupIDs.packed([wide, Column(floats: [1.5])], rowCount: 1) == nil)
        let full = Column(.int([Int64.min, Int64.max]))
        #expect(GroupIDs.packed([full, full], rowCount: 2) == nil)
    }

    /// Many rows and few values number on every core: the ids, in first-appearance order, and
    /// the first rows are those of numbering the rows one by one (a dictionary here), for one
    /// key with nulls, text, and several keys fused.
    @Test func parallelDirectNumberingMatchesOneByOne() {
        let n = 1 << 18 + 4_321
        var seed: UInt64 = 77
        func next(_ range: UInt64) -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (seed >> 20) % range
        }
        // Values that first appear late too: the last value only in the last rows.
        let years = Column(ints: (0..<n).map { i -> Int64? in
            i % 17 == 3 ? nil : (i > n - 100 ? 2030 : 2019 + Int64(next(6)))
        })
        let levels = Column(texts: (0..<n).map { i -> String? in i % 29 == 0 ? nil : ["小学", "初中", "高中", "中职"][Int(next(4))] })
        func oneByOne(_ keys: [Column]) -> (ids: [Int32], first: [Int]) {
            var seen: [String: Int32] = [:]
            var first: [Int] = []
            let ids = (0..<n).map { row -> Int32 in
                let key = keys.map { $0.text(at: row) ?? "∅" }.joined(separator: "|")
                if let id = seen[key] { return id }
                let id = Int32(seen.count)
                seen[key] = id
                first.append(row)
                return id
            }
            return (ids, first)
        }
        for keys in [[years], [levels], [years, levels]] {
            let expected = oneByOne(keys)
            let got = GroupIDs.compute(keys, rowCount: n)
            #expect(got.ids == expected.ids, "\(keys.count) keys")
            #expect(got.count == expected.first.count, "\(keys.count) keys")
            #expect(got.firstRows == expected.first, "\(keys.count) keys")
        }
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
