import TallyEngine

/// Text with a style per character, laid out for a terminal screen: Markdown prose and code are
/// parsed into styled characters, wrapped by display width, then written out with ANSI codes (or
/// without, when colour is off). Widths are counted before any escape code is added.
struct TextStyle: OptionSet, Sendable, Hashable {
    let rawValue: UInt16
    static let bold = TextStyle(rawValue: 1)
    static let italic = TextStyle(rawValue: 2)
    static let code = TextStyle(rawValue: 4)
    static let dim = TextStyle(rawValue: 8)
    static let error = TextStyle(rawValue: 16)
    static let accent = TextStyle(rawValue: 32)
    static let keyword = TextStyle(rawValue: 64)
    static let string = TextStyle(rawValue: 128)
    static let param = TextStyle(rawValue: 256)
    static let reverse = TextStyle(rawValue: 512)

    /// The SGR parameters of this style (after a reset).
    var sgr: String {
        var codes: [String] = []
        if contains(.bold) { codes.append("1") }
        if contains(.dim) { codes.append("2") }
        if contains(.italic) { codes.append("3") }
        if contains(.reverse) { codes.append("7") }
        if contains(.error) { codes.append("31") }
        else if contains(.keyword) { codes.append("35") }
        else if contains(.string) { codes.append("32") }
        else if contains(.param) { codes.append("33") }
        else if contains(.code) { codes.append("36") }
        else if contains(.accent) { codes.append("38;5;75") }
        return codes.joined(separator: ";")
    }
}

struct StyledChar: Sendable {
    var character: Character
    var style: TextStyle
    var width: Int

    init(_ character: Character, _ style: TextStyle = []) {
        self.character = character
        self.style = style
        // Control characters would move the cursor: they never reach the screen.
        self.width = character.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
    }
}

/// One line on the screen: its text (maybe with ANSI codes) and its width in cells.
struct ScreenLine: Sendable, Equatable {
    var text: String
    var width: Int

    static let empty = ScreenLine(text: "", width: 0)

    init(text: String, width: Int) {
        self.text = text
        self.width = width
    }

    /// A line that may hold ANSI codes, measured without them.
    init(_ text: String) {
        self.text = text
        self.width = ScreenText.visibleWidth(text)
    }

    init(_ chars: [StyledChar], color: Bool) {
        self.text = ScreenText.emit(chars, color: color)
        self.width = chars.reduce(0) { $0 + $1.width }
    }

    func indented(_ n: Int) -> ScreenLine {
        n <= 0 || text.isEmpty ? self : ScreenLine(text: String(repeating: " ", count: n) + text, width: width + n)
    }
}

enum ScreenText {
    static func styled(_ text: String, _ style: TextStyle = []) -> [StyledChar] {
        text.map { StyledChar($0, style) }
    }

    /// Styled characters as text: an SGR code wherever the style changes, a reset at the end.
    static func emit(_ chars: [StyledChar], color: Bool) -> String {
        var out = ""
        var current: TextStyle = []
        for c in chars {
            if color && c.style != current {
                out += "\u{1B}[0" + (c.style.isEmpty ? "" : ";" + c.style.sgr) + "m"
                current = c.style
            }
            out.append(c.character)
        }
        if color && !current.isEmpty { out += "\u{1B}[0m" }
        return out
    }

    /// Display width of text that may hold ANSI escape sequences (which take no cells).
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        var sawBracket = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if !sawBracket {
                    sawBracket = true
                    if scalar != "[" { inEscape = false }
                    continue
                }
                if (0x40...0x7E).contains(scalar.value) { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" {
                inEscape = true
                sawBracket = false
                continue
            }
            width += DisplayWidth.of(scalar)
        }
        return width
    }

    /// The line cut to `width` cells (escape codes kept whole, a reset added after a cut when the
    /// line had any).
    static func clip(_ line: ScreenLine, to width: Int) -> ScreenLine {
        if line.width <= width { return line }
        var out = ""
        var used = 0
        var sawEscape = false
        var iterator = line.text.makeIterator()
        while let c = iterator.next() {
            if c == "\u{1B}" {
                sawEscape = true
                out.append(c)
                while let next = iterator.next() {
                    out.append(next)
                    if let v = next.unicodeScalars.first?.value, (0x40...0x7E).contains(v), next != "[" { break }
                }
                continue
            }
            let w = c.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
            if used + w > width { break }
            out.append(c)
            used += w
        }
        if sawEscape { out += "\u{1B}[0m" }
        return ScreenLine(text: out, width: used)
    }

    static func isCJK(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF: return true
        default: return false
        }
    }

    /// Wide punctuation that must not begin a line (it stays with the character before it).
    static func isClosingPunctuation(_ c: Character) -> Bool {
        "，。、；：？！）》」』】〕％".contains(c) || ",.;:!?)%".contains(c)
    }

    /// Greedy wrapping by display width. Lines break at spaces and between Chinese characters
    /// (never before closing punctuation); a word longer than a line is cut. `first` starts the
    /// first line, `rest` the others (a list bullet and its hanging indent).
    static func wrap(_ chars: [StyledChar], width: Int, first: [StyledChar] = [], rest: [StyledChar] = []) -> [[StyledChar]] {
        // Units: runs of spaces, single Chinese characters (with trailing punctuation), words.
        var units: [[StyledChar]] = []
        var i = 0
        while i < chars.count {
            let c = chars[i].character
            var j = i + 1
            if c == " " {
                while j < chars.count && chars[j].character == " " { j += 1 }
            } else if isCJK(c) || chars[i].width == 2 {
                while j < chars.count && isClosingPunctuation(chars[j].character) { j += 1 }
            } else {
                while j < chars.count, chars[j].character != " ", !(isCJK(chars[j].character) && !isClosingPunctuation(chars[j].character)) {
                    j += 1
                }
            }
            units.append(Array(chars[i..<j]))
            i = j
        }
        var lines: [[StyledChar]] = []
        var line = first
        var lineWidth = first.reduce(0) { $0 + $1.width }
        var contentOnLine = false
        var pendingSpace: [StyledChar] = []
        func newLine() {
            lines.append(line)
            line = rest
            lineWidth = rest.reduce(0) { $0 + $1.width }
            contentOnLine = false
            pendingSpace = []
        }
        for unit in units {
            if unit.first?.character == " " {
                if contentOnLine { pendingSpace = [unit[0]] }
                continue
            }
            let w = unit.reduce(0) { $0 + $1.width }
            if contentOnLine {
                if lineWidth + pendingSpace.count + w <= width {
                    line += pendingSpace + unit
                    lineWidth += pendingSpace.count + w
                    pendingSpace = []
                    continue
                }
                newLine()
            }
            if lineWidth + w <= width {
                line += unit
                lineWidth += w
                contentOnLine = true
                continue
            }
            // A word wider than a whole line: cut it.
            for c in unit {
                if lineWidth + c.width > width && contentOnLine { newLine() }
                line.append(c)
                lineWidth += c.width
                contentOnLine = true
            }
        }
        if contentOnLine || lines.isEmpty { lines.append(line) }
        return lines
    }
}

/// Markdown prose as styled screen lines: headings bold with a rule under them, paragraphs
/// wrapped, lists with bullets and hanging indents, quotes with a bar, code blocks as they are.
/// The subset notebooks use; anything else is shown as its text.
struct ProseLayout {
    let width: Int
    let color: Bool

    enum Block {
        case heading(level: Int, text: String)
        case paragraph(String)
        case item(marker: String, level: Int, text: String)
        case quote([Block])
        case code([String])
        case rule
        /// Lines shown as written (Markdown tables, HTML).
        case verbatim([String])
    }

    func lines(_ markdown: String) -> [ScreenLine] {
        render(ProseLayout.parse(markdown), width: width)
    }

    private func render(_ blocks: [Block], width: Int) -> [ScreenLine] {
        var out: [ScreenLine] = []
        var previous: Block?
        for block in blocks {
            // A blank line between blocks, none between items of one list.
            if let previous {
                if case .item = previous, case .item = block {} else { out.append(.empty) }
            }
            switch block {
            case .heading(let level, let text):
                var style: TextStyle = [.bold]
                if level <= 2 { style.insert(.accent) }
                let chars = ProseLayout.inline(text, base: style)
                let wrapped = ScreenText.wrap(chars, width: width)
                out += wrapped.map { ScreenLine($0, color: color) }
                if level <= 2 {
                    let ruleWidth = min(width, max(wrapped.map { $0.reduce(0) { $0 + $1.width } }.max() ?? 0, level == 1 ? width : 0))
                    let rule = String(repeating: level == 1 ? "═" : "─", count: max(1, ruleWidth))
                    out.append(ScreenLine(ScreenText.styled(rule, [.accent]), color: color))
                }
            case .paragraph(let text):
                out += ScreenText.wrap(ProseLayout.inline(text), width: width).map { ScreenLine($0, color: color) }
            case .item(let marker, let level, let text):
                let indent = String(repeating: " ", count: 2 * level)
                let bullet = indent + marker + " "
                let hang = String(repeating: " ", count: DisplayWidth.of(bullet))
                out += ScreenText.wrap(ProseLayout.inline(text), width: width,
                                       first: ScreenText.styled(bullet, [.accent]), rest: ScreenText.styled(hang))
                    .map { ScreenLine($0, color: color) }
            case .quote(let inner):
                let bar = ScreenText.styled("│ ", [.dim, .accent])
                for line in render(inner, width: max(10, width - 2)) {
                    out.append(ScreenLine(text: ScreenText.emit(bar, color: color) + line.text, width: line.width + 2))
                }
            case .code(let lines):
                for line in lines {
                    out.append(ScreenText.clip(ScreenLine(ScreenText.styled("  " + CellText.sanitized(line), [.code]), color: color), to: width))
                }
            case .rule:
                out.append(ScreenLine(ScreenText.styled(String(repeating: "─", count: max(1, min(width, 40))), [.dim]), color: color))
            case .verbatim(let lines):
                for line in lines {
                    out.append(ScreenText.clip(ScreenLine(ScreenText.styled(CellText.sanitized(line)), color: color), to: width))
                }
            }
            previous = block
        }
        return out
    }

    // MARK: - Blocks

    static func parse(_ markdown: String) -> [Block] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            let l = line.hasSuffix("\r") ? line.dropLast() : line
            return Substring(l.replacingOccurrences(of: "\t", with: "    "))
        }
        var blocks: [Block] = []
        var i = 0
        var paragraph: [Substring] = []
        var item: (marker: String, level: Int, lines: [Substring])?
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(joinLines(paragraph))); paragraph = [] }
            if let it = item { blocks.append(.item(marker: it.marker, level: it.level, text: joinLines(it.lines))); item = nil }
        }
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.drop(while: { $0 == " " })
            let indent = line.count - trimmed.count
            if trimmed.isEmpty { flush(); i += 1; continue }
            if indent < 4, let fence = fenceMarker(trimmed) {
                flush()
                var body: [String] = []
                i += 1
                while i < lines.count, !lines[i].drop(while: { $0 == " " }).hasPrefix(fence) {
                    body.append(String(lines[i]))
                    i += 1
                }
                blocks.append(.code(body))
                i += 1
                continue
            }
            if indent < 4, let level = headingLevel(trimmed) {
                flush()
                var text = trimmed.dropFirst(level).trimmingSpaces()
                while text.hasSuffix("#") { text = text.dropLast().trimmingSpaces() }
                blocks.append(.heading(level: level, text: String(text)))
                i += 1
                continue
            }
            if indent < 4, isRule(trimmed) {
                flush()
                blocks.append(.rule)
                i += 1
                continue
            }
            if trimmed.hasPrefix(">") {
                flush()
                var inner: [String] = []
                while i < lines.count {
                    let t = lines[i].drop(while: { $0 == " " })
                    guard t.hasPrefix(">") else { break }
                    var rest = t.dropFirst()
                    if rest.first == " " { rest = rest.dropFirst() }
                    inner.append(String(rest))
                    i += 1
                }
                blocks.append(.quote(parse(inner.joined(separator: "\n"))))
                continue
            }
            if trimmed.hasPrefix("|") || trimmed.hasPrefix("<") {
                flush()
                var verbatim: [String] = []
                while i < lines.count, !lines[i].trimmingSpaces().isEmpty {
                    verbatim.append(String(lines[i].trimmingSpaces()))
                    i += 1
                }
                blocks.append(.verbatim(verbatim))
                continue
            }
            if let (marker, rest) = listMarker(trimmed) {
                flush()
                item = (marker, min(3, indent / 2), [rest])
                i += 1
                continue
            }
            if item != nil {
                item?.lines.append(trimmed)
            } else {
                paragraph.append(trimmed)
            }
            i += 1
        }
        flush()
        return blocks
    }

    static func fenceMarker(_ line: Substring) -> String? {
        for f in ["```", "~~~"] where line.hasPrefix(f) { return f }
        return nil
    }

    static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let after = line.dropFirst(hashes)
        return after.isEmpty || after.first == " " ? hashes : nil
    }

    static func isRule(_ line: Substring) -> Bool {
        let chars = line.filter { $0 != " " }
        guard chars.count >= 3, let c = chars.first, c == "-" || c == "*" || c == "_" else { return false }
        return chars.allSatisfy { $0 == c }
    }

    /// `- text`, `* text`, `+ text`, `1. text`, `1) text`: the bullet to show and the text.
    static func listMarker(_ line: Substring) -> (String, Substring)? {
        if let c = line.first, c == "-" || c == "*" || c == "+", line.dropFirst().first == " " {
            return ("•", line.dropFirst(2).trimmingSpaces())
        }
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count <= 9 {
            let after = line.dropFirst(digits.count)
            if let d = after.first, d == "." || d == ")", after.dropFirst().first == " " {
                return (digits + ".", after.dropFirst(2).trimmingSpaces())
            }
        }
        return nil
    }

    /// Lines of one paragraph as one text: no space where a line break falls between two Chinese
    /// characters, a space elsewhere.
    static func joinLines(_ lines: [Substring]) -> String {
        var out = ""
        for line in lines {
            let text = line.trimmingSpaces()
            if text.isEmpty { continue }
            // Emphasis marks around the break (`的\n**合成**`) do not count: the letters do.
            let marks: Set<Character> = ["*", "_", "`", "~", "[", "]"]
            if let last = out.last(where: { !marks.contains($0) }), let first = text.first(where: { !marks.contains($0) }) {
                if !(ScreenText.isCJK(last) && ScreenText.isCJK(first)) { out += " " }
            } else if !out.isEmpty {
                out += " "
            }
            out += text
        }
        return out
    }

    // MARK: - Inline

    /// Inline Markdown as styled characters: `**bold**` and `__bold__` bold, `*italic*` and
    /// `_italic_` italic, `` `code` `` in the code style, links and images as their text, `\` escapes.
    static func inline(_ text: String, base: TextStyle = []) -> [StyledChar] {
        let chars = Array(text)
        var out: [StyledChar] = []
        var bold = false, italic = false
        var i = 0
        func style() -> TextStyle {
            var s = base
            if bold { s.insert(.bold) }
            if italic { s.insert(.italic) }
            return s
        }
        func isWordChar(_ index: Int) -> Bool {
            guard index >= 0 && index < chars.count else { return false }
            return chars[index].isLetter || chars[index].isNumber
        }
        func isSpace(_ index: Int) -> Bool {
            guard index >= 0 && index < chars.count else { return true }
            return chars[index] == " "
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1].isPunctuation || chars[i + 1].isSymbol {
                out.append(StyledChar(chars[i + 1], style()))
                i += 2
                continue
            }
            if c == "`" {
                let run = chars[i...].prefix(while: { $0 == "`" }).count
                var j = i + run
                var close: Int?
                while j < chars.count {
                    if chars[j] == "`" {
                        let r = chars[j...].prefix(while: { $0 == "`" }).count
                        if r == run { close = j; break }
                        j += r
                    } else {
                        j += 1
                    }
                }
                if let close {
                    var code = String(chars[(i + run)..<close])
                    if code.hasPrefix(" ") && code.hasSuffix(" ") && code.count > 2 { code = String(code.dropFirst().dropLast()) }
                    out += code.map { StyledChar($0, style().union(.code)) }
                    i = close + run
                    continue
                }
            }
            if (c == "*" || c == "_"), i + 1 < chars.count, chars[i + 1] == c {
                // `**` opens before a non-space and closes after one; `__` only at word boundaries.
                let opens = !bold && !isSpace(i + 2) && (c == "*" || !isWordChar(i - 1))
                let closes = bold && !isSpace(i - 1) && (c == "*" || !isWordChar(i + 2))
                if opens || closes {
                    bold.toggle()
                    i += 2
                    continue
                }
            }
            if c == "*" || c == "_" {
                let opens = !italic && !isSpace(i + 1) && (c == "*" || !isWordChar(i - 1))
                let closes = italic && !isSpace(i - 1) && (c == "*" || !isWordChar(i + 1))
                if opens || closes {
                    italic.toggle()
                    i += 1
                    continue
                }
            }
            if c == "[" || (c == "!" && i + 1 < chars.count && chars[i + 1] == "[") {
                let start = c == "!" ? i + 2 : i + 1
                if let close = chars[start...].firstIndex(of: "]"), close + 1 < chars.count, chars[close + 1] == "(",
                   let end = chars[(close + 1)...].firstIndex(of: ")") {
                    out += inline(String(chars[start..<close]), base: style())
                    i = end + 1
                    continue
                }
            }
            out.append(StyledChar(c, style()))
            i += 1
        }
        return out
    }
}

/// Code with light highlighting for the terminal: transform keywords, strings, comments, `$params`.
enum CodeLayout {
    static func highlighted(_ line: String) -> [StyledChar] {
        let chars = Array(CellText.sanitized(line))
        var out: [StyledChar] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "#" {
                out += chars[i...].map { StyledChar($0, [.dim]) }
                break
            } else if c == "\"" || c == "'" {
                var j = i + 1
                while j < chars.count && chars[j] != c {
                    if chars[j] == "\\" { j += 1 }
                    j += 1
                }
                j = min(j + 1, chars.count)
                out += chars[i..<j].map { StyledChar($0, [.string]) }
                i = j
            } else if c == "$" {
                var j = i + 1
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j += 1 }
                out += chars[i..<j].map { StyledChar($0, [.param]) }
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == ".") { j += 1 }
                let word = String(chars[i..<j])
                let atStart = i == 0 || " |(\n".contains(chars[i - 1])
                let style: TextStyle = atStart && TallyHighlighter.keywords.contains(word) ? [.keyword, .bold] : []
                out += word.map { StyledChar($0, style) }
                i = j
            } else {
                out.append(StyledChar(c))
                i += 1
            }
        }
        return out
    }
}
