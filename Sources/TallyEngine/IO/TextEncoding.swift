#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level checks and conversions of file encodings.
///
/// Chinese statistics files are often saved as GBK / GB18030 by spreadsheet programs. A file that is
/// not valid UTF-8 but decodes as GB18030 is converted to UTF-8 once, up front, with glibc's iconv, so
/// the parser only ever sees UTF-8.
package enum TextEncoding {
    /// Whether `bytes` is well-formed UTF-8. ASCII runs are skipped eight bytes at a time.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b = base[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            if b & 0xE0 == 0xC0 { length = 2; scalar = UInt32(b & 0x1F); minimum = 0x80 }
            else if b & 0xF0 == 0xE0 { length = 3; scalar = UInt32(b & 0x0F); minimum = 0x800 }
            else if b & 0xF8 == 0xF0 { length = 4; scalar = UInt32(b & 0x07); minimum = 0x10000 }
            else { return false }
            if i + length > n { return false }
            for k in 1..<length {
                let c = base[i + k]
                if c & 0xC0 != 0x80 { return false }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return false }
            i += length
        }
        return true
    }

    /// Whether the first bytes look like binary data rather than text (NUL bytes or many control bytes).
    package static func looksBinary(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let sample = min(bytes.count, 8192)
        var control = 0
        for i in 0..<sample {
            let b = bytes[i]
            if b == 0 { return true }
            if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D, b != 0x0C { control += 1 }
        }
        return sample > 0 && control * 10 > sample
    }

    /// Converts GB18030 (a superset of GBK and GB2312) to UTF-8, or nil if the bytes are not GB18030.
    static func gb18030ToUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard bytes.count > 0, let input = bytes.baseAddress else { return [] }
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = output.withUnsafeMutableBufferPointer { out -> Int? in
            guard let outBase = out.baseAddress else { return nil }
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = bytes.count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = out.count
            let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            if result == -1 || inLeft != 0 { return nil }
            return out.count - outLeft
        }
        guard let written else { return nil }
        output.removeSubrange(written...)
        return output
    }
}
