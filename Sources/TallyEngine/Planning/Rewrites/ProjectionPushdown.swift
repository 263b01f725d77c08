/// Which columns each operator's parents can use, found on the resolved plan, so that operators
/// that copy rows (`join`, `filter`, `sort`, `take`, `group`) copy only those.
///
/// A join copies every column of both sides for each row pair, and a sort or a `group` body
/// gathers every column in its new order; when the query ends in a step that lists its columns
/// (`select`, `aggregate`), most of that copying is wasted. The analysis walks the plan from the
/// root with the set of column positions each node must give, down through each operator's
/// expressions (and into `group` bodies, whose input is the group's rows). The statement is then
/// resolved again with a narrowing after each join or filter that gives more than it needs to, and
/// before each other copying operator whose input does, so later steps are bound against the
/// narrower schema. A narrowing over a scan copies nothing: the columns are shared.
enum ProjectionPushdown {
    /// For each join and filter node (by id) that gives unneeded columns, the ones to keep, by
    /// name and relation alias (positions change once an earlier step is narrowed).
    static func narrowings(_ root: PlanNode) -> [Int: Set<ColumnKey>] {
        var needed: [Int: Set<Int>] = [:]
        var narrow: [Int: Set<ColumnKey>] = [:]
        // Inputs of operators that copy rows: narrowed to what is needed of them, once all is known.
        var copied: [PlanNode] = []
        func keys(_ node: PlanNode, _ columns: Set<Int>) -> Set<ColumnKey> {
            Set(columns.map { ColumnKey(name: node.schema.names[$0], qualifier: node.schema.qualifiers[$0]) })
        }
        func all(_ node: PlanNode) -> Set<Int> { Set(0..<node.schema.count) }
        func visit(_ node: PlanNode, _ wanted: Set<Int>) {
            let wanted = needed[node.id].map { $0.union(wanted) } ?? wanted
            needed[node.id] = wanted
            switch node.op {
            case .scan, .readFile, .values, .input, .remote:
                break
            case .alias(let child, _):
                visit(child, wanted)
            case .keep(let child, let columns):
                visit(child, Set(wanted.compactMap { $0 < columns.count ? columns[$0] : nil }))
            case .project(let child, let projection):
                visit(child, inputsUsed(projection, input: child.schema, wanted: wanted))
            case .filter(let child, let predicate):
                if wanted.count < node.schema.count { narrow[node.id] = keys(node, wanted) }
                visit(child, wanted.union(predicate.condition.columnsUsed))
            case .sort(let child, let keys, _):
                copied.append(child)
                visit(child, keys.reduce(wanted) { $0.union($1.expr.columnsUsed) })
            case .take(let child, _):
                copied.append(child)
                visit(child, wanted)
            case .aggregate(let child, let keys, let values):
                visit(child, (keys + values).reduce(Set<Int>()) { $0.union($1.expr.columnsUsed) })
            case .join(let left, let right, let spec):
                if wanted.count < node.schema.count { narrow[node.id] = keys(node, wanted) }
                let used = wanted.union(spec.condition.columnsUsed)
                let leftCount = left.schema.count
                visit(left, Set(used.filter { $0 < leftCount }))
                visit(right, Set(used.filter { $0 >= leftCount }.map { $0 - leftCount }))
            case .setOperation(let a, let b, _), .append(let a, let b):
                visit(a, all(a)); visit(b, all(b))
            case .groupApply(let child, let keys, let body):
                // The output is the keys the body does not keep, then the body's columns.
                let missing = keys.filter { !body.schema.names.contains($0.name) }.count
                visit(body, Set(wanted.filter { $0 >= missing }.map { $0 - missing }))
                let rows = inputs(of: body).reduce(Set<Int>()) { $0.union(needed[$1.id] ?? []) }
                copied.append(child)
                visit(child, keys.reduce(rows) { $0.union($1.expr.columnsUsed) })
            case .loop(let child, let body):
                visit(child, all(child)); visit(body, all(body))
            case .inMemory(let child, _), .deferred(let child, _):
                visit(child, all(child))
            case .materialize:
                // A `let` relation's plan, resolved in its own statement and kept whole.
                break
            }
        }
        visit(root, all(root))
        for child in copied {
            guard let columns = needed[child.id], columns.count < child.schema.count, narrow[child.id] == nil else { continue }
            switch child.op {
            case .materialize, .input, .keep: continue
            default: narrow[child.id] = keys(child, columns)
            }
        }
        return narrow
    }

    /// The `.input` nodes a `group` body reads its rows from (not those of a body nested in it,
    /// which stand for that body's own rows).
    static func inputs(of body: PlanNode) -> [PlanNode] {
        switch body.op {
        case .input: return [body]
        case .groupApply(let child, _, _), .loop(let child, _): return inputs(of: child)
        default: return body.children.flatMap { inputs(of: $0) }
        }
    }

    /// A column by name and the relation alias it came from.
    struct ColumnKey: Hashable {
        var name: String
        var qualifier: String?
    }

    /// The input columns a `select` or `derive` reads: those its fields read (every field, kept
    /// or not), and for `derive` the wanted columns it passes through unchanged.
    static func inputsUsed(_ projection: Projection, input: PlanSchema, wanted: Set<Int>) -> Set<Int> {
        let inputCount = input.count
        var used = Set<Int>()
        let replaced = projection.forEachField(over: input) { field, replaced in
            for column in field.expr.columnsUsed where column < inputCount && !replaced.contains(column) {
                used.insert(column)
            }
        }
        if !projection.replace {
            for column in wanted where column < inputCount && !replaced.contains(column) { used.insert(column) }
        }
        return used
    }
}
