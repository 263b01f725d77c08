/// An expression resolved against a relation: names are column positions, functions are looked up,
/// every node knows its result type, and `span` still points into the statement for errors.
public indirect enum BoundExpr: Sendable {
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
    /// An aggregate: over the whole relation (or group) in `derive`, per group in `aggregate`.
    case aggregate(AggregateCall, DataType)
    /// `f"…"`: the parts' text joined per row.
    case format([BoundExpr])

    public var type: DataType {
        switch self {
        case .column(_, let t), .constant(_, let t), .unary(_, _, let t), .binary(_, _, _, let t),
             .function(_, _, let t), .cast(_, let t), .caseWhen(_, let t), .aggregate(_, let t):
            return t
        case .inRange, .inList: return .bool
        case .format: return .text
        }
    }

    /// Whether the expression contains an aggregate (so `derive` computes it over the group).
    public var containsAggregate: Bool {
        switch self {
        case .aggregate: return true
        case .column, .constant: return false
        case .unary(_, let e, _), .cast(let e, _): return e.containsAggregate
        case .binary(_, let a, let b, _): return a.containsAggregate || b.containsAggregate
        case .function(_, let args, _), .format(let args): return args.contains { $0.containsAggregate }
        case .caseWhen(let arms, _): return arms.contains { $0.0.containsAggregate || $0.1.containsAggregate }
        case .inRange(let e, let a, let b):
            return e.containsAggregate || (a?.containsAggregate ?? false) || (b?.containsAggregate ?? false)
        case .inList(let e, let list): return e.containsAggregate || list.contains { $0.containsAggregate }
        }
    }
}

/// An aggregate function applied to an argument (nil for `count this`).
public struct AggregateCall: Sendable {
    public var name: String
    public var argument: BoundExpr?
    /// `quantile`'s fraction.
    public var parameter: Double?
}
