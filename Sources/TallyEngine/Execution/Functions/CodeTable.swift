/// A hash map from 64-bit keys to dictionary codes for the per-row "seen this value?" lookups of
/// `as text` and `date.to_text`: open addressing with linear probing and a multiplicative hash,
/// key and code side by side so a probe touches one cache line. Faster than `Dictionary`, whose
/// SipHash is made for untrusted keys, not for column values.
struct CodeTable {
    private struct Slot {
        var key: UInt64
        var code: UInt32  // .max = empty
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, code: .max), count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func position(_ key: UInt64, _ mask: Int) -> Int {
        let h = (key ^ (key >> 31)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 20) & mask
    }

    /// The code stored for `key`, or nil.
    @inline(__always)
    func code(for key: UInt64) -> UInt32? {
        slots.withUnsafeBufferPointer { slots in
            var i = Self.position(key, mask)
            while true {
                let slot = slots[i]
                if slot.code == .max { return nil }
                if slot.key == key { return slot.code }
                i = (i + 1) & mask
            }
        }
    }

    /// Stores `code` for a key not yet in the table.
    @inline(__always)
    mutating func insert(_ key: UInt64, _ code: UInt32) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let mask = self.mask
        slots.withUnsafeMutableBufferPointer { slots in
            var i = Self.position(key, mask)
            while slots[i].code != .max { i = (i + 1) & mask }
            slots[i] = Slot(key: key, code: code)
        }
        count += 1
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        slots = [Slot](repeating: Slot(key: 0, code: .max), count: size)
        mask = size - 1
        let mask = self.mask
        slots.withUnsafeMutableBufferPointer { slots in
            for slot in old where slot.code != .max {
                var j = Self.position(slot.key, mask)
                while slots[j].code != .max { j = (j + 1) & mask }
                slots[j] = slot
            }
        }
    }
}
