import Testing
@testable import TallyEngine

/// Large inputs accumulate in row ranges on several cores; the answers must be the serial ones.
@Suite("Aggregates in parallel")
struct AggregateParallelTests {
    static let rows = 3_000_000
    static let groupCount = 7

    /// A deterministic pseudo-random stream (xorshift), so failures reproduce.
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
    }

    struct Data {
        let ids: [Int32]
        let ints: Column
        let floats: Column
        let texts: Column
        let bools: Column
        let dates: Column
    }

    static let data: Data = {
        var r = Stream(state: 0x9E37_79B9_7F4A_7C15)
        var ids = [Int32](repeating: 0, count: rows)
        var ints = [Int64](repeating: 0, count: rows)
        var floats = [Double](repeating: 0, count: rows)
        var codes = [UInt32](repeating: 0, count: rows)
        var bools = [Bool](repeating: false, count: rows)
        var dates = [Int32](repeating: 0, count: rows)
        var valid = Validity(count: rows, allValid: true)
        for i in 0..<rows {
            let x = r.next()
            ids[i] = Int32(x % UInt64(groupCount))
            ints[i] = Int64(x >> 40) - 8_000_000
            floats[i] = Double(Int64(x >> 33) - 500_000_000) / 1000
            codes[i] = UInt32((x >> 20) % 500)
            bools[i] = (x >> 7) & 1 == 1
            dates[i] = Int32((x >> 24) % 20_000)
            if x % 17 == 0 { valid.clear(i) }
        }
        let dictionary = TextDictionary((0..<500).map { "县\($0)" })
        return Data(ids: ids, ints: Column(.int(ints), validity: valid), floats: Column(.float(floats), validity: valid),
                    texts: Column(.text(codes: codes, dictionary: dictionary), validity: valid),
                    bools: Column(.bool(bools), validity: valid), dates: Column(.date(dates), validity: valid))
    }()

    func run(_ name: String, _ input: Column?, grouped: Bool, threshold: Int, _ parameters: [Scalar] = []) throws -> [Scalar] {
        let data = Self.data
        if !grouped {
            return F.values(try AggregateKernel.evaluate(name, input: input, rowCount: Self.rows, groupIDs: nil, groupCount: 1,
                                                         parameters: parameters, parallelThreshold: threshold))
        }
        return try data.ids.withUnsafeBufferPointer { ids in
            F.values(try AggregateKernel.evaluate(name, input: input, rowCount: Self.rows, groupIDs: ids,
                                                  groupCount: Self.groupCount, parameters: parameters,
                                                  parallelThreshold: threshold))
        }
    }

    @Test func contextSplitsOnlyLargeInputsWithFewGroups() {
        #expect(AggregateContext(rows: 3_000_000, ids: nil, groupCount: 1, threshold: 1 << 20).chunks.count == 8)
        #expect(AggregateContext(rows: 1000, ids: nil, groupCount: 1, threshold: 1 << 20).chunks.count == 1)
        #expect(AggregateContext(rows: 3_000_000, ids: nil, groupCount: 1_000_000, threshold: 1 << 20).chunks.count == 1)
        let chunks = AggregateContext(rows: 1001, ids: nil, groupCount: 1, threshold: 0).chunks
        #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == 1001 && chunks.count == 8)
    }

    /// Integers, counts, extremes, bools, first/last: parallel and serial agree exactly.
    @Test(arguments: ["sum", "count", "min", "max", "any", "all", "first", "last", "count_distinct", "median"])
    func exactAggregatesMatchSerial(name: String) throws {
        let d = Self.data
        let input: Column = (name == "any" || name == "all") ? d.bools : (name == "count_distinct" ? d.texts : d.ints)
        for grouped in [false, true] {
            let parallel = try run(name, input, grouped: grouped, threshold: AggregateKernel.parallelThreshold)
            let serial = try run(name, input, grouped: grouped, threshold: Int.max)
            #expect(parallel == serial, "\(name) grouped: \(grouped)")
        }
    }

    @Test func textAndDateExtremesMatchSerial() throws {
        let d = Self.data
        for name in ["min", "max", "first", "last"] {
            for input in [d.texts, d.dates] {
                #expect(try run(name, input, grouped: true, threshold: 0) == run(name, input, grouped: true, threshold: .max))
            }
        }
        #expect(try run("min", d.texts, grouped: false, threshold: 0) == [.text("县0")])
    }

    /// Floats add in another order: equal to rounding.
    @Test func floatAggregatesMatchSerialToRounding() throws {
        let d = Self.data
        for name in ["sum", "average", "stddev"] {
            for input in [d.floats, d.ints] where !(name == "sum" && input.type == .int) {
                let parallel = try run(name, input, grouped: true, threshold: AggregateKernel.parallelThreshold)
                let serial = try run(name, input, grouped: true, threshold: .max)
                for (p, s) in zip(parallel, serial) {
                    #expect(approximately(p.asDouble, s.asDouble!, tolerance: 1e-9), "\(name) \(input.type)")
                }
            }
        }
    }

    /// Floats without nulls over few groups add in four interleaved sets of totals: equal to
    /// rounding to a plain loop, and the same on every run.
    @Test func laneSumsMatchAPlainLoop() throws {
        let d = Self.data
        guard case .float(let floats) = d.floats.values else { return }
        let noNulls = Column(.float(floats))
        var plain = [Double](repeating: 0, count: Self.groupCount)
        for i in 0..<Self.rows { plain[Int(d.ids[i])] += floats[i] }
        for threshold in [AggregateKernel.parallelThreshold, Int.max] {
            let sums = try run("sum", noNulls, grouped: true, threshold: threshold)
            #expect(sums == (try run("sum", noNulls, grouped: true, threshold: threshold)))
            for (s, p) in zip(sums, plain) {
                #expect(approximately(s.asDouble, p, tolerance: 1e-9), "\(s) \(p)")
            }
        }
        // The rows after the last four, and a range that starts inside the buffer.
        let values: [Double] = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]
        let ids: [Int32] = [0, 1, 0, 1, 0, 1]
        values.withUnsafeBufferPointer { v in
            ids.withUnsafeBufferPointer { ids in
                #expect(SumKernel.laneTotals(v, ids, 2, 0..<5) == [10.5, 7])
                #expect(SumKernel.laneTotals(v, ids, 2, 1..<6) == [9, 13.5])
                #expect(SumKernel.laneTotals(v, ids, 2, 3..<3) == [0, 0])
            }
        }
    }

    @Test func countsAddUp() throws {
        let d = Self.data
        let perGroup = try run("count", nil, grouped: true, threshold: 0)
        let total = perGroup.reduce(Int64(0)) { if case .int(let v) = $1 { return $0 + v } else { return $0 } }
        #expect(total == Int64(Self.rows))
        let values = try run("count", d.ints, grouped: false, threshold: 0)
        #expect(values == [.int(Int64(Self.rows - d.ints.nullCount))])
        #expect(try run("count_distinct", d.texts, grouped: false, threshold: 0) == [.int(500)])
    }

    /// Large groups count distinct values with a radix sort: check against a set.
    @Test func countDistinctOfManyIntsMatchesASet() throws {
        let d = Self.data
        guard case .int(let values) = d.ints.values, case .float(let floats) = d.floats.values else { return }
        var ints = Set<Int64>(), doubles = Set<Double>()
        for i in 0..<Self.rows where !d.ints.isNull(i) { ints.insert(values[i]); doubles.insert(floats[i]) }
        #expect(try run("count_distinct", d.ints, grouped: false, threshold: 0) == [.int(Int64(ints.count))])
        #expect(try run("count_distinct", d.floats, grouped: false, threshold: 0) == [.int(Int64(doubles.count))])
        let small = Column(ints: (0..<100_000).map { Int64($0 % 300 - 150) })
        #expect(try F.aggregate("count_distinct", small) == [.int(300)])
    }

    /// Ints over a small range count through a bitmap, wide ones through a sort: both match sets
    /// per group, with nulls and negative values.
    @Test func countDistinctOfIntsPerGroupMatchesSets() throws {
        let d = Self.data
        guard case .int(let values) = d.ints.values else { return }
        let n = 200_000
        let narrow = (0..<n).map { i -> Int64? in d.ints.isNull(i) ? nil : values[i] % 1000 }
        let wide = (0..<n).map { i -> Int64? in d.ints.isNull(i) ? nil : values[i] * 1_000_003 }
        let ids = Array(d.ids[0..<n])
        for column in [narrow, wide] {
            var sets = [Set<Int64>](repeating: [], count: Self.groupCount)
            for i in 0..<n { if let v = column[i] { sets[Int(ids[i])].insert(v) } }
            let out = try F.aggregate("count_distinct", Column(ints: column), groups: ids, groupCount: Self.groupCount)
            #expect(out == sets.map { .int(Int64($0.count)) })
        }
        #expect(CountDistinctKernel.rangeBitmapCount(AggregateContext(rows: 3, ids: nil, groupCount: 1, threshold: .max),
                                                     [5, -5, 5], nil) == [2])
        #expect(CountDistinctKernel.rangeBitmapCount(AggregateContext(rows: 2, ids: nil, groupCount: 1, threshold: .max),
                                                     [Int64.min, Int64.max], nil) == nil)
        #expect(try F.aggregate("count_distinct", Column(ints: [nil, nil])) == [.int(0)])
    }

    /// The hash set for small groups, against `Set`: values that differ only in high bits or only
    /// in low bits, repeats, the extremes, and every size up to the sort's threshold.
    @Test func hashedDistinctMatchesASet() {
        var seed: UInt64 = 99
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed
        }
        let shapes: [(Int) -> UInt64] = [
            { UInt64($0 % 97) << 40 },                    // differ only in high bits
            { UInt64($0 % 1_000) },                       // small, repeated
            { _ in next() },                              // random, all distinct
            { $0 % 2 == 0 ? 0 : .max },                   // the extremes
            { UInt64($0 / 3) &* 0x9E37_79B9_7F4A_7C15 },  // multiples of the hash's constant
        ]
        for count in [0, 1, 2, 3, 63, 64, 1_000, 4_097, 32_767] {
            for shape in shapes {
                var values = (0..<count).map(shape)
                let expected = Int64(Set(values).count)
                let got = values.withUnsafeMutableBufferPointer { CountDistinctKernel.hashedDistinct($0) }
                #expect(got == expected, "\(count) values")
            }
        }
    }

    /// concat_array and spark build one flat buffer of bytes: compare with plain string joins.
    @Test func concatAndSparkMatchNaiveJoins() throws {
        let n = 20_000
        let texts = (0..<n).map { $0 % 11 == 0 ? nil : "南\($0 % 37)" }
        let ids = (0..<n).map { Int32($0 % 5) }
        var expected = [String](repeating: "", count: 5)
        for i in 0..<n { if let t = texts[i] { expected[Int(ids[i])] += t } }
        let out = try F.aggregate("concat_array", Column(texts: texts), groups: ids, groupCount: 5)
        #expect(out == expected.map { .text($0) })
        let same = try F.aggregate("concat_array", Column(texts: ["x", "y", "x", "y"]), groups: [0, 0, 1, 1], groupCount: 2)
        #expect(same == [.text("xy"), .text("xy")])
        let spark = try AggregateKernel.evaluate("spark", input: Column(ints: [1, 2, 1, 2]), rowCount: 4,
                                                 groups: .ids([0, 0, 1, 1], count: 2))
        guard case .text(let codes, let dictionary) = spark.values else { Issue.record("not text"); return }
        #expect(codes[0] == codes[1] && dictionary.strings == ["▁█"])  // equal texts share one entry
    }

    @Test func quantileOfManyValuesMatchesASort() throws {
        let d = Self.data
        guard case .int(let values) = d.ints.values else { return }
        var valid: [Int64] = []
        for i in 0..<Self.rows where !d.ints.isNull(i) { valid.append(values[i]) }
        valid.sort()
        let p = 0.9
        let position = Double(valid.count - 1) * p
        let lo = Int(position), hi = min(lo + 1, valid.count - 1)
        let expected = Double(valid[lo]) + (Double(valid[hi]) - Double(valid[lo])) * (position - Double(lo))
        #expect(try run("quantile", d.ints, grouped: false, threshold: 0, [.float(p)]) == [.float(expected)])
    }
}

@Suite("Selection")
struct SelectionTests {
    @Test func selectFindsTheKthOfRandomAndAdversarialInputs() {
        var r = AggregateParallelTests.Stream(state: 42)
        let inputs: [[Int]] = [
            (0..<1000).map { _ in Int(r.next() % 50) },
            Array(0..<1000),
            Array((0..<1000).reversed()),
            Array(repeating: 7, count: 1000),
            [3],
            (0..<17).map { $0 % 2 },
        ]
        for input in inputs {
            let sorted = input.sorted()
            for k in [0, input.count / 3, input.count / 2, input.count - 1] {
                var copy = input
                copy.withUnsafeMutableBufferPointer { Selection.select($0, k, less: <) }
                #expect(copy[k] == sorted[k])
                #expect(copy[..<k].allSatisfy { $0 <= copy[k] } && copy[(k + 1)...].allSatisfy { $0 >= copy[k] })
            }
        }
    }
}
