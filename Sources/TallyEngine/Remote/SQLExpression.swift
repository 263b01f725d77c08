/// Bound expressions written as PostgreSQL SQL, keeping the language's rules rather than SQL's
/// where they differ: `/` always divides as floats and gives null on a zero divisor (NULLIF), `//`
/// truncates toward zero, `%` takes the dividend's sign, text compares and sorts by code point
/// (the C collation), lengths count characters, `round` rounds half away from zero (on numeric,
/// since PostgreSQL's float `round` goes to even), `sum` of nothing is 0, and the math functions give
/// NaN or −∞ where PostgreSQL would raise an error.
///
/// Every value is kept in the PostgreSQL type of its Tally type (bigint, double precision,
/// boolean, text, date, timestamp), so the operators see the same types the in-memory kernels do.
struct SQLExpression {
    /// The SQL of the working column at a position.
    var column: (Int) -> String
    /// The relation the expression reads: its order and partition for window functions.
    var relation: SQLRelation
    /// Its alias in the `FROM` (for the hidden order and partition columns).
    var alias: String?
    /// Inside `window rows:… / range:…`: the frame aggregates are over.
    var frame: WindowFrame?

    func sql(_ e: BoundExpr) throws -> String {
        switch e {
        case .column(let i, _): return column(i)
        case .constant(let value, let type): return SQLExpression.literal(value, type)
        case .unary(let op, let x, let type):
            switch op {
            case .neg: return "(-" + (try sql(x)) + ")"
            case .not: return "(NOT " + (try sql(x)) + ")"
            case .pos, .selfEquals: return "(" + (try sql(x)) + ")::" + PostgresTypes.sqlType(type)
            }
        case .binary(let op, let a, let b, let type): return try binary(op, a, b, type)
        case .function(let f, let args, let type): return try function(f.name, args, type)
        case .cast(let x, let type): return try cast(x, to: type)
        case .caseWhen(let arms, let type):
            var out = "CASE"
            for (condition, value) in arms {
                out += " WHEN " + (try sql(condition)) + " THEN " + (try typed(value, type))
            }
            return out + " END"
        case .inRange(let x, let lower, let upper):
            let v = try sql(x)
            var terms: [String] = []
            if let lower { terms.append(try compare(v, ">=", x.type, try sql(lower), lower.type)) }
            if let upper { terms.append(try compare(v, "<=", x.type, try sql(upper), upper.type)) }
            if terms.isEmpty { return "(" + v + " IS NOT NULL)" }
            return "(" + terms.joined(separator: " AND ") + ")"
        case .inList(let x, let list):
            guard !list.isEmpty else { return "(CASE WHEN " + (try sql(x)) + " IS NULL THEN NULL ELSE FALSE END)" }
            return "(" + (try sql(x)) + " IN (" + (try list.map { try sql($0) }).joined(separator: ", ") + "))"
        case .isNull(let x, let negated):
            return "(" + (try sql(x)) + (negated ? " IS NOT NULL)" : " IS NULL)")
        case .aggregate(let call, let type):
            return try windowAggregate(call, type)
        case .format(let parts):
            guard !parts.isEmpty else { return "''::text" }
            return "(" + (try parts.map { try text($0) }).joined(separator: " || ") + ")"
        case .window(let call, let type):
            return try windowFunction(call, type)
        case .sql(let text, let parts, _):
            // As written, with each part in its place; the parentheses keep it one operand.
            var out = "(" + (text.first ?? "")
            for (i, part) in parts.enumerated() {
                out += try sql(part)
                if i + 1 < text.count { out += text[i + 1] }
            }
            return out + ")"
        }
    }

    /// `e` in the PostgreSQL type of `type` (a `case` arm of int in a float `case`).
    func typed(_ e: BoundExpr, _ type: DataType) throws -> String {
        let s = try sql(e)
        return e.type == type ? s : "(" + s + ")::" + PostgresTypes.sqlType(type)
    }

    // MARK: - Literals

    static func literal(_ value: Scalar, _ type: DataType) -> String {
        switch value {
        case .null: return "NULL::" + PostgresTypes.sqlType(type)
        case .int(let v):
            // Parenthesised: `-5::bigint` would bind the cast first.
            return "(" + String(v) + ")::bigint"
        case .float(let v):
            if v.isNaN { return "'NaN'::double precision" }
            if v.isInfinite { return v < 0 ? "'-Infinity'::double precision" : "'Infinity'::double precision" }
            return "'" + String(v) + "'::double precision"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .text(let s): return PostgresTypes.quoteLiteral(s) + "::text"
        case .date(let d): return "DATE '" + CivilDate.format(days: d) + "'"
        case .timestamp(let t): return "TIMESTAMP '" + CivilDate.format(micros: t) + "'"
        }
    }

    // MARK: - Operators

    private func float(_ e: BoundExpr) throws -> String {
        let s = try sql(e)
        return e.type == .float ? s : "(" + s + ")::double precision"
    }

    private func binary(_ op: BinaryOp, _ a: BoundExpr, _ b: BoundExpr, _ type: DataType) throws -> String {
        switch op {
        case .add, .sub, .mul:
            let symbol = op == .add ? " + " : op == .sub ? " - " : " * "
            if a.type == .date {
                if b.type == .date { return "((" + (try sql(a)) + symbol + (try sql(b)) + ")::bigint)" }
                return "(" + (try sql(a)) + symbol + "(" + (try sql(b)) + ")::integer)"
            }
            if type == .int { return "(" + (try sql(a)) + symbol + (try sql(b)) + ")" }
            return "(" + (try float(a)) + symbol + (try float(b)) + ")"
        case .div:
            return "(" + (try float(a)) + " / NULLIF(" + (try float(b)) + ", 0))"
        case .pow:
            return "POWER(" + (try float(a)) + ", " + (try float(b)) + ")"
        case .intDiv:
            if type == .int { return "(" + (try sql(a)) + " / NULLIF(" + (try sql(b)) + ", 0))" }
            return "TRUNC(" + (try float(a)) + " / NULLIF(" + (try float(b)) + ", 0))"
        case .mod:
            if type == .int { return "MOD(" + (try sql(a)) + ", NULLIF(" + (try sql(b)) + ", 0))" }
            let x = try float(a), y = try float(b)
            return "(" + x + " - TRUNC(" + x + " / NULLIF(" + y + ", 0)) * " + y + ")"
        case .eq: return try compare(try sql(a), "=", a.type, try sql(b), b.type)
        case .ne: return try compare(try sql(a), "<>", a.type, try sql(b), b.type)
        case .lt: return try compare(try sql(a), "<", a.type, try sql(b), b.type)
        case .le: return try compare(try sql(a), "<=", a.type, try sql(b), b.type)
        case .gt: return try compare(try sql(a), ">", a.type, try sql(b), b.type)
        case .ge: return try compare(try sql(a), ">=", a.type, try sql(b), b.type)
        case .regex: return "(" + (try sql(a)) + " ~ " + (try sql(b)) + ")"
        case .coalesce: return "COALESCE(" + (try typed(a, type)) + ", " + (try typed(b, type)) + ")"
        case .and: return "(" + (try sql(a)) + " AND " + (try sql(b)) + ")"
        case .or: return "(" + (try sql(a)) + " OR " + (try sql(b)) + ")"
        }
    }

    /// A comparison; text by code point, numbers of mixed types as floats.
    private func compare(_ a: String, _ symbol: String, _ ta: DataType, _ b: String, _ tb: DataType) throws -> String {
        if ta == .text || tb == .text {
            return "(" + a + " COLLATE \"C\" " + symbol + " " + b + ")"
        }
        if ta != tb, ta.isNumeric, tb.isNumeric {
            let x = ta == .float ? a : "(" + a + ")::double precision"
            let y = tb == .float ? b : "(" + b + ")::double precision"
            return "(" + x + " " + symbol + " " + y + ")"
        }
        return "(" + a + " " + symbol + " " + b + ")"
    }

    // MARK: - Casts

    private func cast(_ x: BoundExpr, to type: DataType) throws -> String {
        let from = x.type
        if from == type { return try sql(x) }
        let s = try sql(x)
        switch (from, type) {
        case (_, .text): return try text(x)
        case (.int, .bool), (.float, .bool): return "((" + s + ") <> 0)"
        case (.bool, .int): return "(CASE WHEN " + s + " THEN 1 WHEN NOT " + s + " THEN 0 END)::bigint"
        case (.bool, .float): return "(CASE WHEN " + s + " THEN 1 WHEN NOT " + s + " THEN 0 END)::double precision"
        case (.text, .bool):
            // Tally reads true/false (any case), 1/0, t/f, yes/no as PostgreSQL does.
            return "(" + s + ")::boolean"
        case (.text, .int):
            return "(TRIM(" + s + "))::bigint"
        case (.text, .float):
            return "(TRIM(" + s + "))::double precision"
        default:
            return "(" + s + ")::" + PostgresTypes.sqlType(type)
        }
    }

    /// A value as text, the way Tally prints it: a whole float keeps its `.0`.
    private func text(_ x: BoundExpr) throws -> String {
        let s = try sql(x)
        switch x.type {
        case .text: return s
        case .float:
            return "(CASE WHEN " + s + " = TRUNC(" + s + ") AND ABS(" + s + ") < 1e15 THEN (" + s
                + ")::text || '.0' WHEN " + s + " = 'NaN'::double precision THEN 'nan' ELSE (" + s + ")::text END)"
        default:
            return "(" + s + ")::text"
        }
    }

    // MARK: - Functions

    private func constantText(_ e: BoundExpr) -> String? {
        if case .constant(.text(let s), _) = e { return s }
        return nil
    }

    private func constantInt(_ e: BoundExpr) -> Int64? {
        if case .constant(.int(let v), _) = e { return v }
        return nil
    }

    private func function(_ name: String, _ args: [BoundExpr], _ type: DataType) throws -> String {
        let t = PostgresTypes.sqlType(type)
        func arg(_ i: Int) throws -> String {
            guard i < args.count else { throw NotLowerable("`\(name)` with \(args.count) arguments") }
            return try sql(args[i])
        }
        func floatArg(_ i: Int) throws -> String {
            guard i < args.count else { throw NotLowerable("`\(name)` with \(args.count) arguments") }
            return try float(args[i])
        }
        /// `f(x)` where PostgreSQL raises an error outside `domain`, NaN as Tally gives.
        func guarded(_ f: String, _ domain: String) throws -> String {
            let x = try floatArg(args.count - 1)
            return "(CASE WHEN " + domain.replacingOccurrences(of: "$", with: x) + " THEN " + f + "(" + x
                + ") WHEN " + x + " IS NULL THEN NULL ELSE 'NaN'::double precision END)"
        }
        let last = args.count - 1
        switch name {
        case "text.length": return "CHAR_LENGTH(" + (try arg(last)) + ")::bigint"
        case "text.lower": return "LOWER(" + (try arg(last)) + ")"
        case "text.upper": return "UPPER(" + (try arg(last)) + ")"
        case "text.trim": return "BTRIM(" + (try arg(last)) + ", ' ')"
        case "text.ltrim": return "LTRIM(" + (try arg(last)) + ", ' ')"
        case "text.rtrim": return "RTRIM(" + (try arg(last)) + ", ' ')"
        case "text.starts_with": return "(" + (try arg(last)) + " LIKE (" + (try arg(0)) + " || '%') ESCAPE '')"
        case "text.ends_with": return "(" + (try arg(last)) + " LIKE ('%' || " + (try arg(0)) + ") ESCAPE '')"
        case "text.contains": return "(" + (try arg(last)) + " LIKE ('%' || " + (try arg(0)) + " || '%') ESCAPE '')"
        case "text.replace":
            return "REPLACE(" + (try arg(last)) + ", " + (try arg(0)) + ", " + (try arg(1)) + ")"
        case "text.extract":
            guard let offset = constantInt(args[0]), let length = constantInt(args[1]), offset >= 1, length >= 0 else {
                throw NotLowerable("`text.extract` with a zero or negative offset or length")
            }
            return "SUBSTRING(" + (try arg(last)) + " FROM \(offset) FOR \(length))"
        case "math.abs": return "ABS(" + (try arg(last)) + ")"
        case "math.floor": return "FLOOR(" + (try floatArg(last)) + ")::" + t
        case "math.ceil": return "CEIL(" + (try floatArg(last)) + ")::" + t
        case "math.sqrt": return try guarded("SQRT", "$ >= 0")
        case "math.ln": return "(CASE WHEN " + (try floatArg(last)) + " = 0 THEN '-Infinity'::double precision ELSE "
            + (try guarded("LN", "$ > 0")) + " END)"
        case "math.log10": return "(CASE WHEN " + (try floatArg(last)) + " = 0 THEN '-Infinity'::double precision ELSE "
            + (try guarded("LOG", "$ > 0")) + " END)"
        case "math.exp": return "EXP(" + (try floatArg(last)) + ")"
        case "math.sin": return "SIN(" + (try floatArg(last)) + ")"
        case "math.cos": return "COS(" + (try floatArg(last)) + ")"
        case "math.tan": return "TAN(" + (try floatArg(last)) + ")"
        case "math.asin": return try guarded("ASIN", "$ BETWEEN -1 AND 1")
        case "math.acos": return try guarded("ACOS", "$ BETWEEN -1 AND 1")
        case "math.atan": return "ATAN(" + (try floatArg(last)) + ")"
        case "math.degrees": return "DEGREES(" + (try floatArg(last)) + ")"
        case "math.radians": return "RADIANS(" + (try floatArg(last)) + ")"
        case "math.pi": return "PI()"
        case "math.pow": return "POWER(" + (try floatArg(last)) + ", " + (try floatArg(0)) + ")"
        case "math.log": return "(LN(" + (try floatArg(last)) + ") / LN(" + (try floatArg(0)) + "))"
        case "round", "math.round":
            guard args.count == 2 else { throw NotLowerable("`round` with \(args.count) arguments") }
            return "ROUND((" + (try arg(last)) + ")::numeric, (" + (try arg(0)) + ")::integer)::" + t
        case "date.year": return "EXTRACT(YEAR FROM " + (try arg(last)) + ")::bigint"
        case "date.month": return "EXTRACT(MONTH FROM " + (try arg(last)) + ")::bigint"
        case "date.to_text":
            guard let format = constantText(args[0]) else { throw NotLowerable("`date.to_text` with a format that is not a constant") }
            return try DateFormatSQL.sql(format: format, value: try arg(last), type: args[last].type)
        default:
            throw NotLowerable("the function `\(name)` has no SQL form here")
        }
    }

    // MARK: - Window functions and aggregates over rows

    /// `OVER (…)`: the group's rows (`PARTITION BY`), in the current order, over `frame` (or the
    /// whole partition when `whole`).
    private func over(ordered: Bool, whole: Bool) throws -> String {
        var parts: [String] = []
        let partition = relation.partitionClause(alias)
        if !partition.isEmpty { parts.append(partition) }
        let order = relation.orderClause(alias)
        if let frame, !frame.isWhole, !whole {
            if !order.isEmpty { parts.append(order) }
            parts.append(try frameClause(frame))
        } else if ordered, !order.isEmpty {
            parts.append(order)
            if whole { parts.append("ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING") }
        }
        return " OVER (" + parts.joined(separator: " ") + ")"
    }

    private func frameClause(_ frame: WindowFrame) throws -> String {
        func bound(_ v: Double?, lower: Bool) throws -> String {
            guard let v else { return lower ? "UNBOUNDED PRECEDING" : "UNBOUNDED FOLLOWING" }
            if v == 0 { return "CURRENT ROW" }
            let magnitude = abs(v)
            let text: String
            if frame.mode == .rows {
                guard magnitude == magnitude.rounded(), magnitude < 1e15 else { throw NotLowerable("a fractional rows frame") }
                text = String(Int64(magnitude))
            } else {
                text = magnitude == magnitude.rounded() && magnitude < 1e15 ? String(Int64(magnitude)) : String(magnitude)
            }
            return text + (v < 0 ? " PRECEDING" : " FOLLOWING")
        }
        if frame.mode == .range {
            // RANGE with offsets needs exactly one numeric key, ascending.
            guard relation.order.count == 1, let key = relation.order.first, !key.descending, key.type.isNumeric else {
                throw NotLowerable("a range frame over other than one ascending number")
            }
        }
        return (frame.mode == .rows ? "ROWS" : "RANGE") + " BETWEEN " + (try bound(frame.lower, lower: true))
            + " AND " + (try bound(frame.upper, lower: false))
    }

    /// An aggregate in `derive` / `select`: over the group (or the table), or over the frame.
    private func windowAggregate(_ call: AggregateCall, _ type: DataType) throws -> String {
        let whole = frame == nil || frame?.isWhole == true
        if call.name == "first" || call.name == "last" {
            guard let x = call.argument else { throw NotLowerable("`\(call.name)` without a column") }
            let f = call.name == "first" ? "FIRST_VALUE(" : "LAST_VALUE("
            return f + (try sql(x)) + ")" + (try over(ordered: true, whole: whole))
        }
        let inner = try SQLExpression.aggregate(call, type, self, windowed: true)
        let windowed = inner.call + (try over(ordered: false, whole: whole))
        // A frame may hold no rows (`rows:1..3` at the last row): its sum is null, not 0.
        if call.name == "sum", !whole { return "(" + windowed + ")::" + PostgresTypes.sqlType(type) }
        return inner.wrap(windowed)
    }

    private func windowFunction(_ call: WindowCall, _ type: DataType) throws -> String {
        // Ranks and offsets ignore the frame, as in SQL.
        let plain = " OVER (" + [relation.partitionClause(alias), relation.orderClause(alias)].filter { !$0.isEmpty }
            .joined(separator: " ") + ")"
        switch call.kind {
        case .rowNumber: return "ROW_NUMBER()" + plain
        case .rank: return "RANK()" + plain
        case .rankDense: return "DENSE_RANK()" + plain
        case .lag, .lead:
            guard let x = call.argument else { throw NotLowerable("`\(call.kind.rawValue)` without a column") }
            return (call.kind == .lag ? "LAG(" : "LEAD(") + (try sql(x)) + ", \(call.offset))" + plain
        case .growth:
            guard let x = call.argument else { throw NotLowerable("`growth` without a column") }
            let v = try float(x)
            let previous = "LAG(" + v + ", 1)" + plain
            return "((" + v + " - " + previous + ") / NULLIF(" + previous + ", 0))"
        }
    }

    /// An aggregate call as SQL, with what goes around it (`COALESCE(…, 0)` for `sum`, the cast to
    /// the Tally type).
    struct AggregateSQL {
        var call: String
        var prefix: String
        var suffix: String
        func wrap(_ core: String) -> String { prefix + core + suffix }
        var whole: String { wrap(call) }
    }

    static func aggregate(_ call: AggregateCall, _ type: DataType, _ expression: SQLExpression, windowed: Bool,
                          orderBy: String? = nil) throws -> AggregateSQL {
        let t = PostgresTypes.sqlType(type)
        guard let argument = call.argument else {
            guard call.name == "count" else { throw NotLowerable("`\(call.name)` without a column") }
            return AggregateSQL(call: "COUNT(*)", prefix: "", suffix: "")
        }
        let x = try expression.sql(argument)
        let xt = argument.type
        switch call.name {
        case "sum": return AggregateSQL(call: "SUM(" + x + ")", prefix: "COALESCE(", suffix: ", 0)::" + t)
        case "count": return AggregateSQL(call: "COUNT(" + x + ")", prefix: "", suffix: "")
        case "count_distinct":
            guard !windowed else { throw NotLowerable("`count_distinct` over a window") }
            return AggregateSQL(call: "COUNT(DISTINCT " + x + ")", prefix: "", suffix: "")
        case "average", "avg": return AggregateSQL(call: "AVG(" + x + ")", prefix: "(", suffix: ")::" + t)
        case "min", "max":
            if xt == .bool { return AggregateSQL(call: (call.name == "min" ? "BOOL_AND(" : "BOOL_OR(") + x + ")", prefix: "", suffix: "") }
            let arg = xt == .text ? x + " COLLATE \"C\"" : x
            return AggregateSQL(call: call.name.uppercased() + "(" + arg + ")", prefix: "(", suffix: ")::" + t)
        case "stddev": return AggregateSQL(call: "STDDEV_SAMP(" + x + ")", prefix: "(", suffix: ")::" + t)
        case "median":
            guard !windowed, xt.isNumeric else { throw NotLowerable("`median` over a window") }
            return AggregateSQL(call: "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + x + ")", prefix: "(", suffix: ")::" + t)
        case "any": return AggregateSQL(call: "BOOL_OR(" + x + ")", prefix: "", suffix: "")
        case "all": return AggregateSQL(call: "BOOL_AND(" + x + ")", prefix: "", suffix: "")
        case "first", "last":
            guard !windowed else { throw NotLowerable("`\(call.name)`") }
            let order = orderBy.map { " ORDER BY " + $0 } ?? ""
            if call.name == "first" {
                return AggregateSQL(call: "(ARRAY_AGG(" + x + order + "))[1]", prefix: "", suffix: "")
            }
            return AggregateSQL(call: "(ARRAY_AGG(" + x + order + "))[COUNT(*)]", prefix: "", suffix: "")
        default:
            throw NotLowerable("the aggregate `\(call.name)` has no SQL form here")
        }
    }
}

extension BoundExpr {
    /// Whether SQL must compute the expression in its own step before another window function or
    /// a `WHERE` can use it.
    var needsWindow: Bool { containsWindow || containsAggregate || containsSQLWindow }

    /// Whether an s-string in the expression calls a window function (`… OVER (…)`), which SQL
    /// does not allow in `WHERE` either.
    private var containsSQLWindow: Bool {
        var found = false
        func walk(_ e: BoundExpr) {
            switch e {
            case .sql(let text, let parts, _):
                if text.contains(where: { $0.range(of: #"\bover\s*\("#, options: [.regularExpression, .caseInsensitive]) != nil }) {
                    found = true
                }
                parts.forEach(walk)
            case .column, .constant: break
            case .unary(_, let x, _), .cast(let x, _), .isNull(let x, _): walk(x)
            case .binary(_, let a, let b, _): walk(a); walk(b)
            case .function(_, let args, _), .format(let args): args.forEach(walk)
            case .caseWhen(let arms, _): arms.forEach { walk($0.0); walk($0.1) }
            case .inRange(let x, let a, let b): walk(x); a.map(walk); b.map(walk)
            case .inList(let x, let list): walk(x); list.forEach(walk)
            case .aggregate(let call, _): call.argument.map(walk)
            case .window(let call, _): call.argument.map(walk)
            }
        }
        walk(self)
        return found
    }
}
