/// A statement as it was found in a script, parsed.
package struct ParsedStatement: Sendable, Equatable {
    package var statement: Statement
    /// The statement's text; the spans in `statement` are byte offsets into it.
    package var text: String
    /// 1-based line of the script on which the statement starts.
    package var line: Int
    /// Byte offset of `text` in the script, to move an error found later into script coordinates.
    package var byteOffset: Int
}

/// Recursive-descent parser for Tally's PRQL dialect (in the style of Crafting Interpreters' jlox:
/// one method per grammar rule, loosest binding first).
///
/// Grammar, loosest first (`LANGUAGE.md`):
///
///     statement  = "let" name "=" pipeline | "prql" argument* | pipeline
///     pipeline   = step (("|" | newline) step)*
///     step       = lambda | call
///     call       = binary argument*                  -- function call by juxtaposition
///     argument   = name ":" binary | name "=" binary | binary
///     binary     = or;  or = and ("||" and)*; and = coalesce ("&&" …)*; coalesce = compare ("??" …)*
///     compare    = add (("==" | "!=" | "<" | "<=" | ">" | ">=" | "~=") add)*
///     add        = mul (("+" | "-") mul)*;  mul = power (("*" | "/" | "//" | "%") power)*
///     power      = range ("**" power)?           -- right-associative
///     range      = unary (".." unary?)? | ".." unary
///     unary      = ("-" | "+" | "!" | "==") unary | primary
///     primary    = name ("." name)* | literal | "(" pipeline ")" | tuple | array | case | f"…" | $param
///
/// Where this dialect goes beyond PRQL 0.13 (which would reject the input), it says so in a comment.
package struct Parser {
    let source: String
    let bytes: [UInt8]
    var tokens: [Token]
    var current = 0
    /// How many brackets, unary operators, lambdas and interpolations enclose the current point.
    /// Each costs native stack, so it is bounded: deep input gives an error, never a crash.
    var nesting = 0
    /// An upper bound on the depth of the tree being built (binary chains included), which is
    /// bounded too: comparing and freeing a tree recurses once per level.
    var treeDepth = 0

    static let maxNesting = 64
    static let maxTreeDepth = 256

    init(source: String, bytes: [UInt8], tokens: [Token]) {
        self.source = source
        self.bytes = bytes
        self.tokens = tokens.isEmpty ? [Token(.eof, span: bytes.count..<bytes.count)] : tokens
    }

    // MARK: - Entry points

    /// Parses one statement: a query, a `let`, a `prql` header, or a `.command` line.
    ///
    /// The text must hold a single statement; split scripts with `parseScript` (or
    /// `StatementSplitter`) first. Errors are `TallyError`s of kind `.lex` or `.parse` whose
    /// `source` is `statement` and whose `span` covers the offending text.
    package static func parse(statement: String) throws -> Statement {
        let bytes = Array(statement.utf8)
        // A command is recognised before lexing: its text (a file path, say) need not lex.
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "#") {
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                i += 1
            } else {
                break
            }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            return .command(trimmed(bytes[i...]))
        }
        var parser = try Parser(source: statement, bytes: bytes, tokens: lex(statement, bytes, 0..<bytes.count))
        return try parser.parseStatement()
    }

    /// Parses a single expression (or pipeline), e.g. a parameter value given on the command line.
    package static func parseExpression(_ text: String) throws -> Expr {
        let bytes = Array(text.utf8)
        var parser = try Parser(source: text, bytes: bytes, tokens: lex(text, bytes, 0..<bytes.count))
        if parser.peek.kind == .eof {
            throw parser.error("expected an expression", hint: nil, at: parser.peek.span)
        }
        let steps = try parser.parsePipeline()
        try parser.expectEnd()
        return steps.count == 1 ? steps[0] : Expr(.pipeline(steps), span: steps[0].span.lowerBound..<steps[steps.count - 1].span.upperBound)
    }

    /// Splits a script, notebook cell or `-c` text into statements (`StatementSplitter`) and
    /// parses each. The first error is thrown with `source` set to the whole script and `span`
    /// moved into it, so that it renders with the script's own line numbers.
    package static func parseScript(_ script: String) throws -> [ParsedStatement] {
        try StatementSplitter.split(script).map { piece in
            do {
                return ParsedStatement(statement: try parse(statement: piece.text), text: piece.text,
                                       line: piece.line, byteOffset: piece.byteOffset)
            } catch var error as TallyError {
                if let span = error.span, error.source == piece.text {
                    error.source = script
                    error.span = (span.lowerBound + piece.byteOffset)..<(span.upperBound + piece.byteOffset)
                }
                throw error
            }
        }
    }

    static func lex(_ source: String, _ bytes: [UInt8], _ range: Range<Int>) throws -> [Token] {
        var lexer = Lexer(source: source, bytes: bytes, range: range)
        return TokenLayout.apply(try lexer.run())
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t")
                || last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    // MARK: - Statements

    mutating func parseStatement() throws -> Statement {
        let first = peek
        switch first.kind {
        case .eof:
            throw error("nothing to run", hint: "a query starts with `from`", at: first.span)
        case .keyword(.let):
            return try parseLet()
        case .keyword(.prql):
            advance()
            let callee = Expr(.ident(["prql"]), span: first.span)
            var args: [CallArgument] = []
            while canStartArgument(peek) { args.append(try parseArgument(callee: callee)) }
            try expectEnd()
            let end = args.last?.span.upperBound ?? first.span.upperBound
            return .prqlHeader(Expr(.call(callee, args), span: first.span.lowerBound..<end))
        default:
            let steps = try parsePipeline()
            try expectEnd()
            return .query(Expr(.pipeline(steps), span: steps[0].span.lowerBound..<steps[steps.count - 1].span.upperBound))
        }
    }

    /// `let name = value`, where the value is a pipeline (a relation), a lambda or a scalar.
    /// PRQL wants a relation's pipeline in parentheses; Tally also takes `let t = from a | take 3`.
    private mutating func parseLet() throws -> Statement {
        let letToken = advance()
        guard let name = peek.kind.nameText else {
            throw error("expected a name after `let`", hint: "e.g. `let big = (from aid | filter amount > 1000)`", at: peek.span)
        }
        let nameToken = advance()
        guard peek.kind == .assign else {
            let hint = peek.kind == .eqEq ? "declare with a single `=`" : "e.g. `let \(name) = …`"
            throw error("expected `=` after `let \(name)`", hint: hint, at: peek.kind == .eof ? nameToken.span.upperBound..<nameToken.span.upperBound : peek.span)
        }
        advance()
        let steps = try parsePipeline()
        try expectEnd()
        let value = steps.count == 1 ? steps[0]
            : Expr(.pipeline(steps), span: steps[0].span.lowerBound..<steps[steps.count - 1].span.upperBound)
        return .letDecl(name: name, value: value, span: letToken.span.lowerBound..<value.span.upperBound)
    }

    // MARK: - Pipelines and calls

    /// Steps separated by `|` or significant newlines (see `TokenLayout`).
    mutating func parsePipeline() throws -> [Expr] {
        var steps = [try parseStep()]
        while peek.kind == .pipe || peek.kind == .newline {
            advance()
            steps.append(try parseStep())
        }
        return steps
    }

    mutating func parseStep() throws -> Expr {
        if isLambdaAhead() { return try parseLambda() }
        return try parseCall()
    }

    /// A callee followed by arguments: `round 2 x`, `join side:left c = counties (==county_code)`.
    mutating func parseCall() throws -> Expr {
        let callee: Expr
        if isSortBeforePrefixSign() {
            callee = try parsePrimary()
        } else {
            callee = try parseBinary()
        }
        var args: [CallArgument] = []
        while canStartArgument(peek) {
            args.append(try parseArgument(callee: callee))
        }
        guard let last = args.last else { return callee }
        return Expr(.call(callee, args), span: callee.span.lowerBound..<last.span.upperBound)
    }

    /// `name:value` (named), `name = value` (an aliased positional argument), or a value.
    mutating func parseArgument(callee: Expr) throws -> CallArgument {
        let first = peek
        if let name = first.kind.nameText, peekNext.kind == .colon {
            advance()
            let colon = advance()
            guard canStartOperand(peek) else {
                throw expectedValue(after: "`\(name):`", at: colon)
            }
            let value = try parseBinary()
            return CallArgument(name: name, value: value, span: first.span.lowerBound..<value.span.upperBound)
        }
        if let name = first.kind.nameText, peekNext.kind == .assign {
            advance()
            let equals = advance()
            // `filter a = 1` would name a column `a` rather than compare: say so now, not later.
            if callee.identPath == ["filter"] {
                throw error("`=` gives a name; to compare, use `==`", hint: "write `\(name) == …`", at: equals.span)
            }
            guard canStartOperand(peek) else {
                throw expectedValue(afterOperator: equals)
            }
            let value = try parseBinary()
            // To the last token read: a bracketed value's span leaves out its closing bracket.
            let span = first.span.lowerBound..<max(value.span.upperBound, previous?.span.upperBound ?? 0)
            return CallArgument(value: Expr(.assign(name: name, value: value), span: span))
        }
        return CallArgument(value: try parseBinary())
    }

    /// `a b:2 -> body`.
    mutating func parseLambda() throws -> Expr {
        let start = peek.span.lowerBound
        try enterNesting(at: peek.span)
        defer { nesting -= 1; treeDepth -= 1 }
        var params: [LambdaParam] = []
        while let name = peek.kind.nameText {
            let nameToken = advance()
            if peek.kind == .colon {
                advance()
                let value = try parseUnary()
                params.append(LambdaParam(name: name, defaultValue: value, span: nameToken.span.lowerBound..<value.span.upperBound))
            } else {
                params.append(LambdaParam(name: name, span: nameToken.span))
            }
        }
        guard peek.kind == .arrow else {
            throw error("expected `->` after the function's parameters", hint: "functions look like `x y:2 -> x + y`", at: peek.span)
        }
        let arrow = advance()
        guard canStartOperand(peek) else { throw expectedValue(afterOperator: arrow) }
        let steps = try parsePipeline()
        let body = steps.count == 1 ? steps[0]
            : Expr(.pipeline(steps), span: steps[0].span.lowerBound..<steps[steps.count - 1].span.upperBound)
        return Expr(.lambda(params: params, body: body), span: start..<body.span.upperBound)
    }

    // MARK: - Lookahead

    /// Whether the step starting here is a lambda: names, optionally `name:default`, then `->`.
    func isLambdaAhead() -> Bool {
        var i = current
        while true {
            let kind = tokens[i].kind
            if kind == .arrow { return true }
            guard kind.nameText != nil else { return false }
            i += 1
            if tokens[i].kind == .colon {
                i += 1
                guard let next = skipSimpleOperand(from: i) else { return false }
                i = next
            }
        }
    }

    /// Skips what a parameter default may be: unary signs, then a literal, a name path or one
    /// bracketed group. Returns the index after it, or nil if it is something else.
    private func skipSimpleOperand(from index: Int) -> Int? {
        var i = index
        while [.minus, .plus, .bang].contains(tokens[i].kind) { i += 1 }
        let kind = tokens[i].kind
        if kind.isOpenBracket {
            var depth = 0
            while i < tokens.count {
                if tokens[i].kind.isOpenBracket { depth += 1 }
                if tokens[i].kind.isCloseBracket { depth -= 1 }
                if tokens[i].kind == .eof { return nil }
                i += 1
                if depth == 0 { return i }
            }
            return nil
        }
        if kind.nameText != nil {
            i += 1
            while tokens[i].kind == .dot, tokens[i + 1].kind.nameText != nil { i += 2 }
            return i
        }
        switch kind {
        case .int, .float, .string, .interpolated, .date, .time, .timestamp, .interval, .param,
             .keyword(.true), .keyword(.false), .keyword(.null):
            return i + 1
        default:
            return nil
        }
    }

    /// Tally's one departure from PRQL's call grammar: `sort -year` (a `-` or `+` written against
    /// its operand but apart from `sort`) sorts by `-year`. PRQL 0.13 reads it as `sort - year` and
    /// fails ("wrap negative numbers in parentheses"), yet it is how Tally's guide writes a
    /// descending sort (`group county (sort -year | take 1)`). The rule is limited to `sort`, the
    /// one transform where a negated argument means something, so that `a -1` everywhere else is
    /// still PRQL's subtraction.
    private func isSortBeforePrefixSign() -> Bool {
        guard tokens[current].kind == .ident("sort") else { return false }
        let sign = tokens[current + 1]
        guard sign.kind == .minus || sign.kind == .plus, current + 2 < tokens.count else { return false }
        let next = tokens[current + 2]
        return sign.span.lowerBound > tokens[current].span.upperBound
            && sign.span.upperBound == next.span.lowerBound
            && canStartOperand(next)
    }

    func canStartArgument(_ token: Token) -> Bool {
        switch token.kind {
        case .minus, .plus:
            // Only reachable in `sort -year`: everywhere else the binary parser took them.
            return true
        case .dotDot:
            return true
        default:
            return canStartPrimary(token) || token.kind == .bang
        }
    }

    func canStartOperand(_ token: Token) -> Bool {
        switch token.kind {
        case .minus, .plus, .bang, .eqEq, .dotDot: return true
        default: return canStartPrimary(token)
        }
    }

    func canStartPrimary(_ token: Token) -> Bool {
        switch token.kind {
        case .ident, .quotedIdent, .int, .float, .string, .interpolated, .date, .time, .timestamp,
             .interval, .param, .lParen, .lBrace, .lBracket,
             .keyword(.true), .keyword(.false), .keyword(.null), .keyword(.case):
            return true
        default:
            return false
        }
    }

    // MARK: - Token access

    var peek: Token { tokens[current] }
    var peekNext: Token { tokens[min(current + 1, tokens.count - 1)] }
    var previous: Token? { current > 0 ? tokens[current - 1] : nil }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[current]
        if token.kind != .eof { current += 1 }
        return token
    }

    /// Consumes the closing bracket matching `open`, or explains which bracket is unclosed.
    mutating func expectClose(_ close: TokenKind, opening open: Token) throws -> Token {
        if peek.kind == close { return advance() }
        let closeText = close.symbol ?? "?"
        let openText = open.kind.symbol ?? "?"
        let at = SourceLocation(offset: open.span.lowerBound, in: bytes)
        let hint: String
        if peek.kind == .eof {
            hint = "add `\(closeText)`"
        } else if let special = Parser.hintFor(peek.kind) {
            hint = special
        } else {
            hint = "found \(peek.kind.display)"
        }
        throw error("expected `\(closeText)` to close the `\(openText)` at \(at)", hint: hint, at: peek.span)
    }

    /// The statement (or interpolation) must end here.
    mutating func expectEnd() throws {
        guard peek.kind != .eof else { return }
        throw unexpected(peek)
    }

    // MARK: - Nesting limits

    @inline(never)
    mutating func enterNesting(at span: Range<Int>) throws {
        nesting += 1
        treeDepth += 1
        if nesting > Parser.maxNesting || treeDepth > Parser.maxTreeDepth {
            throw error("the expression is nested too deeply", hint: "split it into steps or `let` declarations", at: span)
        }
    }

    // MARK: - Errors

    @inline(never)
    func error(_ message: String, hint: String?, at span: Range<Int>) -> TallyError {
        TallyError(.parse, message, hint: hint, source: source, span: span)
    }

    @inline(never)
    func unexpected(_ token: Token) -> TallyError {
        var hint = Parser.hintFor(token.kind)
        if hint == nil, token.kind.isCloseBracket {
            let open = token.kind == .rParen ? "(" : token.kind == .rBrace ? "{" : "["
            hint = "there is no `\(open)` to close"
        }
        if hint == nil, canStartPrimary(token) {
            hint = "separate transforms with `|` or a new line"
        }
        if hint == nil, token.kind == .pipe {
            hint = "a transform is missing between the two `|`"
        }
        return error("unexpected \(token.kind.display) here", hint: hint, at: token.span)
    }

    /// "expected a value after `+`", pointing at whatever came instead.
    @inline(never)
    func expectedValue(afterOperator operatorToken: Token) -> TallyError {
        expectedValue(after: "`\(operatorToken.kind.symbol ?? "")`", at: operatorToken)
    }

    @inline(never)
    func expectedValue(after what: String, at operatorToken: Token) -> TallyError {
        let found = peek
        let span = found.kind == .eof || found.kind == .newline
            ? operatorToken.span.upperBound..<operatorToken.span.upperBound + (found.kind == .newline ? 1 : 0)
            : found.span
        var hint = Parser.hintFor(found.kind) ?? "found \(found.kind.display)"
        if operatorToken.kind == .pipe && found.kind == .pipe { hint = "a transform is missing between the two `|`" }
        if operatorToken.kind == .pipe {
            return error("expected a transform after `|`", hint: hint, at: span)
        }
        return error("expected a value after \(what)", hint: hint, at: span)
    }

    /// Advice for tokens that commonly show up in the wrong place.
    static func hintFor(_ kind: TokenKind) -> String? {
        switch kind {
        case .assign: return "`=` gives a name (`derive x = a + 1`); to compare, use `==`"
        case .fatArrow: return "`=>` belongs inside `case [condition => value]`"
        case .arrow: return "functions are declared as `let f = x -> x + 1`"
        case .colon: return "named arguments follow a function, as in `join side:left …`"
        case .comma: return "separate transforms with `|` or a new line; `,` separates items inside `{…}` and `[…]`"
        case .dot: return "only names have parts, as in `a.amount` or `this.*`"
        case .keyword(.let), .keyword(.prql): return "`\(kind == .keyword(.let) ? "let" : "prql")` starts a statement of its own, at the start of a line"
        default: return nil
        }
    }
}

extension TokenKind {
    /// The name a name-like token spells: plain or backtick-quoted.
    var nameText: String? {
        switch self {
        case .ident(let name), .quotedIdent(let name): return name
        default: return nil
        }
    }
}
