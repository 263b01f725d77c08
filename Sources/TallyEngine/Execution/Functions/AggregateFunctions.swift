import Foundation

/// Aggregates over groups of rows: each row carries a dense group id, accumulators are arrays
/// indexed by group, and every loop runs over a typed array.
///
/// Empty groups follow LANGUAGE.md: `sum` gives 0, `count` 0, every other aggregate null.
public enum AggregateFunctions {
    public static func resultType(_ name: String, _ input: DataType?) throws -> DataType {
        guard let input else { return .int }  // count this
        switch name {
        case "count", "count_distinct": return .int
        case "sum":
            guard input.isNumeric else { throw TallyError(.type, "`sum` needs numbers, not \(input)") }
            return input
        case "average", "avg", "stddev", "median", "quantile":
            guard input.isNumeric else { throw TallyError(.type, "`\(name)` needs numbers, not \(input)") }
            return .float
        case "min", "max", "first", "last": return input
        case "any", "all":
            guard input == .bool else { throw TallyError(.type, "`\(name)` needs true/false values, not \(input)") }
            return .bool
        case "concat_array", "spark": return .text
        default: throw TallyError(.name, "unknown aggregate `\(name)`")
        }
    }

    /// One value per group. `groups == nil` means every row is in group 0.
    public static func compute(_ name: String, input: Column?, rowCount: Int, groups: [Int32]?, groupCount: Int,
                               parameter: Double?) throws -> Column {
        let ids = groups ?? [Int32](repeating: 0, count: rowCount)
        guard let input else {
            var counts = [Int64](repeating: 0, count: groupCount)
            for g in ids { counts[Int(g)] += 1 }
            return Column(.int(counts))
        }
        var nonNull = [Int64](repeating: 0, count: groupCount)
        for i in 0..<rowCount where !input.isNull(i) { nonNull[Int(ids[i])] += 1 }
        let empty = Validity(nonNull.map { $0 > 0 })
        switch name {
        case "count": return Column(.int(nonNull))
        case "count_distinct":
            var seen = [Set<UInt64>](repeating: [], count: groupCount)
            let keys = distinctKeys(input)
            for i in 0..<rowCount where !input.isNull(i) { seen[Int(ids[i])].insert(keys[i]) }
            return Column(.int(seen.map { Int64($0.count) }))
        case "sum":
            if case .int(let x) = input.values {
                var sums = [Int64](repeating: 0, count: groupCount)
                for i in 0..<rowCount where !input.isNull(i) {
                    let g = Int(ids[i])
                    let (r, o) = sums[g].addingReportingOverflow(x[i])
                    if o { throw TallyError(.runtime, "integer overflow in `sum`", hint: "sum a float instead: `sum (x | as float)`") }
                    sums[g] = r
                }
                return Column(.int(sums))
            }
            let x = input.doubleValues
            var sums = [Double](repeating: 0, count: groupCount)
            for i in 0..<rowCount where !input.isNull(i) { sums[Int(ids[i])] += x[i] }
            return Column(.float(sums))
        case "average", "avg":
            let x = input.doubleValues
            var sums = [Double](repeating: 0, count: groupCount)
            for i in 0..<rowCount where !input.isNull(i) { sums[Int(ids[i])] += x[i] }
            return Column(.float((0..<groupCount).map { nonNull[$0] > 0 ? sums[$0] / Double(nonNull[$0]) : 0 }), validity: empty)
        case "stddev":
            let x = input.doubleValues
            var mean = [Double](repeating: 0, count: groupCount), m2 = [Double](repeating: 0, count: groupCount)
            var n = [Double](repeating: 0, count: groupCount)
            for i in 0..<rowCount where !input.isNull(i) {
                let g = Int(ids[i])
                n[g] += 1
                let delta = x[i] - mean[g]
                mean[g] += delta / n[g]
                m2[g] += delta * (x[i] - mean[g])
            }
            let valid = Validity(n.map { $0 >= 2 })
            return Column(.float((0..<groupCount).map { n[$0] >= 2 ? (m2[$0] / (n[$0] - 1)).squareRoot() : 0 }), validity: valid)
        case "median", "quantile":
            let q = name == "median" ? 0.5 : (parameter ?? 0.5)
            let x = input.doubleValues
            var values = [[Double]](repeating: [], count: groupCount)
            for i in 0..<rowCount where !input.isNull(i) { values[Int(ids[i])].append(x[i]) }
            let result: [Double] = values.map { group in
                guard !group.isEmpty else { return 0 }
                let sorted = group.sorted()
                let position = q * Double(sorted.count - 1)
                let lower = Int(position.rounded(.down)), upper = min(sorted.count - 1, lower + 1)
                return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
            }
            return Column(.float(result), validity: empty)
        case "min", "max", "first", "last":
            var chosen = [Int](repeating: -1, count: groupCount)
            let better = orderingPredicate(input, max: name == "max")
            for i in 0..<rowCount where !input.isNull(i) {
                let g = Int(ids[i])
                switch name {
                case "first": if chosen[g] < 0 { chosen[g] = i }
                case "last": chosen[g] = i
                default: if chosen[g] < 0 || better(i, chosen[g]) { chosen[g] = i }
                }
            }
            guard input.count > 0 else { return Scalar.null.column(count: groupCount, type: input.type) }
            let picked = input.gather(chosen.map { max(0, $0) })
            return Column(picked.values, validity: Validity.and(picked.validity, Validity(chosen.map { $0 >= 0 })))
        case "any", "all":
            guard case .bool(let x) = input.values else { return input }
            var out = [Bool](repeating: name == "all", count: groupCount)
            for i in 0..<rowCount where !input.isNull(i) {
                let g = Int(ids[i])
                out[g] = name == "any" ? (out[g] || x[i]) : (out[g] && x[i])
            }
            return Column(.bool(out), validity: empty)
        case "concat_array", "spark":
            var parts = [[Int]](repeating: [], count: groupCount)
            for i in 0..<rowCount { parts[Int(ids[i])].append(i) }
            var builder = TextDictionaryBuilder()
            var codes = [UInt32](repeating: 0, count: groupCount)
            for g in 0..<groupCount {
                let text = name == "spark" ? sparkline(input, rows: parts[g])
                    : "[" + parts[g].compactMap { input.text(at: $0) }.joined(separator: ", ") + "]"
                codes[g] = builder.code(for: text)
            }
            return Column(.text(codes: codes, dictionary: builder.build()))
        default:
            throw TallyError(.name, "unknown aggregate `\(name)`")
        }
    }

    /// A key per row such that equal values have equal keys (text by code, numbers by bits).
    private static func distinctKeys(_ c: Column) -> [UInt64] {
        switch c.values {
        case .text(let codes, _): return codes.map { UInt64($0) }
        case .float(let v): return v.map { $0 == 0 ? 0 : $0.bitPattern }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        default: return c.int64Values.map { UInt64(bitPattern: $0) }
        }
    }

    /// `isBetter(i, j)`: row i beats row j for min (or max).
    private static func orderingPredicate(_ c: Column, max: Bool) -> (Int, Int) -> Bool {
        switch c.values {
        case .text(let codes, let dictionary):
            let (ranks, _) = Comparison.ranks(dictionary, dictionary)
            return { i, j in max ? ranks[Int(codes[i])] > ranks[Int(codes[j])] : ranks[Int(codes[i])] < ranks[Int(codes[j])] }
        case .float(let v):
            return { i, j in max ? v[i] > v[j] : v[i] < v[j] }
        default:
            let v = c.int64Values
            return { i, j in max ? v[i] > v[j] : v[i] < v[j] }
        }
    }

    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `▁▂▃▄▅▆▇█` scaled between the group's min and max, nulls as spaces, flat series as `▄`.
    static func sparkline(_ c: Column, rows: [Int]) -> String {
        let x = c.doubleValues
        let values = rows.filter { !c.isNull($0) }.map { x[$0] }
        guard let lo = values.min(), let hi = values.max() else { return "" }
        return String(rows.map { row -> Character in
            if c.isNull(row) { return " " }
            if hi == lo { return "▄" }
            let k = Int(((x[row] - lo) / (hi - lo) * 7).rounded())
            return bars[min(7, max(0, k))]
        })
    }
}
