/// `text.upper` / `text.lower` as DuckDB does them: one code point in, one code point out.
///
/// DuckDB (utf8proc) maps each code point to a single code point, so `upper "straße"` is "STRAẞE"
/// (not "STRASSE"), `lower "İ"` is "i", and Chinese is left alone. Swift's `uppercased()` uses the
/// full mappings, which can lengthen a string, so this file maps scalar by scalar instead.
/// Checked against DuckDB for every code point (a dump of `upper(chr(cp))`/`lower(chr(cp))`):
/// the rule below agrees except for letters added in Unicode 16, which DuckDB does not know yet.
enum TextCase {
    static func upper(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars { out.append(upper(scalar)) }
        return String(out)
    }

    static func lower(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars { out.append(lower(scalar)) }
        return String(out)
    }

    static func upper(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value < 0x80 {
            return scalar.value >= 0x61 && scalar.value <= 0x7A ? Unicode.Scalar(scalar.value - 32)! : scalar
        }
        let full = scalar.properties.uppercaseMapping.unicodeScalars
        if full.count == 1, let only = full.first { return only }
        if full.count > 1 {
            if scalar.value == 0xDF { return "\u{1E9E}" }  // ß → ẞ
            // Greek letters with ypogegrammeni: the simple mapping is the title case (ᾀ → ᾈ).
            let title = scalar.properties.titlecaseMapping.unicodeScalars
            if title.count == 1, let only = title.first { return only }
        }
        return scalar
    }

    static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value < 0x80 {
            return scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar
        }
        let full = scalar.properties.lowercaseMapping.unicodeScalars
        if full.count == 1, let only = full.first { return only }
        // İ (U+0130) lowers to "i̇" in full; its simple mapping is the plain "i".
        if full.count > 1, let first = full.first { return first }
        return scalar
    }
}
