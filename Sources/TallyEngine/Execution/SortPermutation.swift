/// The row order for `sort`: a stable permutation by the keys, each ascending or descending, nulls last.
enum SortPermutation {
    struct Key {
        var column: Column
        var descending: Bool
    }

    static func compute(_ keys: [Key], rowCount: Int) -> [Int] {
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
        var permutation = Array(0..<rowCount)
        permutation.sort { i, j in
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
        return permutation
    }
}
