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
        // The direct paths note each group's first row as they number it, which saves a pass.
        if keys.count > 1 {
            var firstRows: [Int]? = []
            if let (ids, count) = fusedDirect(keys, rowCount: rowCount, firstRows: &firstRows) {
                return (ids, count, firstRows ?? Self.firstRows(ids, count))
            }
            if let packed = packed(keys, rowCount: rowCount) { return hashedNumbered(packed) }
        }
        var (ids, count, firstRows) = denseNumbered(first)
        for key in keys.dropFirst() {
            let (other, otherCount) = dense(key)
            (ids, count, firstRows) = combineNumbered(ids, count, other, otherCount)
        }
        return (ids, count, firstRows ?? Self.firstRows(ids, count))
    }

    /// The slot a non-null reading of row `i` contributed (what the fused loop added for it).
    private static func valueSlot(_ key: Column, _ i: Int, _ lo: Int64) -> Int32 {
        switch key.values {
        case .text(let codes, _): return Int32(truncatingIfNeeded: codes[i])
        case .bool(let v): return v[i] ? 1 : 0
        case .int(let v), .timestamp(let v): return Int32(truncatingIfNeeded: v[i] &- lo)
        case .date(let v): return v[i] &- Int32(truncatingIfNeeded: lo)
        case .float: return 0
        }
    }

    static func firstRows(_ ids: [Int32], _ count: Int) -> [Int] {
        var first = [Int](repeating: -1, count: count)
        ids.withUnsafeBufferPointer { ids in
            for i in 0..<ids.count where first[Int(ids[i])] < 0 { first[Int(ids[i])] = i }
        }
        return first
    }

    /// Several keys whose values all fall in small ranges (text codes, booleans, years, county
    /// codes): each row's slot in the product of the ranges is accumulated key by key in tight
    /// loops, then slots become dense ids in one pass. Nil when a key is too wide for this.
    static func fusedDirect(_ keys: [Column], rowCount n: Int) -> ([Int32], Int)? {
        var unused: [Int]? = nil
        return fusedDirect(keys, rowCount: n, firstRows: &unused)
    }

    /// As above; `firstRows`, when not nil, gets each group's first row.
    static func fusedDirect(_ keys: [Column], rowCount n: Int, firstRows: inout [Int]?) -> ([Int32], Int)? {
        // Per key: its smallest value and the number of slots (values + one for null).
        var plans: [(lo: Int64, slots: Int)] = []
        var product = 1
        for key in keys {
            let lo: Int64, slots: Int
            switch key.values {
            case .text(_, let dictionary): (lo, slots) = (0, dictionary.count + 1)
            case .bool: (lo, slots) = (0, 3)
            case .int(let v), .timestamp(let v):
                let (a, b) = range(v, key.validity)
                let span = b.subtractingReportingOverflow(a)
                guard !span.overflow, span.partialValue < Int64(directLimit) else { return nil }
                (lo, slots) = (a, Int(span.partialValue) + 2)
            case .date(let v):
                let (a, b) = range(v.lazy.map { Int64($0) }, key.validity)
                guard b - a < Int64(directLimit) else { return nil }
                (lo, slots) = (a, Int(b - a) + 2)
            case .float: return nil
            }
            let next = product.multipliedReportingOverflow(by: slots)
            guard !next.overflow, next.partialValue <= directLimit else { return nil }
            product = next.partialValue
            plans.append((lo, slots))
        }
        var slot = [Int32](repeating: 0, count: n)
        for (key, plan) in zip(keys, plans) {
            // One tight loop per key type; nulls are patched afterwards, so the loops stay branch-free.
            let width = Int32(plan.slots)
            slot.withUnsafeMutableBufferPointer { slot in
                switch key.values {
                case .text(let codes, _):
                    codes.withUnsafeBufferPointer { c in
                        for i in 0..<n { slot[i] = slot[i] &* width &+ Int32(truncatingIfNeeded: c[i]) }
                    }
                case .bool(let v):
                    v.withUnsafeBufferPointer { b in
                        for i in 0..<n { slot[i] = slot[i] &* width &+ (b[i] ? 1 : 0) }
                    }
                case .int(let v), .timestamp(let v):
                    v.withUnsafeBufferPointer { b in
                        for i in 0..<n { slot[i] = slot[i] &* width &+ Int32(truncatingIfNeeded: b[i] &- plan.lo) }
                    }
                case .date(let v):
                    let lo = Int32(truncatingIfNeeded: plan.lo)
                    v.withUnsafeBufferPointer { b in
                        for i in 0..<n { slot[i] = slot[i] &* width &+ (b[i] &- lo) }
                    }
                case .float: break
                }
                if let validity = key.validity {
                    // A null row's value slot is replaced by the key's null slot.
                    let nullSlot = Int32(plan.slots - 1)
                    for i in 0..<n where !validity.isValid(i) {
                        let base = slot[i] &- valueSlot(key, i, plan.lo)
                        slot[i] = base &+ nullSlot
                    }
                }
            }
        }
        if n >= 1 << 18, Parallel.cores > 1, product < 1 << 16 {
            let numbered = slot.withUnsafeBufferPointer { slot in
                parallelDirect(n, slots: product, validity: nil, FusedSlots(slots: slot))
            }
            if firstRows != nil { firstRows = numbered.firstRows }
            return (numbered.ids, Int(numbered.count))
        }
        var table = [Int32](repeating: -1, count: product)
        var ids = [Int32](repeating: 0, count: n)
        var next: Int32 = 0
        var first: [Int] = []
        table.withUnsafeMutableBufferPointer { table in
            slot.withUnsafeBufferPointer { slot in
                ids.withUnsafeMutableBufferPointer { ids in
                    for i in 0..<n {
                        let s = Int(slot[i])
                        if table[s] < 0 { table[s] = next; next += 1; first.append(i) }
                        ids[i] = table[s]
                    }
                }
            }
        }
        if firstRows != nil { firstRows = first }
        return (ids, Int(next))
    }

    /// Several keys too wide for a direct array together whose ranges still fit 64 bits (a student
    /// id and a year, a county code and a date): each row's values, offset from their minimum,
    /// side by side in one integer, a key's null as the value above its range. One hash
    /// numbering of these, instead of one per key and one per pair of ids. Nil for float keys
    /// (-0.0 and 0.0 are one group) and for ranges that do not fit.
    static func packed(_ keys: [Column], rowCount n: Int) -> [UInt64]? {
        var plans: [(lo: Int64, bits: Int)] = []
        var total = 0
        for key in keys {
            let lo: Int64, slots: UInt64
            switch key.values {
            case .text(_, let dictionary): (lo, slots) = (0, UInt64(dictionary.count) + 1)
            case .bool: (lo, slots) = (0, 3)
            case .int(let v), .timestamp(let v):
                let (a, b) = range(v, key.validity)
                let span = b.subtractingReportingOverflow(a)
                guard !span.overflow else { return nil }
                (lo, slots) = (a, UInt64(span.partialValue) + 2)
            case .date(let v):
                let (a, b) = range(v.lazy.map { Int64($0) }, key.validity)
                (lo, slots) = (a, UInt64(b - a) + 2)
            case .float: return nil
            }
            // Bits for the values 0 ..< slots, the last of them null.
            let bits = 64 - (slots - 1).leadingZeroBitCount
            total += bits
            guard total <= 64 else { return nil }
            plans.append((lo, bits))
        }
        var packed = [UInt64](repeating: 0, count: n)
        packed.withUnsafeMutableBufferPointer { out in
            for (key, plan) in zip(keys, plans) {
                let shift = UInt64(plan.bits)
                switch key.values {
                case .text(let codes, _):
                    codes.withUnsafeBufferPointer { c in for i in 0..<n { out[i] = out[i] << shift | UInt64(c[i]) } }
                case .bool(let v):
                    v.withUnsafeBufferPointer { b in for i in 0..<n { out[i] = out[i] << shift | (b[i] ? 1 : 0) } }
                case .int(let v), .timestamp(let v):
                    v.withUnsafeBufferPointer { b in
                        for i in 0..<n { out[i] = out[i] << shift | UInt64(bitPattern: b[i] &- plan.lo) }
                    }
                case .date(let v):
                    v.withUnsafeBufferPointer { b in
                        for i in 0..<n { out[i] = out[i] << shift | UInt64(bitPattern: Int64(b[i]) &- plan.lo) }
                    }
                case .float: break
                }
                if let validity = key.validity {
                    // Null is all ones in the key's bits, above every value (at most slots - 2).
                    let mask: UInt64 = shift == 64 ? ~0 : (1 << shift) - 1
                    for i in 0..<n where !validity.isValid(i) { out[i] = out[i] & ~mask | mask }
                }
            }
        }
        return packed
    }

    /// Dense ids in first-appearance order for 64-bit keys with no nulls: in partitions on every
    /// core for many rows, one table otherwise.
    static func hashedNumbered(_ keys: [UInt64]) -> (ids: [Int32], count: Int, firstRows: [Int]) {
        if let numbered = keys.withUnsafeBufferPointer({ PartitionedKeys.assign($0) }) { return numbered }
        var table = DenseKeyTable(expected: min(keys.count, 1 << 16))
        table.recordsFirstRows = true
        var ids = [Int32](repeating: 0, count: keys.count)
        var noNulls: Int32 = -1
        keys.withUnsafeBufferPointer { k in ids.withUnsafeMutableBufferPointer { table.assign(k, into: $0, nullID: &noNulls) } }
        return (ids, Int(table.count), table.firstRows)
    }

    /// Ids of the pairs (a, b), dense in first-appearance order.
    static func combine(_ a: [Int32], _ aCount: Int, _ b: [Int32], _ bCount: Int) -> ([Int32], Int) {
        let (ids, count, _) = combineNumbered(a, aCount, b, bCount)
        return (ids, count)
    }

    /// As above, with each group's first row, noted as each id is handed out.
    static func combineNumbered(_ a: [Int32], _ aCount: Int, _ b: [Int32], _ bCount: Int)
        -> (ids: [Int32], count: Int, firstRows: [Int]?) {
        var first: [Int]? = []
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
                            var found: [Int] = []
                            for i in 0..<n {
                                let k = Int(a[i]) * bCount + Int(b[i])
                                if slot[k] < 0 { slot[k] = next; next += 1; found.append(i) }
                                out[i] = slot[k]
                            }
                            first = found
                        }
                    } else {
                        var pairs = [UInt64](repeating: 0, count: n)
                        for i in 0..<n {
                            pairs[i] = UInt64(UInt32(bitPattern: a[i])) << 32 | UInt64(UInt32(bitPattern: b[i]))
                        }
                        if let numbered = pairs.withUnsafeBufferPointer({ PartitionedKeys.assign($0) }) {
                            numbered.ids.withUnsafeBufferPointer { ids in
                                guard let from = ids.baseAddress, let to = out.baseAddress else { return }
                                to.update(from: from, count: n)
                            }
                            next = Int32(numbered.count)
                            first = numbered.firstRows
                            return
                        }
                        var table = DenseKeyTable(expected: min(n, max(aCount, bCount)))
                        table.recordsFirstRows = true
                        var unused: Int32 = -1
                        pairs.withUnsafeBufferPointer { table.assign($0, into: out, nullID: &unused) }
                        next = table.count
                        first = table.firstRows
                    }
                }
            }
        }
        return (out, Int(next), first)
    }

    /// Dense ids in first-appearance order for one column.
    static func dense(_ column: Column) -> ([Int32], Int) {
        let (ids, count, _) = denseNumbered(column)
        return (ids, count)
    }

    /// As above, with each group's first row, noted as each id is handed out.
    static func denseNumbered(_ column: Column) -> (ids: [Int32], count: Int, firstRows: [Int]?) {
        let n = column.count
        // Allocated by the path that fills it (the parallel ones write every id without zeroing).
        var ids: [Int32] = []
        var next: Int32 = 0
        var nullID: Int32 = -1
        var first: [Int]? = []
        let validity = column.validity
        /// Assigns ids through `slotOf(i)`, an index into a table of `slots` entries (or -1 for null).
        func direct(slots: Int, _ slotOf: (Int) -> Int) {
            ids = [Int32](repeating: 0, count: n)
            var table = [Int32](repeating: -1, count: slots + 1)
            var found: [Int] = []
            table.withUnsafeMutableBufferPointer { table in
                ids.withUnsafeMutableBufferPointer { ids in
                    if let validity {
                        for i in 0..<n {
                            if !validity.isValid(i) {
                                if nullID < 0 { nullID = next; next += 1; found.append(i) }
                                ids[i] = nullID
                                continue
                            }
                            let s = slotOf(i)
                            if table[s] < 0 { table[s] = next; next += 1; found.append(i) }
                            ids[i] = table[s]
                        }
                    } else {
                        for i in 0..<n {
                            let s = slotOf(i)
                            if table[s] < 0 { table[s] = next; next += 1; found.append(i) }
                            ids[i] = table[s]
                        }
                    }
                }
            }
            first = found
        }
        /// Whether `parallelDirect` is worth it: many rows, few slots, more than one core.
        func parallel(_ slots: Int) -> Bool { n >= 1 << 18 && Parallel.cores > 1 && slots < 1 << 16 }
        switch column.values {
        case .text(let codes, let dictionary):
            codes.withUnsafeBufferPointer { codes in
                if parallel(dictionary.count) {
                    (ids, next, first) = parallelDirect(n, slots: dictionary.count, validity: validity, CodeSlots(codes: codes))
                } else {
                    direct(slots: dictionary.count) { Int(codes[$0]) }
                }
            }
        case .bool(let v):
            v.withUnsafeBufferPointer { v in direct(slots: 2) { v[$0] ? 1 : 0 } }
        case .date(let v):
            let (lo, hi) = range(v.lazy.map { Int64($0) }, validity)
            if hi - lo < Int64(directLimit) {
                v.withUnsafeBufferPointer { v in
                    if parallel(Int(hi - lo) + 1) {
                        (ids, next, first) = parallelDirect(n, slots: Int(hi - lo) + 1, validity: validity,
                                                            DateSlots(values: v, lo: Int32(truncatingIfNeeded: lo)))
                    } else {
                        direct(slots: Int(hi - lo) + 1) { Int(Int64(v[$0]) - lo) }
                    }
                }
            } else {
                hashed(v.map { UInt64(UInt32(bitPattern: $0)) })
            }
        case .int(let v), .timestamp(let v):
            let (lo, hi) = range(v, validity)
            let span = hi.subtractingReportingOverflow(lo)
            if !span.overflow, span.partialValue < Int64(directLimit) {
                let slots = Int(span.partialValue) + 1
                v.withUnsafeBufferPointer { v in
                    if parallel(slots) {
                        (ids, next, first) = parallelDirect(n, slots: slots, validity: validity, IntSlots(values: v, lo: lo))
                    } else {
                        direct(slots: slots) { Int(v[$0] &- lo) }
                    }
                }
            } else if validity == nil, let numbered = v.withUnsafeBufferPointer({ v in
                v.withMemoryRebound(to: UInt64.self) { PartitionedKeys.assign($0) }
            }) {
                return numbered
            } else {
                hashed(v.map { UInt64(bitPattern: $0) })
            }
        case .float(let v):
            hashed(v.map { $0 == 0 ? 0 : ($0.isNaN ? Double.nan.bitPattern : $0.bitPattern) })
        }

        func hashed(_ bits: [UInt64]) {
            if validity == nil, let numbered = bits.withUnsafeBufferPointer({ PartitionedKeys.assign($0) }) {
                (ids, next, first) = (numbered.ids, Int32(numbered.count), numbered.firstRows)
                return
            }
            ids = [Int32](repeating: 0, count: n)
            var table = DenseKeyTable(expected: min(n, 1 << 16))
            table.recordsFirstRows = true
            bits.withUnsafeBufferPointer { bits in
                ids.withUnsafeMutableBufferPointer { ids in
                    table.assign(bits, into: ids, nullID: &nullID, validity: validity)
                }
            }
            next = table.count
            first = table.firstRows
        }
        return (ids, Int(next), first)
    }

    /// `direct` for many rows and few slots, on every core: each piece of the rows notes the
    /// first row of each slot it meets, the slots are numbered in order of their first row over
    /// all pieces (the order one pass would give), and the pieces then write their rows' ids.
    /// Slot `slots` stands for null. Generic over the reader of slots, so that each kind of key is
    /// specialized into the loops: a closure called per row cost more than the second core saved.
    static func parallelDirect<Reader: SlotReader>(_ n: Int, slots: Int, validity: Validity?, _ reader: Reader)
        -> (ids: [Int32], count: Int32, firstRows: [Int]) {
        let pieces = Parallel.cores * 2
        func rows(_ p: Int) -> Range<Int> { (n / pieces * p)..<(p == pieces - 1 ? n : n / pieces * (p + 1)) }
        @inline(__always) func slot(_ i: Int) -> Int {
            if let validity, !validity.isValid(i) { return slots }
            return reader.slot(i)
        }
        let firsts: [[Int]] = Parallel.map(pieces) { p in
            var first = [Int](repeating: -1, count: slots + 1)
            first.withUnsafeMutableBufferPointer { first in
                for i in rows(p) {
                    let s = slot(i)
                    if first[s] < 0 { first[s] = i }
                }
            }
            return first
        }
        var firstOfSlot = [Int](repeating: -1, count: slots + 1)
        for first in firsts {
            for s in 0...slots where firstOfSlot[s] < 0 && first[s] >= 0 { firstOfSlot[s] = first[s] }
        }
        let order = (0...slots).filter { firstOfSlot[$0] >= 0 }.sorted { firstOfSlot[$0] < firstOfSlot[$1] }
        var table = [Int32](repeating: -1, count: slots + 1)
        for (id, s) in order.enumerated() { table[s] = Int32(id) }
        let ids = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = UncheckedSendable(buffer)
            table.withUnsafeBufferPointer { table in
                Parallel.forEach(pieces) { p in
                    for i in rows(p) { out.value[i] = table[slot(i)] }
                }
            }
            initialized = n
        }
        return (ids, Int32(order.count), order.map { firstOfSlot[$0] })
    }

    /// Smallest and largest non-null value (0, 0 when there is none).
    private static func range(_ values: [Int64], _ validity: Validity?) -> (Int64, Int64) {
        guard validity == nil else { return range(values.lazy, validity) }
        // No nulls: the extremes of a piece per core (one piece for small inputs), combined.
        let n = values.count
        let pieces = n >= 1 << 18 && Parallel.cores > 1 ? Parallel.cores : 1
        let parts: [(lo: Int64, hi: Int64)] = values.withUnsafeBufferPointer { v in
            Parallel.map(pieces) { p in
                extremes(UnsafeBufferPointer(rebasing: v[(n / pieces * p)..<(p == pieces - 1 ? n : n / pieces * (p + 1))]))
            }
        }
        let lo = parts.map(\.lo).min() ?? .max, hi = parts.map(\.hi).max() ?? .min
        return lo > hi ? (0, 0) : (lo, hi)
    }

    /// Smallest and largest value (Int64.max, Int64.min when empty): a reduction over four
    /// independent pairs of accumulators, so that no comparison waits on the one before it
    /// (64-bit min/max has no SSE2 vector form).
    private static func extremes(_ v: UnsafeBufferPointer<Int64>) -> (lo: Int64, hi: Int64) {
        var lo0 = Int64.max, lo1 = Int64.max, lo2 = Int64.max, lo3 = Int64.max
        var hi0 = Int64.min, hi1 = Int64.min, hi2 = Int64.min, hi3 = Int64.min
        var i = 0
        while i + 4 <= v.count {
            lo0 = Swift.min(lo0, v[i]); hi0 = Swift.max(hi0, v[i])
            lo1 = Swift.min(lo1, v[i + 1]); hi1 = Swift.max(hi1, v[i + 1])
            lo2 = Swift.min(lo2, v[i + 2]); hi2 = Swift.max(hi2, v[i + 2])
            lo3 = Swift.min(lo3, v[i + 3]); hi3 = Swift.max(hi3, v[i + 3])
            i += 4
        }
        while i < v.count {
            lo0 = Swift.min(lo0, v[i]); hi0 = Swift.max(hi0, v[i])
            i += 1
        }
        return (Swift.min(Swift.min(lo0, lo1), Swift.min(lo2, lo3)), Swift.max(Swift.max(hi0, hi1), Swift.max(hi2, hi3)))
    }

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

/// A key's slot in a direct table, row by row, for `GroupIDs.parallelDirect`.
protocol SlotReader {
    func slot(_ row: Int) -> Int
}

/// Text: the dictionary code.
struct CodeSlots: SlotReader {
    let codes: UnsafeBufferPointer<UInt32>
    @inline(__always) func slot(_ row: Int) -> Int { Int(codes[row]) }
}

/// Ints and timestamps: the offset from the smallest value.
struct IntSlots: SlotReader {
    let values: UnsafeBufferPointer<Int64>
    let lo: Int64
    @inline(__always) func slot(_ row: Int) -> Int { Int(truncatingIfNeeded: values[row] &- lo) }
}

/// Dates: the offset from the earliest.
struct DateSlots: SlotReader {
    let values: UnsafeBufferPointer<Int32>
    let lo: Int32
    @inline(__always) func slot(_ row: Int) -> Int { Int(values[row] &- lo) }
}

/// Several keys' slots already combined (`fusedDirect`).
struct FusedSlots: SlotReader {
    let slots: UnsafeBufferPointer<Int32>
    @inline(__always) func slot(_ row: Int) -> Int { Int(slots[row]) }
}
