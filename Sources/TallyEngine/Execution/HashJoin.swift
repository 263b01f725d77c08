import CRuntime

/// The row pairs of a join, found by hashing typed keys.
///
/// The right side is built into a table from dense key ids to its rows (in the right side's
/// order); the left side probes it row by row, so the pairs come out in the left side's order, each
/// left row's matches in the right side's order. Keys are never compared as strings per row: text
/// keys map the left dictionary onto the right one once (a string lookup per distinct value), then
/// rows look their code up in an array; integer keys with a narrow range (county codes, years) use
/// a direct array, wider ones an open-addressing table. As in SQL, a null key matches nothing.
enum HashJoin {
    enum Side: String, CaseIterable {
        case inner, left, right, full
    }

    /// Pairs of row numbers; -1 stands for the null row of an outer join.
    struct Pairs {
        var left: [Int32]
        var right: [Int32]
        var count: Int { left.count }
    }

    /// Largest join result, in rows, that a join may build (a cross join of two big tables is
    /// almost always a mistake, and would exhaust memory rather than fail).
    static let maxRows = Int(Int32.max)

    // MARK: - Keys to dense ids

    /// Dense ids for the key values of both sides: right rows get `0..<count` (-1 when null), left
    /// rows the id of the equal right value, or -1 when there is none.
    struct KeyIDs {
        var left: [Int32]
        var right: [Int32]
        var count: Int
    }

    /// Ids for several key pairs at once: each pair separately, then combined pairwise.
    static func keyIDs(_ keys: [(left: Column, right: Column)]) -> KeyIDs {
        guard var combined = keys.first.map({ keyIDs($0.left, $0.right) }) else {
            return KeyIDs(left: [], right: [], count: 0)
        }
        for key in keys.dropFirst() {
            let next = keyIDs(key.left, key.right)
            var map = Int64IDMap(capacity: combined.right.count)
            var right = [Int32](repeating: -1, count: combined.right.count)
            for i in 0..<right.count where combined.right[i] >= 0 && next.right[i] >= 0 {
                right[i] = map.insert(Int64(combined.right[i]) << 32 | Int64(next.right[i]))
            }
            var left = [Int32](repeating: -1, count: combined.left.count)
            for i in 0..<left.count where combined.left[i] >= 0 && next.left[i] >= 0 {
                left[i] = map.find(Int64(combined.left[i]) << 32 | Int64(next.left[i]))
            }
            combined = KeyIDs(left: left, right: right, count: map.count)
        }
        return combined
    }

    /// Ids for one key pair. Both columns already have one type (the caller casts int against
    /// float to float, date against timestamp to timestamp).
    static func keyIDs(_ left: Column, _ right: Column) -> KeyIDs {
        if case .text(let lcodes, let ldict) = left.values, case .text(let rcodes, let rdict) = right.values {
            // The right side's codes are its ids; the left dictionary is mapped onto them once.
            var remap = [Int32](repeating: -1, count: ldict.count + 1)
            if ldict === rdict {
                for c in 0..<ldict.count { remap[c] = Int32(truncatingIfNeeded: c) }
            } else {
                var position = [String: Int32](minimumCapacity: rdict.count)
                for (c, s) in rdict.strings.enumerated() { position[s] = Int32(truncatingIfNeeded: c) }
                for (c, s) in ldict.strings.enumerated() { remap[c] = position[s] ?? -1 }
            }
            var rightIDs = [Int32](repeating: -1, count: rcodes.count)
            rcodes.withUnsafeBufferPointer { codes in
                for i in 0..<codes.count where !right.isNull(i) { rightIDs[i] = Int32(truncatingIfNeeded: codes[i]) }
            }
            let leftIDs = mapRows(lcodes.count) { i in
                left.isNull(i) ? -1 : remap[Int(lcodes[i])]
            }
            return KeyIDs(left: leftIDs, right: rightIDs, count: rdict.count)
        }
        let lbits = keyBits(left), rbits = keyBits(right)
        var rightIDs = [Int32](repeating: -1, count: rbits.count)
        // A narrow range of values (codes, years, small ids) indexes an array directly.
        var low = Int64.max, high = Int64.min
        for i in 0..<rbits.count where !right.isNull(i) {
            low = min(low, rbits[i]); high = max(high, rbits[i])
        }
        if low <= high, case let (span, overflow) = high.subtractingReportingOverflow(low), !overflow,
           span < Int64(max(4096, rbits.count * 8)) {
            var table = [Int32](repeating: -1, count: Int(span) + 1)
            var next: Int32 = 0
            for i in 0..<rbits.count where !right.isNull(i) {
                let slot = Int(rbits[i] - low)
                if table[slot] < 0 { table[slot] = next; next += 1 }
                rightIDs[i] = table[slot]
            }
            let leftIDs = table.withUnsafeBufferPointer { table in
                mapRows(lbits.count) { i in
                    if left.isNull(i) { return -1 }
                    let v = lbits[i]
                    guard v >= low, v <= high else { return -1 }
                    return table[Int(v &- low)]
                }
            }
            return KeyIDs(left: leftIDs, right: rightIDs, count: Int(next))
        }
        var map = Int64IDMap(capacity: rbits.count)
        map.insert(rbits, valid: right, into: &rightIDs)
        let leftIDs = map.find(lbits, valid: left)
        return KeyIDs(left: leftIDs, right: rightIDs, count: map.count)
    }

    /// A key's values as 64-bit integers that are equal exactly when the values are.
    static func keyBits(_ column: Column) -> [Int64] {
        switch column.values {
        case .int(let v), .timestamp(let v): return v
        case .date(let v): return v.map { Int64($0) }
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        // -0.0 equals 0.0; every NaN equals every other (as DuckDB compares them).
        case .float(let v): return v.map { $0 == 0 ? 0 : Int64(bitPattern: ($0.isNaN ? Double.nan : $0).bitPattern) }
        case .text(let codes, _): return codes.map { Int64($0) }
        }
    }

    /// `body(i)` for every row, split over the cores for big inputs.
    static func mapRows(_ count: Int, _ body: (Int) -> Int32) -> [Int32] {
        mapRanges(count) { range, out in
            for i in range { (out + i).initialize(to: body(i)) }
        }
    }

    /// An array of `count` values that `body` initializes a range at a time (`out` is the array's
    /// start), the ranges split over the cores for big inputs.
    static func mapRanges(_ count: Int, _ body: (Range<Int>, UnsafeMutablePointer<Int32>) -> Void) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            let pieces = count >= 1 << 18 ? Parallel.cores : 1
            let size = (count + pieces - 1) / max(1, pieces)
            let target = UncheckedSendable(out)
            Parallel.forEach(pieces) { p in
                let start = p * size, end = min(count, start + size)
                guard start < end, let base = target.value.baseAddress else { return }
                body(start..<end, base)
            }
            initialized = count
        }
    }

    // MARK: - Pairs

    /// Every (left, right) pair whose keys are equal, in the left side's order; with
    /// `keepUnmatchedLeft`, a left row without a match gets one pair with the null row (-1), in its
    /// place, as a left join needs.
    /// How many pairs the memory budget leaves room for, and the error when a join needs more.
    struct RowLimit {
        var rows: Int
        var exceeded: (Int) -> TallyError
        /// The rows there is room for once the allocator has given back the memory it keeps for
        /// reuse (asked only when `rows` is too few); without it, `rows` is the last word.
        var afterRelease: (() -> Int)? = nil
    }

    static func check(_ total: Int, _ limit: RowLimit?) throws {
        guard total <= maxRows else { throw tooLarge(total) }
        if let limit, total > limit.rows, total > (limit.afterRelease?() ?? limit.rows) { throw limit.exceeded(total) }
    }

    static func matches(_ ids: KeyIDs, keepUnmatchedLeft: Bool = false, limit: RowLimit? = nil) throws -> Pairs {
        if let rowOf = uniqueRows(ids) {
            return try uniqueMatches(ids, rowOf: rowOf, keepUnmatchedLeft: keepUnmatchedLeft, limit: limit)
        }
        // Right rows bucketed by id, each bucket in the right side's order.
        var offsets = [Int](repeating: 0, count: ids.count + 1)
        for id in ids.right where id >= 0 { offsets[Int(id) + 1] += 1 }
        for k in 0..<ids.count { offsets[k + 1] += offsets[k] }
        var rows = [Int32](repeating: 0, count: offsets[ids.count])
        var fill = offsets
        for (r, id) in ids.right.enumerated() where id >= 0 {
            rows[fill[Int(id)]] = Int32(truncatingIfNeeded: r)
            fill[Int(id)] += 1
        }
        return try piecewise(ids.left.count, limit: limit, count: { range in
            ids.left.withUnsafeBufferPointer { left in
                var total = 0
                for i in range {
                    let found = left[i] >= 0 ? offsets[Int(left[i]) + 1] - offsets[Int(left[i])] : 0
                    total += keepUnmatchedLeft && found == 0 ? 1 : found
                }
                return total
            }
        }, fill: { range, l, r in
            var at = 0
            ids.left.withUnsafeBufferPointer { left in
                rows.withUnsafeBufferPointer { rows in
                    for i in range {
                        let id = Int(left[i])
                        if id < 0 || offsets[id] == offsets[id + 1] {
                            if keepUnmatchedLeft {
                                l[at] = Int32(truncatingIfNeeded: i)
                                r[at] = -1
                                at += 1
                            }
                            continue
                        }
                        for k in offsets[id]..<offsets[id + 1] {
                            l[at] = Int32(truncatingIfNeeded: i)
                            r[at] = rows[k]
                            at += 1
                        }
                    }
                }
            }
        })
    }

    /// Pairs made by pieces of the left rows, split over the cores for big inputs: `count` says how
    /// many pairs a range of left rows gives, then each range's pairs are written by `fill` into its
    /// own part of the result, in order, so the pairs keep the left side's order.
    private static func piecewise(_ n: Int, limit: RowLimit?, count: (Range<Int>) -> Int,
                                  fill: (Range<Int>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Void) throws -> Pairs {
        let pieces = n >= 1 << 18 ? Parallel.cores : 1
        let size = (n + pieces - 1) / max(1, pieces)
        let ranges = (0..<pieces).map { p in min(n, p * size)..<min(n, p * size + size) }
        let counts: [Int] = Parallel.map(pieces) { p in ranges[p].isEmpty ? 0 : count(ranges[p]) }
        let total = counts.reduce(0, +)
        try check(total, limit)
        var starts = [Int](repeating: 0, count: pieces)
        for p in 1..<max(1, pieces) { starts[p] = starts[p - 1] + counts[p - 1] }
        var leftOut = [Int32](repeating: 0, count: total)
        var rightOut = [Int32](repeating: 0, count: total)
        leftOut.withUnsafeMutableBufferPointer { lo in
            rightOut.withUnsafeMutableBufferPointer { ro in
                let l = UncheckedSendable(lo), r = UncheckedSendable(ro)
                Parallel.forEach(pieces) { p in
                    guard !ranges[p].isEmpty, let lb = l.value.baseAddress, let rb = r.value.baseAddress else { return }
                    fill(ranges[p], lb + starts[p], rb + starts[p])
                }
            }
        }
        return Pairs(left: leftOut, right: rightOut)
    }

    /// The right row of each id when no id is on two right rows, else nil. Counting rows against
    /// ids is not enough: a text key's ids are its dictionary's codes, and a dictionary may hold
    /// values no row uses while another value repeats.
    static func uniqueRows(_ ids: KeyIDs) -> [Int32]? {
        var rowOf = [Int32](repeating: -1, count: ids.count)
        let unique = ids.right.withUnsafeBufferPointer { right in
            rowOf.withUnsafeMutableBufferPointer { rowOf in
                for r in 0..<right.count where right[r] >= 0 {
                    let id = Int(right[r])
                    if rowOf[id] >= 0 { return false }
                    rowOf[id] = Int32(truncatingIfNeeded: r)
                }
                return true
            }
        }
        return unique ? rowOf : nil
    }

    /// `matches` when every right key is on one row (a lookup table, or the result of a `group`):
    /// each id names its row directly, so a left row reads one array entry instead of a bucket's
    /// bounds and then its rows.
    private static func uniqueMatches(_ ids: KeyIDs, rowOf: [Int32], keepUnmatchedLeft: Bool, limit: RowLimit?) throws -> Pairs {
        let n = ids.left.count
        if keepUnmatchedLeft {
            // One pair per left row, in place: the right row or the null row.
            try check(n, limit)
            let right = rowOf.withUnsafeBufferPointer { rowOf in
                mapRows(n) { i in
                    let id = ids.left[i]
                    return id >= 0 ? rowOf[Int(id)] : -1
                }
            }
            return Pairs(left: mapRows(n) { Int32(truncatingIfNeeded: $0) }, right: right)
        }
        return try piecewise(n, limit: limit, count: { range in
            ids.left.withUnsafeBufferPointer { left in
                var total = 0
                for i in range { total &+= Int(left[i] >= 0 ? 1 : 0) }
                return total
            }
        }, fill: { range, l, r in
            var at = 0
            ids.left.withUnsafeBufferPointer { left in
                rowOf.withUnsafeBufferPointer { rowOf in
                    for i in range where left[i] >= 0 {
                        l[at] = Int32(truncatingIfNeeded: i)
                        r[at] = rowOf[Int(left[i])]
                        at += 1
                    }
                }
            }
        })
    }

    /// Every pair of rows (a join without equality terms), left-major. The one join whose size is
    /// the product of its sides, so it asks `cancel` as it goes (about every million pairs).
    static func allPairs(leftCount: Int, rightCount: Int, cancel: CancellationCheck = .never,
                         limit: RowLimit? = nil) throws -> Pairs {
        let (total, overflow) = leftCount.multipliedReportingOverflow(by: rightCount)
        try check(overflow ? Int.max : total, limit)
        var left = [Int32](); left.reserveCapacity(total)
        var right = [Int32](); right.reserveCapacity(total)
        var sinceCheck = 0
        for i in 0..<leftCount {
            sinceCheck += rightCount
            if sinceCheck >= 1 << 20 {
                sinceCheck = 0
                try cancel.checkpoint()
            }
            for j in 0..<rightCount {
                left.append(Int32(truncatingIfNeeded: i)); right.append(Int32(truncatingIfNeeded: j))
            }
        }
        return Pairs(left: left, right: right)
    }

    /// Right rows whose key no left row has, in the right side's order, paired with the null row:
    /// the tail of a right or full join.
    static func unmatchedRight(_ ids: KeyIDs) -> Pairs {
        var hit = [Bool](repeating: false, count: ids.count)
        for id in ids.left where id >= 0 { hit[Int(id)] = true }
        var out = Pairs(left: [], right: [])
        for (r, id) in ids.right.enumerated() where id < 0 || !hit[Int(id)] {
            out.left.append(-1)
            out.right.append(Int32(truncatingIfNeeded: r))
        }
        return out
    }

    static func tooLarge(_ rows: Int) -> TallyError {
        TallyError(.runtime, "the join would make \(rows == Int.max ? "too many" : String(rows)) rows",
                   hint: "join on equal keys (`==county_code`) or filter both sides first")
    }

    /// The pairs that passed (`keep`, nil for all), with the null rows that the side adds: a left
    /// row without a match (left, full) in its place in the left order, a right row without a match
    /// (right, full) at the end in the right side's order.
    static func finish(_ pairs: Pairs, keep: [Bool]?, side: Side, leftCount: Int, rightCount: Int) -> Pairs {
        if side == .inner {
            guard let keep else { return pairs }
            var out = Pairs(left: [], right: [])
            for k in 0..<pairs.count where keep[k] { out.left.append(pairs.left[k]); out.right.append(pairs.right[k]) }
            return out
        }
        var out = Pairs(left: [], right: [])
        out.left.reserveCapacity(max(pairs.count, leftCount)); out.right.reserveCapacity(max(pairs.count, leftCount))
        var rightMatched = [Bool](repeating: false, count: side == .right || side == .full ? rightCount : 0)
        let keepLeftless = side == .left || side == .full
        var k = 0
        for i in 0..<leftCount {
            var matched = false
            while k < pairs.count, Int(pairs.left[k]) == i {
                if keep?[k] ?? true {
                    out.left.append(pairs.left[k]); out.right.append(pairs.right[k])
                    matched = true
                    if !rightMatched.isEmpty { rightMatched[Int(pairs.right[k])] = true }
                }
                k += 1
            }
            if !matched && keepLeftless { out.left.append(Int32(truncatingIfNeeded: i)); out.right.append(-1) }
        }
        if !rightMatched.isEmpty {
            for j in 0..<rightCount where !rightMatched[j] {
                out.left.append(-1); out.right.append(Int32(truncatingIfNeeded: j))
            }
        }
        return out
    }
}

/// An open-addressing map from 64-bit keys to dense ids in insertion order, for join keys that are
/// too spread out for a direct array. Linear probing in a power-of-two table at most half full.
struct Int64IDMap {
    /// A key and its id side by side, so a probe reads one cache line, not one in a key array and
    /// another in an id array (the probe of a big join is bound by those misses).
    private struct Slot {
        var key: Int64
        var id: Int32
    }
    private var slots: [Slot]
    private let mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, id: -1), count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The key's id, a new one if the key is new.
    mutating func insert(_ key: Int64) -> Int32 {
        var s = slot(key)
        while slots[s].id >= 0 {
            if slots[s].key == key { return slots[s].id }
            s = (s + 1) & mask
        }
        let id = Int32(truncatingIfNeeded: count)
        slots[s] = Slot(key: key, id: id)
        count += 1
        return id
    }

    /// How many rows ahead the bulk loops prefetch a key's slot: far enough for the line to arrive
    /// (a miss costs about as much as a few dozen rows' probes that hit), near enough to stay cached.
    static let lookahead = 16

    /// Ids for every row of `keys` that `valid` holds non-null (the others keep their -1), each
    /// new key the next id. The slot of the key `lookahead` rows on is prefetched as each row is
    /// inserted, so the misses of a table bigger than the caches overlap instead of queueing.
    mutating func insert(_ keys: [Int64], valid: Column, into ids: inout [Int32]) {
        let n = keys.count
        let ahead = Int64IDMap.lookahead
        keys.withUnsafeBufferPointer { keys in
            ids.withUnsafeMutableBufferPointer { ids in
                for i in 0..<n {
                    if i + ahead < n { slots.withUnsafeBufferPointer { tally_prefetch_write($0.baseAddress.map { $0 + slot(keys[i + ahead]) }) } }
                    if !valid.isNull(i) { ids[i] = insert(keys[i]) }
                }
            }
        }
    }

    /// The id of every row's key (-1 for a key not in the map, or a row `valid` holds null), split
    /// over the cores for big inputs, with the slot `lookahead` rows on prefetched.
    func find(_ keys: [Int64], valid: Column) -> [Int32] {
        let n = keys.count
        let ahead = Int64IDMap.lookahead
        let mask = self.mask
        return slots.withUnsafeBufferPointer { table in
            keys.withUnsafeBufferPointer { keys in
                HashJoin.mapRanges(n) { range, out in
                    guard let base = table.baseAddress else { return }
                    let end = range.upperBound
                    for i in range {
                        if i + ahead < end { tally_prefetch(base + slot(keys[i + ahead])) }
                        var s = slot(keys[i])
                        var id: Int32
                        while true {
                            let entry = base[s]
                            if entry.id < 0 || entry.key == keys[i] { id = entry.id; break }
                            s = (s + 1) & mask
                        }
                        (out + i).initialize(to: valid.isNull(i) ? -1 : id)
                    }
                }
            }
        }
    }

    /// The key's id, or -1.
    @inline(__always)
    func find(_ key: Int64) -> Int32 {
        var s = slot(key)
        return slots.withUnsafeBufferPointer { table in
            while true {
                let entry = table[s]
                if entry.id < 0 || entry.key == key { return entry.id }
                s = (s + 1) & mask
            }
        }
    }
}

extension Column {
    /// The rows at `indices`, where -1 gives a null row (the missing side of an outer join).
    func gather(nullable indices: [Int32]) -> Column {
        let n = indices.count
        func pick<T>(_ source: [T], _ zero: T) -> [T] {
            source.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { idx in
                    [T](unsafeUninitializedCapacity: n) { dst, initialized in
                        guard let base = dst.baseAddress else { initialized = 0; return }
                        for i in 0..<n {
                            let k = Int(idx[i])
                            (base + i).initialize(to: k >= 0 ? src[k] : zero)
                        }
                        initialized = n
                    }
                }
            }
        }
        let newValues: ColumnValues
        switch values {
        case .int(let v): newValues = .int(pick(v, 0))
        case .float(let v): newValues = .float(pick(v, 0))
        case .bool(let v): newValues = .bool(pick(v, false))
        case .date(let v): newValues = .date(pick(v, 0))
        case .timestamp(let v): newValues = .timestamp(pick(v, 0))
        case .text(let codes, let dictionary): newValues = .text(codes: pick(codes, 0), dictionary: dictionary)
        }
        var hasNull = validity != nil
        if !hasNull { for k in indices where k < 0 { hasNull = true; break } }
        guard hasNull else { return Column(newValues) }
        var newValidity = Validity(count: n, allValid: true)
        indices.withUnsafeBufferPointer { idx in
            for i in 0..<n {
                let k = Int(idx[i])
                if k < 0 || isNull(k) { newValidity.clear(i) }
            }
        }
        return Column(newValues, validity: newValidity)
    }
}
