/// Dense group numbers for rows, in order of each group's first appearance.
///
/// Each key column is first turned into dense per-column ids: text by dictionary code through an
/// array, integers and dates through an array over their value range when it is small (years,
/// county codes), other numbers through a hash map on their bits, null as its own id. Several keys
/// are then combined pairwise, again through an array when the product of their id counts is small.
/// No strings are hashed per row.
enum GroupIDs {
    /// Largest value range (or id product) handled with a direct array instead of a hash map.
    static let directLimit = 1 << 22

    /// Returns the group id of each row, the number of groups and, per group, its first row.
    static func compute(_ keys: [Column], rowCount: Int) -> (ids: [Int32], count: Int, firstRows: [Int]) {
        guard let first = keys.first else {
            return ([Int32](repeating: 0, count: rowCount), rowCount == 0 ? 0 : 1, rowCount == 0 ? [] : [0])
        }
        var (ids, count) = dense(first)
        for key in keys.dropFirst() {
            let (other, otherCount) = dense(key)
            (ids, count) = combine(ids, count, other, otherCount)
        }
        var firstRows = [Int](repeating: -1, count: count)
        ids.withUnsafeBufferPointer { ids in
            for i in 0..<rowCount where firstRows[Int(ids[i])] < 0 { firstRows[Int(ids[i])] = i }
        }
        return (ids, count, firstRows)
    }

    /// Ids of the pairs (a, b), dense in first-appearance order.
    static func combine(_ a: [Int32], _ aCount: Int, _ b: [Int32], _ bCount: Int) -> ([Int32], Int) {
        let n = a.count
        var out = [Int32](repeating: 0, count: n)
        var next: Int32 = 0
        let product = aCount.multipliedReportingOverflow(by: max(1, bCount))
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    if !product.overflow, product.partialValue <= directLimit {
                        var slot = [Int32](repeating: -1, count: max(1, product.partialValue))
                        slot.withUnsafeMutableBufferPointer { slot in
                            for i in 0..<n {
                                let k = Int(a[i]) * bCount + Int(b[i])
                                if slot[k] < 0 { slot[k] = next; next += 1 }
                                out[i] = slot[k]
                            }
                        }
                    } else {
                        var map = [UInt64: Int32]()
                        for i in 0..<n {
                            let pair = UInt64(UInt32(bitPattern: a[i])) << 32 | UInt64(UInt32(bitPattern: b[i]))
                            if let id = map[pair] { out[i] = id } else {
                                map[pair] = next
                                out[i] = next
                                next += 1
                            }
                        }
                    }
                }
            }
        }
        return (out, Int(next))
    }

    /// Dense ids in first-appearance order for one column.
    static func dense(_ column: Column) -> ([Int32], Int) {
        let n = column.count
        var ids = [Int32](repeating: 0, count: n)
        var next: Int32 = 0
        var nullID: Int32 = -1
        let validity = column.validity
        /// Assigns ids through `slotOf(i)`, an index into a table of `slots` entries (or -1 for null).
        func direct(slots: Int, _ slotOf: (Int) -> Int) {
            var table = [Int32](repeating: -1, count: slots + 1)
            table.withUnsafeMutableBufferPointer { table in
                ids.withUnsafeMutableBufferPointer { ids in
                    for i in 0..<n {
                        if let validity, !validity.isValid(i) {
                            if nullID < 0 { nullID = next; next += 1 }
                            ids[i] = nullID
                            continue
                        }
                        let s = slotOf(i)
                        if table[s] < 0 { table[s] = next; next += 1 }
                        ids[i] = table[s]
                    }
                }
            }
        }
        switch column.values {
        case .text(let codes, let dictionary):
            codes.withUnsafeBufferPointer { codes in direct(slots: dictionary.count) { Int(codes[$0]) } }
        case .bool(let v):
            v.withUnsafeBufferPointer { v in direct(slots: 2) { v[$0] ? 1 : 0 } }
        case .date(let v):
            let (lo, hi) = range(v.lazy.map { Int64($0) }, validity)
            if hi - lo < Int64(directLimit) {
                v.withUnsafeBufferPointer { v in direct(slots: Int(hi - lo) + 1) { Int(Int64(v[$0]) - lo) } }
            } else {
                hashed(v.map { UInt64(UInt32(bitPattern: $0)) })
            }
        case .int(let v), .timestamp(let v):
            let (lo, hi) = range(v, validity)
            let span = hi.subtractingReportingOverflow(lo)
            if !span.overflow, span.partialValue < Int64(directLimit) {
                v.withUnsafeBufferPointer { v in direct(slots: Int(span.partialValue) + 1) { Int(v[$0] &- lo) } }
            } else {
                hashed(v.map { UInt64(bitPattern: $0) })
            }
        case .float(let v):
            hashed(v.map { $0 == 0 ? 0 : ($0.isNaN ? Double.nan.bitPattern : $0.bitPattern) })
        }

        func hashed(_ bits: [UInt64]) {
            var map = [UInt64: Int32](minimumCapacity: min(n, 1 << 16))
            bits.withUnsafeBufferPointer { bits in
                for i in 0..<n {
                    if let validity, !validity.isValid(i) {
                        if nullID < 0 { nullID = next; next += 1 }
                        ids[i] = nullID
                        continue
                    }
                    if let id = map[bits[i]] { ids[i] = id } else {
                        map[bits[i]] = next
                        ids[i] = next
                        next += 1
                    }
                }
            }
        }
        return (ids, Int(next))
    }

    /// Smallest and largest non-null value (0, 0 when there is none).
    private static func range<S: Sequence>(_ values: S, _ validity: Validity?) -> (Int64, Int64) where S.Element == Int64 {
        var lo = Int64.max, hi = Int64.min
        var i = 0
        for v in values {
            if validity?.isValid(i) ?? true {
                if v < lo { lo = v }
                if v > hi { hi = v }
            }
            i += 1
        }
        return lo > hi ? (0, 0) : (lo, hi)
    }
}
