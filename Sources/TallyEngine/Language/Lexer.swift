/// Turns statement text into tokens.
///
/// The lexer works on the UTF-8 bytes of the statement (never `Character` by `Character`, which is
/// slow and hides byte offsets), and every token's span is a byte range into those bytes. Non-ASCII
/// bytes are decoded only where a name or an unexpected character needs it.
///
/// Errors are thrown as `TallyError(.lex, …)` with the statement as `source` and the span of the
/// offending text, so they render with a caret under it.
package struct Lexer {
    let source: String
    let bytes: [UInt8]
    /// End of the region being lexed (an f-string interpolation lexes a sub-range).
    let end: Int
    let keepComments: Bool
    var pos: Int
    var tokens: [Token] = []

    /// Tokens of `source`, ending with `.eof`. Comments are dropped unless `keepComments` (which a
    /// syntax highlighter wants).
    package static func tokenize(_ source: String, keepComments: Bool = false) throws -> [Token] {
        var lexer = Lexer(source: source, bytes: Array(source.utf8), keepComments: keepComments)
        return try lexer.run()
    }

    /// Tokens up to the first lexical error, and that error: for a syntax highlighter, which must
    /// colour half-typed input (an open string, say) without failing.
    package static func tokenizeLeniently(_ source: String, keepComments: Bool = true) -> (tokens: [Token], error: TallyError?) {
        var lexer = Lexer(source: source, bytes: Array(source.utf8), keepComments: keepComments)
        do {
            return (try lexer.run(), nil)
        } catch let error as TallyError {
            return (lexer.tokens, error)
        } catch {
            return (lexer.tokens, nil)
        }
    }

    init(source: String, bytes: [UInt8], range: Range<Int>? = nil, keepComments: Bool = false) {
        self.source = source
        self.bytes = bytes
        let range = range ?? 0..<bytes.count
        self.pos = range.lowerBound
        self.end = min(range.upperBound, bytes.count)
        self.keepComments = keepComments
    }

    mutating func run() throws -> [Token] {
        while pos < end {
            try lexToken()
        }
        tokens.append(Token(.eof, span: end..<end))
        return tokens
    }

    // MARK: - Dispatch

    private mutating func lexToken() throws {
        let start = pos
        let b = bytes[pos]
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
            pos += 1
        case UInt8(ascii: "\n"):
            pos += 1
            if !skipBackslashContinuation() {
                tokens.append(Token(.newline, span: start..<start + 1))
            }
        case UInt8(ascii: "#"):
            while pos < end && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            if keepComments { tokens.append(Token(.comment, span: start..<pos)) }
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            try lexString(prefix: nil, start: start)
        case UInt8(ascii: "`"):
            try lexQuotedIdent()
        case UInt8(ascii: "@"):
            try lexDateTime()
        case UInt8(ascii: "$"):
            try lexParam()
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            try lexNumber()
        case UInt8(ascii: "\\"):
            throw error("unexpected `\\`", hint: "a line starting with `\\` continues the previous line", at: start..<start + 1)
        default:
            if b < 0x80 && (UTF8Text.isASCIILetter(b) || b == UInt8(ascii: "_")) {
                try lexWord()
            } else if b < 0x80 {
                try lexOperator()
            } else {
                try lexNonASCII()
            }
        }
    }

    /// PRQL's line continuation: a line whose first non-blank character is `\` joins the previous
    /// line. Called just after a newline; consumes the indentation and the `\` when present.
    private mutating func skipBackslashContinuation() -> Bool {
        var i = pos
        while i < end && (bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t")) { i += 1 }
        guard i < end, bytes[i] == UInt8(ascii: "\\") else { return false }
        pos = i + 1
        return true
    }

    private mutating func lexNonASCII() throws {
        let start = pos
        guard let (scalar, length) = UTF8Text.scalar(in: bytes, at: pos, end: end) else {
            throw error("invalid UTF-8 in the query", hint: nil, at: start..<start + 1)
        }
        if UTF8Text.isExtraWhitespace(scalar) {
            pos += length
        } else if UTF8Text.isIdentStart(scalar) {
            try lexWord()
        } else if let ascii = UTF8Text.asciiLookalike(scalar) {
            throw error("unexpected character `\(Character(scalar))`",
                        hint: "this is a full-width or typographic character; use `\(ascii)`",
                        at: start..<start + length)
        } else {
            throw error("unexpected character `\(Character(scalar))`", hint: nil, at: start..<start + length)
        }
    }

    // MARK: - Names

    /// Scans name characters from `pos`; returns the end offset.
    func scanIdentContinue(from index: Int) -> Int {
        var i = index
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                guard UTF8Text.isASCIILetter(b) || UTF8Text.isDigit(b) || b == UInt8(ascii: "_") else { break }
                i += 1
            } else {
                guard let (scalar, length) = UTF8Text.scalar(in: bytes, at: i, end: end),
                      UTF8Text.isIdentContinue(scalar) else { break }
                i += length
            }
        }
        return i
    }

    /// A name, a keyword, or the `r`/`f`/`s` prefix of a string.
    private mutating func lexWord() throws {
        let start = pos
        let wordEnd = scanIdentContinue(from: pos)
        // `r"…"`, `f"…"`, `s"…"`: the prefix letter touches the quote.
        if wordEnd == start + 1, wordEnd < end, bytes[wordEnd] == UInt8(ascii: "\"") || bytes[wordEnd] == UInt8(ascii: "'") {
            let prefix: StringPrefix?
            switch bytes[start] {
            case UInt8(ascii: "r"): prefix = .raw
            case UInt8(ascii: "f"): prefix = .format
            case UInt8(ascii: "s"): prefix = .sql
            default: prefix = nil
            }
            if let prefix {
                pos = wordEnd
                try lexString(prefix: prefix, start: start)
                return
            }
        }
        pos = wordEnd
        let text = String(decoding: bytes[start..<wordEnd], as: UTF8.self)
        // `prql.version` is a name in the `prql` module, not the `prql` header keyword.
        if let keyword = Keyword(rawValue: text), !(keyword == .prql && wordEnd < bytes.count && bytes[wordEnd] == UInt8(ascii: ".")) {
            tokens.append(Token(.keyword(keyword), span: start..<wordEnd))
        } else {
            tokens.append(Token(.ident(text), span: start..<wordEnd))
        }
    }

    /// `` `amount (yuan)` ``: anything but a backtick or a line break.
    private mutating func lexQuotedIdent() throws {
        let start = pos
        pos += 1
        while pos < end && bytes[pos] != UInt8(ascii: "`") && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
        guard pos < end, bytes[pos] == UInt8(ascii: "`") else {
            throw error("unterminated quoted name", hint: "close it with a backtick `", at: start..<start + 1)
        }
        pos += 1
        if pos - start == 2 {
            throw error("empty quoted name", hint: "put the name between the backticks", at: start..<pos)
        }
        let name = String(decoding: bytes[start + 1..<pos - 1], as: UTF8.self)
        tokens.append(Token(.quotedIdent(name), span: start..<pos))
    }

    /// `$year`, `$1`, `$a.b`.
    private mutating func lexParam() throws {
        let start = pos
        var i = scanIdentContinue(from: pos + 1)
        while i + 1 < end, bytes[i] == UInt8(ascii: "."), scanIdentContinue(from: i + 1) > i + 1 {
            i = scanIdentContinue(from: i + 1)
        }
        guard i > start + 1 else {
            throw error("expected a parameter name after `$`", hint: "parameters look like `$year`", at: start..<start + 1)
        }
        pos = i
        tokens.append(Token(.param(String(decoding: bytes[start + 1..<i], as: UTF8.self)), span: start..<i))
    }

    // MARK: - Operators

    private mutating func lexOperator() throws {
        let start = pos
        let b = bytes[pos]
        let next: UInt8 = pos + 1 < end ? bytes[pos + 1] : 0
        func emit(_ kind: TokenKind, _ length: Int) {
            tokens.append(Token(kind, span: start..<start + length))
            pos = start + length
        }
        switch b {
        case UInt8(ascii: "+"): emit(.plus, 1)
        case UInt8(ascii: "-"): next == UInt8(ascii: ">") ? emit(.arrow, 2) : emit(.minus, 1)
        case UInt8(ascii: "*"): next == UInt8(ascii: "*") ? emit(.starStar, 2) : emit(.star, 1)
        case UInt8(ascii: "/"): next == UInt8(ascii: "/") ? emit(.slashSlash, 2) : emit(.slash, 1)
        case UInt8(ascii: "%"): emit(.percent, 1)
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { emit(.eqEq, 2) } else if next == UInt8(ascii: ">") { emit(.fatArrow, 2) } else { emit(.assign, 1) }
        case UInt8(ascii: "!"): next == UInt8(ascii: "=") ? emit(.bangEq, 2) : emit(.bang, 1)
        case UInt8(ascii: "<"): next == UInt8(ascii: "=") ? emit(.lessEq, 2) : emit(.less, 1)
        case UInt8(ascii: ">"): next == UInt8(ascii: "=") ? emit(.greaterEq, 2) : emit(.greater, 1)
        case UInt8(ascii: "~"):
            guard next == UInt8(ascii: "=") else {
                throw error("unexpected `~`", hint: "regular-expression search is `~=`", at: start..<start + 1)
            }
            emit(.tildeEq, 2)
        case UInt8(ascii: "?"):
            guard next == UInt8(ascii: "?") else {
                throw error("unexpected `?`", hint: "`x ?? default` replaces null", at: start..<start + 1)
            }
            emit(.questionQuestion, 2)
        case UInt8(ascii: "&"):
            guard next == UInt8(ascii: "&") else {
                throw error("unexpected `&`", hint: "logical and is `&&`", at: start..<start + 1)
            }
            emit(.ampAmp, 2)
        case UInt8(ascii: "|"): next == UInt8(ascii: "|") ? emit(.pipePipe, 2) : emit(.pipe, 1)
        case UInt8(ascii: ":"): emit(.colon, 1)
        case UInt8(ascii: ","): emit(.comma, 1)
        case UInt8(ascii: "."): next == UInt8(ascii: ".") ? emit(.dotDot, 2) : emit(.dot, 1)
        case UInt8(ascii: "("): emit(.lParen, 1)
        case UInt8(ascii: ")"): emit(.rParen, 1)
        case UInt8(ascii: "{"): emit(.lBrace, 1)
        case UInt8(ascii: "}"): emit(.rBrace, 1)
        case UInt8(ascii: "["): emit(.lBracket, 1)
        case UInt8(ascii: "]"): emit(.rBracket, 1)
        case UInt8(ascii: ";"):
            throw error("unexpected `;`", hint: "transforms are separated by `|` or new lines", at: start..<start + 1)
        default:
            let shown = b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\u{\(String(b, radix: 16))}"
            throw error("unexpected character `\(shown)`", hint: nil, at: start..<start + 1)
        }
    }

    // MARK: - Errors

    func error(_ message: String, hint: String?, at span: Range<Int>) -> TallyError {
        TallyError(.lex, message, hint: hint, source: source, span: span)
    }
}
