/// The row order for `sort`: a stable permutation by the keys, each ascending or descending, nulls last.
enum SortPermutation {
    struct Key {
        var column: Column
        var descending: Bool
    }

    /// The first `limit` rows of that order when a `take` follows (`sort … | take 10`): a bounded
    /// heap keeps the best rows seen, O(n log limit) instead of sorting every row. Ties break by
    /// row number, so the rows are exactly the first `limit` of the full stable sort.
    static func compute(_ keys: [Key], rowCount: Int, limit: Int? = nil) -> [Int] {
        // Each key becomes an array of comparable integers or doubles, so the comparator does no
        // dictionary or string work.
        enum Comparable {
            case ints([Int64])
            case doubles([Double])
        }
        let prepared: [(Comparable, Bool, Column)] = keys.map { key in
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
        func precedes(_ i: Int, _ j: Int) -> Bool {
            for (values, descending, column) in prepared {
                let ni = column.isNull(i), nj = column.isNull(j)
                if ni || nj {
                    if ni && nj { continue }
                    return nj  // nulls last, whatever the direction
                }
                switch values {
                case .ints(let v):
                    if v[i] != v[j] { return descending ? v[i] > v[j] : v[i] < v[j] }
                case .doubles(let v):
                    if v[i] != v[j] { return descending ? v[i] > v[j] : v[i] < v[j] }
                }
            }
            return i < j  // stable
        }
        if let limit, limit < rowCount / 4 {
            return top(max(0, limit), rowCount: rowCount, by: precedes)
        }
        var permutation = Array(0..<rowCount)
        permutation.sort(by: precedes)
        return permutation
    }

    /// The `limit` first rows by `precedes`, in order: a max-heap whose root is the worst row kept.
    static func top(_ limit: Int, rowCount: Int, by precedes: (Int, Int) -> Bool) -> [Int] {
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
        for row in 0..<rowCount {
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
