/// Turns per-group texts, built as UTF-8 bytes in one flat buffer, into a deduplicated dictionary.
///
/// `String` hashing normalises to NFC first, which is slow for long non-ASCII texts such as
/// sparklines or concatenated Chinese names; these texts are compared byte for byte (as DuckDB
/// compares text), hashed eight bytes at a time.
enum ByteInterner {
    /// Text `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    static func intern(_ bytes: [UInt8], offsets: [Int]) -> (codes: [UInt32], dictionary: TextDictionary) {
        let count = offsets.count - 1
        var codes = [UInt32](repeating: 0, count: Swift.max(count, 0))
        var strings: [String] = []
        var firstOf: [UInt64: [Int]] = [:]  // hash → indices of the texts that opened a code
        bytes.withUnsafeBytes { raw in
            func slice(_ i: Int) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: raw[offsets[i]..<offsets[i + 1]])
            }
            for i in 0..<count {
                let s = slice(i)
                let h = hash(s)
                if let candidates = firstOf[h], let same = candidates.first(where: { equal(slice($0), s) }) {
                    codes[i] = codes[same]
                    continue
                }
                codes[i] = UInt32(truncatingIfNeeded: strings.count)
                strings.append(String(decoding: s, as: UTF8.self))
                firstOf[h, default: []].append(i)
            }
        }
        return (codes, TextDictionary(strings))
    }

    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }

    /// A 64-bit multiply-xorshift hash over 8-byte words.
    static func hash(_ s: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(s.count)
        var i = 0
        while i + 8 <= s.count {
            h = (h ^ s.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < s.count {
            tail |= UInt64(s[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}
