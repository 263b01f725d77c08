import Testing
@testable import TallyEngine

/// The pieces that move rows for sorts and group bodies, at sizes where they split the work among
/// the cores, against plain loops: a gather by a random permutation, a group layout, keys spread
/// over their groups' rows.
@Suite("Moving rows")
struct RowMovementTests {
    static func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<n)
        var state = seed
        for i in stride(from: n - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        return order
    }

    @Test func gatherByARandomPermutationMatchesALoop() {
        let n = Column.parallelGather + 777
        let order = RowMovementTests.permutation(n, seed: 3)
        let ints = (0..<n).map { Int64($0) * 3 - 7 }
        let texts = (0..<n).map { $0 % 5 == 0 ? nil : "县\($0 % 13)" }
        let intColumn = Column(.int(ints))
        let textColumn = Column(texts: texts)
        let gathered = intColumn.gather(order)
        guard case .int(let got) = gathered.values else { Issue.record("not ints"); return }
        #expect(got == order.map { ints[$0] })
        let gatheredText = textColumn.gather(order)
        #expect((0..<n).allSatisfy { gatheredText.text(at: $0) == texts[order[$0]] })
        // Short, empty and repeated selections.
        #expect(intColumn.gather([]).count == 0)
        guard case .int(let few) = intColumn.gather([5, 5, 0]).values else { return }
        #expect(few == [ints[5], ints[5], ints[0]])
    }

    @Test func layoutIsTheStableOrderByGroup() {
        for (n, groups) in [(1 << 18 + 5, 1_000), (1 << 18 + 5, 1), (300, 7), (1 << 18, 1 << 16)] {
            var state: UInt64 = UInt64(n + groups)
            let ids: [Int32] = (0..<n).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int32((state >> 33) % UInt64(groups))
            }
            let segments = Segments(layout: ids, count: groups)
            let expected = (0..<n).sorted { ids[$0] != ids[$1] ? ids[$0] < ids[$1] : $0 < $1 }
            #expect(segments.layout == expected, "\(n) rows, \(groups) groups")
            var sizes = [Int](repeating: 0, count: groups)
            for id in ids { sizes[Int(id)] += 1 }
            var starts = [0]
            for g in 0..<groups { starts.append(starts[g] + sizes[g]) }
            #expect(segments.starts == starts, "\(n) rows, \(groups) groups")
        }
    }

    /// The in-place quicksort of a segment's (key, row) pairs gives the order by key then row:
    /// sizes around the insertion-sort cut, many equal keys, sorted and reversed input.
    @Test func segmentPairsSortByKeyThenRow() {
        var state: UInt64 = 11
        for n in [0, 1, 2, 23, 24, 25, 93, 500, 4_096] {
            for shape in 0..<4 {
                var pairs: [(key: UInt64, row: Int)] = (0..<n).map { i in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    switch shape {
                    case 0: return (state >> 20, i)
                    case 1: return ((state >> 20) % 3, n - i)
                    case 2: return (UInt64(i), i)
                    default: return (UInt64(n - i), i)
                    }
                }
                let expected = pairs.sorted { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
                SortPermutation.sortPairs(&pairs)
                #expect(pairs.map(\.key) == expected.map(\.key), "\(n) pairs, shape \(shape)")
                #expect(pairs.map(\.row) == expected.map(\.row), "\(n) pairs, shape \(shape)")
            }
        }
    }

    @Test func keysSpreadOverTheirGroupsRows() {
        let keys = Column(texts: ["甲", nil, "丙", "丁"])
        let spread = keys.repeating([2, 1, 0, 3], counts: [2, 3, 0, 1])
        #expect((0..<spread.count).map { spread.text(at: $0) } == ["丙", "丙", nil, nil, nil, "丁"])
        let ints = Column(.int([10, 20, 30])).repeating([1, 0], counts: [1, 2])
        guard case .int(let values) = ints.values else { Issue.record("not ints"); return }
        #expect(values == [20, 10, 10])
    }

    @Test func aColumnSharesStorageOnlyWithItself() {
        let a = Column(.float([1, 2, 3]))
        let copy = Column(.float([1, 2, 3]))
        #expect(a.sharesStorage(with: a))
        #expect(!a.sharesStorage(with: copy))
        #expect(!a.sharesStorage(with: a.gather([0, 1, 2])))
        let nullable = Column(floats: [1, nil, 3])
        #expect(nullable.sharesStorage(with: nullable))
    }

    /// A group body sorting by a column it keeps: the column and the sort key are gathered once,
    /// and a window over that order still sees the sorted values.
    @Test func sortedGroupBodyKeepsItsOrderForWindows() throws {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["g", "v"], columns: [
            Column(.int([1, 2, 1, 2, 1])), Column(.float([5, 4, 3, 2, 1])),
        ]))
        let t = try s.query("from t | group g (sort v | derive {prev = lag 1 v, r = row_number this})")
        #expect(TestFiles.cells(t) == [
            ["1", "1.0", "null", "1"], ["1", "3.0", "1.0", "2"], ["1", "5.0", "3.0", "3"],
            ["2", "2.0", "null", "1"], ["2", "4.0", "2.0", "2"],
        ])
    }
}
