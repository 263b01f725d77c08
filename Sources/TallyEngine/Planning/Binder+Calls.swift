/// Binding of calls: `in`, `as`, aggregates, library functions and the user's own `let` functions.
extension Binder {
    func bindCall(_ callee: Expr, _ args: [CallArgument], piped: (BoundExpr, Expr)?, _ expr: Expr) throws -> BoundExpr {
        guard case .ident(let path) = callee.kind else {
            throw error(.parse, "cannot call this", callee.span, hint: "a call starts with a function name, e.g. `round 2 x`")
        }
        let name = path.joined(separator: ".")
        var positional = args.filter { $0.name == nil }.map(\.value)
        let named = args.filter { $0.name != nil }

        switch name {
        case "in":
            guard let piped, positional.count == 1 else {
                throw error(.parse, "`in` takes a range or a list, after a value", expr.span,
                            hint: "e.g. `year | in 2021..2025` or `level | in [\"小学\", \"初中\"]`")
            }
            return try bindIn(piped.0, positional[0])
        case "as":
            guard let piped, positional.count == 1, case .ident(let typePath) = positional[0].kind,
                  let type = Binder.typeNamed(typePath.joined(separator: ".")) else {
                throw error(.parse, "`as` takes a type: int, float, text, bool, date or timestamp", expr.span,
                            hint: "e.g. `code | as text`; SQL names work too: `as INTEGER`, `as REAL`, `as VARCHAR`")
            }
            return piped.0.type == type ? piped.0 : .cast(piped.0, type)
        default:
            break
        }

        if let function = environment.functions[name] {
            if let piped { positional.append(piped.1) }
            return try inline(function, name: name, positional: positional, named: named, expr)
        }

        if let kind = WindowCall.Kind(rawValue: name) {
            var values = positional.map { Optional($0) }
            if piped != nil { values.append(nil) }
            return try bindWindowFunction(kind, values, piped: piped?.0, expr)
        }

        if Binder.aggregateNames.contains(name) {
            var values = positional.map { Optional($0) }
            if piped != nil { values.append(nil) }
            return try bindAggregate(name, values, piped: piped?.0, expr)
        }

        if let function = FunctionRegistry.scalar(named: name) {
            var bound = try positional.map { try bind($0) }
            if let piped { bound.append(piped.0) }
            guard bound.count == function.arity else {
                throw error(.type, "`\(name)` takes \(function.arity) argument\(function.arity == 1 ? "" : "s"), got \(bound.count)",
                            expr.span, hint: function.usage.map { "usage: `\($0)`" })
            }
            // A null argument takes the first type the function accepts there (`round 2 null`).
            if (try? function.resultType(bound.map(\.type))) == nil, bound.contains(where: \.isNullConstant) {
                for candidate in [DataType.int, .float, .date, .timestamp, .bool] {
                    let retyped = bound.map { $0.isNullConstant ? Binder.retype($0, candidate) : $0 }
                    if (try? function.resultType(retyped.map(\.type))) != nil {
                        bound = retyped
                        break
                    }
                }
            }
            let type: DataType
            do {
                type = try function.resultType(bound.map(\.type))
            } catch var e as TallyError {
                e.source = source
                e.span = expr.span
                throw e
            }
            return .function(function, bound, type)
        }

        let known = Array(Binder.aggregateNames) + Binder.windowNames + FunctionRegistry.names + Array(environment.functions.keys) + ["in", "as"]
        if path.count == 1, positional.isEmpty, piped == nil, scope.lookup(path) != nil {
            return try bind(callee)
        }
        throw error(.name, "unknown function `\(name)`", callee.span,
                    hint: Suggest.nearest(name, in: known).map { "did you mean `\($0)`?" }
                        ?? (positional.isEmpty ? nil : "a column name cannot be followed by arguments"))
    }

    private func bindIn(_ value: BoundExpr, _ set: Expr) throws -> BoundExpr {
        switch set.kind {
        case .range(let lo, let hi):
            let low = try lo.map { try bind($0) }
            let high = try hi.map { try bind($0) }
            for bound in [low, high].compactMap({ $0 }) where !Binder.comparable(value.type, bound.type) && !bound.isNullConstant {
                throw error(.type, "cannot compare \(value.type) with a range of \(bound.type)", set.span)
            }
            return .inRange(value, low, high)
        case .array(let items):
            let bound = try items.map { try bind($0) }
            for (item, b) in zip(items, bound) where !Binder.comparable(value.type, b.type) && !b.isNullConstant {
                throw error(.type, "cannot compare \(value.type) with \(b.type)", item.span)
            }
            return .inList(value, bound)
        default:
            throw error(.parse, "`in` takes a range or a list", set.span, hint: "e.g. `in 2021..2025` or `in [1, 2]`")
        }
    }

    private func bindAggregate(_ name: String, _ args: [Expr?], piped: BoundExpr?, _ expr: Expr) throws -> BoundExpr {
        var parameter: Double?
        var rest = args
        if name == "quantile" {
            guard let first = rest.first, let p = first, case .literal(let literal) = p.kind else {
                throw error(.parse, "`quantile` takes a fraction and a column", expr.span, hint: "e.g. `quantile 0.9 amount`")
            }
            switch literal {
            case .float(let v): parameter = v
            case .int(let v): parameter = Double(v)
            default: throw error(.type, "`quantile` needs a number between 0 and 1", p.span)
            }
            guard let q = parameter, q >= 0, q <= 1 else {
                throw error(.type, "`quantile` needs a number between 0 and 1", p.span)
            }
            rest.removeFirst()
        }
        guard rest.count == 1 else {
            let parenthesised = Binder.parenthesisedCalls(source, expr.span)
            throw error(.type, "`\(name)` takes one argument, got \(rest.count)", expr.span,
                        hint: parenthesised.map { "a call takes every term after it: write `\($0)`" }
                            ?? (name == "count" ? "`count this` counts rows, `count x` non-null values" : "e.g. `\(name) amount`"))
        }
        var argument: BoundExpr?
        if let e = rest[0] {
            if case .ident(let p) = e.kind, p == ["this"] {
                argument = nil
            } else {
                argument = try bind(e)
            }
        } else {
            argument = piped
        }
        if argument?.containsAggregate == true {
            throw error(.type, "an aggregate cannot contain another aggregate", expr.span)
        }
        if name == "share" {
            guard let argument, argument.type.isNumeric else {
                throw error(.type, "`share` needs a number column", expr.span)
            }
            let total = AggregateCall(name: "sum", argument: argument, parameter: nil)
            return .binary(.div, argument, .aggregate(total, argument.type), .float)
        }
        if argument == nil, name != "count" {
            throw error(.type, "`\(name) this` is not meaningful", expr.span, hint: "give a column, e.g. `\(name) amount`")
        }
        // A null (a `null` literal or a column of the null type) meets a numeric aggregate as an
        // int, as DuckDB's `sum(NULL)` does.
        if let a = argument, a.isNullConstant, (try? AggregateFunctions.resultType(name, a.type)) == nil {
            argument = Binder.retype(a, .int)
        }
        let type: DataType
        do {
            type = try AggregateFunctions.resultType(name, argument?.type)
        } catch var e as TallyError {
            e.source = source
            e.span = expr.span
            throw e
        }
        return .aggregate(AggregateCall(name: name, argument: argument, parameter: parameter), type)
    }

    static let windowNames = Vocabulary.windowFunctions.map(\.name)

    /// `row_number this`, `rank x`, `rank_dense x` (the argument only says "per row": the order is
    /// the current `sort`), `lag 1 x`, `lead 2 x`, `growth x`.
    private func bindWindowFunction(_ kind: WindowCall.Kind, _ args: [Expr?], piped: BoundExpr?, _ expr: Expr) throws -> BoundExpr {
        switch kind {
        case .rowNumber, .rank, .rankDense:
            guard args.count <= 1 else {
                throw error(.type, "`\(kind.rawValue)` takes one argument, got \(args.count)", expr.span,
                            hint: "e.g. `\(kind.rawValue) this`; the order is the current `sort`")
            }
            // The argument is bound only to check its names; the order comes from `sort`.
            if let e = args.first ?? nil, e.identPath != ["this"] { _ = try bind(e) }
            return .window(WindowCall(kind: kind, argument: nil, offset: 0), .int)
        case .lag, .lead:
            guard args.count == 2, let first = args[0] else {
                throw error(.type, "`\(kind.rawValue)` takes a number of rows and a column", expr.span,
                            hint: "e.g. `\(kind.rawValue) 1 amount`")
            }
            guard case .constant(.int(let n), _) = try bind(first), n >= 0, n <= Int64(Int32.max) else {
                throw error(.type, "`\(kind.rawValue)` needs a whole number of rows, 0 or more", first.span,
                            hint: "e.g. `\(kind.rawValue) 1 amount`")
            }
            let argument = try args[1].map { try bind($0) } ?? piped
            guard let argument else { throw error(.type, "`\(kind.rawValue)` needs a column", expr.span) }
            return .window(WindowCall(kind: kind, argument: argument, offset: Int(n)), argument.type)
        case .growth:
            guard args.count == 1 else {
                throw error(.type, "`growth` takes one column, got \(args.count)", expr.span, hint: "e.g. `growth amount`")
            }
            let argument = try args[0].map { try bind($0) } ?? piped
            guard let argument, argument.type.isNumeric else {
                throw error(.type, "`growth` needs a number column", expr.span,
                            hint: "e.g. `sort year | growth amount` gives (amount − previous) / previous")
            }
            return .window(WindowCall(kind: kind, argument: argument, offset: 1), .float)
        }
    }

    private func inline(_ function: (params: [LambdaParam], body: Expr, source: String), name: String,
                        positional: [Expr], named: [CallArgument], _ expr: Expr) throws -> BoundExpr {
        var locals = self.locals
        var index = 0
        for arg in named where !function.params.contains(where: { $0.name == arg.name && $0.defaultValue != nil }) {
            throw error(.type, "`\(name)` has no named parameter `\(arg.name ?? "")`", arg.span,
                        hint: Binder.describeParameters(function.params, of: name))
        }
        // As in PRQL, a parameter with a default is named only (`interp low:400 1600 x`); the
        // others take the positional arguments in order.
        for param in function.params {
            if let arg = named.first(where: { $0.name == param.name }) {
                locals[param.name] = try bind(arg.value)
            } else if let value = param.defaultValue {
                let inner = Binder(scope: scope, source: function.source, environment: environment, locals: self.locals, sqlInput: sqlInput)
                locals[param.name] = try inner.bind(value)
            } else {
                guard index < positional.count else {
                    throw error(.type, "`\(name)` needs a value for `\(param.name)`", expr.span,
                                hint: Binder.describeParameters(function.params, of: name))
                }
                locals[param.name] = try bind(positional[index])
                index += 1
            }
        }
        guard index == positional.count else {
            throw error(.type, "`\(name)` takes \(index) argument\(index == 1 ? "" : "s"), got \(positional.count)", expr.span)
        }
        let body = Binder(scope: scope, source: function.source, environment: environment, locals: locals, sqlInput: sqlInput)
        return try body.bind(function.body)
    }

    /// `interp low:0 high x`: how a function is called, for hints.
    static func describeParameters(_ params: [LambdaParam], of name: String) -> String {
        "call it as `" + ([name] + params.map { $0.defaultValue == nil ? $0.name : "\($0.name):…" }).joined(separator: " ") + "`"
    }

    /// A type by PRQL's name or an SQL one, in any case (`int`, `INTEGER`, `Real`, `VARCHAR`).
    static func typeNamed(_ name: String) -> DataType? {
        switch name.lowercased() {
        case "int", "int8", "int16", "int32", "int64", "int2", "int4", "integer", "bigint", "smallint", "tinyint":
            return .int
        case "float", "float4", "float8", "float32", "float64", "double", "real", "decimal", "numeric": return .float
        case "text", "string", "varchar", "char", "bpchar": return .text
        case "bool", "boolean", "logical": return .bool
        case "date": return .date
        case "timestamp", "datetime": return .timestamp
        default: return nil
        }
    }
}

extension Binder {
    /// `sum a / sum b` written as `(sum a) / (sum b)`: the text at `span`, cut at the arithmetic and
    /// comparison operators outside brackets and strings, each piece that is a call put in
    /// parentheses. Nil when the text has no such operator.
    static func parenthesisedCalls(_ source: String, _ span: Range<Int>) -> String? {
        let bytes = Array(source.utf8)
        guard span.lowerBound >= 0, span.upperBound <= bytes.count, span.lowerBound < span.upperBound else { return nil }
        let text = Array(bytes[span])
        let operators: [[UInt8]] = [" // ", " / ", " * ", " + ", " - ", " % ", " == ", " != ", " >= ", " <= ", " > ", " < "]
            .map { Array($0.utf8) }
        var pieces: [[UInt8]] = [], ops: [[UInt8]] = []
        var current: [UInt8] = []
        var depth = 0
        var quote: UInt8?
        var i = 0
        outer: while i < text.count {
            let b = text[i]
            if let q = quote {
                if b == q { quote = nil }
                current.append(b); i += 1; continue
            }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = b
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default:
                if depth == 0 {
                    for op in operators where i + op.count <= text.count && Array(text[i..<(i + op.count)]) == op {
                        pieces.append(current); ops.append(op); current = []
                        i += op.count
                        continue outer
                    }
                }
            }
            current.append(b)
            i += 1
        }
        pieces.append(current)
        guard !ops.isEmpty else { return nil }
        var out = ""
        for (index, piece) in pieces.enumerated() {
            let word = String(decoding: piece, as: UTF8.self).trimmingCharacters(in: " ")
            out += word.contains(" ") ? "(" + word + ")" : word
            if index < ops.count { out += String(decoding: ops[index], as: UTF8.self) }
        }
        return out
    }
}
