/// A lexical token: what it is and where it is.
package struct Token: Sendable, Equatable {
    package var kind: TokenKind
    /// UTF-8 byte offsets into the statement text.
    package var span: Range<Int>

    package init(_ kind: TokenKind, span: Range<Int>) {
        self.kind = kind
        self.span = span
    }
}

/// Words that cannot be names. Kept to the few the grammar needs, so that columns called `type`,
/// `module` or `into` (reserved in PRQL) still work unquoted.
package enum Keyword: String, Sendable, Equatable, CaseIterable {
    case `let`, `case`, prql, `true`, `false`, null
}

/// Which kind of interpolated string a token is.
package enum InterpolationKind: Sendable, Equatable {
    /// `f"…"`: formatted text.
    case format
    /// `s"…"`: SQL pass-through.
    case sql
}

/// A piece of an interpolated string as the lexer sees it: literal text (escapes and `{{` `}}`
/// already resolved) or the byte range of the code between `{` and `}`, which the parser lexes and
/// parses in place so that its spans stay offsets into the statement.
package enum InterpolationPiece: Sendable, Equatable {
    case text(String)
    case code(Range<Int>)
}

package enum TokenKind: Sendable, Equatable {
    /// A plain name (`amount`, `县名`, `this`).
    case ident(String)
    /// A backtick-quoted name, backticks removed (`` `amount (yuan)` ``).
    case quotedIdent(String)
    case keyword(Keyword)
    case int(Int64)
    case float(Double)
    /// A plain, raw or triple-quoted string, escapes resolved.
    case string(String)
    case interpolated(InterpolationKind, [InterpolationPiece])
    // Boxed so that every token stays small: tokens are copied around the parser's stack frames.
    indirect case date(DateLiteral)
    indirect case time(TimeLiteral)
    indirect case timestamp(DateLiteral, TimeLiteral)
    case interval(Int64, IntervalUnit)
    /// `$name`, without the `$`.
    case param(String)
    /// `#` to end of line; only produced when the lexer is asked to keep comments (for highlighting).
    case comment
    /// A line break. Transforms are separated by newlines, so they are tokens; `TokenLayout` drops
    /// the ones that do not separate anything.
    case newline
    case eof

    // Operators and punctuation.
    case plus, minus, star, slash, slashSlash, percent, starStar
    case eqEq, bangEq, less, lessEq, greater, greaterEq, tildeEq
    case questionQuestion, ampAmp, pipePipe, bang
    /// `=`: naming (`x = a + 1`), never comparison.
    case assign
    /// `->` (lambda) and `=>` (case arm).
    case arrow, fatArrow
    case pipe, colon, comma, dot, dotDot
    case lParen, rParen, lBrace, rBrace, lBracket, rBracket
}

extension TokenKind {
    /// How the token reads in an error message: "`=>`", "name `amout`", "end of input".
    package var display: String {
        switch self {
        case .ident(let name): return "name `\(name)`"
        case .quotedIdent(let name): return "name `\(name)`"
        case .keyword(let k): return "`\(k.rawValue)`"
        case .int(let v): return "number `\(v)`"
        case .float(let v): return "number `\(v)`"
        case .string: return "a string"
        case .interpolated(.format, _): return "an f-string"
        case .interpolated(.sql, _): return "an s-string"
        case .date, .time, .timestamp: return "a date/time literal"
        case .interval: return "an interval literal"
        case .param(let name): return "parameter `$\(name)`"
        case .comment: return "a comment"
        case .newline: return "end of line"
        case .eof: return "end of input"
        default: return "`\(symbol ?? "?")`"
        }
    }

    /// The spelling of an operator or punctuation token.
    package var symbol: String? {
        switch self {
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .slashSlash: return "//"
        case .percent: return "%"
        case .starStar: return "**"
        case .eqEq: return "=="
        case .bangEq: return "!="
        case .less: return "<"
        case .lessEq: return "<="
        case .greater: return ">"
        case .greaterEq: return ">="
        case .tildeEq: return "~="
        case .questionQuestion: return "??"
        case .ampAmp: return "&&"
        case .pipePipe: return "||"
        case .bang: return "!"
        case .assign: return "="
        case .arrow: return "->"
        case .fatArrow: return "=>"
        case .pipe: return "|"
        case .colon: return ":"
        case .comma: return ","
        case .dot: return "."
        case .dotDot: return ".."
        case .lParen: return "("
        case .rParen: return ")"
        case .lBrace: return "{"
        case .rBrace: return "}"
        case .lBracket: return "["
        case .rBracket: return "]"
        default: return nil
        }
    }

    /// The binary operator this token spells, if any. `-` and `+` are also unary; `==` also
    /// self-equality; the parser tells them apart by position.
    var binaryOp: BinaryOp? {
        switch self {
        case .star: return .mul
        case .slash: return .div
        case .slashSlash: return .intDiv
        case .percent: return .mod
        case .starStar: return .pow
        case .plus: return .add
        case .minus: return .sub
        case .eqEq: return .eq
        case .bangEq: return .ne
        case .less: return .lt
        case .lessEq: return .le
        case .greater: return .gt
        case .greaterEq: return .ge
        case .tildeEq: return .regex
        case .questionQuestion: return .coalesce
        case .ampAmp: return .and
        case .pipePipe: return .or
        default: return nil
        }
    }

    var isOpenBracket: Bool { self == .lParen || self == .lBrace || self == .lBracket }
    var isCloseBracket: Bool { self == .rParen || self == .rBrace || self == .rBracket }

    /// The closing bracket that matches this opening one.
    var matchingClose: TokenKind? {
        switch self {
        case .lParen: return .rParen
        case .lBrace: return .rBrace
        case .lBracket: return .rBracket
        default: return nil
        }
    }

    /// A token after which an expression cannot be finished: a line ending in one continues on the
    /// next line (and the REPL waits for more input).
    var expectsContinuation: Bool {
        if binaryOp != nil { return true }
        switch self {
        case .pipe, .comma, .assign, .arrow, .fatArrow, .colon, .bang: return true
        default: return false
        }
    }

    /// A token that cannot begin a transform, so a line starting with one continues the previous
    /// line (`&& level == "小学"`). `-` and `+` are excluded: they may start a unary expression.
    var continuesPreviousLine: Bool {
        switch self {
        case .pipe, .comma, .assign, .arrow, .fatArrow, .eqEq:
            return true
        case .plus, .minus:
            return false
        default:
            return binaryOp != nil
        }
    }
}
