/// Parsing typed values straight from the UTF-8 bytes of a field, without making a `String`.
///
/// Each parser takes a pointer and a length and returns nil when the bytes are not a value of its
/// type; the CSV reader calls them once per field, so they avoid allocation and Foundation.
enum FieldParsing {
    typealias Bytes = UnsafePointer<UInt8>

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Trims ASCII spaces and tabs around a numeric field (`" 12 "` is 12, as DuckDB reads it).
    @inline(__always)
    static func trim(_ p: Bytes, _ n: Int) -> (Bytes, Int) {
        var start = 0, end = n
        while start < end, p[start] == 0x20 || p[start] == 0x09 { start += 1 }
        while end > start, p[end - 1] == 0x20 || p[end - 1] == 0x09 { end -= 1 }
        return (p + start, end - start)
    }

    enum IntResult { case value(Int64), overflow, invalid }

    /// `[+-]digits`. Digits beyond Int64 give `.overflow`.
    @inline(__always)
    static func parseInt(_ p0: Bytes, _ n0: Int) -> IntResult { parseInt(p0, n0, keepingText: false) }

    /// `[+-]digits`; with `keepingText`, a value whose digits an int would not keep as written
    /// (`textReason`: a leading zero, 18 digits) is `.invalid`, checked within the same pass.
    @inline(__always)
    static func parseInt(_ p0: Bytes, _ n0: Int, keepingText: Bool) -> IntResult {
        if let value = plainInt(p0, n0) { return .value(value) }
        return parseIntChecked(p0, n0, keepingText: keepingText)
    }

    /// The common integer field: 1 to 17 plain digits, not starting with 0 unless it is `0`; nil
    /// for anything else. Such a field cannot overflow, has no leading zero and is not an 18-digit
    /// identity number, so it needs none of the checks of `parseIntChecked`, and it reads the same
    /// with or without `keepingText`.
    @inline(__always)
    static func plainInt(_ p0: Bytes, _ n0: Int) -> Int64? {
        guard n0 > 0, n0 < 18 else { return nil }
        let first = p0[0] &- 0x30
        guard first < 10, first != 0 || n0 == 1 else { return nil }
        var value = UInt64(first)
        var k = 1
        // Eight digits at a time while eight bytes of the field remain: identity and school codes
        // are 10 to 17 digits, so this takes most of their digits in a few operations.
        if n0 >= 8, let eight = eightDigits(p0) {
            value = eight
            k = 8
            if n0 >= 16, let next = eightDigits(p0 + 8) {
                value = value &* 100_000_000 &+ next
                k = 16
            }
        }
        while k < n0 {
            let d = p0[k] &- 0x30
            if d >= 10 { return nil }
            value = value &* 10 &+ UInt64(d)
            k += 1
        }
        return Int64(value)
    }

    /// The value of eight ASCII digits at `p`, or nil when any of the eight bytes is not a digit.
    ///
    /// One load, one check of all eight bytes, and three multiplications that combine neighbouring
    /// digits into pairs, quads and the whole (the method of simdjson and of Lemire's
    /// "parsing eight digits"); the caller guarantees the eight bytes belong to the field.
    @inline(__always)
    static func eightDigits(_ p: Bytes) -> UInt64? {
        #if _endian(little)
        let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        // Every byte is 0x30...0x39 exactly when its high nibble is 3, and adding 6 keeps it 3.
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard (word & high) | (((word &+ 0x0606_0606_0606_0606) & high) >> 4) == 0x3333_3333_3333_3333 else { return nil }
        var v = word & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
        #else
        var value: UInt64 = 0
        for k in 0..<8 {
            let d = p[k] &- 0x30
            if d >= 10 { return nil }
            value = value &* 10 &+ UInt64(d)
        }
        return value
        #endif
    }

    /// `parseInt` for every other field: blanks, signs, leading zeros, long digit runs.
    @inline(never)
    private static func parseIntChecked(_ p0: Bytes, _ n0: Int, keepingText: Bool) -> IntResult {
        let (p, n) = trim(p0, n0)
        if n == 0 { return .invalid }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        if i == n { return .invalid }
        // `0` followed by anything is a leading zero or not an int at all.
        if keepingText, p[i] == 0x30, n - i > 1 { return .invalid }
        if keepingText, !negative, i == 0, n == 18 { return .invalid }
        var value: UInt64 = 0
        var overflow = false
        while i < n {
            let d = p[i] &- 0x30
            if d >= 10 { return .invalid }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { overflow = true }
            value = s
            i += 1
        }
        if overflow { return .overflow }
        if negative {
            if value > UInt64(Int64.max) + 1 { return .overflow }
            return .value(value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value))
        }
        if value > UInt64(Int64.max) { return .overflow }
        return .value(Int64(value))
    }

    /// Why a field that reads as a number must stay text, so that loading never changes its digits.
    enum TextReason: UInt8, Sendable {
        /// `08123`, `0012`, `-007`, `00.5`: a leading zero a number would drop (`0`, `0.5`, `-0.25` are numbers).
        case leadingZero
        /// 18 digits, or 17 digits and a final `X`: a resident identity number.
        case identityNumber
        /// An integer beyond 64 bits, which a float would round.
        case bigInteger
    }

    /// The reason the bytes must stay text although they look like a number, or nil. Cheap for the
    /// common case: a look at the first two bytes, and a digit scan only for fields of 16 bytes or more.
    @inline(__always)
    static func textReason(_ p0: Bytes, _ n0: Int) -> TextReason? {
        let (p, n) = trim(p0, n0)
        var i = 0
        if n > 0, p[0] == 0x2D || p[0] == 0x2B { i = 1 }
        if i + 1 < n, p[i] == 0x30, isDigit(p[i + 1]) { return .leadingZero }
        if n < 16 { return nil }
        return longNumberReason(p, n, signed: i == 1)
    }

    private static func longNumberReason(_ p: Bytes, _ n: Int, signed: Bool) -> TextReason? {
        let first = signed ? 1 : 0
        var k = first
        while k < n, isDigit(p[k]) { k += 1 }
        let digits = k - first
        if !signed, digits == 17, n == 18, p[17] | 0x20 == 0x78 { return .identityNumber }
        if k != n { return nil }
        if !signed, digits == 18 { return .identityNumber }
        if case .overflow = parseInt(p, n) { return .bigInteger }
        return nil
    }

    /// Whether the bytes are an integer that a Double would round (beyond ±2^53). Only fields of 16
    /// bytes or more can be.
    @inline(__always)
    static func floatWouldRound(_ p: Bytes, _ n: Int) -> Bool {
        if n < 16 { return false }
        switch parseInt(p, n) {
        case .value(let v): return exceedsDoublePrecision(v)
        case .overflow: return true
        case .invalid: return false
        }
    }

    /// Whether an integer is beyond ±2^53, where a Double no longer holds every integer.
    @inline(__always)
    static func exceedsDoublePrecision(_ v: Int64) -> Bool {
        UInt64(bitPattern: v &+ (1 << 53)) > (1 << 54)
    }

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A decimal number: `[+-]digits[.digits][(e|E)[+-]digits]`, also `.5` and `5.`; plus
    /// `inf`, `-inf`, `nan` spelled as DuckDB prints them. Uses the exact fast path when the
    /// mantissa fits in 2^53 and the power of ten is small (Clinger), and the C library otherwise.
    @inline(__always)
    static func parseDouble(_ p0: Bytes, _ n0: Int) -> Double? { parseDouble(p0, n0, keepingText: false) }

    /// With `keepingText`, nil also for what must stay text (`textReason`) and for integers a
    /// Double would round (`floatWouldRound`), checked within the same pass.
    @inline(__always)
    static func parseDouble(_ p0: Bytes, _ n0: Int, keepingText: Bool) -> Double? {
        if let value = plainDecimal(p0, n0) { return value }
        return parseDoubleChecked(p0, n0, keepingText: keepingText)
    }

    /// The common decimal field: unsigned digits with at most one `.`, 15 digits at most, not
    /// starting with `0` unless `0` is all of the integer part; nil for anything else. Its digits
    /// fit a Double's mantissa exactly, so one division by an exact power of ten rounds correctly
    /// (Clinger's fast path), and it is neither a leading-zero code nor a long integer, so it reads
    /// the same with or without `keepingText`.
    @inline(__always)
    static func plainDecimal(_ p0: Bytes, _ n0: Int) -> Double? {
        guard n0 > 0, n0 <= 16 else { return nil }
        let first = p0[0] &- 0x30
        guard first < 10, first != 0 || n0 == 1 || p0[1] == 0x2E else { return nil }
        var mantissa = UInt64(first)
        var fraction = 0
        var dot = false
        var k = 1
        while k < n0 {
            let d = p0[k] &- 0x30
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if dot { fraction += 1 }
            } else if p0[k] == 0x2E, !dot {
                dot = true
            } else {
                return nil
            }
            k += 1
        }
        guard dot || n0 < 16 else { return nil }
        return fraction == 0 ? Double(mantissa) : Double(mantissa) / exactPowers[fraction]
    }

    /// `parseDouble` for every other field: blanks, signs, exponents, long or leading-zero digits.
    @inline(never)
    private static func parseDoubleChecked(_ p0: Bytes, _ n0: Int, keepingText: Bool) -> Double? {
        let (p, n) = trim(p0, n0)
        if n == 0 { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        if keepingText, i + 1 < n, p[i] == 0x30, isDigit(p[i + 1]) { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var dropped = 0  // significant digits beyond 19, which only scale the value
        var scale = 0
        var sawDigit = false
        while i < n, isDigit(p[i]) {
            sawDigit = true
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); if mantissa != 0 { digits += 1 } } else { dropped += 1 }
            i += 1
        }
        if i < n, p[i] == 0x2E {
            i += 1
            while i < n, isDigit(p[i]) {
                sawDigit = true
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); if mantissa != 0 { digits += 1 }; scale -= 1 }
                i += 1
            }
        }
        if !sawDigit { return parseSpecial(p, n) }
        // Digits only (an integer), 16 or more of them: an identity number, or beyond 2^53.
        if keepingText, i == n, n >= 16, textReason(p, n) != nil || floatWouldRound(p, n) { return nil }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            var expNegative = false
            if i < n, p[i] == 0x2D { expNegative = true; i += 1 } else if i < n, p[i] == 0x2B { i += 1 }
            var exp = 0
            var expDigits = 0
            while i < n, isDigit(p[i]) {
                if exp < 100_000 { exp = exp * 10 + Int(p[i] &- 0x30) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return nil }
            scale += expNegative ? -exp : exp
        }
        if i != n { return nil }
        scale += dropped
        var value: Double
        if mantissa < (1 << 53), dropped == 0, scale >= -22, scale <= 22 {
            value = Double(mantissa)
            if scale < 0 { value /= exactPowers[-scale] } else { value *= exactPowers[scale] }
        } else {
            value = slowParse(p, n) ?? 0
            return value  // strtod handled the sign
        }
        return negative ? -value : value
    }

    private static func parseSpecial(_ p: Bytes, _ n: Int) -> Double? {
        var lowered = [UInt8]()
        for k in 0..<n { lowered.append(p[k] | 0x20) }
        switch String(decoding: lowered, as: UTF8.self) {
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return nil
        }
    }

    private static func slowParse(_ p: Bytes, _ n: Int) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }

    @inline(__always)
    static func parseBool(_ p0: Bytes, _ n0: Int) -> Bool? {
        let (p, n) = trim(p0, n0)
        if n == 4, p[0] | 0x20 == 0x74, p[1] | 0x20 == 0x72, p[2] | 0x20 == 0x75, p[3] | 0x20 == 0x65 { return true }
        if n == 5, p[0] | 0x20 == 0x66, p[1] | 0x20 == 0x61, p[2] | 0x20 == 0x6C, p[3] | 0x20 == 0x73,
           p[4] | 0x20 == 0x65 { return false }
        return nil
    }

    @inline(__always)
    private static func number(_ p: Bytes, _ at: Int, _ count: Int) -> Int? {
        var v = 0
        for k in at..<(at + count) {
            let d = p[k] &- 0x30
            if d >= 10 { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    @inline(__always)
    static func parseDate(_ p0: Bytes, _ n0: Int) -> Int32? {
        let (p, n) = trim(p0, n0)
        guard n == 10, p[4] == 0x2D, p[7] == 0x2D,
              let y = number(p, 0, 4), let m = number(p, 5, 2), let d = number(p, 8, 2) else { return nil }
        return CivilDate.days(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD HH:MM[:SS[.fraction]]` or with `T`, optionally ending in `Z`; as microseconds.
    static func parseTimestamp(_ p0: Bytes, _ n0: Int) -> Int64? {
        let (p, trimmed) = trim(p0, n0)
        var n = trimmed
        guard n >= 16, p[10] == 0x20 || p[10] == 0x54, let days = parseDate(p, 10), p[13] == 0x3A,
              let hh = number(p, 11, 2), let mm = number(p, 14, 2), hh < 24, mm < 60 else { return nil }
        if p[n - 1] == 0x5A { n -= 1 }  // trailing Z: UTC, which is how naive timestamps are read
        var seconds = 0
        var micros = 0
        var i = 16
        if i < n {
            guard p[i] == 0x3A, n >= i + 3, let ss = number(p, i + 1, 2), ss < 60 else { return nil }
            seconds = ss
            i += 3
            if i < n {
                guard p[i] == 0x2E, i + 1 < n else { return nil }
                i += 1
                var scale = 100_000
                while i < n {
                    let d = p[i] &- 0x30
                    guard d < 10 else { return nil }
                    micros += Int(d) * scale
                    scale /= 10
                    i += 1
                }
            }
        }
        let total = (Int64(days) * 86_400 + Int64(hh * 3600 + mm * 60 + seconds)) * 1_000_000 + Int64(micros)
        return total
    }
}
