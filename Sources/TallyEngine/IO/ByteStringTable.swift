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
    /// Open-addressing slots holding `code + 1` (0 = empty).
    private var slots: [UInt32]
    private var hashes: [UInt64] = []
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
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
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        return h ^ (h >> 29)
    }

    /// The code of the bytes, inserting them when new.
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        let h = ByteStringTable.hash(p, n)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let code = Int(entry - 1)
            if hashes[code] == h, starts[code + 1] - starts[code] == n, equal(code, p, n) { return UInt32(code) }
            slot = (slot + 1) & mask
        }
        let code = UInt32(truncatingIfNeeded: count)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        starts.append(arena.count)
        hashes.append(h)
        slots[slot] = code + 1
        if count * 2 > slots.count { grow() }
        return code
    }

    @inline(__always)
    private func equal(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return true }
        return arena.withUnsafeBufferPointer { a in a.baseAddress.map { memcmp($0 + starts[code], p, n) == 0 } ?? false }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for code in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(code + 1)
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
