/// Helpers shared by the lexer, the parser and the splitter for bytes of UTF-8 text.
enum UTF8Text {
    /// Decodes the scalar starting at `index`; nil for a malformed sequence (which a Swift `String`
    /// never contains, but a byte slice cut in the wrong place could).
    static func scalar(in bytes: [UInt8], at index: Int, end: Int) -> (Unicode.Scalar, Int)? {
        guard index < end else { return nil }
        let b0 = bytes[index]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
        default: return nil
        }
        guard index + length <= end else { return nil }
        for i in 1..<length {
            let b = bytes[index + i]
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    static func isASCIILetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Any Unicode letter or `_` may start a name, so `县名` and `资助金额` are names.
    static func isIdentStart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let b = UInt8(scalar.value)
            return isASCIILetter(b) || b == UInt8(ascii: "_")
        }
        return scalar.properties.isAlphabetic
    }

    /// Letters, digits, `_`, and the combining marks some scripts need inside words.
    static func isIdentContinue(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let b = UInt8(scalar.value)
            return isASCIILetter(b) || isDigit(b) || b == UInt8(ascii: "_")
        }
        if scalar.properties.isAlphabetic { return true }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .connectorPunctuation: return true
        default: return false
        }
    }

    /// Spaces an input method slips in (no-break, ideographic) count as spaces rather than errors.
    static func isExtraWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00A0, 0x3000, 0xFEFF, 0x2000...0x200A, 0x202F, 0x205F: return true
        default: return false
        }
    }

    /// The ASCII character a full-width or typographic one stands for, for the hint "use `,`".
    static func asciiLookalike(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0xFF01...0xFF5E: return String(Unicode.Scalar(scalar.value - 0xFEE0) ?? "?")
        case 0x3001: return ","       // 、
        case 0x3002: return "."       // 。
        case 0x201C, 0x201D, 0x300C, 0x300D: return "\""  // “ ” 「 」
        case 0x2018, 0x2019: return "'"
        case 0x3010: return "["       // 【
        case 0x3011: return "]"       // 】
        case 0x2014, 0x2212: return "-"
        default: return nil
        }
    }
}
