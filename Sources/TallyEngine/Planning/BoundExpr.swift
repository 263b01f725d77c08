/// An expression resolved against a relation: names are column positions, functions are looked up,
/// every node knows its result type, and `span` still points into the statement for errors.
package indirect enum BoundExpr: Sendable {
    case column(Int, DataType)
    case constant(Scalar, DataType)
    case unary(UnaryOp, BoundExpr, DataType)
    case binary(BinaryOp, BoundExpr, BoundExpr, DataType)
    /// A scalar function from the library.
    case function(ScalarFunction, [BoundExpr], DataType)
    case cast(BoundExpr, DataType)
    /// `case [c1 => v1, …]`; rows no arm matches are null.
    case caseWhen([(BoundExpr, BoundExpr)], DataType)
    /// `x | in a..b` with either bound optional.
    case inRange(BoundExpr, BoundExpr?, BoundExpr?)
    /// `x | in [a, b]`.
    case inList(BoundExpr, [BoundExpr])
    /// `x == null` (or `!= null` when negated): whether a value is missing; never null itself.
    case isNull(BoundExpr, negated: Bool)
    /// An aggregate: over the whole relation (or group) in `derive`, per group in `aggregate`.
    case aggregate(AggregateCall, DataType)
    /// `f"…"`: the parts' text joined per row.
    case format([BoundExpr])
    /// A window function (`row_number`, `rank`, `lag 1 x`, `growth x`): one value per row from the
    /// rows around it in the current order.
    case window(WindowCall, DataType)
    /// `s"…"`: SQL written into the statement as it stands, with each `{…}` part in its place.
    /// `text` has one more piece than `parts` (the text before, between and after them). Only a
    /// step lowered to SQL can hold one: the binder asks the database for its type.
    case sql(text: [String], parts: [BoundExpr], DataType)

    package var type: DataType {
        switch self {
        case .column(_, let t), .constant(_, let t), .unary(_, _, let t), .binary(_, _, _, let t),
             .function(_, _, let t), .cast(_, let t), .caseWhen(_, let t), .aggregate(_, let t), .window(_, let t),
             .sql(_, _, let t):
            return t
        case .inRange, .inList, .isNull: return .bool
        case .format: return .text
        }
    }

    /// Whether the expression contains an aggregate (so `derive` computes it over the group).
    package var containsAggregate: Bool {
        switch self {
        case .aggregate: return true
        case .window(let call, _): return call.argument?.containsAggregate ?? false
        case .column, .constant: return false
        case .unary(_, let e, _), .cast(let e, _): return e.containsAggregate
        case .binary(_, let a, let b, _): return a.containsAggregate || b.containsAggregate
        case .function(_, let args, _), .format(let args), .sql(_, let args, _): return args.contains { $0.containsAggregate }
        case .caseWhen(let arms, _): return arms.contains { $0.0.containsAggregate || $0.1.containsAggregate }
        case .inRange(let e, let a, let b):
            return e.containsAggregate || (a?.containsAggregate ?? false) || (b?.containsAggregate ?? false)
        case .inList(let e, let list): return e.containsAggregate || list.contains { $0.containsAggregate }
        case .isNull(let e, _): return e.containsAggregate
        }
    }
}

/// An aggregate function applied to an argument (nil for `count this`).
package struct AggregateCall: Sendable {
    package var name: String
    package var argument: BoundExpr?
    /// `quantile`'s fraction.
    package var parameter: Double?
}

/// A window function applied to an argument (nil for `row_number`, `rank`, `rank_dense`).
package struct WindowCall: Sendable {
    package enum Kind: String, Sendable {
        case rowNumber = "row_number", rank, rankDense = "rank_dense", lag, lead, growth
    }
    package var kind: Kind
    package var argument: BoundExpr?
    /// `lag`/`lead`'s distance in rows.
    package var offset: Int
}

extension BoundExpr {
    /// The column positions the expression reads.
    var columnsUsed: Set<Int> {
        var out = Set<Int>()
        visitColumns { out.insert($0) }
        return out
    }

    func visitColumns(_ body: (Int) -> Void) {
        switch self {
        case .column(let i, _): body(i)
        case .constant: break
        case .unary(_, let e, _), .cast(let e, _): e.visitColumns(body)
        case .binary(_, let a, let b, _): a.visitColumns(body); b.visitColumns(body)
        case .function(_, let args, _), .format(let args), .sql(_, let args, _): args.forEach { $0.visitColumns(body) }
        case .caseWhen(let arms, _): arms.forEach { $0.0.visitColumns(body); $0.1.visitColumns(body) }
        case .inRange(let e, let a, let b): e.visitColumns(body); a?.visitColumns(body); b?.visitColumns(body)
        case .inList(let e, let list): e.visitColumns(body); list.forEach { $0.visitColumns(body) }
        case .isNull(let e, _): e.visitColumns(body)
        case .aggregate(let call, _): call.argument?.visitColumns(body)
        case .window(let call, _): call.argument?.visitColumns(body)
        }
    }

    /// The same expression reading column `map(i)` where it read column `i` (to evaluate one side of
    /// a join condition against that side's table alone).
    func remapColumns(_ map: (Int) -> Int) -> BoundExpr {
        switch self {
        case .column(let i, let t): return .column(map(i), t)
        case .constant: return self
        case .unary(let op, let e, let t): return .unary(op, e.remapColumns(map), t)
        case .cast(let e, let t): return .cast(e.remapColumns(map), t)
        case .binary(let op, let a, let b, let t): return .binary(op, a.remapColumns(map), b.remapColumns(map), t)
        case .function(let f, let args, let t): return .function(f, args.map { $0.remapColumns(map) }, t)
        case .format(let args): return .format(args.map { $0.remapColumns(map) })
        case .sql(let text, let args, let t): return .sql(text: text, parts: args.map { $0.remapColumns(map) }, t)
        case .caseWhen(let arms, let t): return .caseWhen(arms.map { ($0.0.remapColumns(map), $0.1.remapColumns(map)) }, t)
        case .inRange(let e, let a, let b): return .inRange(e.remapColumns(map), a?.remapColumns(map), b?.remapColumns(map))
        case .inList(let e, let list): return .inList(e.remapColumns(map), list.map { $0.remapColumns(map) })
        case .isNull(let e, let negated): return .isNull(e.remapColumns(map), negated: negated)
        case .aggregate(var call, let t):
            call.argument = call.argument?.remapColumns(map)
            return .aggregate(call, t)
        case .window(var call, let t):
            call.argument = call.argument?.remapColumns(map)
            return .window(call, t)
        }
    }

    /// Whether the expression contains a window function (so it needs the current order).
    var containsWindow: Bool {
        var found = false
        func walk(_ e: BoundExpr) {
            switch e {
            case .window: found = true
            case .column, .constant: break
            case .unary(_, let x, _), .cast(let x, _): walk(x)
            case .binary(_, let a, let b, _): walk(a); walk(b)
            case .function(_, let args, _), .format(let args), .sql(_, let args, _): args.forEach(walk)
            case .caseWhen(let arms, _): arms.forEach { walk($0.0); walk($0.1) }
            case .inRange(let x, let a, let b): walk(x); a.map(walk); b.map(walk)
            case .inList(let x, let list): walk(x); list.forEach(walk)
            case .isNull(let x, _): walk(x)
            case .aggregate(let call, _): call.argument.map(walk)
            }
        }
        walk(self)
        return found
    }
}
