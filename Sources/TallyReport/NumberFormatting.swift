import TallyEngine

/// Numbers as people read them in a terminal table: thousands separators, and floats with one
/// number of decimals per column so the decimal points line up.
///
/// This is display formatting only; exports keep the canonical, lossless text (`Column.text(at:)`).
/// Everything here is deterministic and free of locale and Foundation: the same value prints the
/// same on every machine.
public enum NumberFormatting {
    /// Integers from this magnitude on make a column use thousands separators. Below it the column
    /// is left alone, so years (2021) and codes (4501) never get a comma.
    public static let groupingThreshold: Int64 = 10_000

    /// Decimals a float column shows at most, unless its values are tiny.
    public static let maxDecimals = 6

    /// Significant digits a float keeps before its trailing decimals are cut (more than any plan
    /// figure has; the binary noise of a long sum, 177620309.14000243, is past them).
    public static let significantDigits = 12

    /// Decimals a value keeps however large it is, when it has them: cents of a money sum.
    public static let keptDecimals = 2

    /// `12,345,678`; with `grouping` false just the digits.
    public static func format(_ value: Int64, grouping: Bool = true) -> String {
        let digits = String(value.magnitude)
        let body = grouping ? group(digits) : digits
        return value < 0 ? "-" + body : body
    }

    /// Whether a column's name says its integers are labels, not quantities (`county_code`,
    /// `school_id`, `year`): those never get thousands separators, so 450102 stays 450102.
    public static func namesAnIdentifier(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "id" || lower == "code" || lower.hasSuffix("_id") || lower.hasSuffix("_code")
            || lower == "year" || lower.hasSuffix("_year")
    }

    /// Whether an int column with these values uses thousands separators: when any reaches
    /// `groupingThreshold` in magnitude. Deciding per column keeps `1,234` and `12,345` aligned.
    public static func usesGrouping<S: Sequence>(_ values: S) -> Bool where S.Element == Int64 {
        values.contains { $0.magnitude >= groupingThreshold.magnitude }
    }

    /// How a float column prints: the same decimals for every value, and separators or not.
    public struct FloatStyle: Sendable, Equatable {
        /// Digits after the point; nil prints each value in its shortest round-trip form
        /// (for magnitudes where fixed decimals would be absurd: 1e20, 1e-12).
        public var decimals: Int?
        /// Thousands separators in the integer part.
        public var grouping: Bool

        public init(decimals: Int?, grouping: Bool) {
            self.decimals = decimals
            self.grouping = grouping
        }
    }

    /// The style for a column holding `values` (NaN and infinities are ignored).
    ///
    /// Each value asks for the decimals of its shortest round-trip form, rounded to
    /// `significantDigits` significant digits but never to fewer than `keptDecimals` places
    /// (177620309.14000243 asks for 2, 1234567.891 for 3, 0.5 for 1, 0.1 + 0.2 for 1); the column
    /// takes the largest request, at least 1 (a float looks like a float: `3.0`) and at most
    /// `maxDecimals` — more when the column's largest value is tiny, so 0.000123 keeps three
    /// significant digits.
    public static func floatStyle<S: Sequence>(for values: S) -> FloatStyle where S.Element == Double {
        var largest = 0.0
        var wanted = 0
        for value in values where value.isFinite && value != 0 {
            largest = max(largest, value.magnitude)
            var digits = DecimalDigits(value)
            digits.round(decimals: max(keptDecimals, significantDigits - digits.exponent))
            wanted = max(wanted, digits.shortestDecimals)
        }
        if largest >= 1e15 || (largest > 0 && largest < 1e-9) {
            return FloatStyle(decimals: nil, grouping: false)
        }
        var cap = maxDecimals
        if largest > 0 { cap = max(maxDecimals, 3 - DecimalDigits(largest).exponent) }
        return FloatStyle(decimals: min(max(wanted, 1), cap),
                          grouping: largest >= Double(groupingThreshold))
    }

    /// `value` in `style`: `12,345.68`, `0.5000`; `nan`, `inf`, `-inf` as in exports.
    public static func format(_ value: Double, style: FloatStyle) -> String {
        guard value.isFinite else { return Column.formatFloat(value) }
        guard let decimals = style.decimals else { return Column.formatFloat(value) }
        var digits = DecimalDigits(value)
        digits.round(decimals: decimals)
        return digits.fixed(decimals: decimals, grouping: style.grouping)
    }

    /// Inserts a comma every three digits from the right: "1234567" → "1,234,567".
    static func group(_ digits: String) -> String {
        let count = digits.utf8.count
        guard count > 3 else { return digits }
        var out = ""
        out.reserveCapacity(count + count / 3)
        for (index, character) in digits.enumerated() {
            if index > 0 && (count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}

/// A finite double as decimal digits: value = ±0.d₁d₂d₃… × 10^exponent.
///
/// Built from Swift's shortest round-trip text, so rounding to fixed decimals rounds the number the
/// user sees in exports (2.675 prints 2.68, half away from zero), not its binary neighbour, and no
/// `printf` is needed.
struct DecimalDigits {
    var negative: Bool
    /// Digit values 0…9, without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int

    init(_ value: Double) {
        negative = value < 0
        digits = []
        exponent = 0
        let text = value.magnitude.description.utf8
        var pointSeen = false
        var integerDigits = 0
        var exponentValue = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponentValue = exponentValue * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    digits.append(byte - UInt8(ascii: "0"))
                    if !pointSeen { integerDigits += 1 }
                }
            case UInt8(ascii: "."): pointSeen = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): exponentNegative = true
            default: break  // "+" of the exponent
            }
        }
        exponent = integerDigits + (exponentNegative ? -exponentValue : exponentValue)
        let leadingZeros = digits.prefix { $0 == 0 }.count
        digits.removeFirst(leadingZeros)
        exponent -= leadingZeros
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty { exponent = 0 }
    }

    /// Digits after the point in the shortest form: 0.001 → 3, 123.45 → 2, 1e20 → 0.
    var shortestDecimals: Int { max(0, digits.count - exponent) }

    /// Rounds half away from zero to `decimals` places.
    mutating func round(decimals: Int) {
        let keep = exponent + decimals
        guard keep < digits.count else { return }
        if keep < 0 {
            digits = []
            exponent = 0
            return
        }
        let roundsUp = digits[keep] >= 5
        digits.removeLast(digits.count - keep)
        if roundsUp {
            var index = digits.count - 1
            while index >= 0 && digits[index] == 9 {
                digits[index] = 0
                index -= 1
            }
            if index >= 0 {
                digits[index] += 1
            } else {
                digits.insert(1, at: 0)
                exponent += 1
            }
        }
        while digits.last == 0 { digits.removeLast() }
        if digits.isEmpty { exponent = 0 }
    }

    /// Fixed-point text with exactly `decimals` places; no minus sign when every digit shown is 0.
    func fixed(decimals: Int, grouping: Bool) -> String {
        var integerPart = ""
        if exponent <= 0 {
            integerPart = "0"
        } else {
            for position in 0..<exponent {
                integerPart.append(Character(Unicode.Scalar(UInt8(ascii: "0") + digit(at: position))))
            }
        }
        if grouping { integerPart = NumberFormatting.group(integerPart) }
        var out = negative && !digits.isEmpty ? "-" : ""
        out += integerPart
        if decimals > 0 {
            out.append(".")
            for position in exponent..<(exponent + decimals) {
                out.append(Character(Unicode.Scalar(UInt8(ascii: "0") + digit(at: position))))
            }
        }
        return out
    }

    /// The digit `position` places after the leading one of 0.d₁d₂…, zero outside the digits.
    private func digit(at position: Int) -> UInt8 {
        position >= 0 && position < digits.count ? digits[position] : 0
    }
}
