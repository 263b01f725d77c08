/// String literals: `"…"`, `'…'`, `"""…"""`, `r"raw"`, `f"{expr} text"`, `s"SQL {expr}"`.
///
/// As in PRQL, a string may span lines and the escapes `\n \t \r \\ \" \' \b \f \xHH \u{…}` are
/// resolved in every string except raw ones. Unlike PRQL, an unknown escape is an error rather than
/// the bare character: PRQL reads `"\d+"` as `d+`, which silently breaks regular expressions.
enum StringPrefix {
    case raw, format, sql
}

extension Lexer {
    /// Lexes a string whose opening quote is at `pos`; `start` is where the token begins (at the
    /// prefix letter, if any).
    mutating func lexString(prefix: StringPrefix?, start: Int) throws {
        let quote = bytes[pos]
        var delimiter = 1
        if pos + 2 < end, bytes[pos + 1] == quote, bytes[pos + 2] == quote { delimiter = 3 }
        let openEnd = pos + delimiter
        pos = openEnd

        let interpolates = prefix == .format || prefix == .sql
        var pieces: [InterpolationPiece] = []
        var text: [UInt8] = []

        while true {
            guard pos < end else {
                let what = delimiter == 3 ? "unterminated triple-quoted string" : "unterminated string"
                let close = String(repeating: String(UnicodeScalar(quote)), count: delimiter)
                throw error(what, hint: "close it with `\(close)`", at: start..<openEnd)
            }
            let b = bytes[pos]
            if b == quote && isClosingQuote(quote, delimiter) {
                pos += delimiter
                break
            }
            if b == UInt8(ascii: "\\") && prefix != .raw {
                try lexEscape(into: &text)
                continue
            }
            if interpolates && b == UInt8(ascii: "{") {
                if pos + 1 < end && bytes[pos + 1] == UInt8(ascii: "{") {
                    text.append(b)
                    pos += 2
                    continue
                }
                if !text.isEmpty { pieces.append(.text(String(decoding: text, as: UTF8.self))) }
                text.removeAll()
                pieces.append(.code(try scanInterpolation(quote: quote, delimiter: delimiter)))
                continue
            }
            if interpolates && b == UInt8(ascii: "}") {
                if pos + 1 < end && bytes[pos + 1] == UInt8(ascii: "}") {
                    text.append(b)
                    pos += 2
                    continue
                }
                throw error("single `}` in an interpolated string", hint: "write `}}` for a literal brace", at: pos..<pos + 1)
            }
            text.append(b)
            pos += 1
        }

        let span = start..<pos
        switch prefix {
        case .format, .sql:
            if !text.isEmpty { pieces.append(.text(String(decoding: text, as: UTF8.self))) }
            tokens.append(Token(.interpolated(prefix == .sql ? .sql : .format, pieces), span: span))
        case .raw, nil:
            tokens.append(Token(.string(String(decoding: text, as: UTF8.self)), span: span))
        }
    }

    private func isClosingQuote(_ quote: UInt8, _ delimiter: Int) -> Bool {
        guard pos + delimiter <= end else { return false }
        for i in 0..<delimiter where bytes[pos + i] != quote { return false }
        return true
    }

    /// Resolves the escape at `pos` (a backslash) and appends its UTF-8 bytes.
    private mutating func lexEscape(into text: inout [UInt8]) throws {
        let start = pos
        guard pos + 1 < end else {
            throw error("unterminated string", hint: "a string cannot end in a lone `\\`", at: start..<start + 1)
        }
        let c = bytes[pos + 1]
        pos += 2
        switch c {
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): text.append(c)
        case UInt8(ascii: "x"):
            guard pos + 2 <= end, let value = UInt8(String(decoding: bytes[pos..<pos + 2], as: UTF8.self), radix: 16),
                  value < 0x80 else {
                throw error("invalid escape `\\x`", hint: "`\\x` takes two hex digits of an ASCII character, e.g. `\\x41`; use `\\u{…}` beyond ASCII",
                            at: start..<min(pos + 2, end))
            }
            text.append(value)
            pos += 2
        case UInt8(ascii: "u"):
            guard pos < end, bytes[pos] == UInt8(ascii: "{") else {
                throw error("invalid Unicode escape", hint: "write `\\u{4e2d}`", at: start..<pos)
            }
            var i = pos + 1
            while i < end && i - pos <= 7 && bytes[i] != UInt8(ascii: "}") { i += 1 }
            let digits = String(decoding: bytes[(pos + 1)..<min(i, end)], as: UTF8.self)
            guard i < end, bytes[i] == UInt8(ascii: "}"), (1...6).contains(digits.utf8.count),
                  let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw error("invalid Unicode escape", hint: "write 1 to 6 hex digits of a Unicode scalar, e.g. `\\u{4e2d}`",
                            at: start..<min(i + 1, end))
            }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
            pos = i + 1
        default:
            let (shown, length): (String, Int)
            if let (scalar, n) = UTF8Text.scalar(in: bytes, at: start + 1, end: end) {
                (shown, length) = (c == UInt8(ascii: "\n") ? "\\ at end of line" : "\\\(Character(scalar))", n)
            } else {
                (shown, length) = ("\\", 1)
            }
            pos = start + 1 + length
            throw error("unknown escape `\(shown)` in a string",
                        hint: "write `\\\\` for a backslash, or use a raw string r\"…\" (e.g. for regular expressions)",
                        at: start..<pos)
        }
    }

    /// Finds the `}` that closes the interpolation whose `{` is at `pos`; returns the range of the
    /// code between them and moves past the `}`. Nested brackets and strings in the other quote
    /// (`f"{x ?? 'n/a'}"`) are skipped over.
    private mutating func scanInterpolation(quote: UInt8, delimiter: Int) throws -> Range<Int> {
        let open = pos
        var depth = 0
        var i = pos + 1
        while i < end {
            let b = bytes[i]
            if b == quote && (delimiter == 1 || (i + 2 < end && bytes[i + 1] == quote && bytes[i + 2] == quote)) {
                break  // the string ends before the interpolation does
            }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                var j = i + 1
                while j < end && bytes[j] != b && bytes[j] != quote {
                    j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard j < end, bytes[j] == b else { break }
                i = j + 1
                continue
            }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "(") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") {
                depth -= 1
            } else if b == UInt8(ascii: "}") {
                if depth == 0 {
                    let code = open + 1..<i
                    if bytes[code].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                        throw error("empty `{}` in an interpolated string",
                                    hint: "put a column or expression inside, or write `{{}}` for literal braces",
                                    at: open..<i + 1)
                    }
                    pos = i + 1
                    return code
                }
                depth -= 1
            }
            i += 1
        }
        throw error("unclosed `{` in an interpolated string", hint: "close it with `}`, or write `{{` for a literal brace",
                    at: open..<open + 1)
    }
}
