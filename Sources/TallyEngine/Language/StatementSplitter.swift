/// One statement's text as cut from a script.
public struct SourceStatement: Sendable, Equatable {
    /// The statement, without trailing blank lines.
    public var text: String
    /// 1-based line of the script on which it starts.
    public var line: Int
    /// Byte offset of `text` in the script.
    public var byteOffset: Int
    /// A `.command` line, to be run verbatim rather than parsed.
    public var isCommand: Bool

    public init(text: String, line: Int, byteOffset: Int, isCommand: Bool) {
        self.text = text
        self.line = line
        self.byteOffset = byteOffset
        self.isCommand = isCommand
    }
}

/// Cuts a script, notebook cell or `-c` text into statements.
///
/// `LANGUAGE.md`'s rule: a new statement starts at each line that begins in column one, outside
/// brackets and strings, with `from`, `let`, `prql` or `.`; every other line (blank, indented, a
/// comment, a transform) continues the current statement. That is why an ordinary `.prql` file with
/// blank lines between its transforms runs as it is. A `.command` is exactly its one line.
///
/// Splitting never fails: an unclosed bracket or string simply keeps the rest of the script in one
/// statement, whose parse error then points at the culprit.
public enum StatementSplitter {
    public static func split(_ script: String) -> [SourceStatement] {
        let bytes = Array(script.utf8)
        var statements: [SourceStatement] = []
        var scanner = CodeScanner()
        var current: (start: Int, line: Int)?
        var lineStart = 0
        var lineNumber = 1

        func finish(at end: Int) {
            guard let (start, line) = current else { return }
            current = nil
            guard CodeScanner.hasCode(bytes[start..<end]) else { return }
            statements.append(SourceStatement(text: trimmedText(bytes[start..<end]), line: line,
                                              byteOffset: start, isCommand: false))
        }

        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = min(lineEnd + 1, bytes.count)

            if scanner.isAtTopLevel, let starter = statementStarter(bytes, at: lineStart, lineEnd: lineEnd) {
                finish(at: lineStart)
                if starter == .command {
                    statements.append(SourceStatement(text: trimmedText(bytes[lineStart..<lineEnd]), line: lineNumber,
                                                      byteOffset: lineStart, isCommand: true))
                } else {
                    current = (lineStart, lineNumber)
                    scanner.scan(bytes, lineStart..<next)
                }
            } else {
                // Leading blank and comment-only lines belong to no statement.
                if current == nil && (!scanner.isAtTopLevel || CodeScanner.hasCode(bytes[lineStart..<lineEnd])) {
                    current = (lineStart, lineNumber)
                }
                scanner.scan(bytes, lineStart..<next)
            }
            lineStart = next
            lineNumber += 1
        }
        finish(at: bytes.count)
        return statements
    }

    enum Starter { case keyword, command }

    /// Whether the line starting at `index` begins a statement: `.` or one of the words `from`,
    /// `let`, `prql` in column one (or a relation from a file or text: `from_text`, `read_csv`,
    /// `read_json`, which can only start a pipeline).
    static func statementStarter(_ bytes: [UInt8], at index: Int, lineEnd: Int) -> Starter? {
        guard index < lineEnd else { return nil }
        if bytes[index] == UInt8(ascii: ".") { return .command }
        for word in ["from", "let", "prql", "from_text", "read_csv", "read_json", "read_excel"] {
            let w = Array(word.utf8)
            guard index + w.count <= lineEnd, Array(bytes[index..<index + w.count]) == w else { continue }
            let after = index + w.count
            if after == lineEnd { return .keyword }
            let b = bytes[after]
            if b >= 0x80 || UTF8Text.isASCIILetter(b) || UTF8Text.isDigit(b) || b == UInt8(ascii: "_") { continue }
            return .keyword
        }
        return nil
    }

    static func trimmedText(_ slice: ArraySlice<UInt8>) -> String {
        var s = slice
        while let last = s.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t")
                || last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { s.removeLast() }
        return String(decoding: s, as: UTF8.self)
    }
}

/// A small byte scanner that knows just enough of the lexical rules — strings (plain, raw,
/// triple-quoted), backtick names, comments and brackets — to tell where code is at the top level.
/// The splitter and `InputCompleteness` use it on text that may not lex yet.
struct CodeScanner {
    enum State: Equatable {
        case code
        case string(quote: UInt8, triple: Bool, raw: Bool)
        case backtick
    }

    var state: State = .code
    /// Open brackets; a stray closing bracket is recorded in `sawStrayClose` rather than going
    /// negative, so one typo does not glue the rest of a script together.
    var depth = 0
    var sawStrayClose = false

    var isAtTopLevel: Bool { state == .code && depth == 0 }

    var isInTripleQuotedString: Bool {
        if case .string(_, true, _) = state { return true }
        return false
    }

    mutating func scan(_ bytes: [UInt8], _ range: Range<Int>) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            switch state {
            case .code:
                switch b {
                case UInt8(ascii: "#"):
                    while i < end && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                    continue
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    let triple = i + 2 < end && bytes[i + 1] == b && bytes[i + 2] == b
                    // `r"…"`: the `r` touches the quote and is not the end of a longer name.
                    let raw = i >= 1 && bytes[i - 1] == UInt8(ascii: "r")
                        && !(i >= 2 && (UTF8Text.isASCIILetter(bytes[i - 2]) || UTF8Text.isDigit(bytes[i - 2])
                                        || bytes[i - 2] == UInt8(ascii: "_") || bytes[i - 2] >= 0x80))
                    state = .string(quote: b, triple: triple, raw: raw)
                    i += triple ? 3 : 1
                    continue
                case UInt8(ascii: "`"):
                    state = .backtick
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if depth > 0 { depth -= 1 } else { sawStrayClose = true }
                default:
                    break
                }
            case .string(let quote, let triple, let raw):
                if b == UInt8(ascii: "\\") && !raw {
                    i += 2
                    continue
                }
                if b == quote {
                    if !triple {
                        state = .code
                    } else if i + 2 < end && bytes[i + 1] == quote && bytes[i + 2] == quote {
                        state = .code
                        i += 3
                        continue
                    }
                }
            case .backtick:
                if b == UInt8(ascii: "`") || b == UInt8(ascii: "\n") { state = .code }
            }
            i += 1
        }
    }

    /// Whether the text holds anything but blanks and comments.
    static func hasCode(_ slice: ArraySlice<UInt8>) -> Bool {
        var i = slice.startIndex
        while i < slice.endIndex {
            let b = slice[i]
            if b == UInt8(ascii: "#") {
                while i < slice.endIndex && slice[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            }
            if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\n") && b != UInt8(ascii: "\r") {
                return true
            }
            i += 1
        }
        return false
    }
}
