/// A hash set of byte strings that hands out dense codes in order of first insertion.
///
/// Each CSV worker keeps one per text column: a field's bytes are looked up without making a
/// `String`, and only each distinct value is copied (into `arena`). The workers' tables are merged
/// into one at the end, and only then are the distinct values turned into Swift strings.
struct ByteStringTable {
    /// Concatenated bytes of the distinct values.
    private(set) var arena: [UInt8] = []
    /// Start offset of value `code` in `arena`; value `code` ends where `code + 1` starts.
    private(set) var starts: [Int] = [0]
    /// Open-addressing slots: the high 32 bits of the value's hash above `code + 1` (0 = empty), so
    /// a probe compares hashes without reading a second array and reads the bytes only on a match.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { starts.count - 1 }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            h = (h ^ tail(p, n)) &* 0xC4CE_B9FE_1A85_EC53
        }
        return h ^ (h >> 29)
    }

    /// The bytes past the last whole word of a value of `n` bytes, as one word: for `n` of 8 or
    /// more the last eight bytes (overlapping the words before), for 4 to 7 the first and last four,
    /// for 1 to 3 the first, middle and last byte. Between values of the same length this is
    /// one-to-one, so it serves equality as well as hashing, and it reads no byte outside the
    /// value with a few loads instead of a loop per byte.
    @inline(__always)
    static func tail(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        if n >= 8 { return raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) }
        if n >= 4 {
            let first = raw.loadUnaligned(as: UInt32.self), last = raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            return UInt64(first) | UInt64(last) << 32
        }
        if n > 0 { return UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16 }
        return 0
    }

    /// The code of the bytes, inserting them when new.
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        let h = ByteStringTable.hash(p, n)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: h) & mask
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                arena.withUnsafeBufferPointer { arena in
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return nil }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let code = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                            let start = starts[code]
                            if starts[code + 1] - start == n,
                               n == 0 || ByteStringTable.same(arena.baseAddress.map { $0 + start }, p, n) {
                                return code
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return UInt32(truncatingIfNeeded: found) }
        let code = UInt32(truncatingIfNeeded: count)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        starts.append(arena.count)
        hashes.append(h)
        slots[slot] = tag | UInt64(code + 1)
        if count * 2 > slots.count { grow() }
        return code
    }

    /// Whether `n` bytes at `a` and `b` are equal: a word at a time, inline, since the values of a
    /// text column are mostly short and a call to `memcmp` cost more than the compare.
    @inline(__always)
    private static func same(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard let a else { return false }
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        return i == n || tail(a, n) == tail(b, n)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for code in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hashes[code] & 0xFFFF_FFFF_0000_0000) | UInt64(code + 1)
        }
    }

    /// Calls `body` with the bytes of value `code`.
    func withValue<R>(_ code: Int, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        arena.withUnsafeBufferPointer { a in
            let start = starts[code]
            // An empty arena has no base address; any valid pointer does for a zero-length value.
            let base = a.baseAddress ?? UnsafePointer(bitPattern: 1)!
            return body(base + start, starts[code + 1] - start)
        }
    }

    /// The distinct values as Swift strings, in code order.
    func strings() -> [String] {
        (0..<count).map { code in
            withValue(code) { p, n in String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
        }
    }
}
