/// Operator expressions and primaries: everything below the level of a call.
extension Parser {
    /// Precedence of each left-associative binary operator, loosest (0) first, as in
    /// `LANGUAGE.md`'s table; `**` is handled apart since it is right-associative.
    static func precedence(of op: BinaryOp) -> Int? {
        switch op {
        case .or: return 0
        case .and: return 1
        case .coalesce: return 2
        case .eq, .ne, .lt, .le, .gt, .ge, .regex: return 3
        case .add, .sub: return 4
        case .mul, .div, .intDiv, .mod: return 5
        case .pow: return nil
        }
    }

    /// Binary operators by precedence climbing: one loop per level actually used rather than one
    /// stack frame per level of the table, which keeps deeply bracketed input cheap on the stack.
    /// Each operator deepens the tree by one, which `treeDepth` accounts for.
    mutating func parseBinary(minPrecedence: Int = 0) throws -> Expr {
        var left = try parsePower()
        let savedDepth = treeDepth
        defer { treeDepth = savedDepth }
        while let op = peek.kind.binaryOp, let level = Parser.precedence(of: op), level >= minPrecedence {
            let opToken = advance()
            try deepen(at: opToken.span)
            guard canStartOperand(peek) else { throw expectedValue(afterOperator: opToken) }
            let right = try parseBinary(minPrecedence: level + 1)
            left = Expr(.binary(op, left, right), span: left.span.lowerBound..<right.span.upperBound)
        }
        return left
    }

    // The functions below are on the recursion path of every bracket level, so each keeps its
    // common case small and leaves the rarer work to a non-inlined helper: in debug builds a frame
    // holds every temporary of its function, and those frames add up per nesting level.

    /// `a ** b ** c` is `a ** (b ** c)`.
    private mutating func parsePower() throws -> Expr {
        let base = try parseRange()
        guard peek.kind == .starStar else { return base }
        return try finishPower(base)
    }

    @inline(never)
    private mutating func finishPower(_ base: Expr) throws -> Expr {
        let opToken = advance()
        try enterNesting(at: opToken.span)
        defer { nesting -= 1; treeDepth -= 1 }
        guard canStartOperand(peek) else { throw expectedValue(afterOperator: opToken) }
        let exponent = try parsePower()
        return Expr(.binary(.pow, base, exponent), span: base.span.lowerBound..<exponent.span.upperBound)
    }

    /// `a..b`, `a..`, `..b`. Ranges bind tighter than arithmetic but looser than unary minus, so
    /// `-2..0` is the range from -2 to 0. As in PRQL, `..` is part of a range only when it touches
    /// its operands: `take ..10` takes the first ten rows, and `a ..b` is `a` applied to `..b`.
    private mutating func parseRange() throws -> Expr {
        if peek.kind == .dotDot { return try finishRange(nil) }
        let start = try parseUnary()
        guard peek.kind == .dotDot, let previous, previous.span.upperBound == peek.span.lowerBound else { return start }
        return try finishRange(start)
    }

    @inline(never)
    private mutating func finishRange(_ start: Expr?) throws -> Expr {
        let dots = advance()
        let hasEnd = canStartOperand(peek) && peek.kind != .dotDot && peek.span.lowerBound == dots.span.upperBound
        guard let start else {
            guard hasEnd else {
                throw error("expected the end of the range right after `..`",
                            hint: "ranges are written without spaces, as in `1..3` or `..10`", at: peek.span)
            }
            let end = try parseUnary()
            return Expr(.range(nil, end), span: dots.span.lowerBound..<end.span.upperBound)
        }
        guard hasEnd else {
            return Expr(.range(start, nil), span: start.span.lowerBound..<dots.span.upperBound)
        }
        let end = try parseUnary()
        return Expr(.range(start, end), span: start.span.lowerBound..<end.span.upperBound)
    }

    /// `-x`, `+x`, `!x`, and `==col` (self-equality in a join condition).
    mutating func parseUnary() throws -> Expr {
        switch peek.kind {
        case .minus, .plus, .bang, .eqEq: return try parsePrefixed()
        default: return try parsePrimary()
        }
    }

    @inline(never)
    private mutating func parsePrefixed() throws -> Expr {
        let opToken = advance()
        let op: UnaryOp
        switch opToken.kind {
        case .minus: op = .neg
        case .plus: op = .pos
        case .bang: op = .not
        default: op = .selfEquals
        }
        try enterNesting(at: opToken.span)
        defer { nesting -= 1; treeDepth -= 1 }
        guard canStartOperand(peek) && peek.kind != .dotDot else {
            throw expectedValue(afterOperator: opToken)
        }
        let operand = try parseUnary()
        return Expr(.unary(op, operand), span: opToken.span.lowerBound..<operand.span.upperBound)
    }

    // MARK: - Primaries

    mutating func parsePrimary() throws -> Expr {
        let token = peek
        if let literal = Parser.literal(of: token.kind) {
            advance()
            return Expr(.literal(literal), span: token.span)
        }
        switch token.kind {
        case .ident, .quotedIdent:
            return try parseNamePath()
        case .param(let name):
            advance()
            return Expr(.param(name), span: token.span)
        case .interpolated:
            return try parseInterpolated()
        case .keyword(.case):
            return try parseCase()
        case .lParen:
            return try parseParenthesized()
        case .lBrace:
            return try parseTuple()
        case .lBracket:
            return try parseArray()
        default:
            throw expectedExpression(found: token)
        }
    }

    /// The literal a token spells, if it is one. Kept out of `parsePrimary`, which is on the
    /// recursion path, so that its many payload temporaries do not enlarge every nesting level's
    /// stack frame.
    @inline(never)
    static func literal(of kind: TokenKind) -> Literal? {
        switch kind {
        case .int(let v): return .int(v)
        case .float(let v): return .float(v)
        case .string(let s): return .string(s)
        case .date(let d): return .date(d)
        case .time(let t): return .time(t)
        case .timestamp(let d, let t): return .timestamp(d, t)
        case .interval(let n, let unit): return .interval(n, unit)
        case .keyword(.true): return .bool(true)
        case .keyword(.false): return .bool(false)
        case .keyword(.null): return .null
        default: return nil
        }
    }

    @inline(never)
    private mutating func parseInterpolated() throws -> Expr {
        let token = advance()
        guard case .interpolated(let kind, let pieces) = token.kind else { throw expectedExpression(found: token) }
        let parts = try parseInterpolation(pieces, at: token.span)
        return Expr(kind == .format ? .fString(parts) : .sString(parts), span: token.span)
    }

    /// `amount`, `a.amount`, `this.*`, `` a.`amount (yuan)` ``.
    private mutating func parseNamePath() throws -> Expr {
        let first = advance()
        var parts = [first.kind.nameText ?? ""]
        var end = first.span.upperBound
        while peek.kind == .dot {
            let dot = advance()
            let part = peek
            switch part.kind {
            case .ident(let name), .quotedIdent(let name): parts.append(name)
            case .keyword(let keyword): parts.append(keyword.rawValue)
            case .star: parts.append("*")
            default:
                throw error("expected a name after `.`", hint: "e.g. `a.amount` or `this.*`",
                            at: part.kind == .eof ? dot.span : part.span)
            }
            advance()
            end = part.span.upperBound
        }
        return Expr(.ident(parts), span: first.span.lowerBound..<end)
    }

    /// `( pipeline )`. A single step is returned as itself (PRQL's `(a)` is `a`), with the span of
    /// the inner expression, so a computed column named after its text is named without brackets.
    private mutating func parseParenthesized() throws -> Expr {
        let open = advance()
        if peek.kind == .rParen {
            throw error("empty `()`", hint: "put an expression or a pipeline inside the brackets", at: open.span.lowerBound..<peek.span.upperBound)
        }
        try enterNesting(at: open.span)
        defer { nesting -= 1; treeDepth -= 1 }
        let steps = try parsePipeline()
        let close = try expectClose(.rParen, opening: open)
        if steps.count == 1 { return steps[0] }
        return Expr(.pipeline(steps), span: open.span.lowerBound..<close.span.upperBound)
    }

    /// `{a, b = x + 1}`. A field's value may itself be piped (`{r = x | round 2}`), which PRQL
    /// rejects but which cannot be misread inside braces.
    private mutating func parseTuple() throws -> Expr {
        let open = advance()
        try enterNesting(at: open.span)
        defer { nesting -= 1; treeDepth -= 1 }
        var fields: [Expr] = []
        while peek.kind != .rBrace && peek.kind != .eof {
            if let name = peek.kind.nameText, peekNext.kind == .assign {
                let nameToken = advance()
                let equals = advance()
                guard canStartOperand(peek) else { throw expectedValue(afterOperator: equals) }
                let value = try parseItem()
                // To the last token read: a bracketed value's span leaves out its closing bracket.
                let end = max(value.span.upperBound, previous?.span.upperBound ?? 0)
                fields.append(Expr(.assign(name: name, value: value), span: nameToken.span.lowerBound..<end))
            } else {
                fields.append(try parseItem())
            }
            if peek.kind == .comma { advance(); continue }
            if peek.kind == .rBrace || peek.kind == .eof { break }
            throw itemSeparatorError(close: "}", opening: open)
        }
        let close = try expectClose(.rBrace, opening: open)
        return Expr(.tuple(fields), span: open.span.lowerBound..<close.span.upperBound)
    }

    /// `[1, 2]`, or a relation literal `[{year = 2021, n = 3}, …]`.
    private mutating func parseArray() throws -> Expr {
        let open = advance()
        try enterNesting(at: open.span)
        defer { nesting -= 1; treeDepth -= 1 }
        var items: [Expr] = []
        while peek.kind != .rBracket && peek.kind != .eof {
            items.append(try parseItem())
            if peek.kind == .comma { advance(); continue }
            if peek.kind == .rBracket || peek.kind == .eof { break }
            if peek.kind == .assign {
                throw error("array items cannot be named", hint: "name fields in a tuple: `{a = 1}`", at: peek.span)
            }
            throw itemSeparatorError(close: "]", opening: open)
        }
        let close = try expectClose(.rBracket, opening: open)
        return Expr(.array(items), span: open.span.lowerBound..<close.span.upperBound)
    }

    /// A tuple field or array item: a call, lambda or pipeline (one step is returned as itself).
    private mutating func parseItem() throws -> Expr {
        guard canStartOperand(peek) || peek.kind == .arrow else { throw expectedExpression(found: peek) }
        let steps = try parsePipeline()
        if steps.count == 1 { return steps[0] }
        return Expr(.pipeline(steps), span: steps[0].span.lowerBound..<steps[steps.count - 1].span.upperBound)
    }

    private func itemSeparatorError(close: String, opening open: Token) -> TallyError {
        let at = SourceLocation(offset: open.span.lowerBound, in: bytes)
        let what = close == "}" ? "tuple" : "array"
        let hint = Parser.hintFor(peek.kind) ?? (canStartOperand(peek) ? "separate items with `,`" : "found \(peek.kind.display)")
        return error("expected `,` or `\(close)` in the \(what) opened at \(at)", hint: hint, at: peek.span)
    }

    /// `case [cond => value, …]`.
    private mutating func parseCase() throws -> Expr {
        let keyword = advance()
        guard peek.kind == .lBracket else {
            throw error("expected `[` after `case`", hint: "write `case [condition => value, true => otherwise]`", at: peek.span)
        }
        let open = advance()
        try enterNesting(at: open.span)
        defer { nesting -= 1; treeDepth -= 1 }
        var arms: [CaseArm] = []
        while peek.kind != .rBracket && peek.kind != .eof {
            let condition = try parseStep()
            guard peek.kind == .fatArrow else {
                throw error("expected `=>` after the condition", hint: "case arms are `condition => value`", at: peek.span)
            }
            let arrow = advance()
            guard canStartOperand(peek) else { throw expectedValue(afterOperator: arrow) }
            let value = try parseStep()
            arms.append(CaseArm(condition: condition, value: value))
            if peek.kind == .comma { advance(); continue }
            if peek.kind == .rBracket || peek.kind == .eof { break }
            let hint = Parser.hintFor(peek.kind) ?? (canStartOperand(peek) ? "separate arms with `,`" : "found \(peek.kind.display)")
            throw error("expected `,` or `]` after the case arm", hint: hint, at: peek.span)
        }
        let close = try expectClose(.rBracket, opening: open)
        return Expr(.caseExpr(arms), span: keyword.span.lowerBound..<close.span.upperBound)
    }

    /// The parts of an f-string or s-string. Each `{…}` is lexed and parsed where it stands in the
    /// statement, so its spans (and its errors) point into the statement. PRQL allows only a name
    /// between the braces; Tally takes any expression, pipes included (`{amount | round 2}`).
    private mutating func parseInterpolation(_ pieces: [InterpolationPiece], at span: Range<Int>) throws -> [FStringPart] {
        try enterNesting(at: span)
        defer { nesting -= 1; treeDepth -= 1 }
        var parts: [FStringPart] = []
        for piece in pieces {
            switch piece {
            case .text(let text):
                parts.append(.text(text))
            case .code(let range):
                var inner = Parser(source: source, bytes: bytes, tokens: try Parser.lex(source, bytes, range))
                inner.nesting = nesting
                inner.treeDepth = treeDepth
                let steps = try inner.parsePipeline()
                if inner.peek.kind != .eof {
                    throw inner.error("unexpected \(inner.peek.kind.display) in `{…}`",
                                      hint: Parser.hintFor(inner.peek.kind) ?? "an interpolation holds one expression",
                                      at: inner.peek.span)
                }
                let expr = steps.count == 1 ? steps[0]
                    : Expr(.pipeline(steps), span: steps[0].span.lowerBound..<steps[steps.count - 1].span.upperBound)
                parts.append(.expr(expr))
            }
        }
        return parts
    }

    /// The error for a token that cannot begin an expression.
    func expectedExpression(found token: Token) -> TallyError {
        if let previous, previous.kind.symbol != nil, !previous.kind.isCloseBracket {
            return expectedValue(afterOperator: previous)
        }
        if let previous, case .keyword(let keyword) = previous.kind {
            return expectedValue(after: "`\(keyword.rawValue)`", at: previous)
        }
        let hint = Parser.hintFor(token.kind) ?? "found \(token.kind.display)"
        return error("expected an expression", hint: hint, at: token.span)
    }

    /// Counts one more level of tree depth for a binary operator (restored by the caller's chain).
    @inline(never)
    private mutating func deepen(at span: Range<Int>) throws {
        treeDepth += 1
        if treeDepth > Parser.maxTreeDepth {
            throw error("the expression is nested too deeply", hint: "split it into steps or `let` declarations", at: span)
        }
    }
}
