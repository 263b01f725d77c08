import CRuntime

/// Dense ids for 64-bit keys, in order of first appearance: an open-addressing hash table with
/// linear probing, for group keys too wide for a direct array (student ids, pairs of ids).
///
/// Each slot holds the key beside its id, so a probe touches one cache line; the table stays at
/// most half full and doubles when it would not. Swift's `Dictionary` did the same job about ten
/// times slower on millions of distinct keys (hashing through `Hasher`, copy-on-write checks, and
/// optional boxing per lookup).
struct DenseKeyTable {
    private struct Slot {
        var key: UInt64
        /// -1 while the slot is empty.
        var id: Int32
    }

    private var slots: [Slot]
    private var shift: UInt64
    /// Ids handed out so far: the next key gets this one.
    private(set) var count: Int32 = 0
    /// When set, `firstRows[id]` is the row that first got `id` (a group-by needs it, and noting
    /// it here saves a pass of random writes over all rows afterwards).
    var recordsFirstRows = false
    private(set) var firstRows: [Int] = []

    /// How many rows ahead `assign` prefetches a key's slot (as `Int64IDMap.lookahead`).
    static let lookahead = 16

    /// A table for about `expected` distinct keys before it first grows.
    init(expected: Int) {
        var bits = 4
        while (1 << bits) < expected * 2, bits < 40 { bits += 1 }
        slots = [Slot](repeating: Slot(key: 0, id: -1), count: 1 << bits)
        shift = UInt64(64 - bits)
    }

    /// Assigns each key its id (an existing key keeps the one it got first), writing them to `ids`.
    /// Null rows (by `validity`) get `nullID`, which is handed out on the first such row.
    mutating func assign(_ keys: UnsafeBufferPointer<UInt64>, into ids: UnsafeMutableBufferPointer<Int32>,
                         nullID: inout Int32, validity: Validity? = nil) {
        var i = 0
        let n = keys.count
        while i < n {
            // Work in runs that cannot overfill the table, then grow before the next run.
            let room = (slots.count >> 1) - Int(count)
            if room <= 0 {
                grow()
                continue
            }
            let end = min(n, i + room)
            let capacity = slots.count
            let mask = capacity - 1
            let shift = self.shift
            var next = count
            let record = recordsFirstRows
            var first: [Int] = []
            swap(&first, &firstRows)
            defer { swap(&first, &firstRows) }
            slots.withUnsafeMutableBufferPointer { slots in
                guard let base = slots.baseAddress else { return }
                for row in i..<end {
                    // The slot of the key a few rows on starts loading now, so a table larger than
                    // the caches costs overlapping misses rather than one after another.
                    if row + DenseKeyTable.lookahead < end {
                        let ahead = keys[row + DenseKeyTable.lookahead]
                        tally_prefetch_write(base + Int(truncatingIfNeeded: (ahead &* 0x9E37_79B9_7F4A_7C15) >> shift))
                    }
                    if let validity, !validity.isValid(row) {
                        if nullID < 0 {
                            nullID = next
                            next += 1
                            if record { first.append(row) }
                        }
                        ids[row] = nullID
                        continue
                    }
                    let key = keys[row]
                    var s = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                    while true {
                        let slot = slots[s]
                        if slot.id < 0 {
                            slots[s] = Slot(key: key, id: next)
                            ids[row] = next
                            next += 1
                            if record { first.append(row) }
                            break
                        }
                        if slot.key == key {
                            ids[row] = slot.id
                            break
                        }
                        s = (s + 1) & mask
                    }
                }
            }
            count = next
            i = end
        }
    }

    /// Doubles the table and puts every key back.
    private mutating func grow() {
        let old = slots
        let bits = 64 - Int(shift) + 1
        slots = [Slot](repeating: Slot(key: 0, id: -1), count: 1 << bits)
        shift = UInt64(64 - bits)
        let mask = slots.count - 1
        let shift = self.shift
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot.id >= 0 {
                var s = Int(truncatingIfNeeded: (slot.key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while slots[s].id >= 0 { s = (s + 1) & mask }
                slots[s] = slot
            }
        }
    }
}
