/// Whether REPL input typed so far is ready to run, or Enter should open a `...` continuation line.
///
/// Input is incomplete while a bracket is open, inside an unterminated triple-quoted string, or
/// when its last token (comments aside) cannot end an expression: `|`, `,`, `=`, `:`, `->`, `=>`,
/// `!` or a binary operator. A `.command` line is always complete. Anything else — including
/// input that is wrong in some other way — is complete, so that its error is shown at once rather
/// than leaving the user at a `...` prompt.
public enum InputCompleteness {
    public static func isComplete(_ input: String) -> Bool {
        let statements = StatementSplitter.split(input)
        guard let last = statements.last else { return true }
        if last.isCommand { return true }

        var scanner = CodeScanner()
        let bytes = Array(last.text.utf8)
        scanner.scan(bytes, 0..<bytes.count)
        if scanner.isInTripleQuotedString { return false }
        if scanner.sawStrayClose { return true }
        if scanner.depth > 0, scanner.state != .backtick { return false }

        guard let tokens = try? Lexer.tokenize(last.text) else { return true }
        guard let lastToken = tokens.last(where: { $0.kind != .newline && $0.kind != .eof }) else { return true }
        return !lastToken.kind.expectsContinuation
    }
}
