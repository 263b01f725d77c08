/// An error a user caused (bad input, a malformed query, a missing file) and can fix.
///
/// Errors are values that carry everything needed to show them well: the words, an optional hint,
/// and where the problem is — a file and line for data, a byte span into the statement text for
/// queries, so the renderer can underline it with carets.
public struct TallyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case load, lex, parse, name, type, runtime, usage, io, cancelled
    }

    public var kind: Kind
    public var message: String
    public var hint: String?
    /// File the problem is in (a data file, or the script a statement came from).
    public var file: String?
    /// 1-based line in `file` (or in the statement when `file` is nil).
    public var line: Int?
    /// The statement text that `span` points into.
    public var source: String?
    /// UTF-8 byte offsets into `source`.
    public var span: Range<Int>?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, file: String? = nil, line: Int? = nil,
                source: String? = nil, span: Range<Int>? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.file = file
        self.line = line
        self.source = source
        self.span = span
    }

    public static func cancelled() -> TallyError {
        TallyError(.cancelled, "cancelled", hint: nil)
    }

    public var description: String { rendered() }

    /// The message as a user reads it:
    ///
    ///     error: unknown column `amout`
    ///       1 | from aid | filter amout > 0
    ///         |                   ^^^^^ did you mean `amount`?
    ///
    /// `lineOffset` shifts line numbers when the statement starts further down a script.
    public func rendered(lineOffset: Int = 0) -> String {
        var out = "error: " + TallyError.shortened(message, to: 400)
        if let source, let span {
            let bytes = Array(source.utf8)
            let start = min(max(0, span.lowerBound), bytes.count)
            let end = min(max(start, span.upperBound), bytes.count)
            var lineStart = start
            while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
            var lineEnd = start
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let lineNumber = bytes[0..<lineStart].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } + lineOffset
            var lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
            var before = String(decoding: bytes[lineStart..<start], as: UTF8.self)
            var marked = String(decoding: bytes[start..<min(end, lineEnd)], as: UTF8.self)
            let column = DisplayWidth.of(before) + 1
            if lineEnd - lineStart > TallyError.longLine {
                // A window around the span, so a 10 MB line is not printed (twice, with its carets).
                func boundary(_ i: Int) -> Int {
                    var k = i
                    while k > lineStart, k < lineEnd, bytes[k] & 0xC0 == 0x80 { k -= 1 }
                    return k
                }
                let visibleStart = boundary(max(lineStart, start - 60))
                let markedEnd = boundary(min(end, lineEnd, start + 80))
                let visibleEnd = boundary(min(lineEnd, markedEnd + 60))
                let lead = visibleStart > lineStart ? "…" : "", trail = visibleEnd < lineEnd ? "…" : ""
                before = lead + String(decoding: bytes[visibleStart..<start], as: UTF8.self)
                marked = String(decoding: bytes[start..<max(start, markedEnd)], as: UTF8.self)
                lineText = before + String(decoding: bytes[start..<visibleEnd], as: UTF8.self) + trail
            }
            let gutter = String(lineNumber)
            let pad = String(repeating: " ", count: gutter.count)
            var location = ""
            if let file { location = "\(pad)--> \(file):\(lineNumber):\(column)\n" }
            out += "\n" + location
            out += "\(gutter) | \(lineText)\n"
            out += "\(pad) | " + String(repeating: " ", count: DisplayWidth.of(before))
                + String(repeating: "^", count: max(1, DisplayWidth.of(marked)))
            if let hint { out += " " + hint }
        } else {
            if let file {
                out += "\n  --> " + file + (line.map { ":\($0 + lineOffset)" } ?? "")
            } else if let line {
                out += " (line \(line + lineOffset))"
            }
            if let hint { out += "\n  hint: " + hint }
        }
        return out
    }

    /// Source lines longer than this (in bytes) are shown as a window around the error.
    static let longLine = 240

    /// `text` cut in the middle to about `limit` characters: messages quote user input, which may be huge.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit * 4 || text.count > limit else { return text }
        return String(text.prefix(limit * 2 / 3)) + " … " + String(text.suffix(limit / 3))
    }
}
