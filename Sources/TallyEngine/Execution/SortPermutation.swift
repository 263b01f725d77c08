/// The row order for `sort`: a stable permutation by the keys, each ascending or descending, nulls last.
enum SortPermutation {
    struct Key {
        var column: Column
        var descending: Bool
    }

    /// The sort keys prepared for comparing rows: each key becomes an array of comparable integers
    /// or doubles, so the comparator does no dictionary or string work.
    struct Comparator {
        private enum Values {
            case ints([Int64])
            case doubles([Double])
        }
        private let prepared: [(Values, Bool, Column)]

        init(_ keys: [Key]) {
            prepared = keys.map { key in
                let c = key.column
                switch c.values {
                case .text(let codes, let dictionary):
                    let order = dictionary.strings.indices.sorted {
                        dictionary.strings[$0].unicodeScalars.lexicographicallyPrecedes(dictionary.strings[$1].unicodeScalars)
                    }
                    var rank = [Int64](repeating: 0, count: dictionary.count + 1)
                    for (r, code) in order.enumerated() { rank[code] = Int64(r) }
                    return (.ints(codes.map { rank[Int($0)] }), key.descending, c)
                case .float(let v): return (.doubles(v), key.descending, c)
                default: return (.ints(c.int64Values), key.descending, c)
                }
            }
        }

        /// Whether row `i` comes before row `j`: by the keys, nulls last whatever the direction,
        /// then by row number (a stable sort).
        func precedes(_ i: Int, _ j: Int) -> Bool {
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

    /// The first `limit` rows of that order when a `take` follows (`sort … | take 10`): a bounded
    /// heap keeps the best rows seen, O(n log limit) instead of sorting every row. Ties break by
    /// row number, so the rows are exactly the first `limit` of the full stable sort.
    static func compute(_ keys: [Key], rowCount: Int, limit: Int? = nil) -> [Int] {
        let comparator = Comparator(keys)
        if let limit, limit < rowCount / 4 {
            return top(max(0, limit), rows: 0..<rowCount, by: comparator.precedes)
        }
        var permutation = Array(0..<rowCount)
        permutation.sort(by: comparator.precedes)
        return permutation
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
