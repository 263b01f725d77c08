/// A node of the logical plan: one relational operator, the columns it gives, and the source text
/// it was resolved from.
///
/// The resolver builds the tree from schemas alone (every name found, every type checked, every
/// argument validated), the rewrites reshape it, and the executor runs it with the vectorized
/// kernels, never binding a name again. Nodes are immutable and shared; `id` tells them apart for
/// the rewrites, which record facts per node (the columns a parent needs).
final class PlanNode {
    let id: Int
    let op: PlanOperator
    let schema: PlanSchema
    /// The statement (or `let` function body) the node's expressions were bound in, and the span of
    /// the step, so a runtime error still points at the step's text.
    let source: String
    let span: Range<Int>

    init(id: Int, _ op: PlanOperator, schema: PlanSchema, source: String, span: Range<Int>) {
        self.id = id
        self.op = op
        self.schema = schema
        self.source = source
        self.span = span
    }

    /// The node's inputs, in order.
    var children: [PlanNode] {
        switch op {
        case .scan, .readFile, .values, .input, .remote: return []
        case .alias(let c, _), .keep(let c, _), .project(let c, _), .filter(let c, _), .sort(let c, _, _),
             .take(let c, _), .aggregate(let c, _, _), .inMemory(let c, _), .deferred(let c, _),
             .materialize(let c, _, _):
            return [c]
        case .join(let l, let r, _), .setOperation(let l, let r, _), .append(let l, let r):
            return [l, r]
        case .loop(let c, let body), .groupApply(let c, _, let body): return [c, body]
        }
    }
}

/// What a plan node does.
enum PlanOperator {
    /// Rows of a catalog table (or `_`, the last result), as the name meant when the statement
    /// was resolved (`fetch`; a later `let` of the same name does not change it). Columns are
    /// shared, never copied, so a scan gives them all; projection pushdown narrows where rows are
    /// copied (joins, filters).
    case scan(table: String, fetch: TableFetch)
    /// `read_csv "file"`, `read_json "file"`: the file at `path`, read when the plan runs.
    case readFile(path: String, format: LoadOptions.Format?)
    /// A relation literal or `from_text`: constants, already a table.
    case values(Table)
    /// The rows a `loop` or `group` body is applied to.
    case input
    /// The same rows under another relation alias.
    case alias(PlanNode, String)
    /// The input's columns at these positions (`select !{…}`, projection pushdown).
    case keep(PlanNode, [Int])
    /// `select` / `derive`.
    case project(PlanNode, Projection)
    /// `filter`.
    case filter(PlanNode, Predicate)
    /// `sort`; with `limit`, only that many first rows are ordered (`sort … | take n`).
    case sort(PlanNode, [SortKey], limit: Int?)
    /// `take n`, `take a..b`.
    case take(PlanNode, TakeRange)
    /// `aggregate {…}`, `group keys (aggregate {…})`: one row per group.
    case aggregate(PlanNode, keys: [NamedExpr], values: [NamedExpr])
    /// `join side:… right (condition)`: the condition is over the left columns, then the right's.
    case join(PlanNode, PlanNode, JoinSpec)
    /// `intersect` / `remove`: rows equal (or not) to a row of the other relation, by position.
    case setOperation(PlanNode, PlanNode, SetOperationSpec)
    /// `append`: the other relation's rows after these (UNION ALL), in the result's types.
    case append(PlanNode, PlanNode)
    /// `loop (body)`: the input, then the body over the previous iteration's rows, until none.
    case loop(PlanNode, body: PlanNode)
    /// `group keys (pipeline)` for a pipeline other than one `aggregate`: the body (over `.input`)
    /// applied to each group's rows.
    case groupApply(PlanNode, keys: [NamedExpr], body: PlanNode)
    /// `pivot`, `unpivot`, `describe`: in-memory transforms, checked against the input's schema
    /// when resolved; `pivot`'s columns come from the data.
    case inMemory(PlanNode, InMemoryTransform)
    /// The steps after a transform whose columns depend on the data (`pivot`), resolved once its
    /// result is known.
    case deferred(PlanNode, DeferredSteps)
    /// A `let` relation computed on first use and kept in the catalog under `name`.
    case materialize(PlanNode, name: String, LazyRelation)
    /// A subtree whose tables all live in one connected database, lowered to one SQL statement
    /// that runs there; only its result comes back.
    case remote(RemoteQuery)
}

/// How a scan gets its table's rows: the table itself when it is in memory, or a load of the
/// file the name was registered with.
final class TableFetch: @unchecked Sendable {
    /// Set once, read only.
    let rows: () throws -> Table
    /// Whether the table is synthetic or published, known when the name is looked up.
    let provenance: Provenance?
    /// The database table behind the scan, when it lives in one: the SQL lowering sends the
    /// steps above it there instead of pulling the rows.
    let remote: RemoteTable?
    init(provenance: Provenance? = nil, remote: RemoteTable? = nil, _ rows: @escaping () throws -> Table) {
        self.provenance = provenance
        self.rows = rows
        self.remote = remote
    }
}

/// An expression with the name of the column it makes and the text it came from.
struct NamedExpr: Sendable {
    var name: String
    var expr: BoundExpr
    var qualifier: String?
    var span: Range<Int>
}

/// The fields of a `select` or `derive`, each bound against the input plus the fields before it.
struct Projection: Sendable {
    /// In order; field k is bound against the working columns: the input's, each replaced or
    /// followed by fields 0..<k (a field replaces the working column of its name).
    var fields: [NamedExpr]
    /// `select`: the output is `selected` (indices into `fields`). `derive`: the output is the final
    /// working columns.
    var replace: Bool
    var selected: [Int]
    /// Inside `window rows:…`: aggregates are over each row's frame.
    var frame: WindowFrame?
    /// Inside a partitioned `group`: aggregates and window functions are per group.
    var partitioned: Bool = false
}

extension Projection {
    /// Walks the fields in order with the set of input columns replaced by an earlier field (a
    /// field replaces the working column of its name; input columns are 0..<input.count).
    func forEachField(over input: PlanSchema, _ body: (NamedExpr, _ replacedBefore: Set<Int>) -> Void) -> Set<Int> {
        var replaced = Set<Int>()
        var positions: [String: Int] = [:]
        for (i, name) in input.names.enumerated() where positions[name] == nil { positions[name] = i }
        var workingCount = input.count
        for field in fields {
            body(field, replaced)
            if let existing = positions[field.name] {
                replaced.insert(existing)
            } else {
                positions[field.name] = workingCount
                workingCount += 1
            }
        }
        return replaced
    }
}

struct Predicate: Sendable {
    var condition: BoundExpr
    var span: Range<Int>
    var frame: WindowFrame?
}

struct SortKey: Sendable {
    var expr: BoundExpr
    var descending: Bool
    var span: Range<Int>
}

/// `take`'s rows: 0-based, `end` exclusive, nil to the last row.
struct TakeRange: Sendable, Equatable {
    var start: Int
    var end: Int?
}

struct JoinSpec: Sendable {
    var side: HashJoin.Side
    var condition: BoundExpr
    var conditionSpan: Range<Int>
}

struct SetOperationSpec: Sendable {
    var intersect: Bool
    /// The type each pair of columns is compared in.
    var types: [DataType]
}

/// A transform run on the input's rows as they are, with its arguments as written.
struct InMemoryTransform {
    enum Kind: String, Sendable { case pivot, unpivot, describe }
    var kind: Kind
    var arguments: [CallArgument]
    var step: Expr
    var environment: Binder.Environment
}

/// Steps to resolve once their input's columns are known.
struct DeferredSteps {
    var steps: [Expr]
    var context: ResolverContext
}
