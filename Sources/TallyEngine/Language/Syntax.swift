/// The syntax tree of Tally's query language.
///
/// PRQL treats everything as a function call — a transform is a call whose last argument is the
/// relation piped into it — so the tree is deliberately uniform: a handful of expression kinds,
/// with transforms, aggregates and scalar functions all being `.call`. Deciding what a call *means*
/// (is `sort` a transform? is `amount` a column?) is the resolver's job, not the parser's.
///
/// Every node carries `span`, the UTF-8 byte range of its text in the statement, so that any later
/// stage can point at the exact source of a problem.

/// An expression with the byte range of its source text.
package struct Expr: Sendable, Equatable {
    package var kind: ExprKind
    package var span: Range<Int>

    package init(_ kind: ExprKind, span: Range<Int>) {
        self.kind = kind
        self.span = span
    }
}

package indirect enum ExprKind: Sendable, Equatable {
    /// A possibly qualified name: `amount`, `a.amount`, `this.id`, `math.abs`, `` `amount (yuan)` ``,
    /// `x.*`. Backticks are removed; each element is one part.
    case ident([String])
    case literal(Literal)
    /// `f"{city} {year}"`: text and interpolated expressions, in order.
    case fString([FStringPart])
    /// `s"UPPER({name})"`: SQL pass-through. Interpolations are parsed like an f-string's so a SQL
    /// back end can substitute column references; the in-memory engine refuses it.
    case sString([FStringPart])
    /// `$year`: a script or notebook parameter.
    case param(String)
    /// `a..b` (inclusive), `a..`, `..b`.
    case range(Expr?, Expr?)
    /// `{a, b = x + 1}`: fields in order; named fields are `.assign`.
    case tuple([Expr])
    /// `[1, 2]`; a relation literal is an array of tuples.
    case array([Expr])
    /// `name = value`: a named tuple field, an aliased call argument (`from a = aid`,
    /// `derive total = x + y`, `join c = counties (…)`).
    case assign(name: String, value: Expr)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// `f a b:2`: the callee (usually `.ident`) applied to positional and named arguments.
    /// `x | f a` is `.pipeline([x, f a])`; the resolver appends the piped value as the last argument.
    case call(Expr, [CallArgument])
    /// Transforms (or scalar steps) separated by `|` or newlines; one element per step.
    case pipeline([Expr])
    /// `case [cond => value, …]`.
    case caseExpr([CaseArm])
    /// `a b:2 -> a + b`.
    case lambda(params: [LambdaParam], body: Expr)
}

/// A call argument: positional (`name == nil`, possibly an `.assign`) or named (`side:left`).
package struct CallArgument: Sendable, Equatable {
    package var name: String?
    package var value: Expr
    /// From the name (if any) to the end of the value.
    package var span: Range<Int>

    package init(name: String? = nil, value: Expr, span: Range<Int>? = nil) {
        self.name = name
        self.value = value
        self.span = span ?? value.span
    }
}

/// One `condition => value` arm of a `case`.
package struct CaseArm: Sendable, Equatable {
    package var condition: Expr
    package var value: Expr
    package var span: Range<Int>

    package init(condition: Expr, value: Expr) {
        self.condition = condition
        self.value = value
        self.span = condition.span.lowerBound..<value.span.upperBound
    }
}

/// A lambda parameter: positional (`a`) or named with a default (`b:2`).
package struct LambdaParam: Sendable, Equatable {
    package var name: String
    package var defaultValue: Expr?
    package var span: Range<Int>

    package init(name: String, defaultValue: Expr? = nil, span: Range<Int>) {
        self.name = name
        self.defaultValue = defaultValue
        self.span = span
    }
}

/// A piece of an f-string or s-string.
package enum FStringPart: Sendable, Equatable {
    case text(String)
    case expr(Expr)
}

package enum UnaryOp: String, Sendable, Equatable {
    case neg, pos, not
    /// `==col` in a join condition: `this.col == that.col`.
    case selfEquals
}

package enum BinaryOp: String, Sendable, Equatable, CaseIterable {
    case mul, div, intDiv, mod, pow, add, sub
    case eq, ne, lt, le, gt, ge
    /// `~=`: regular-expression search.
    case regex
    /// `??`: the left value unless it is null.
    case coalesce
    case and, or

    /// How the operator is written.
    package var symbol: String {
        switch self {
        case .mul: return "*"
        case .div: return "/"
        case .intDiv: return "//"
        case .mod: return "%"
        case .pow: return "**"
        case .add: return "+"
        case .sub: return "-"
        case .eq: return "=="
        case .ne: return "!="
        case .lt: return "<"
        case .le: return "<="
        case .gt: return ">"
        case .ge: return ">="
        case .regex: return "~="
        case .coalesce: return "??"
        case .and: return "&&"
        case .or: return "||"
        }
    }
}

/// A literal value as written.
package enum Literal: Sendable, Equatable {
    case int(Int64)
    case float(Double)
    case string(String)
    case bool(Bool)
    case null
    case date(DateLiteral)
    case time(TimeLiteral)
    case timestamp(DateLiteral, TimeLiteral)
    /// `2days`, `3months`: PRQL's value-and-unit literal for date arithmetic.
    case interval(Int64, IntervalUnit)
}

/// `@2021-09-01`, already checked to be a real calendar date.
package struct DateLiteral: Sendable, Equatable, Hashable {
    package var year: Int
    package var month: Int
    package var day: Int

    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// `@08:30`, `@08:30:15.25`, or the time part of a timestamp, checked to be in range.
package struct TimeLiteral: Sendable, Equatable, Hashable {
    package var hour: Int
    package var minute: Int
    package var second: Int
    package var microsecond: Int
    /// Offset from UTC in minutes when the literal names one (`Z` is 0, `+08:00` is 480);
    /// nil for a local (zone-less) time, which is what Tally's timestamps are.
    package var utcOffsetMinutes: Int?

    package init(hour: Int, minute: Int = 0, second: Int = 0, microsecond: Int = 0, utcOffsetMinutes: Int? = nil) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
        self.utcOffsetMinutes = utcOffsetMinutes
    }
}

/// Units of an interval literal, spelled as PRQL spells them (plural only).
package enum IntervalUnit: String, Sendable, Equatable, CaseIterable {
    case microseconds, milliseconds, seconds, minutes, hours, days, weeks, months, years
}

/// One statement of a script, notebook cell or REPL input.
package enum Statement: Sendable, Equatable {
    /// A pipeline whose result is shown; always a `.pipeline`, even with one step.
    case query(Expr)
    /// `let name = …`; the value is a relation pipeline, a `.lambda` or a scalar expression.
    case letDecl(name: String, value: Expr, span: Range<Int>)
    /// `prql target:sql.duckdb version:"0.13"`: a `.call` whose callee is `.ident(["prql"])`.
    case prqlHeader(Expr)
    /// A line starting with `.` (`.load Datasets/aid.csv as aid`), verbatim and unparsed.
    case command(String)
}

extension Expr {
    /// The source text this expression was parsed from, e.g. to name an unnamed computed column
    /// after what the user wrote.
    package func text(in source: String) -> String {
        let utf8 = source.utf8
        let lower = min(max(0, span.lowerBound), utf8.count)
        let upper = min(max(lower, span.upperBound), utf8.count)
        let start = utf8.index(utf8.startIndex, offsetBy: lower)
        let end = utf8.index(start, offsetBy: upper - lower)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// The parts of a plain name, or nil when this is not a name.
    package var identPath: [String]? {
        if case .ident(let parts) = kind { return parts }
        return nil
    }
}
