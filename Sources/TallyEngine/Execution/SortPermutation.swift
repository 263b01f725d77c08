import CRuntime

/// The row order for `sort`: a stable permutation by the keys, each ascending or descending, nulls last.
enum SortPermutation {
    struct Key {
        var column: Column
        var descending: Bool
    }

    /// The sort keys prepared for comparing rows. Where it can, each key becomes an array of
    /// unsigned integers whose order is the key's order, direction and nulls-last included
    /// (`normalized`), so comparing two rows is comparing integers; otherwise (an integer column
    /// that uses both extremes and has nulls) integers or doubles compared with null checks.
    struct Comparator {
        private enum Values {
            case ints([Int64])
            case doubles([Double])
        }
        /// Every key normalized, most significant first; nil when some key could not be.
        let normalized: [[UInt64]]?
        private let prepared: [(Values, Bool, Column)]

        /// `normalize: false` for a few comparisons over many rows (the heap of `sort | take`),
        /// where building the normalized arrays would cost more than the comparisons save.
        init(_ keys: [Key], normalize: Bool = true) {
            let normal = normalize ? keys.map { SortPermutation.normalized($0) } : []
            if normalize, normal.allSatisfy({ $0 != nil }) {
                normalized = normal.compactMap { $0 }
                prepared = []
                return
            }
            normalized = nil
            prepared = keys.map { key in
                let c = key.column
                switch c.values {
                case .text(let codes, let dictionary):
                    let rank = SortPermutation.ranks(dictionary)
                    return (.ints(codes.map { Int64(rank[Int($0)]) }), key.descending, c)
                case .float(let v): return (.doubles(v), key.descending, c)
                default: return (.ints(c.int64Values), key.descending, c)
                }
            }
        }

        /// Whether row `i` comes before row `j`: by the keys, nulls last whatever the direction,
        /// then by row number (a stable sort).
        func precedes(_ i: Int, _ j: Int) -> Bool {
            if let normalized {
                for key in normalized where key[i] != key[j] { return key[i] < key[j] }
                return i < j
            }
            for (values, descending, column) in prepared {
                let ni = column.isNull(i), nj = column.isNull(j)
                if ni || nj {
                    if ni && nj { continue }
                    return nj
                }
                switch values {
                case .ints(let v):
                    if v[i] != v[j] { return descending ? v[i] > v[j] : v[i] < v[j] }
                case .doubles(let v):
                    if v[i] != v[j] { return descending ? v[i] > v[j] : v[i] < v[j] }
                }
            }
            return i < j
        }
    }

    /// Each text code's rank in code-point order of the strings (the last slot is for null codes).
    static func ranks(_ dictionary: TextDictionary) -> [UInt64] {
        let order = dictionary.strings.indices.sorted {
            dictionary.strings[$0].unicodeScalars.lexicographicallyPrecedes(dictionary.strings[$1].unicodeScalars)
        }
        var rank = [UInt64](repeating: 0, count: dictionary.count + 1)
        for (r, code) in order.enumerated() { rank[code] = UInt64(r) }
        return rank
    }

    /// The key as unsigned integers in the order the sort wants: ascending or descending, equal
    /// values equal (0.0 and -0.0 too), nulls after every value. Nil when the column's values use
    /// every integer, leaving none for null.
    static func normalized(_ key: Key) -> [UInt64]? {
        let c = key.column
        let n = c.count
        var out = [UInt64](repeating: 0, count: n)
        let flip: UInt64 = key.descending ? ~0 : 0
        switch c.values {
        case .text(let codes, let dictionary):
            let rank = ranks(dictionary)
            let top = UInt64(max(0, dictionary.count - 1))
            codes.withUnsafeBufferPointer { codes in
                out.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        let r = rank[Int(codes[i])]
                        out[i] = key.descending ? top - min(top, r) : r
                    }
                }
            }
        case .float(let v):
            v.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        var x = v[i]
                        if x == 0 { x = 0 }                     // -0.0 sorts with 0.0
                        if x.isNaN { x = .nan }                 // one NaN, above +infinity
                        let bits = x.bitPattern
                        let ordered = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
                        out[i] = ordered ^ flip
                    }
                }
            }
            // A canonical NaN's key is below UInt64.max either way, so that is free for null.
        default:
            let values = c.int64Values
            var usesTop = false
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        let k = (UInt64(bitPattern: v[i]) ^ (1 << 63)) ^ flip
                        out[i] = k
                        if k == .max, !c.isNull(i) { usesTop = true }
                    }
                }
            }
            if usesTop, c.nullCount > 0 { return nil }
        }
        if c.nullCount > 0 {
            for i in 0..<n where c.isNull(i) { out[i] = .max }
        }
        return out
    }

    /// The first `limit` rows of that order when a `take` follows (`sort … | take 10`): a bounded
    /// heap keeps the best rows seen, O(n log limit) instead of sorting every row. Ties break by
    /// row number, so the rows are exactly the first `limit` of the full stable sort.
    static func compute(_ keys: [Key], rowCount: Int, limit: Int? = nil) -> [Int] {
        if let limit, limit < rowCount / 4 {
            let precedes = Comparator(keys, normalize: false).precedes
            // A heap per piece of the rows, a piece or two per core, then the best of their best:
            // the order is total (ties by row), so the rows are those one heap would keep.
            let pieces = rowCount >= 1 << 16 && Parallel.cores > 1 ? Parallel.cores * 2 : 1
            guard pieces > 1 else { return top(max(0, limit), rows: 0..<rowCount, by: precedes) }
            let best = Parallel.map(pieces) { p in
                top(max(0, limit), rows: (rowCount / pieces * p)..<(p == pieces - 1 ? rowCount : rowCount / pieces * (p + 1)),
                    by: precedes)
            }
            return top(max(0, limit), rows: best.joined(), by: precedes)
        }
        let comparator = Comparator(keys)
        if let keys = comparator.normalized, rowCount >= 1 << 12, rowCount < Int(UInt32.max) {
            return radixSort(keys, rowCount: rowCount)
        }
        var permutation = Array(0..<rowCount)
        permutation.sort(by: comparator.precedes)
        return permutation
    }

    /// A stable least-significant-digit radix sort of the row numbers by normalized keys: the
    /// least significant key first, a byte at a time, skipping the bytes every row shares (a text
    /// key of a few values takes one pass). Each key is gathered once into the current order, so
    /// the passes read and write sequentially; ties keep row order, as the comparison sort does.
    static func radixSort(_ keys: [[UInt64]], rowCount n: Int) -> [Int] {
        var rows = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt32(truncatingIfNeeded: i) }
            count = n
        }
        var current = [UInt64](repeating: 0, count: n)
        var spareKeys = [UInt64](repeating: 0, count: n)
        var spareRows = [UInt32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 8 * 256)
        for key in keys.reversed() {
            key.withUnsafeBufferPointer { key in
                rows.withUnsafeBufferPointer { rows in
                    current.withUnsafeMutableBufferPointer { current in
                        for i in 0..<n { current[i] = key[Int(rows[i])] }
                    }
                }
            }
            for b in 0..<counts.count { counts[b] = 0 }
            current.withUnsafeBufferPointer { current in
                counts.withUnsafeMutableBufferPointer { counts in
                    for k in current {
                        for byte in 0..<8 { counts[byte << 8 | Int(truncatingIfNeeded: (k >> (byte << 3)) & 0xFF)] += 1 }
                    }
                }
            }
            for byte in 0..<8 {
                let histogram = counts[(byte << 8)..<((byte + 1) << 8)]
                if histogram.contains(n) { continue }  // every row has the same byte here
                var offsets = [Int](repeating: 0, count: 256)
                var total = 0
                for v in 0..<256 { offsets[v] = total; total += histogram[(byte << 8) + v] }
                let shift = UInt64(byte << 3)
                current.withUnsafeBufferPointer { current in
                    rows.withUnsafeBufferPointer { rows in
                        spareKeys.withUnsafeMutableBufferPointer { spareKeys in
                            spareRows.withUnsafeMutableBufferPointer { spareRows in
                                offsets.withUnsafeMutableBufferPointer { offsets in
                                    for i in 0..<n {
                                        let k = current[i]
                                        let v = Int(truncatingIfNeeded: (k >> shift) & 0xFF)
                                        let to = offsets[v]
                                        offsets[v] = to + 1
                                        spareKeys[to] = k
                                        spareRows[to] = rows[i]
                                    }
                                }
                            }
                        }
                    }
                }
                swap(&current, &spareKeys)
                swap(&rows, &spareRows)
            }
        }
        return rows.map { Int($0) }
    }

    /// Sorts each segment `starts[s]..<starts[s + 1]` of `rows` (row numbers, ascending within each
    /// segment) on its own, keeping at most `limit` rows of each: the sort inside `group`, for all
    /// groups in one call. The segments are shared between the cores. Returns the kept rows and
    /// where each segment now starts.
    static func sortSegments(_ rows: [Int], starts: [Int], keys: [Key], limit: Int?) -> (rows: [Int], starts: [Int]) {
        let comparator = Comparator(keys)
        let segments = starts.count - 1
        guard segments > 0 else { return (rows, starts) }
        // Two halves of about equal rows, cut at a segment boundary.
        let total = starts[segments]
        var cut = 0
        while cut < segments, starts[cut] < total / 2 { cut += 1 }
        let pieces = total < 1 << 14 || Parallel.cores < 2 ? [0..<segments] : [0..<cut, cut..<segments]
        var sorted = rows
        var keptPerSegment = [Int](repeating: 0, count: segments)
        sorted.withUnsafeMutableBufferPointer { buffer in
            keptPerSegment.withUnsafeMutableBufferPointer { kept in
                let shared = UncheckedSendable((buffer, kept))
                Parallel.forEach(pieces.count) { piece in
                    let (buffer, kept) = shared.value
                    // One normalized key: each segment sorts (key, row) pairs it holds in one
                    // scratch buffer, so a comparison is two integer compares, not a call through
                    // the comparator into arrays of arrays.
                    if limit == nil, let normalized = comparator.normalized, normalized.count == 1 {
                        normalized[0].withUnsafeBufferPointer { key in
                            var pairs: [(key: UInt64, row: Int)] = []
                            let end = starts[pieces[piece].upperBound]
                            for s in pieces[piece] {
                                let range = starts[s]..<starts[s + 1]
                                guard range.count > 1 else { continue }
                                pairs.removeAll(keepingCapacity: true)
                                for i in range {
                                    // The rows are in group order, their keys anywhere: the key a
                                    // few rows on is requested now, so the cache misses overlap.
                                    if i + 16 < end, let base = key.baseAddress { tally_prefetch(base + buffer[i + 16]) }
                                    pairs.append((key[buffer[i]], buffer[i]))
                                }
                                sortPairs(&pairs)
                                for (k, pair) in pairs.enumerated() { buffer[range.lowerBound + k] = pair.row }
                                kept[s] = range.count
                            }
                        }
                        return
                    }
                    for s in pieces[piece] {
                        let range = starts[s]..<starts[s + 1]
                        if let limit, limit < range.count / 4 {
                            let best = top(max(0, limit), rows: buffer[range], by: comparator.precedes)
                            for (k, row) in best.enumerated() { buffer[range.lowerBound + k] = row }
                            kept[s] = best.count
                        } else {
                            buffer[range].sort(by: comparator.precedes)
                            kept[s] = min(range.count, max(0, limit ?? range.count))
                        }
                    }
                }
            }
        }
        guard limit != nil else { return (sorted, starts) }
        var out: [Int] = []
        out.reserveCapacity(keptPerSegment.reduce(0, +))
        var newStarts = [0]
        newStarts.reserveCapacity(starts.count)
        for s in 0..<segments {
            out.append(contentsOf: sorted[starts[s]..<(starts[s] + keptPerSegment[s])])
            newStarts.append(out.count)
        }
        return (out, newStarts)
    }

    /// Sorts (key, row) pairs by key then row: insertion sort for short runs, a quicksort
    /// (median of three, insertion sort below 24) for longer ones, in place with no allocation —
    /// the standard library's stable sort allocated a buffer for each of a group body's hundred
    /// thousand segments. Rows are distinct, so the order is total and stability is not needed:
    /// equal keys still come out by row, as a stable sort would leave them.
    static func sortPairs(_ pairs: inout [(key: UInt64, row: Int)]) {
        pairs.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            quicksort(base, 0, p.count - 1)
        }
    }

    @inline(__always)
    private static func less(_ a: (key: UInt64, row: Int), _ b: (key: UInt64, row: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : a.row < b.row
    }

    private static func quicksort(_ p: UnsafeMutablePointer<(key: UInt64, row: Int)>, _ low: Int, _ high: Int) {
        var lo = low, hi = high
        while hi - lo >= 24 {
            // Median of three to the middle, then Hoare's partition around it.
            let mid = lo + (hi - lo) / 2
            if less(p[mid], p[lo]) { swap(&p[mid], &p[lo]) }
            if less(p[hi], p[lo]) { swap(&p[hi], &p[lo]) }
            if less(p[hi], p[mid]) { swap(&p[hi], &p[mid]) }
            let pivot = p[mid]
            var i = lo, j = hi
            while i <= j {
                while less(p[i], pivot) { i += 1 }
                while less(pivot, p[j]) { j -= 1 }
                if i <= j {
                    if i != j { swap(&p[i], &p[j]) }
                    i += 1
                    j -= 1
                }
            }
            // The smaller side by recursion, the larger by the loop: the stack stays logarithmic.
            if j - lo < hi - i {
                if lo < j { quicksort(p, lo, j) }
                lo = i
            } else {
                if i < hi { quicksort(p, i, hi) }
                hi = j
            }
        }
        if hi > lo {
            for i in (lo + 1)...hi {
                let item = p[i]
                var j = i
                while j > lo, less(item, p[j - 1]) {
                    p[j] = p[j - 1]
                    j -= 1
                }
                p[j] = item
            }
        }
    }

    /// The `limit` first rows by `precedes`, in order: a max-heap whose root is the worst row kept.
    static func top<Rows: Sequence<Int>>(_ limit: Int, rows: Rows, by precedes: (Int, Int) -> Bool) -> [Int] {
        guard limit > 0 else { return [] }
        var heap: [Int] = []
        heap.reserveCapacity(limit)
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[parent], heap[child]) else { return }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        func siftDown() {
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var worst = parent
                if left < heap.count, precedes(heap[worst], heap[left]) { worst = left }
                if right < heap.count, precedes(heap[worst], heap[right]) { worst = right }
                if worst == parent { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        for row in rows {
            if heap.count < limit {
                heap.append(row)
                siftUp(heap.count - 1)
            } else if precedes(row, heap[0]) {
                heap[0] = row
                siftDown()
            }
        }
        heap.sort(by: precedes)
        return heap
    }
}
