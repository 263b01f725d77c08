/// A pull scanner over the UTF-8 bytes of an XML part of a workbook.
///
/// It knows just what the parts of an .xlsx need: elements with attributes, text, entities, CDATA;
/// comments, processing instructions and a DOCTYPE are skipped. Element and attribute names are
/// matched by their local name, so `x:c` and `c` are the same element. Nothing is allocated per
/// element: names, attributes and text are byte ranges into the buffer, decoded only when asked.
///
/// The buffer must outlive the scanner (callers scan inside `withUnsafeBufferPointer`).
struct XMLScanner {
    enum Event: Equatable {
        /// `<name …>` or `<name …/>` (then `selfClosing` is set).
        case start
        /// `</name>`.
        case end
        /// Character data between tags (entities not yet decoded; `isCData` for a CDATA section).
        case text
        /// The end of the bytes.
        case eof
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// The local name of the last start or end tag (after any `prefix:`).
    private(set) var name: Range<Int> = 0..<0
    /// The attribute bytes of the last start tag.
    private(set) var attributes: Range<Int> = 0..<0
    private(set) var selfClosing = false
    /// The last text event's bytes.
    private(set) var text: Range<Int> = 0..<0
    private(set) var isCData = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The next event. Malformed markup (an unclosed tag) ends the scan with `.eof` and sets `malformed`.
    private(set) var malformed = false

    mutating func next() -> Event {
        let count = bytes.count
        while position < count {
            if bytes[position] != 0x3C {  // text up to the next `<`
                let start = position
                while position < count, bytes[position] != 0x3C { position += 1 }
                text = start..<position
                isCData = false
                return .text
            }
            // At `<`.
            let next = position + 1
            guard next < count else { malformed = true; position = count; return .eof }
            switch bytes[next] {
            case 0x2F:  // `</name>`
                guard let close = find(0x3E, from: next) else { return fail() }
                name = localName(next + 1, trimmedEnd(next + 1, close))
                position = close + 1
                return .end
            case 0x3F:  // `<? … ?>`
                guard let end = find(sequence: [0x3F, 0x3E], from: next) else { return fail() }
                position = end + 2
                continue
            case 0x21:  // `<!-- -->`, `<![CDATA[ ]]>`, `<!DOCTYPE …>`
                if has(prefix: [0x21, 0x2D, 0x2D], at: next) {
                    guard let end = find(sequence: [0x2D, 0x2D, 0x3E], from: next + 3) else { return fail() }
                    position = end + 3
                    continue
                }
                if has(prefix: Array("![CDATA[".utf8), at: next) {
                    let start = next + 8
                    guard let end = find(sequence: [0x5D, 0x5D, 0x3E], from: start) else { return fail() }
                    text = start..<end
                    isCData = true
                    position = end + 3
                    return .text
                }
                guard let close = find(0x3E, from: next) else { return fail() }
                position = close + 1
                continue
            default:
                var i = next
                while i < count, !XMLScanner.isNameEnd(bytes[i]) { i += 1 }
                name = localName(next, i)
                // Attributes up to the `>` that is not inside a quoted value.
                let attrStart = i
                var quote: UInt8 = 0
                while i < count {
                    let b = bytes[i]
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == 0x22 || b == 0x27 {
                        quote = b
                    } else if b == 0x3E {
                        break
                    }
                    i += 1
                }
                guard i < count else { return fail() }
                selfClosing = i > attrStart && bytes[i - 1] == 0x2F
                attributes = attrStart..<(selfClosing ? i - 1 : i)
                position = i + 1
                return .start
            }
        }
        return .eof
    }

    private mutating func fail() -> Event {
        malformed = true
        position = bytes.count
        return .eof
    }

    @inline(__always)
    static func isNameEnd(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x3E || b == 0x2F || b == 0x0A || b == 0x0D || b == 0x09
    }

    private func find(_ byte: UInt8, from: Int) -> Int? {
        var i = from
        while i < bytes.count {
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    private func find(sequence: [UInt8], from: Int) -> Int? {
        guard let first = sequence.first else { return nil }
        var i = from
        while i + sequence.count <= bytes.count {
            if bytes[i] == first, has(prefix: sequence, at: i) { return i }
            i += 1
        }
        return nil
    }

    private func has(prefix: [UInt8], at: Int) -> Bool {
        guard at + prefix.count <= bytes.count else { return false }
        for (k, b) in prefix.enumerated() where bytes[at + k] != b { return false }
        return true
    }

    private func trimmedEnd(_ start: Int, _ end: Int) -> Int {
        var e = end
        while e > start, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x0A || bytes[e - 1] == 0x0D || bytes[e - 1] == 0x09 { e -= 1 }
        return e
    }

    /// The part of `start..<end` after the last `:`.
    private func localName(_ start: Int, _ end: Int) -> Range<Int> {
        var s = start
        var i = start
        while i < end {
            if bytes[i] == 0x3A { s = i + 1 }
            i += 1
        }
        return s..<max(s, end)
    }

    // MARK: - Reading names, attributes and text

    /// Whether the last tag's local name is `expected` (ASCII).
    @inline(__always)
    func nameIs(_ expected: StaticString) -> Bool {
        equal(name, expected)
    }

    @inline(__always)
    func equal(_ range: Range<Int>, _ expected: StaticString) -> Bool {
        let n = expected.utf8CodeUnitCount
        guard range.count == n else { return false }
        let p = expected.utf8Start
        var k = 0
        while k < n {
            if bytes[range.lowerBound + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    /// The raw value of the last start tag's attribute with local name `key`.
    func attribute(_ key: StaticString) -> Range<Int>? {
        var i = attributes.lowerBound
        let end = attributes.upperBound
        while i < end {
            while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
            let nameStart = i
            while i < end, bytes[i] != 0x3D, !XMLScanner.isSpace(bytes[i]) { i += 1 }
            let nameEnd = i
            while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == 0x3D else { return nil }
            i += 1
            while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
            guard i < end, bytes[i] == 0x22 || bytes[i] == 0x27 else { return nil }
            let quote = bytes[i]
            i += 1
            let valueStart = i
            while i < end, bytes[i] != quote { i += 1 }
            let valueEnd = i
            i += 1
            if equal(localName(nameStart, nameEnd), key) { return valueStart..<valueEnd }
        }
        return nil
    }

    /// The decoded value of an attribute.
    func attributeString(_ key: StaticString) -> String? {
        attribute(key).map { decoded($0) }
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// The text of the last text event, entities decoded (a CDATA section is taken as it is).
    func decodedText() -> String {
        isCData ? String(decoding: UnsafeBufferPointer(rebasing: bytes[text]), as: UTF8.self) : decoded(text)
    }

    /// `range` as a string with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and `&#…;` decoded.
    func decoded(_ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard slice.contains(0x26) else { return String(decoding: slice, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            let b = slice[i]
            guard b == 0x26 else { out.append(b); i += 1; continue }
            var j = i + 1
            while j < slice.count, j - i < 12, slice[j] != 0x3B { j += 1 }
            guard j < slice.count, slice[j] == 0x3B else { out.append(b); i += 1; continue }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: slice[(i + 1)..<j]), as: UTF8.self)
            switch entity {
            case "lt": out.append(0x3C)
            case "gt": out.append(0x3E)
            case "amp": out.append(0x26)
            case "quot": out.append(0x22)
            case "apos": out.append(0x27)
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
                if let scalar {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                } else {
                    out.append(contentsOf: slice[i...j])
                }
            }
            i = j + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A non-negative decimal integer attribute value, or nil (also when it does not fit in an Int).
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var v = 0
        for i in range {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    /// Skips to the end of the element whose start tag was just read (nothing to do when it closed itself).
    mutating func skipElement() {
        if selfClosing { return }
        var depth = 1
        while depth > 0 {
            switch next() {
            case .start: if !selfClosing { depth += 1 }
            case .end: depth -= 1
            case .text: continue
            case .eof: return
            }
        }
    }
}

extension String {
    /// OOXML's escape of characters XML cannot hold: `_x000D_` is a carriage return.
    /// `_x005F_` escapes an underscore that would otherwise start such an escape.
    var decodingOOXMLEscapes: String {
        guard contains("_x") else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: "_x") {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let v = UInt32(hex.dropLast(), radix: 16), let scalar = Unicode.Scalar(v) {
                out.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        out += rest
        return out
    }
}
