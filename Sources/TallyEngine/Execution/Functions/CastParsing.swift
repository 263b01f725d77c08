/// Reading text as numbers, booleans, dates and timestamps the way DuckDB's CAST does (the
/// reference for `x | as int`). Each parser works on the UTF-8 bytes of one dictionary entry and
/// returns nil when the text is not a value of the type.
enum CastParsing {
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func trimmed(_ s: String) -> ArraySlice<UInt8> {
        let bytes = Array(s.utf8)
        var lo = 0, hi = bytes.count
        while lo < hi && isSpace(bytes[lo]) { lo += 1 }
        while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
        return bytes[lo..<hi]
    }

    /// Text to int, as DuckDB: surrounding white space is ignored; `+`/`-`; `0x`/`0b` prefixes (not
    /// with a sign); single `_` between digits; a fraction and an exponent are allowed and the value
    /// is rounded half away from zero (`'2.5'` → 3, `'2.49999'` → 2, `'1.5e1'` → 15, `'.5'` → 1).
    /// Oracle: `select cast(' 12 ' as bigint), cast('1.5' as bigint), cast('0x10' as bigint),
    /// cast('1_000' as bigint)` → 12, 2, 16, 1000; `'1_'`, `'1e'`, `'0o17'`, `'1,000'` fail.
    static func parseInt(_ s: String) -> Int64? {
        let t = trimmed(s)
        var i = t.startIndex
        let end = t.endIndex
        guard i < end else { return nil }
        var negative = false
        var signed = false
        if t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") {
            negative = t[i] == UInt8(ascii: "-")
            signed = true
            i += 1
        }
        // 0x… and 0b…
        if !signed, end - i > 2, t[i] == UInt8(ascii: "0") {
            let p = t[i + 1] | 0x20
            if p == UInt8(ascii: "x") || p == UInt8(ascii: "b") {
                let radix: UInt64 = p == UInt8(ascii: "x") ? 16 : 2
                var value: UInt64 = 0
                for b in t[(i + 2)...] {
                    let digit: UInt64
                    switch b {
                    case 0x30...0x39: digit = UInt64(b - 0x30)
                    case 0x61...0x66: digit = UInt64(b - 0x61 + 10)
                    case 0x41...0x46: digit = UInt64(b - 0x41 + 10)
                    default: return nil
                    }
                    guard digit < radix else { return nil }
                    let (m, o1) = value.multipliedReportingOverflow(by: radix)
                    let (a, o2) = m.addingReportingOverflow(digit)
                    guard !o1, !o2 else { return nil }
                    value = a
                }
                return value <= UInt64(Int64.max) ? Int64(value) : nil
            }
        }
        // Decimal digits, underscores between digits, then an optional fraction and exponent.
        var digits: [UInt8] = []
        var intDigits = 0
        var sawDigit = false
        while i < end {
            let b = t[i]
            if isDigit(b) {
                digits.append(b - 0x30); sawDigit = true; i += 1
            } else if b == UInt8(ascii: "_") {
                guard sawDigit, i + 1 < end, isDigit(t[i + 1]) else { return nil }
                i += 1
            } else {
                break
            }
        }
        intDigits = digits.count
        if i < end && t[i] == UInt8(ascii: ".") {
            i += 1
            while i < end && isDigit(t[i]) { digits.append(t[i] - 0x30); i += 1 }
        }
        guard !digits.isEmpty else { return nil }
        var exponent = 0
        if i < end && (t[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < end && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) {
                expNegative = t[i] == UInt8(ascii: "-"); i += 1
            }
            guard i < end else { return nil }
            while i < end && isDigit(t[i]) {
                exponent = min(exponent * 10 + Int(t[i] - 0x30), 10_000)
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        guard i == end else { return nil }
        // value = digits × 10^(intDigits + exponent - digits.count), rounded half away from zero.
        let wholeCount = intDigits + exponent
        var magnitude: UInt64 = 0
        for k in 0..<max(wholeCount, 0) {
            let digit = k < digits.count ? UInt64(digits[k]) : 0
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            magnitude = a
        }
        if wholeCount >= 0 && wholeCount < digits.count && digits[wholeCount] >= 5 {
            let (a, o) = magnitude.addingReportingOverflow(1)
            guard !o else { return nil }
            magnitude = a
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Text to float: white space ignored, `_` between digits, `nan`/`inf`/`infinity` in any case;
    /// no hexadecimal (DuckDB rejects `'0x10'` as a DOUBLE). Oracle: `cast('1_000.5' as double)` →
    /// 1000.5, `cast('1e400' as double)` → inf, `cast('1e' as double)` fails.
    static func parseDouble(_ s: String) -> Double? {
        var t = Array(trimmed(s))
        guard !t.isEmpty else { return nil }
        for b in t {
            switch b {
            case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default:
                // Only the words nan / inf / infinity may hold other letters.
                let word = String(decoding: t, as: UTF8.self).lowercased()
                switch word {
                case "nan", "+nan", "-nan": return .nan
                case "inf", "+inf", "infinity", "+infinity": return .infinity
                case "-inf", "-infinity": return -.infinity
                default: return nil
                }
            }
        }
        if t.contains(UInt8(ascii: "_")) {
            var cleaned: [UInt8] = []
            for (k, b) in t.enumerated() {
                if b == UInt8(ascii: "_") {
                    guard k > 0, k + 1 < t.count, isDigit(t[k - 1]), isDigit(t[k + 1]) else { return nil }
                } else {
                    cleaned.append(b)
                }
            }
            t = cleaned
        }
        guard t.contains(where: isDigit) else { return nil }
        return Double(String(decoding: t, as: UTF8.self))
    }

    /// Text to bool: `true t yes y 1` and `false f no n 0`, any case, no surrounding space.
    /// Oracle: `cast('yes' as boolean)` → true, `cast(' true' as boolean)` and `cast('2' as boolean)` fail.
    static func parseBool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "t", "yes", "y", "1": return true
        case "false", "f", "no", "n", "0": return false
        default: return nil
        }
    }

    /// Text to date: `Y-M-D` with `-`, `/` or a space between (the same twice), 1–2 digit month and
    /// day, surrounding white space, and an optional time part after a space or `T` that is read and
    /// dropped. Oracle: `cast('2021-1-5' as date)`, `cast('2021/01/05' as date)`,
    /// `cast('2021-01-05 10:00:00' as date)` → 2021-01-05; `'20210105'`, `'2021.01.05'`,
    /// `'2021-02-30'` fail.
    static func parseDate(_ s: String) -> Int32? {
        let t = trimmed(s)
        guard let (days, rest) = readDate(t) else { return nil }
        if rest.isEmpty { return days }
        guard rest.first == UInt8(ascii: " ") || rest.first == UInt8(ascii: "T"),
              readTime(rest.dropFirst()) != nil else { return nil }
        return days
    }

    /// Text to timestamp: a date, optionally followed by ` ` or `T` and `H:M[:S[.fraction]]`, then an
    /// optional `Z` or `±HH[:MM]` offset (read and ignored, as DuckDB does for TIMESTAMP).
    static func parseTimestamp(_ s: String) -> Int64? {
        let t = trimmed(s)
        guard let (days, rest) = readDate(t) else { return nil }
        let dayMicros = Int64(days) * 86_400_000_000
        if rest.isEmpty { return dayMicros }
        guard rest.first == UInt8(ascii: " ") || rest.first == UInt8(ascii: "T"),
              let micros = readTime(rest.dropFirst()) else { return nil }
        return dayMicros + micros
    }

    private static func readNumber(_ t: inout ArraySlice<UInt8>, maxDigits: Int) -> Int? {
        var value = 0, count = 0
        while let b = t.first, isDigit(b), count < maxDigits {
            value = value * 10 + Int(b - 0x30)
            count += 1
            t = t.dropFirst()
        }
        return count == 0 ? nil : value
    }

    private static func readDate(_ text: ArraySlice<UInt8>) -> (Int32, ArraySlice<UInt8>)? {
        var t = text
        var negative = false
        if t.first == UInt8(ascii: "-") { negative = true; t = t.dropFirst() }
        guard let year = readNumber(&t, maxDigits: 6), let sep = t.first,
              sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: " ") else { return nil }
        t = t.dropFirst()
        guard let month = readNumber(&t, maxDigits: 2), t.first == sep else { return nil }
        t = t.dropFirst()
        guard let day = readNumber(&t, maxDigits: 2),
              let days = CivilDate.days(year: negative ? -year : year, month: month, day: day) else { return nil }
        return (days, t)
    }

    /// `H:M[:S[.fraction]]` plus an optional zone, as microseconds into the day (24:00:00 allowed).
    private static func readTime(_ text: ArraySlice<UInt8>) -> Int64? {
        var t = text
        guard let h = readNumber(&t, maxDigits: 2), t.first == UInt8(ascii: ":") else { return nil }
        t = t.dropFirst()
        guard let m = readNumber(&t, maxDigits: 2) else { return nil }
        var sec = 0, micros = 0
        if t.first == UInt8(ascii: ":") {
            t = t.dropFirst()
            guard let s = readNumber(&t, maxDigits: 2) else { return nil }
            sec = s
            if t.first == UInt8(ascii: ".") {
                t = t.dropFirst()
                var scale = 100_000, count = 0
                while let b = t.first, isDigit(b) {
                    if scale > 0 { micros += Int(b - 0x30) * scale; scale /= 10 }
                    count += 1
                    t = t.dropFirst()
                }
                guard count > 0 else { return nil }
            }
        }
        guard (h < 24 && m < 60 && sec < 60) || (h == 24 && m == 0 && sec == 0 && micros == 0) else { return nil }
        // Zone: Z, or ±HH[:MM[:SS]] (ignored).
        if t.first == UInt8(ascii: " ") { t = t.dropFirst() }
        if t.first == UInt8(ascii: "Z") || t.first == UInt8(ascii: "z") {
            t = t.dropFirst()
        } else if t.first == UInt8(ascii: "+") || t.first == UInt8(ascii: "-") {
            t = t.dropFirst()
            guard readNumber(&t, maxDigits: 2) != nil else { return nil }
            while t.first == UInt8(ascii: ":") {
                t = t.dropFirst()
                guard readNumber(&t, maxDigits: 2) != nil else { return nil }
            }
        }
        guard t.isEmpty else { return nil }
        return (Int64(h) * 3600 + Int64(m) * 60 + Int64(sec)) * 1_000_000 + Int64(micros)
    }
}
