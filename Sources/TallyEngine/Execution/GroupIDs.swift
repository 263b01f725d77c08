/// Dense group numbers for rows, in order of each group's first appearance.
///
/// Each key column is first turned into dense per-column ids (text by dictionary code through an
/// array, numbers through a hash map on their bits, null as its own id); several keys are then
/// combined pairwise. No strings are hashed per row.
enum GroupIDs {
    /// Returns the group id of each row, the number of groups and, per group, its first row.
    static func compute(_ keys: [Column], rowCount: Int) -> (ids: [Int32], count: Int, firstRows: [Int]) {
        guard let first = keys.first else {
            return ([Int32](repeating: 0, count: rowCount), rowCount == 0 ? 0 : 1, rowCount == 0 ? [] : [0])
        }
        var (ids, count) = dense(first)
        for key in keys.dropFirst() {
            let (other, otherCount) = dense(key)
            var map = [UInt64: Int32]()
            var next: Int32 = 0
            for i in 0..<rowCount {
                let pair = UInt64(UInt32(bitPattern: ids[i])) &* UInt64(otherCount + 1) &+ UInt64(UInt32(bitPattern: other[i]))
                if let id = map[pair] { ids[i] = id } else {
                    map[pair] = next
                    ids[i] = next
                    next += 1
                }
            }
            count = Int(next)
        }
        var firstRows = [Int](repeating: -1, count: count)
        for i in 0..<rowCount where firstRows[Int(ids[i])] < 0 { firstRows[Int(ids[i])] = i }
        return (ids, count, firstRows)
    }

    /// Dense ids in first-appearance order for one column.
    static func dense(_ column: Column) -> ([Int32], Int) {
        let n = column.count
        var ids = [Int32](repeating: 0, count: n)
        var next: Int32 = 0
        var nullID: Int32 = -1
        switch column.values {
        case .text(let codes, let dictionary):
            var byCode = [Int32](repeating: -1, count: dictionary.count + 1)
            codes.withUnsafeBufferPointer { codes in
                for i in 0..<n {
                    if column.isNull(i) {
                        if nullID < 0 { nullID = next; next += 1 }
                        ids[i] = nullID
                        continue
                    }
                    let c = Int(codes[i])
                    if byCode[c] < 0 { byCode[c] = next; next += 1 }
                    ids[i] = byCode[c]
                }
            }
        case .bool(let v):
            var byValue: [Int32] = [-1, -1]
            for i in 0..<n {
                if column.isNull(i) {
                    if nullID < 0 { nullID = next; next += 1 }
                    ids[i] = nullID
                    continue
                }
                let k = v[i] ? 1 : 0
                if byValue[k] < 0 { byValue[k] = next; next += 1 }
                ids[i] = byValue[k]
            }
        default:
            let bits: [UInt64]
            switch column.values {
            case .int(let v): bits = v.map { UInt64(bitPattern: $0) }
            case .timestamp(let v): bits = v.map { UInt64(bitPattern: $0) }
            case .date(let v): bits = v.map { UInt64(UInt32(bitPattern: $0)) }
            case .float(let v): bits = v.map { $0 == 0 ? 0 : ($0.isNaN ? Double.nan.bitPattern : $0.bitPattern) }
            default: bits = []
            }
            var map = [UInt64: Int32](minimumCapacity: min(n, 1 << 16))
            for i in 0..<n {
                if column.isNull(i) {
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
        return (ids, Int(next))
    }
}
