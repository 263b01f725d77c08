/// Number, interval and date/time literals.
extension Lexer {
    // MARK: - Numbers

    /// `42`, `5_000_000`, `3.14`, `5e9`, `1.5e-3`, `0x80`, `0o777`, `0b0011`, and intervals `2days`.
    ///
    /// A decimal integer too large for 64 bits becomes a float, as in PRQL; a hexadecimal, octal or
    /// binary one is an error (it is a bit pattern, and a float would lose bits silently).
    mutating func lexNumber() throws {
        let start = pos
        if bytes[pos] == UInt8(ascii: "0"), pos + 1 < end,
           let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][bytes[pos + 1]] {
            try lexRadixInteger(radix: radix, start: start)
            return
        }
        var digits: [UInt8] = []
        var isFloat = false
        scanDigits(into: &digits)
        // A fraction needs a digit after the dot, so `1..3` stays a range.
        if pos + 1 < end, bytes[pos] == UInt8(ascii: "."), UTF8Text.isDigit(bytes[pos + 1]) {
            isFloat = true
            digits.append(UInt8(ascii: "."))
            pos += 1
            scanDigits(into: &digits)
        }
        if pos < end, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            var i = pos + 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            if i < end, UTF8Text.isDigit(bytes[i]) {
                isFloat = true
                digits.append(contentsOf: bytes[pos..<i])
                pos = i
                scanDigits(into: &digits)
            } else if scanIdentContinue(from: pos) == pos + 1 {
                throw error("number `\(text(start..<pos + 1))` has no exponent", hint: "write e.g. `1e3` or `1.5e-3`",
                            at: start..<pos + 1)
            }
        }
        let text = String(decoding: digits, as: UTF8.self)

        // `2days`: an integer immediately followed by a unit.
        let wordEnd = scanIdentContinue(from: pos)
        if wordEnd > pos {
            let word = String(decoding: bytes[pos..<wordEnd], as: UTF8.self)
            let units = IntervalUnit.allCases.map(\.rawValue).joined(separator: ", ")
            guard let unit = IntervalUnit(rawValue: word) else {
                let singular = IntervalUnit(rawValue: word + "s") != nil
                throw error("unexpected `\(word)` right after the number `\(self.text(start..<pos))`",
                            hint: singular ? "interval units are plural: `\(self.text(start..<pos))\(word)s`"
                                : "separate a number from a name with a space; interval units are \(units)",
                            at: start..<wordEnd)
            }
            guard !isFloat, let value = Int64(text) else {
                throw error("an interval takes a whole number", hint: "e.g. `36hours` rather than `1.5days`", at: start..<wordEnd)
            }
            pos = wordEnd
            tokens.append(Token(.interval(value, unit), span: start..<wordEnd))
            return
        }

        if !isFloat, let value = Int64(text) {
            tokens.append(Token(.int(value), span: start..<pos))
            return
        }
        guard let value = Double(text), value.isFinite else {
            throw error("number `\(self.text(start..<pos))` is too large", hint: nil, at: start..<pos)
        }
        tokens.append(Token(.float(value), span: start..<pos))
    }

    /// Digits with `_` separators, which are dropped.
    private mutating func scanDigits(into digits: inout [UInt8]) {
        while pos < end {
            let b = bytes[pos]
            if UTF8Text.isDigit(b) {
                digits.append(b)
            } else if b != UInt8(ascii: "_") {
                break
            }
            pos += 1
        }
    }

    private mutating func lexRadixInteger(radix: Int, start: Int) throws {
        pos += 2
        let name = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary"
        var value: Int64 = 0
        var sawDigit = false
        while pos < end {
            let b = bytes[pos]
            if b == UInt8(ascii: "_") && sawDigit {
                pos += 1
                continue
            }
            guard let digit = digitValue(b), digit < radix else { break }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: Int64(radix))
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 {
                while pos < end, digitValue(bytes[pos]) != nil || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
                throw error("\(name) number `\(text(start..<pos))` does not fit in 64 bits", hint: nil, at: start..<pos)
            }
            value = sum
            sawDigit = true
            pos += 1
        }
        let wordEnd = scanIdentContinue(from: pos)
        if !sawDigit || wordEnd > pos {
            let example = radix == 16 ? "0x80" : radix == 8 ? "0o777" : "0b0011"
            throw error("invalid \(name) number `\(text(start..<max(wordEnd, pos)))`", hint: "\(name) numbers look like `\(example)`",
                        at: start..<max(wordEnd, pos))
        }
        tokens.append(Token(.int(value), span: start..<pos))
    }

    private func digitValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[max(0, range.lowerBound)..<min(range.upperBound, end)], as: UTF8.self)
    }

    // MARK: - Dates and times

    /// `@2021-09-01`, `@08:30`, `@08:30:15.25`, `@2021-09-01T08:30`, with an optional `Z` or
    /// `+08:00` offset on times. Values are checked here, so `@2021-02-30` is a lexical error
    /// pointing at the literal.
    mutating func lexDateTime() throws {
        let start = pos
        pos += 1
        let digitsAhead = countDigits(from: pos)
        let kind: TokenKind
        if digitsAhead == 4, pos + 4 < end, bytes[pos + 4] == UInt8(ascii: "-") {
            let date = try lexDate(start: start)
            if pos < end, bytes[pos] == UInt8(ascii: "T") {
                pos += 1
                kind = .timestamp(date, try lexTime(start: start))
            } else {
                kind = .date(date)
            }
        } else if digitsAhead == 2 {
            kind = .time(try lexTime(start: start))
        } else {
            throw error("expected a date or time after `@`", hint: "dates look like @2021-09-01, times like @08:30",
                        at: start..<max(start + 1, scanLiteralTail(from: pos)))
        }
        // The literal must end here: `@2021-09-01x` or `@08:30:15:00` is malformed, not two tokens.
        if pos < end {
            let b = bytes[pos]
            let dotDot = b == UInt8(ascii: ".") && pos + 1 < end && bytes[pos + 1] == UInt8(ascii: ".")
            if !dotDot && (b == UInt8(ascii: ":") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
                            || scanIdentContinue(from: pos) > pos) {
                throw malformedDateTime(start)
            }
        }
        tokens.append(Token(kind, span: start..<pos))
    }

    private mutating func lexDate(start: Int) throws -> DateLiteral {
        guard let year = readDigits(4), consume(UInt8(ascii: "-")), let month = readDigits(2),
              consume(UInt8(ascii: "-")), let day = readDigits(2) else {
            throw malformedDateTime(start)
        }
        guard (1...12).contains(month) else {
            throw error("invalid date `\(text(start..<pos))`: month \(month) is not 1 to 12", hint: nil, at: start..<pos)
        }
        let daysInMonth: Int
        switch month {
        case 2: daysInMonth = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: daysInMonth = 30
        default: daysInMonth = 31
        }
        guard (1...daysInMonth).contains(day) else {
            throw error("invalid date `\(text(start..<pos))`: day \(day) is not 1 to \(daysInMonth)", hint: nil, at: start..<pos)
        }
        return DateLiteral(year: year, month: month, day: day)
    }

    private mutating func lexTime(start: Int) throws -> TimeLiteral {
        guard let hour = readDigits(2) else { throw malformedDateTime(start) }
        var time = TimeLiteral(hour: hour)
        if consume(UInt8(ascii: ":")) {
            guard let minute = readDigits(2) else { throw malformedDateTime(start) }
            time.minute = minute
            if consume(UInt8(ascii: ":")) {
                guard let second = readDigits(2) else { throw malformedDateTime(start) }
                time.second = second
                if pos + 1 < end, bytes[pos] == UInt8(ascii: "."), UTF8Text.isDigit(bytes[pos + 1]) {
                    pos += 1
                    let n = countDigits(from: pos)
                    guard n <= 6, let fraction = readDigits(n) else {
                        pos += n
                        throw error("too many fractional digits in `\(text(start..<pos))`", hint: "times are kept to the microsecond (6 digits)",
                                    at: start..<pos)
                    }
                    var micros = fraction
                    for _ in n..<6 { micros *= 10 }
                    time.microsecond = micros
                }
            }
        }
        if consume(UInt8(ascii: "Z")) {
            time.utcOffsetMinutes = 0
        } else if pos < end, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-"),
                  countDigits(from: pos + 1) >= 2 {
            let sign = bytes[pos] == UInt8(ascii: "-") ? -1 : 1
            pos += 1
            guard let hours = readDigits(2) else { throw malformedDateTime(start) }
            _ = consume(UInt8(ascii: ":"))
            guard let minutes = readDigits(2) else { throw malformedDateTime(start) }
            guard hours <= 14, minutes <= 59 else {
                throw error("invalid time zone offset in `\(text(start..<pos))`", hint: "offsets run from -14:00 to +14:00", at: start..<pos)
            }
            time.utcOffsetMinutes = sign * (hours * 60 + minutes)
        }
        guard time.hour <= 23, time.minute <= 59, time.second <= 59 else {
            throw error("invalid time `\(text(start..<pos))`", hint: "hours run 00–23, minutes and seconds 00–59", at: start..<pos)
        }
        return time
    }

    private func malformedDateTime(_ start: Int) -> TallyError {
        let tail = scanLiteralTail(from: start + 1)
        return error("malformed date/time literal `\(text(start..<tail))`",
                     hint: "dates look like @2021-09-01, times like @08:30:15, timestamps like @2021-09-01T08:30",
                     at: start..<tail)
    }

    /// End of the characters a user probably meant as part of a date/time literal (for the span).
    private func scanLiteralTail(from index: Int) -> Int {
        var i = index
        while i < end {
            let b = bytes[i]
            guard UTF8Text.isDigit(b) || UTF8Text.isASCIILetter(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
                    || b == UInt8(ascii: "+") || (b == UInt8(ascii: ".") && !(i + 1 < end && bytes[i + 1] == UInt8(ascii: "."))) else { break }
            i += 1
        }
        return i
    }

    private func countDigits(from index: Int) -> Int {
        var i = index
        while i < end && UTF8Text.isDigit(bytes[i]) { i += 1 }
        return i - index
    }

    /// Exactly `count` digits (and not more), as a number.
    private mutating func readDigits(_ count: Int) -> Int? {
        guard count > 0, countDigits(from: pos) == count else { return nil }
        var value = 0
        for i in pos..<pos + count { value = value * 10 + Int(bytes[i] - UInt8(ascii: "0")) }
        pos += count
        return value
    }

    private mutating func consume(_ b: UInt8) -> Bool {
        guard pos < end, bytes[pos] == b else { return false }
        pos += 1
        return true
    }
}
