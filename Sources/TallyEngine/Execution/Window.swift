/// Window functions and aggregates over frames, a column at a time.
///
/// A window runs over the rows as they stand: the relation is already in the current `sort` order,
/// and inside `group` each group's rows lie next to each other. `partitions` gives where each group
/// begins (`starts[p]..<starts[p + 1]`, ending with the row count; `[0, n]` outside `group`), so a
/// row's neighbours are the rows next to it within its partition, and one pass serves every group.
/// The sort keys (`Relation.order`) are only needed to find peers (rows equal on every key) for
/// `rank` and `range` frames.
///
/// Frames move forward as the row does (both ends are non-decreasing), so sums come from prefix
/// sums, minimum and maximum from a monotonic queue, and first / last from the frame's ends: each
/// O(rows), whatever the frame's width. Aggregates without such a shortcut (`median`,
/// `count_distinct`, …) fall back to the grouped aggregate kernels over every frame's rows.
struct WindowFrame: Sendable {
    enum Mode: Sendable { case rows, range }
    var mode: Mode
    /// Offsets from the current row (negative: before it); nil is unbounded.
    var lower: Double?
    var upper: Double?

    /// `rows:..` with neither end: the whole partition, as without `window`.
    var isWhole: Bool { lower == nil && upper == nil }
}

enum Window {
    /// Largest total of frame sizes the generic fallback will expand (rows × average frame width).
    static let maxExpandedRows = 50_000_000

    // MARK: - Frames

    /// The whole input as one partition.
    static func whole(_ n: Int) -> [Int] { [0, n] }

    /// Each row's frame as `lo[i]..<hi[i]`, never crossing its partition's ends. Both ends are
    /// non-decreasing over all rows (a later partition's rows lie after an earlier one's), which
    /// the monotonic queue of `extreme` relies on.
    static func bounds(_ frame: WindowFrame, partitions starts: [Int], order: [SortPermutation.Key]) throws -> (lo: [Int], hi: [Int]) {
        let n = starts.last ?? 0
        var lo = [Int](repeating: 0, count: n), hi = [Int](repeating: n, count: n)
        switch frame.mode {
        case .rows:
            // Offsets past either end behave like the end: clamp them so the arithmetic cannot overflow.
            let a = frame.lower.map { Int(max(-Double(n) - 1, min(Double(n) + 1, $0))) }
            let b = frame.upper.map { Int(max(-Double(n) - 1, min(Double(n) + 1, $0))) }
            lo.withUnsafeMutableBufferPointer { lo in
                hi.withUnsafeMutableBufferPointer { hi in
                    for p in 0..<(starts.count - 1) {
                        let s = starts[p], e = starts[p + 1]
                        for i in s..<e {
                            let l = a.map { max(s, min(e, i + $0)) } ?? s
                            let h = b.map { max(s, min(e, i + $0 + 1)) } ?? e
                            lo[i] = l; hi[i] = max(h, l)
                        }
                    }
                }
            }
        case .range:
            guard order.count == 1, let key = order.first else {
                throw TallyError(.type, order.isEmpty ? "a `range` frame needs the rows sorted first"
                                                      : "a `range` frame needs the rows sorted by exactly one column",
                                 hint: "e.g. `sort year | window range:-2..0 (derive {…})`")
            }
            let values: [Double]
            switch key.column.values {
            case .int(let v), .timestamp(let v): values = v.map { Double($0) }
            case .float(let v): values = v
            case .date(let v): values = v.map { Double($0) }
            default:
                throw TallyError(.type, "a `range` frame needs a number or date sort key, not \(key.column.type)",
                                 hint: "use `rows:a..b` to count rows instead")
            }
            let s = key.descending ? values.map { -$0 } : values
            for p in 0..<(starts.count - 1) {
                let start = starts[p], end = starts[p + 1]
                // Nulls sort last: the sorted non-null rows are start..<m, the nulls m..<end (peers of each other).
                var m = end
                while m > start, key.column.isNull(m - 1) { m -= 1 }
                var l = start, h = start
                for i in start..<m {
                    if let a = frame.lower {
                        while l < m, s[l] < s[i] + a { l += 1 }
                        lo[i] = l
                    } else { lo[i] = start }
                    if let b = frame.upper {
                        if h < l { h = l }
                        while h < m, s[h] <= s[i] + b { h += 1 }
                        hi[i] = max(h, lo[i])
                    } else { hi[i] = end }
                }
                for i in m..<end {
                    lo[i] = frame.lower == nil ? start : m
                    hi[i] = end
                }
            }
        }
        return (lo, hi)
    }

    // MARK: - Aggregates over frames

    static func aggregate(_ name: String, input: Column?, partitions: [Int], frame: WindowFrame,
                          order: [SortPermutation.Key], parameter: Double?) throws -> Column {
        let n = partitions.last ?? 0
        let (lo, hi) = try bounds(frame, partitions: partitions, order: order)
        guard let input else {
            // `count this`: the frame's size.
            return Column(.int((0..<n).map { Int64(hi[$0] - lo[$0]) }))
        }
        switch (name, input.values) {
        case ("count", _):
            let prefix = validPrefix(input)
            return Column(.int((0..<n).map { Int64(prefix[hi[$0]] - prefix[lo[$0]]) }))
        case ("sum", .int), ("sum", .bool):
            let values = input.int64Values
            return try intSums(values, input, lo, hi)
        case ("sum", .float), ("average", .float), ("avg", .float), ("average", .int), ("avg", .int):
            let average = name != "sum"
            let prefix = validPrefix(input)
            let sums = DoubleDoublePrefix(input.doubleValues, input)
            var out = [Double](repeating: 0, count: n)
            var validity = Validity(count: n, allValid: true)
            for i in 0..<n {
                let count = prefix[hi[i]] - prefix[lo[i]]
                if count == 0 { validity.clear(i); continue }
                let total = sums.sum(lo[i], hi[i])
                out[i] = average ? total / Double(count) : total
            }
            return Column(.float(out), validity: validity)
        case ("min", .int), ("max", .int), ("min", .date), ("max", .date), ("min", .timestamp), ("max", .timestamp),
             ("min", .float), ("max", .float):
            return extreme(input, lo, hi, max: name == "max")
        case ("first", _), ("last", _):
            let rows: [Int32] = (0..<n).map { i in
                lo[i] < hi[i] ? Int32(truncatingIfNeeded: name == "first" ? lo[i] : hi[i] - 1) : -1
            }
            return input.gather(nullable: rows)
        default:
            return try expanded(name, input: input, lo: lo, hi: hi, parameter: parameter)
        }
    }

    /// Rows before each position that hold a value: `prefix[i]` counts rows `0..<i`.
    static func validPrefix(_ column: Column) -> [Int] {
        var prefix = [Int](repeating: 0, count: column.count + 1)
        for i in 0..<column.count { prefix[i + 1] = prefix[i] + (column.isNull(i) ? 0 : 1) }
        return prefix
    }

    /// Integer sums: wrapping prefix sums are exact for any frame whose true sum fits, and a
    /// floating shadow sum catches the frames whose sum does not.
    static func intSums(_ values: [Int64], _ column: Column, _ lo: [Int], _ hi: [Int]) throws -> Column {
        let n = values.count
        var prefix = [Int64](repeating: 0, count: n + 1)
        var shadow = [Double](repeating: 0, count: n + 1)
        let counts = validPrefix(column)
        for i in 0..<n {
            let v = column.isNull(i) ? 0 : values[i]
            prefix[i + 1] = prefix[i] &+ v
            shadow[i + 1] = shadow[i] + Double(v)
        }
        var out = [Int64](repeating: 0, count: n)
        var validity = Validity(count: n, allValid: true)
        for i in 0..<n {
            if counts[hi[i]] - counts[lo[i]] == 0 { validity.clear(i); continue }
            if abs(shadow[hi[i]] - shadow[lo[i]]) > 9.2e18 {
                throw TallyError(.runtime, "integer overflow in `sum` over a window",
                                 hint: "convert to float first: `sum (x | as float)`")
            }
            out[i] = prefix[hi[i]] &- prefix[lo[i]]
        }
        return Column(.int(out), validity: validity)
    }

    /// Minimum or maximum of each frame with a monotonic queue of row numbers.
    static func extreme(_ column: Column, _ lo: [Int], _ hi: [Int], max: Bool) -> Column {
        func run<T: Comparable>(_ values: [T]) -> [Int32] {
            let n = values.count
            var queue = [Int](repeating: 0, count: n)
            var head = 0, tail = 0, next = 0
            var out = [Int32](repeating: -1, count: n)
            for i in 0..<n {
                while next < hi[i] {
                    if !column.isNull(next) {
                        while tail > head, max ? values[queue[tail - 1]] <= values[next] : values[queue[tail - 1]] >= values[next] {
                            tail -= 1
                        }
                        queue[tail] = next; tail += 1
                    }
                    next += 1
                }
                while head < tail, queue[head] < lo[i] { head += 1 }
                if head < tail { out[i] = Int32(truncatingIfNeeded: queue[head]) }
            }
            return out
        }
        let rows: [Int32]
        switch column.values {
        case .float(let v): rows = run(v)
        case .date(let v): rows = run(v)
        default: rows = run(column.int64Values)
        }
        return column.gather(nullable: rows)
    }

    /// Any aggregate over frames, by copying each frame's rows into a group of its own.
    static func expanded(_ name: String, input: Column, lo: [Int], hi: [Int], parameter: Double?) throws -> Column {
        let n = lo.count
        var total = 0
        for i in 0..<n { total += hi[i] - lo[i] }
        guard total <= maxExpandedRows else {
            throw TallyError(.runtime, "`\(name)` over these frames would look at \(total) rows",
                             hint: "use a narrower frame (`rows:-6..0`) or `sum`, `average`, `min`, `max`, which have no such limit")
        }
        var rows = [Int](); rows.reserveCapacity(total)
        var ids = [Int32](); ids.reserveCapacity(total)
        for i in 0..<n {
            for r in lo[i]..<hi[i] { rows.append(r); ids.append(Int32(truncatingIfNeeded: i)) }
        }
        let column = try AggregateFunctions.compute(name, input: input.gather(rows), rowCount: total, groups: ids,
                                                    groupCount: n, parameter: parameter)
        // Sums of empty frames are null over a window (SQL's SUM OVER), not the 0 of `aggregate`.
        if name == "sum" || name == "concat_array" {
            var validity = column.validity ?? Validity(count: n, allValid: true)
            for i in 0..<n where lo[i] == hi[i] { validity.clear(i) }
            return Column(column.values, validity: validity)
        }
        return column
    }

    // MARK: - Window functions

    static func function(_ call: WindowCall, input: Column?, partitions starts: [Int], order: [SortPermutation.Key]) throws -> Column {
        let n = starts.last ?? 0
        let partitionCount = starts.count - 1
        switch call.kind {
        case .rowNumber:
            var out = [Int64](repeating: 0, count: n)
            for p in 0..<partitionCount {
                for i in starts[p]..<starts[p + 1] { out[i] = Int64(i - starts[p] + 1) }
            }
            return Column(.int(out))
        case .rank, .rankDense:
            var peers = peerStarts(order, rowCount: n)
            for p in 0..<partitionCount where starts[p] < n { peers[starts[p]] = true }
            var out = [Int64](repeating: 0, count: n)
            for p in 0..<partitionCount {
                var rank: Int64 = 0, dense: Int64 = 0
                for i in starts[p]..<starts[p + 1] {
                    if peers[i] { rank = Int64(i - starts[p] + 1); dense += 1 }
                    out[i] = call.kind == .rank ? rank : dense
                }
            }
            return Column(.int(out))
        case .lag, .lead:
            guard let input else { return Column(.int([])) }
            // Offsets beyond any partition give null: clamp so the arithmetic cannot overflow.
            let k = max(-n - 1, min(n + 1, call.offset))
            var rows = [Int32](repeating: -1, count: n)
            for p in 0..<partitionCount {
                let s = starts[p], e = starts[p + 1]
                for i in s..<e {
                    let j = call.kind == .lag ? i - k : i + k
                    if j >= s && j < e { rows[i] = Int32(truncatingIfNeeded: j) }
                }
            }
            return input.gather(nullable: rows)
        case .growth:
            guard let input else { return Column(.float([])) }
            let v = input.doubleValues
            var out = [Double](repeating: 0, count: n)
            var validity = Validity(count: n, allValid: true)
            for p in 0..<partitionCount {
                for i in starts[p]..<starts[p + 1] {
                    guard i > starts[p], !input.isNull(i), !input.isNull(i - 1), v[i - 1] != 0 else { validity.clear(i); continue }
                    out[i] = (v[i] - v[i - 1]) / v[i - 1]
                }
            }
            return Column(.float(out), validity: validity)
        }
    }

    /// Whether each row starts a new run of peers (rows equal on every sort key; without a sort,
    /// every row is a peer of every other, as in SQL's `OVER ()`).
    static func peerStarts(_ order: [SortPermutation.Key], rowCount n: Int) -> [Bool] {
        var starts = [Bool](repeating: false, count: n)
        if n > 0 { starts[0] = true }
        for key in order {
            let c = key.column
            switch c.values {
            case .float(let v):
                for i in 1..<max(1, n) where !starts[i] {
                    let ni = c.isNull(i), nj = c.isNull(i - 1)
                    if ni != nj || (!ni && v[i] != v[i - 1]) { starts[i] = true }
                }
            case .text(let codes, _):
                for i in 1..<max(1, n) where !starts[i] {
                    let ni = c.isNull(i), nj = c.isNull(i - 1)
                    if ni != nj || (!ni && codes[i] != codes[i - 1]) { starts[i] = true }
                }
            default:
                let v = c.int64Values
                for i in 1..<max(1, n) where !starts[i] {
                    let ni = c.isNull(i), nj = c.isNull(i - 1)
                    if ni != nj || (!ni && v[i] != v[i - 1]) { starts[i] = true }
                }
            }
        }
        return starts
    }
}

/// Prefix sums of doubles kept as unevaluated pairs (hi + lo), so that the sum of a short frame far
/// into a long column is not lost in the rounding of the large running total.
struct DoubleDoublePrefix {
    private var high: [Double]
    private var low: [Double]

    init(_ values: [Double], _ column: Column) {
        let n = values.count
        high = [Double](repeating: 0, count: n + 1)
        low = [Double](repeating: 0, count: n + 1)
        var h = 0.0, l = 0.0
        for i in 0..<n {
            if !column.isNull(i) {
                let (s, e) = DoubleDoublePrefix.twoSum(h, values[i])
                h = s; l += e
            }
            high[i + 1] = h; low[i + 1] = l
        }
    }

    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let bb = s - a
        return (s, (a - (s - bb)) + (b - bb))
    }

    /// Sum of rows `a..<b`.
    func sum(_ a: Int, _ b: Int) -> Double {
        let (s, e) = DoubleDoublePrefix.twoSum(high[b], -high[a])
        return s + (e + (low[b] - low[a]))
    }
}
