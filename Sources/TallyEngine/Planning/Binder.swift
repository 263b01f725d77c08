/// Resolves expressions against a scope: names to column positions, calls to functions and
/// aggregates, literals and parameters to typed constants. Every error carries the span of the
/// text at fault.
struct Binder {
    let scope: Scope
    let source: String
    let environment: Environment
    /// Lambda parameters bound while inlining a user function.
    var locals: [String: BoundExpr] = [:]
    /// The plan of the rows the scope's columns come from, asked for only when an s-string is
    /// bound: the database those rows live in says what type the SQL gives.
    var sqlInput: (() -> SQLInput?)? = nil

    /// The rows an s-string reads: a plan whose schema is the scope, and inside `group` bodies
    /// the inputs of the enclosing groups (outermost first), which its `.input` leaves stand for.
    struct SQLInput {
        var relation: PlanNode
        var groups: [PlanNode] = []
    }

    /// What a statement can refer to besides columns: parameters and `let` bindings.
    struct Environment {
        var parameters: [String: Scalar]
        var scalars: [String: Scalar]
        var functions: [String: (params: [LambdaParam], body: Expr, source: String)]
        /// The arguments of a function that returns a transform (`let top_n = n -> take n`), while
        /// its body runs: each bound where it is used, against the relation at that point.
        var arguments: [String: FunctionArgument] = [:]
    }

    /// An argument given to a function: its text in the caller's statement, bound (in the
    /// caller's environment) wherever the function's body uses the parameter.
    indirect enum FunctionArgument {
        case expression(Expr, source: String, environment: Environment)
    }

    /// Aggregates and window functions are the vocabulary's, so completion, `.help` and the binder
    /// name the same words.
    static let aggregateNames: Set<String> = Set(Vocabulary.aggregates.map(\.name))

    func error(_ kind: TallyError.Kind, _ message: String, _ span: Range<Int>, hint: String? = nil) -> TallyError {
        TallyError(kind, message, hint: hint, source: source, span: span)
    }

    func bind(_ expr: Expr) throws -> BoundExpr {
        switch expr.kind {
        case .ident(let path):
            return try bindName(path, expr)
        case .literal(let literal):
            return try bindLiteral(literal, expr.span)
        case .param(let name):
            guard let value = environment.parameters[name] else {
                throw error(.name, "unknown parameter `$\(name)`", expr.span,
                            hint: "give it with `--param \(name)=VALUE`")
            }
            return .constant(value, value.type ?? .text)
        case .assign(_, let value):
            return try bind(value)
        case .unary(let op, let operand):
            return try bindUnary(op, operand, expr)
        case .binary(let op, let lhs, let rhs):
            // `d + 2days`, `2days + d`, `d - 1months`: an interval moves a date or a timestamp.
            if op == .add || op == .sub, case .literal(.interval(let n, let unit)) = rhs.kind {
                return try bindInterval(try bind(lhs), op == .sub ? n.multipliedReportingOverflow(by: -1).partialValue : n,
                                        unit, lhs, expr)
            }
            if op == .add, case .literal(.interval(let n, let unit)) = lhs.kind {
                return try bindInterval(try bind(rhs), n, unit, rhs, expr)
            }
            return try bindBinary(op, try bind(lhs), try bind(rhs), lhs, rhs, expr)
        case .call(let callee, let args):
            return try bindCall(callee, args, piped: nil, expr)
        case .pipeline(let steps):
            // `x | f a` means `f a x`.
            guard var value = steps.first else { throw error(.parse, "empty expression", expr.span) }
            var bound = try bind(value)
            for step in steps.dropFirst() {
                switch step.kind {
                case .call(let callee, let args):
                    bound = try bindCall(callee, args, piped: (bound, value), step)
                case .ident:
                    bound = try bindCall(step, [], piped: (bound, value), step)
                default:
                    throw error(.parse, "`|` inside an expression must be followed by a function", step.span,
                                hint: "e.g. `amount | round 2`")
                }
                value = step
            }
            return bound
        case .caseExpr(let arms):
            var bound: [(BoundExpr, BoundExpr)] = []
            var type: DataType?
            for arm in arms {
                let condition = try bind(arm.condition)
                guard condition.type == .bool else {
                    throw error(.type, "a case condition must be true or false, not \(condition.type)", arm.condition.span)
                }
                let value = try bind(arm.value)
                if case .constant(.null, _) = value {} else {
                    type = try Binder.commonType(type, value.type) ?? {
                        throw error(.type, "case arms mix \(type!) and \(value.type)", arm.value.span,
                                    hint: "convert with `as`, e.g. `x | as text`")
                    }()
                }
                bound.append((condition, value))
            }
            let result = type ?? .text
            return .caseWhen(bound.map { ($0.0, Binder.retype($0.1, result)) }, result)
        case .fString(let parts):
            var bound: [BoundExpr] = []
            for part in parts {
                switch part {
                case .text(let s): bound.append(.constant(.text(s), .text))
                case .expr(let e): bound.append(try bind(e))
                }
            }
            return .format(bound)
        case .sString(let parts):
            return try bindSQL(parts, expr)
        case .range:
            throw error(.type, "a range is not a value here", expr.span, hint: "use it with `in`, e.g. `year | in 2021..2025`")
        case .tuple:
            throw error(.type, "a tuple is not a value here", expr.span)
        case .array:
            throw error(.type, "an array is not a value here", expr.span, hint: "use it with `in`, e.g. `level | in [\"小学\", \"初中\"]`")
        case .lambda:
            throw error(.type, "a function is not a value here", expr.span)
        }
    }

    /// `s"…"`: the SQL as written, its `{…}` parts bound like any expression. It is typed by the
    /// database the rows come from (PostgreSQL describes the statement without running it), so
    /// the steps after it are checked as usual; over rows in memory it is refused.
    private func bindSQL(_ parts: [FStringPart], _ expr: Expr) throws -> BoundExpr {
        var text = [""]
        var bound: [BoundExpr] = []
        for part in parts {
            switch part {
            case .text(let s): text[text.count - 1] += s
            case .expr(let e):
                bound.append(try bind(e))
                text.append("")
            }
        }
        let inMemory = error(.type, "s-strings (SQL pass-through) cannot run in memory", expr.span,
                             hint: "use the language's own functions; an s-string works in a query on a connected database (`.connect`)")
        guard let input = sqlInput?(),
              RemoteSplit.readsDatabase(input.relation) || input.groups.contains(where: RemoteSplit.readsDatabase)
        else { throw inMemory }
        let provisional = BoundExpr.sql(text: text, parts: bound, .text)
        do {
            let type = try SQLLowering.describe(provisional, over: input)
            return .sql(text: text, parts: bound, type)
        } catch let e as NotLowerable {
            throw error(.type, "s-strings (SQL pass-through) cannot run in memory, and these rows cannot all come from one database: \(e.reason)",
                        expr.span, hint: "put the s-string in a step before the part that runs in memory")
        } catch var e as TallyError where e.kind != .cancelled && e.source == nil {
            if e.kind == .runtime { e.message = e.message.replacingOccurrences(of: "refused the query:", with: "rejects this s-string:") }
            e.source = source
            e.span = expr.span
            throw e
        }
    }

    // MARK: - Names and literals

    private func bindName(_ path: [String], _ expr: Expr) throws -> BoundExpr {
        if path.count == 1, let local = locals[path[0]] { return local }
        if path.count == 1, case .expression(let argument, let source, let outer)? = environment.arguments[path[0]] {
            return try Binder(scope: scope, source: source, environment: outer, sqlInput: sqlInput).bind(argument)
        }
        let candidates = scope.matches(path)
        if candidates.count > 1 {
            let qualified = candidates.map { scope.qualifiedName($0) }
            if Set(qualified).count == qualified.count {
                throw error(.name, "`\(path.joined(separator: "."))` is ambiguous: both sides of a join have it", expr.span,
                            hint: "name the side: " + qualified.map { "`\($0)`" }.joined(separator: " or "))
            }
            throw error(.name, "`\(path.joined(separator: "."))` is ambiguous: several columns have that name", expr.span,
                        hint: "give the relations aliases, e.g. `join b = \(scope.qualifiers[candidates[0]] ?? "table") (…)`")
        }
        if let index = candidates.first {
            // A column of the null type holds only nulls: it is the `null` literal, which takes the
            // type of what it meets.
            if scope.nullTyped.contains(index) { return .constant(.null, .text) }
            return .column(index, scope.types[index])
        }
        if path.count == 1, let value = environment.scalars[path[0]] { return .constant(value, value.type ?? .text) }
        let name = path.joined(separator: ".")
        // Constants of the standard library, written without arguments: `math.pi`, `prql.version`.
        if name == "prql.version" || name == "std.prql.version" { return .constant(.text(Binder.prqlVersion), .text) }
        if let function = FunctionRegistry.scalar(named: name), function.arity == 0 {
            return .function(function, [], try function.resultType([]))
        }
        if path.count == 2, !scope.qualifiers.contains(path[0]), path[0] != "this", path[0] != "that",
           scope.names.contains(path[1]) {
            throw error(.name, "unknown relation `\(path[0])`", expr.span,
                        hint: "columns here come from " + Set(scope.qualifiers.compactMap { $0 }).sorted().map { "`\($0)`" }.joined(separator: ", "))
        }
        if let databaseType = scope.unavailable[path.last ?? name] {
            throw error(.type, "column `\(name)` has type \(databaseType) in the database, which Tally does not have", expr.span,
                        hint: "cast it there: a view with `\(path.last ?? name)::text` (or another type) reads it")
        }
        let suggestion = Suggest.nearest(path.last ?? name, in: scope.names)
        // Far from every column, a bare word is most likely a text value without its quotes
        // (`filter level == 小学`).
        let asText = path.count == 1 ? "for the text, write it in quotes: `\"\(name)\"`; " : ""
        throw error(.name, "unknown column `\(name)`", expr.span,
                    hint: suggestion.map { "did you mean `\($0)`?" } ?? asText + "columns: " + scope.names.prefix(8).joined(separator: ", "))
    }

    private func bindLiteral(_ literal: Literal, _ span: Range<Int>) throws -> BoundExpr {
        switch literal {
        case .int(let v): return .constant(.int(v), .int)
        case .float(let v): return .constant(.float(v), .float)
        case .string(let s): return .constant(.text(s), .text)
        case .bool(let b): return .constant(.bool(b), .bool)
        case .null: return .constant(.null, .text)
        case .date(let d):
            guard let days = CivilDate.days(year: d.year, month: d.month, day: d.day) else {
                throw error(.type, "not a valid date", span)
            }
            return .constant(.date(days), .date)
        case .timestamp(let d, let t):
            guard let days = CivilDate.days(year: d.year, month: d.month, day: d.day) else {
                throw error(.type, "not a valid date", span)
            }
            var micros = (Int64(days) * 86_400 + Int64(t.hour * 3600 + t.minute * 60 + t.second)) * 1_000_000
                + Int64(t.microsecond)
            if let offset = t.utcOffsetMinutes { micros -= Int64(offset) * 60_000_000 }
            return .constant(.timestamp(micros), .timestamp)
        case .time:
            throw error(.type, "time-of-day values are not supported yet", span, hint: "use a timestamp, e.g. `@2021-09-01T08:30`")
        case .interval:
            throw error(.type, "an interval is not a value of its own", span,
                        hint: "add it to a date or a timestamp, e.g. `hire_date + 30days` or `t - 2hours`")
        }
    }

    /// A parameter's text as the narrowest literal it reads as: int, float, bool, date, else text.
    static func parameterValue(_ text: String) -> Scalar {
        if let i = Int64(text) { return .int(i) }
        if let d = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .float(d) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        var bytes = Array(text.utf8)
        if let days = bytes.withUnsafeMutableBufferPointer({ b in b.baseAddress.flatMap { FieldParsing.parseDate($0, b.count) } }) {
            return .date(days)
        }
        return .text(text)
    }

    // MARK: - Operators

    private func bindUnary(_ op: UnaryOp, _ operand: Expr, _ expr: Expr) throws -> BoundExpr {
        if op == .selfEquals {
            // `==col` in a join condition is `this.col == that.col`.
            guard scope.leftCount != nil, case .ident(let path) = operand.kind, path.count == 1 else {
                throw error(.parse, "`==column` only makes sense in a join condition", expr.span,
                            hint: "e.g. `join counties (==county_code)`")
            }
            let this = Expr(.ident(["this", path[0]]), span: operand.span)
            let that = Expr(.ident(["that", path[0]]), span: operand.span)
            return try bindBinary(.eq, try bind(this), try bind(that), this, that, expr)
        }
        let value = try bind(operand)
        switch op {
        case .neg, .pos:
            guard value.type.isNumeric || value.isNullConstant else {
                throw error(.type, "`\(op == .neg ? "-" : "+")` needs a number, not \(value.type)", operand.span)
            }
            if op == .pos { return value }
            if case .constant(.int(let v), _) = value, v != Int64.min { return .constant(.int(-v), .int) }
            if case .constant(.float(let v), _) = value { return .constant(.float(-v), .float) }
            return .unary(.neg, value, value.type)
        case .not:
            guard value.type == .bool || value.isNullConstant else {
                throw error(.type, "`!` needs true or false, not \(value.type)", operand.span)
            }
            return .unary(.not, value, .bool)
        case .selfEquals:
            return value
        }
    }

    func bindInterval(_ value: BoundExpr, _ amount: Int64, _ unit: IntervalUnit, _ operand: Expr, _ expr: Expr) throws -> BoundExpr {
        guard value.type == .date || value.type == .timestamp || value.isNullConstant else {
            throw error(.type, "an interval moves a date or a timestamp, not \(value.type)", operand.span,
                        hint: "e.g. `hire_date + 30days`; a text date converts with `as date`")
        }
        let function = IntervalArithmetic.function(amount, unit)
        return .function(function, [value.isNullConstant ? Binder.retype(value, .timestamp) : value], .timestamp)
    }

    func bindBinary(_ op: BinaryOp, _ a: BoundExpr, _ b: BoundExpr, _ lhs: Expr, _ rhs: Expr, _ expr: Expr) throws -> BoundExpr {
        // `x == null` with the literal tests for a missing value (as SQL's IS NULL); every other
        // comparison with a null gives null.
        if op == .eq || op == .ne, Binder.isNullLiteral(lhs) || Binder.isNullLiteral(rhs) {
            let operand = Binder.isNullLiteral(lhs) ? b : a
            return .isNull(operand, negated: op == .ne)
        }
        // A null literal takes the type of the other side.
        let a = a.isNullConstant ? Binder.retype(a, b.type) : a
        let b = b.isNullConstant ? Binder.retype(b, a.type) : b
        func mismatch() -> TallyError {
            error(.type, "cannot apply `\(op.symbol)` to \(a.type) and \(b.type)", expr.span,
                  hint: a.type == .text || b.type == .text ? "convert with `as`, e.g. `x | as int`" : nil)
        }
        switch op {
        case .add, .sub, .mul:
            if a.type == .int && b.type == .int { return .binary(op, a, b, .int) }
            if a.type.isNumeric && b.type.isNumeric { return .binary(op, a, b, .float) }
            if op != .mul, a.type == .date, b.type == .int { return .binary(op, a, b, .date) }
            if op == .sub, a.type == .date, b.type == .date { return .binary(op, a, b, .int) }
            throw mismatch()
        case .div, .pow:
            guard a.type.isNumeric && b.type.isNumeric else { throw mismatch() }
            return .binary(op, a, b, .float)
        case .intDiv, .mod:
            guard a.type.isNumeric && b.type.isNumeric else { throw mismatch() }
            return .binary(op, a, b, a.type == .int && b.type == .int ? .int : .float)
        case .eq, .ne, .lt, .le, .gt, .ge:
            guard Binder.comparable(a.type, b.type) else { throw mismatch() }
            return .binary(op, a, b, .bool)
        case .regex:
            guard a.type == .text && b.type == .text else { throw mismatch() }
            return .binary(op, a, b, .bool)
        case .coalesce:
            guard let type = try Binder.commonType(a.type, b.type) else { throw mismatch() }
            return .binary(op, Binder.retype(a, type), Binder.retype(b, type), type)
        case .and, .or:
            guard a.type == .bool && b.type == .bool else {
                throw error(.type, "`\(op.symbol)` needs true or false on both sides, not \(a.type) and \(b.type)", expr.span)
            }
            return .binary(op, a, b, .bool)
        }
    }

    static func comparable(_ a: DataType, _ b: DataType) -> Bool {
        a == b || (a.isNumeric && b.isNumeric) || (a == .date && b == .timestamp) || (a == .timestamp && b == .date)
    }

    /// The type both values can take (int and float give float); nil when they cannot meet.
    static func commonType(_ a: DataType?, _ b: DataType) throws -> DataType? {
        guard let a else { return b }
        if a == b { return a }
        if a.isNumeric && b.isNumeric { return .float }
        if (a == .date && b == .timestamp) || (a == .timestamp && b == .date) { return .timestamp }
        return nil
    }

    /// The PRQL version the language follows, as `prql.version` gives it.
    static let prqlVersion = "0.13"

    /// The literal `null`, as written (a `let` or parameter that holds a null is not one).
    static func isNullLiteral(_ expr: Expr) -> Bool {
        if case .literal(.null) = expr.kind { return true }
        return false
    }

    /// A value converted to `type` where the engine does it silently (int to float, null to any).
    static func retype(_ e: BoundExpr, _ type: DataType) -> BoundExpr {
        if e.type == type { return e }
        if case .constant(.null, _) = e { return .constant(.null, type) }
        if case .constant(.int(let v), _) = e, type == .float { return .constant(.float(Double(v)), .float) }
        return .cast(e, type)
    }
}

extension BoundExpr {
    var isNullConstant: Bool {
        if case .constant(.null, _) = self { return true }
        return false
    }
}
