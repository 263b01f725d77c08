/// What may be typed at the end of a partly typed statement: the grammar position completion
/// works from. Decided on the lexer's tokens (leniently, so an open string or a half-typed word
/// is fine), never by matching characters.
public enum CursorContext: Equatable, Sendable {
    /// Nothing typed yet: `from`, `let`.
    case statementStart
    /// After `from` or `join` (and `join side:left`, `from a =`): a table or `let` relation.
    case relation
    /// After `|`, or at the start of a line or an inner pipeline: a transform.
    case transform
    /// Inside a step: columns of the relation the completed steps give (`pipeline`, the text of
    /// those steps, or nil in the first step), plus the columns of `joined` when the step is a
    /// `join`; then functions.
    case expression(pipeline: String?, joined: String?)
    /// After `$`: a parameter.
    case parameter

    /// The context at the end of `text` (the statement up to the cursor), for the word being typed,
    /// which is the text's last `wordLength` characters.
    public static func at(endOf text: String, wordLength: Int) -> CursorContext {
        let wordStart = text.index(text.endIndex, offsetBy: -min(wordLength, text.count))
        if text[wordStart...].hasPrefix("$") { return .parameter }
        let before = String(text[..<wordStart])
        let bytes = Array(before.utf8)
        let tokens = Lexer.tokenizeLeniently(before, keepComments: false).tokens.filter {
            if case .eof = $0.kind { return false }
            return true
        }
        func ident(_ token: Token?) -> String? {
            if case .ident(let name)? = token?.kind { return name }
            return nil
        }
        func slice(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        // Where the current pipeline starts: after the innermost open `(` that starts a pipeline of
        // its own (`(from …`), else at the statement's start (after `let NAME =`).
        var open: [(index: Int, kind: TokenKind)] = []
        for (i, token) in tokens.enumerated() {
            switch token.kind {
            case .lParen, .lBrace, .lBracket: open.append((i, token.kind))
            case .rParen, .rBrace, .rBracket: if !open.isEmpty { open.removeLast() }
            default: break
            }
        }
        var start = 0
        if tokens.count >= 3, case .keyword(.let) = tokens[0].kind, case .assign = tokens[2].kind { start = 3 }
        for bracket in open.reversed() where bracket.kind == .lParen {
            if bracket.index + 1 < tokens.count, ident(tokens[bracket.index + 1]) == "from" {
                start = bracket.index + 1
                break
            }
        }
        let meaningful = tokens[start...].filter { if case .newline = $0.kind { return false }; return true }
        guard let last = meaningful.last else {
            return start == 0 && open.isEmpty ? .statementStart : .transform
        }

        // A table name after `from` / `join`, `join side:left`, `from a =`, `join c =`.
        if let name = ident(last), name == "from" || name == "join" { return .relation }
        if isRelationPosition(Array(meaningful)) { return .relation }

        // The steps of the current pipeline: separated by `|` or a line end at its own depth.
        var depth = 0
        var lastSeparator: Int?
        var lastSeparatorIsNewline = false
        for i in start..<tokens.count {
            switch tokens[i].kind {
            case .lParen, .lBrace, .lBracket: depth += 1
            case .rParen, .rBrace, .rBracket: depth = max(0, depth - 1)
            case .pipe where depth == 0:
                lastSeparator = i
                lastSeparatorIsNewline = false
            case .newline where depth == 0:
                lastSeparator = i
                lastSeparatorIsNewline = true
            default: break
            }
        }
        if case .pipe = last.kind { return .transform }
        if case .lParen = last.kind, let step = stepName(tokens, from: (lastSeparator.map { $0 + 1 }) ?? start),
           ["group", "window", "loop"].contains(step) {
            return .transform
        }
        // A new line at the pipeline's depth: the next step begins (unless the line before it
        // ended in an operator that continues the expression, which the tokens before show).
        if lastSeparatorIsNewline, let separator = lastSeparator, separator == tokens.count - 1 {
            return .transform
        }
        if case .newline = tokens.last?.kind, depth > 0 {
            if let step = stepName(tokens, from: (lastSeparator.map { $0 + 1 }) ?? start),
               ["group", "window", "loop"].contains(step), isInnerPipelineStart(tokens) {
                return .transform
            }
        }

        let stepStart = (lastSeparator.map { $0 + 1 }) ?? start
        let pipelineText: String?
        if let separator = lastSeparator, separator > start {
            let from = tokens[start].span.lowerBound, to = tokens[separator].span.lowerBound
            var steps = from < to ? slice(from..<to) : ""
            while let end = steps.last, end == "|" || end == " " || end == "\n" || end == "\t" || end == "\r" {
                steps.removeLast()
            }
            pipelineText = steps.isEmpty ? nil : steps
        } else {
            pipelineText = nil
        }
        var joined: String?
        let stepTokens = tokens[stepStart...].filter { if case .newline = $0.kind { return false }; return true }
        if ident(stepTokens.first) == "join" {
            // `join [side:KIND] [alias =] TABLE`: the table is the first name not followed by `:` or `=`.
            let words = Array(stepTokens.dropFirst())
            var i = 0
            while i < words.count {
                if ident(words[i]) != nil, i + 1 < words.count, words[i + 1].kind == .colon { i += 3; continue }
                if ident(words[i]) != nil, i + 1 < words.count, words[i + 1].kind == .assign { i += 2; continue }
                joined = ident(words[i])
                break
            }
        }
        return .expression(pipeline: pipelineText, joined: joined)
    }

    /// Whether the tokens end where `from` or `join` expects its relation: after the word itself,
    /// its named arguments (`side:left`) and an alias (`c =`).
    private static func isRelationPosition(_ tokens: [Token]) -> Bool {
        guard let start = tokens.lastIndex(where: {
            if case .ident(let name) = $0.kind { return name == "from" || name == "join" }
            return false
        }) else { return false }
        var rest = tokens[(start + 1)...]
        while rest.count >= 3, case .ident = rest[rest.startIndex].kind, rest[rest.startIndex + 1].kind == .colon,
              case .ident = rest[rest.startIndex + 2].kind {
            rest = rest.dropFirst(3)
        }
        if rest.count == 2, case .ident = rest[rest.startIndex].kind, rest[rest.startIndex + 1].kind == .assign { return true }
        return rest.isEmpty
    }

    /// The transform a step starts with.
    private static func stepName(_ tokens: [Token], from index: Int) -> String? {
        for token in tokens[index...] {
            if case .newline = token.kind { continue }
            if case .ident(let name) = token.kind { return name }
            return nil
        }
        return nil
    }

    /// Whether the last line break sits right after an open `(` or a `|` inside brackets.
    private static func isInnerPipelineStart(_ tokens: [Token]) -> Bool {
        for token in tokens.reversed() {
            switch token.kind {
            case .newline: continue
            case .lParen, .pipe: return true
            default: return false
            }
        }
        return false
    }
}
