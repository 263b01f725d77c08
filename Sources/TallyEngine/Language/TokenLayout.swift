/// Decides which line breaks separate transforms and removes the rest, so the parser sees a
/// newline token only where it means the same as `|`.
///
/// A line break is dropped when
/// - it is inside `{…}` or `[…]` (tuples and arrays may be written over many lines);
/// - it repeats another line break, or starts or ends the input or a `(…)` group;
/// - the line before ends in a token that cannot end an expression (`|`, `,`, `=`, `->`, `=>`,
///   `:`, a binary operator) — Tally's rule, which PRQL lacks, and which the REPL's `...` prompt
///   relies on;
/// - the next line starts with a token that cannot start a transform (`|`, `&&`, `==`, …).
///
/// Inside `(…)` line breaks stay significant: `(from b` ⏎ `filter c)` is a two-step pipeline, as
/// in PRQL.
enum TokenLayout {
    static func apply(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(tokens.count)
        var brackets: [TokenKind] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .newline, .comment:
                // Decide once for a whole run of line breaks and comments.
                var next = index
                var firstNewline: Token?
                while next < tokens.count, tokens[next].kind == .newline || tokens[next].kind == .comment {
                    if firstNewline == nil, tokens[next].kind == .newline { firstNewline = tokens[next] }
                    next += 1
                }
                if let newline = firstNewline, let last = out.last, (brackets.last ?? .lParen) == .lParen,
                   !last.kind.isOpenBracket, !last.kind.expectsContinuation,
                   next < tokens.count, tokens[next].kind != .eof, !tokens[next].kind.isCloseBracket,
                   !tokens[next].kind.continuesPreviousLine {
                    out.append(newline)
                }
                index = next
            default:
                if token.kind.isOpenBracket {
                    brackets.append(token.kind)
                } else if token.kind.isCloseBracket, !brackets.isEmpty {
                    // A mismatched bracket is the parser's to report; popping keeps the nesting sane.
                    brackets.removeLast()
                }
                out.append(token)
                index += 1
            }
        }
        return out
    }
}
