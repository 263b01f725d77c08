import Testing
@testable import TallyEngine

/// The sort order, on enough rows that the radix sort runs, against a plain stable sort written
/// out here: keys in both directions, nulls last either way, ties kept in row order, -0.0 equal
/// to 0.0, the extremes of Int64, and text in code-point order.
@Suite("Sort permutation")
struct SortPermutationTests {
    static let n = 20_000

    /// A stable sort of the rows by `keys`, each compared by `compare` (nil for null).
    static func reference(_ columns: [(values: [Double?], descending: Bool)], rowCount: Int) -> [Int] {
        Array(0..<rowCount).sorted { i, j in
            for (values, descending) in columns {
                switch (values[i], values[j]) {
                case (nil, nil): continue
                case (nil, _): return false
                case (_, nil): return true
                case (let a?, let b?):
                    if a != b { return descending ? a > b : a < b }
                }
            }
            return i < j
        }
    }

    @Test(arguments: [false, true])
    func floatsAndIntsInEitherDirection(_ descending: Bool) {
        let a = SortTopNTests.values(SortPermutationTests.n, seed: 21, range: 7)
        let b = SortTopNTests.values(SortPermutationTests.n, seed: 22, range: 1000)
            .map { $0.map { $0 % 3 == 0 ? -Double($0) / 8 : ($0 == 500 ? -0.0 : Double($0) / 8) } }
        let keys = [SortPermutation.Key(column: Column(ints: a), descending: !descending),
                    SortPermutation.Key(column: Column(floats: b), descending: descending)]
        let expected = SortPermutationTests.reference([(a.map { $0.map(Double.init) }, !descending), (b, descending)],
                                                      rowCount: SortPermutationTests.n)
        #expect(SortPermutation.compute(keys, rowCount: SortPermutationTests.n) == expected)
    }

    @Test func textInCodePointOrderThenANumber() {
        let names = ["桂平市", "博白县", "合山市", "Zhou", "apple", "", "隆安县"]
        let codes = SortTopNTests.values(SortPermutationTests.n, seed: 23, range: Int64(names.count + 1))
        let text = codes.map { $0.map { names[Int($0) - 1] } }
        let x = SortTopNTests.values(SortPermutationTests.n, seed: 24, range: 50)
        let keys = [SortPermutation.Key(column: Column(texts: text), descending: true),
                    SortPermutation.Key(column: Column(ints: x), descending: false)]
        let order = names.indices.sorted { names[$0].unicodeScalars.lexicographicallyPrecedes(names[$1].unicodeScalars) }
        var rank = [String: Double]()
        for (r, i) in order.enumerated() { rank[names[i]] = Double(r) }
        let expected = SortPermutationTests.reference([(text.map { $0.flatMap { rank[$0] } }, true), (x.map { $0.map(Double.init) }, false)],
                                                      rowCount: SortPermutationTests.n)
        #expect(SortPermutation.compute(keys, rowCount: SortPermutationTests.n) == expected)
    }

    @Test func theExtremesOfInt64WithAndWithoutNulls() {
        var values: [Int64?] = (0..<SortPermutationTests.n).map { i in [Int64.min, Int64.max, 0, -1, 1][i % 5] }
        let plain = SortPermutation.compute([.init(column: Column(ints: values), descending: false)], rowCount: values.count)
        #expect(plain.map { values[$0] } == values.compactMap { $0 }.sorted())
        // Both extremes and nulls: no integer is left for null, and the comparison sort takes over.
        values[7] = nil
        for descending in [false, true] {
            let order = SortPermutation.compute([.init(column: Column(ints: values), descending: descending)], rowCount: values.count)
            #expect(order == SortPermutationTests.reference([(values.map { $0.map(Double.init) }, descending)], rowCount: values.count))
            #expect(order.last == 7)
        }
    }

    @Test func segmentsSortOnTheirOwn() {
        let x = SortTopNTests.values(1000, seed: 25, range: 9)
        let starts = [0, 1, 1, 300, 999, 1000]
        let keys = [SortPermutation.Key(column: Column(ints: x), descending: true)]
        let sorted = SortPermutation.sortSegments(Array(0..<1000), starts: starts, keys: keys, limit: nil)
        #expect(sorted.starts == starts)
        for s in 0..<(starts.count - 1) {
            let rows = Array(starts[s]..<starts[s + 1])
            let expected = rows.sorted { i, j in
                switch (x[i], x[j]) {
                case (nil, nil): return i < j
                case (nil, _): return false
                case (_, nil): return true
                case (let a?, let b?): return a != b ? a > b : i < j
                }
            }
            #expect(Array(sorted.rows[starts[s]..<starts[s + 1]]) == expected)
        }
        let top = SortPermutation.sortSegments(Array(0..<1000), starts: starts, keys: keys, limit: 2)
        #expect(top.starts == [0, 1, 1, 3, 5, 6])
        #expect(Array(top.rows[1..<3]) == Array(sorted.rows[1..<3]))
    }

    /// Many short segments (0 to 40 rows: the insertion sort and the longer sort both), floats
    /// with ties and nulls, rows not in order inside a segment: each segment as the comparator
    /// orders it, ties by row number.
    @Test func shortSegmentsSortLikeTheComparator() {
        var starts = [0]
        var n = 0
        while n < 20_000 { n += starts.count % 41; starts.append(n) }
        let x: [Double?] = (0..<n).map { (i: Int) -> Double? in
            if i % 13 == 0 { return nil }
            let v: Int = (i * 7919) % 11
            return Double(v) / 2
        }
        // Each segment's rows reversed, so the row number that breaks ties is not their position.
        var rows: [Int] = []
        for s in 0..<(starts.count - 1) { rows += (starts[s]..<starts[s + 1]).reversed() }
        for descending in [false, true] {
            let keys = [SortPermutation.Key(column: Column(floats: x), descending: descending)]
            let precedes = SortPermutation.Comparator(keys).precedes
            let sorted = SortPermutation.sortSegments(rows, starts: starts, keys: keys, limit: nil)
            #expect(sorted.starts == starts)
            for s in 0..<(starts.count - 1) {
                let segment = Array(rows[starts[s]..<starts[s + 1]])
                #expect(Array(sorted.rows[starts[s]..<starts[s + 1]]) == segment.sorted(by: precedes))
            }
        }
    }
}
