import Testing
@testable import TallyEngine

@Suite("Dense key table")
struct DenseKeyTableTests {
    /// The ids a plain dictionary gives: each key numbered by its first appearance, nulls sharing
    /// one id handed out where the first null is.
    static func reference(_ keys: [UInt64], nulls: Set<Int>) -> [Int32] {
        var seen: [UInt64: Int32] = [:]
        var nullID: Int32 = -1
        var next: Int32 = 0
        return keys.indices.map { i in
            if nulls.contains(i) {
                if nullID < 0 { nullID = next; next += 1 }
                return nullID
            }
            if let id = seen[keys[i]] { return id }
            seen[keys[i]] = next
            next += 1
            return next - 1
        }
    }

    static func assign(_ keys: [UInt64], validity: Validity? = nil, expected: Int = 1) -> ([Int32], Int32) {
        var table = DenseKeyTable(expected: expected)
        var ids = [Int32](repeating: -7, count: keys.count)
        var nullID: Int32 = -1
        keys.withUnsafeBufferPointer { keys in
            ids.withUnsafeMutableBufferPointer { ids in table.assign(keys, into: ids, nullID: &nullID, validity: validity) }
        }
        return (ids, table.count)
    }

    /// Far more keys than the table starts with, so it grows many times mid-run; keys that collide
    /// in the hash's top bits (multiples of a large power of two) and the extremes of UInt64.
    @Test func growsAndKeepsFirstAppearanceOrder() {
        var rng = SystemRandomNumberGenerator()
        var keys: [UInt64] = (0..<200_000).map { _ in UInt64.random(in: 0..<50_000, using: &rng) }
        keys += (0..<1000).map { UInt64($0) << 40 }
        keys += [0, UInt64.max, UInt64.max, 0, 1 << 63]
        keys.shuffle(using: &rng)
        let (ids, count) = Self.assign(keys)
        let expected = Self.reference(keys, nulls: [])
        #expect(ids == expected)
        #expect(Int(count) == Set(keys).count)
    }

    @Test func nullsShareOneIDGivenWhereTheFirstNullIs() {
        let keys: [UInt64] = [5, 9, 5, 0, 9, 7, 0]
        let flags = [true, true, false, true, false, true, true]
        let (ids, count) = Self.assign(keys, validity: Validity(flags))
        #expect(ids == [0, 1, 2, 3, 2, 4, 3])
        #expect(count == 5)
        #expect(ids == Self.reference(keys, nulls: [2, 4]))
    }

    /// A column of millions of distinct 64-bit values (student ids) groups through the table:
    /// the ids match the dictionary's and the first rows are where each value first appears.
    @Test func wideIntegerKeysGroupThroughTheTable() {
        let values: [Int64] = (0..<300_000).map { 4_501_024_000_000 + Int64(($0 * 7919) % 120_001) }
        let (ids, count, first) = GroupIDs.compute([Column(ints: values)], rowCount: values.count)
        #expect(ids == Self.reference(values.map { UInt64(bitPattern: $0) }, nulls: []))
        #expect(count == 120_001)
        #expect(first.count == count)
        #expect(first.enumerated().allSatisfy { Int(ids[$0.element]) == $0.offset })
        // Two wide keys: pairs numbered in first-appearance order too.
        let other: [Int64] = values.indices.map { Int64($0 % 3) * 10_000_000_000 }
        let (pairIDs, pairCount, _) = GroupIDs.compute([Column(ints: values), Column(ints: other)], rowCount: values.count)
        let pairKeys = zip(values, other).map { UInt64(bitPattern: $0.0 &* 31 &+ $0.1) }
        #expect(pairIDs == Self.reference(pairKeys, nulls: []))
        #expect(pairCount == Set(zip(values, other).map { "\($0.0),\($0.1)" }).count)
    }
}
