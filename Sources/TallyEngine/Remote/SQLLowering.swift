/// A plan subtree written as one PostgreSQL statement: one common table expression per step, as
/// prqlc writes them (PostgreSQL inlines a CTE used once, so the steps cost nothing apart), then a
/// last `SELECT` that names the columns as the plan does, casts each to its Tally type, and orders
/// the rows by the current order.
///
/// Lowering is all or nothing for a subtree: a step without an SQL form throws `NotLowerable`, and
/// `RemoteSplit` then tries the step's inputs instead, so that step runs in memory on what they
/// pull back.
final class SQLLowering {
    private var ctes: [(name: String, sql: String)] = []
    private var counter = 0
    /// The connection every scan of the subtree reads from.
    private(set) var connection: PostgresConnection?
    /// Inside a `group` body: the rows `.input` stands for.
    private var input: SQLRelation?

    /// Inside a `loop` body: steps are written as nested subqueries, since the recursive term of
    /// `WITH RECURSIVE` must read the loop's relation itself, not through another CTE.
    private var nested = false
    private var recursive = false

    /// Values of relation literals are inlined up to this many rows.
    static let inlineRowLimit = 1000

    /// The statement for `node`, and the connection it runs on.
    static func lower(_ node: PlanNode) throws -> (sql: String, connection: PostgresConnection) {
        let lowering = SQLLowering()
        let relation = try lowering.relation(node)
        guard let connection = lowering.connection else { throw NotLowerable("no table of a database") }
        return (lowering.statement(relation, node.schema), connection)
    }

    /// The type PostgreSQL gives `expr` (an s-string) over `input`, asked of the server without
    /// running anything: the statement `SELECT expr FROM input` is prepared and described.
    static func describe(_ expr: BoundExpr, over input: Binder.SQLInput) throws -> DataType {
        let lowering = SQLLowering()
        for group in input.groups { lowering.input = try lowering.relation(group) }
        let relation = try lowering.relation(input.relation)
        guard let connection = lowering.connection else { throw NotLowerable("no table of a database") }
        let expression = SQLExpression(column: { "c\($0)" }, relation: relation, alias: nil, frame: nil)
        let sql = lowering.withClause() + "SELECT " + (try expression.sql(expr)) + " AS v FROM " + relation.name
        guard let column = try connection.describe(sql).first else {
            throw TallyError(.runtime, "the database `\(connection.name)` refused the query: it gives no value")
        }
        switch PostgresTypes.tallyType(oid: column.oid, modifier: column.modifier) {
        case .success(let type): return type
        case .failure(let unsupported):
            throw TallyError(.runtime, "the database `\(connection.name)` refused the query: its value is of type \(unsupported.name), which Tally has no type for",
                             hint: "cast it in the SQL, e.g. `s\"(…)::text\"`")
        }
    }

    private func add(_ sql: String) -> String {
        counter += 1
        let name = "t\(counter)"
        if nested { return "(" + sql + ") AS " + name }
        ctes.append((name, sql))
        return name
    }

    /// The last `SELECT`: the user's column names, the Tally types, the current order.
    private func statement(_ relation: SQLRelation, _ schema: PlanSchema) -> String {
        var items: [String] = []
        for i in 0..<relation.width {
            let type = i < schema.types.count ? schema.types[i] : .text
            let name = i < schema.names.count ? schema.names[i] : "c\(i)"
            items.append("c\(i)::" + PostgresTypes.sqlType(type) + " AS " + PostgresTypes.quoteIdentifier(name))
        }
        var sql = withClause()
        sql += "SELECT " + items.joined(separator: ", ") + " FROM " + relation.name
        let order = relation.orderClause()
        if !order.isEmpty { sql += " " + order }
        return sql
    }

    /// `WITH t1 AS (…), t2 AS (…)` and a line break, or nothing when there are no steps.
    private func withClause() -> String {
        guard !ctes.isEmpty else { return "" }
        return (recursive ? "WITH RECURSIVE " : "WITH ") + ctes.map { $0.name + " AS (\n  " + $0.sql + "\n)" }.joined(separator: ",\n") + "\n"
    }

    private func select(_ items: [String], from: String, _ rest: String = "") -> String {
        "SELECT " + (items.isEmpty ? "NULL AS c_none" : items.joined(separator: ", ")) + " FROM " + from + (rest.isEmpty ? "" : " " + rest)
    }

    // MARK: - Nodes

    private func relation(_ node: PlanNode) throws -> SQLRelation {
        switch node.op {
        case .scan(let name, let fetch):
            guard let remote = fetch.remote else { throw NotLowerable("`\(name)` is in memory") }
            if let connection, connection !== remote.connection {
                throw NotLowerable("tables of two connections")
            }
            connection = remote.connection
            guard remote.readable.count == node.schema.count else { throw NotLowerable("`\(name)` changed since it was listed") }
            return SQLRelation(name: add("SELECT " + remote.selectList.joined(separator: ", ") + " FROM " + remote.sqlName),
                               width: node.schema.count)
        case .values(let table):
            return try values(table, node.schema)
        case .input:
            guard let input else { throw NotLowerable("a body's rows outside its group") }
            return input
        case .alias(let child, _):
            return try relation(child)
        case .keep(let child, let columns):
            let r = try relation(child)
            let items = columns.enumerated().map { k, c in "c\(c) AS c\(k)" } + r.hidden()
            var out = r
            out.name = add(select(items, from: r.name))
            out.width = columns.count
            return out
        case .project(let child, let projection):
            return try project(projection, try relation(child), child.schema)
        case .filter(let child, let predicate):
            return try filter(predicate, try relation(child))
        case .sort(let child, let keys, let limit):
            let sorted = try sort(keys, try relation(child))
            guard let limit else { return sorted }
            return try take(TakeRange(start: 0, end: limit), sorted)
        case .take(let child, let range):
            return try take(range, try relation(child))
        case .aggregate(let child, let keys, let values):
            return try aggregate(keys: keys, values: values, try relation(child), child)
        case .join(let left, let right, let spec):
            return try join(spec, try relation(left), try relation(right), left.schema.count)
        case .setOperation(let a, let b, let spec):
            return try setOperation(spec, try relation(a), try relation(b))
        case .append(let a, let b):
            let l = try relation(a), r = try relation(b)
            guard l.partition == 0, r.partition == 0 else { throw NotLowerable("`append` inside a group") }
            let types = node.schema.types
            func side(_ rel: SQLRelation, _ schema: PlanSchema) -> String {
                let items = (0..<rel.width).map { i -> String in
                    let same = i < schema.types.count && schema.types[i] == types[i]
                    return (same ? "c\(i)" : "c\(i)::" + PostgresTypes.sqlType(types[i])) + " AS c\(i)"
                }
                return select(items, from: rel.name)
            }
            guard l.width == types.count, r.width == types.count else { throw NotLowerable("`append` of different widths") }
            return SQLRelation(name: add(side(l, a.schema) + "\n  UNION ALL\n  " + side(r, b.schema)), width: types.count)
        case .groupApply(let child, let keys, let body):
            return try groupApply(keys: keys, body: body, try relation(child), node)
        case .loop(let child, let body):
            return try loop(try relation(child), body, node.schema)
        case .readFile(let path, _):
            throw NotLowerable("the file `\(path)` is read in memory")
        case .inMemory(_, let transform):
            throw NotLowerable("`\(transform.kind.rawValue)` runs in memory")
        case .deferred:
            throw NotLowerable("steps after `pivot` run in memory")
        case .materialize(_, let name, _):
            throw NotLowerable("`\(name)` is computed once and kept in memory")
        case .remote:
            throw NotLowerable("already lowered")
        }
    }

    /// A relation literal as `VALUES`, so it can meet a database table there.
    private func values(_ table: Table, _ schema: PlanSchema) throws -> SQLRelation {
        guard table.rowCount <= SQLLowering.inlineRowLimit, table.columnCount > 0 else {
            throw NotLowerable("a literal of \(table.rowCount) rows")
        }
        let types = table.columns.map(\.type)
        if table.rowCount == 0 {
            let items = types.enumerated().map { i, t in "NULL::" + PostgresTypes.sqlType(t) + " AS c\(i)" }
            return SQLRelation(name: add("SELECT " + items.joined(separator: ", ") + " WHERE FALSE"), width: types.count)
        }
        var rows: [String] = []
        for r in 0..<table.rowCount {
            let cells = table.columns.enumerated().map { c, column in SQLExpression.literal(column.scalar(at: r), types[c]) }
            rows.append("(" + cells.joined(separator: ", ") + ")")
        }
        let columns = (0..<types.count).map { "c\($0)" }.joined(separator: ", ")
        let body = "SELECT * FROM (VALUES " + rows.joined(separator: ", ") + ") AS v(" + columns + ")"
        return SQLRelation(name: add(body), width: types.count)
    }

    /// `select` / `derive`: each field sees the working columns as the fields before it left them.
    /// A field that reads a window function or aggregate computed in the same step starts a new
    /// step (SQL cannot nest them, nor see a select item's alias in the same select).
    private func project(_ projection: Projection, _ input: SQLRelation, _ schema: PlanSchema) throws -> SQLRelation {
        var current = input
        var working: [String] = (0..<input.width).map { "c\($0)" }
        var windowed = Set<Int>()  // working columns whose SQL holds a window function
        var positions: [String: Int] = [:]
        for (i, name) in schema.names.enumerated() where positions[name] == nil { positions[name] = i }
        var fieldColumn: [Int] = []  // the working column each field went to
        var replacedAfter: [Bool] = []  // whether a later field replaced it
        for field in projection.fields {
            if !field.expr.columnsUsed.isDisjoint(with: windowed) {
                // Materialise the working columns, then go on from them.
                let items = working.enumerated().map { k, sql in sql + " AS c\(k)" } + current.hidden()
                current.name = add(select(items, from: current.name))
                current.width = working.count
                working = (0..<working.count).map { "c\($0)" }
                windowed = []
            }
            let expression = SQLExpression(column: { i in i < working.count ? working[i] : "NULL" }, relation: current,
                                           alias: nil, frame: projection.frame)
            let sql = try expression.sql(field.expr)
            let target: Int
            if let existing = positions[field.name] {
                target = existing
                working[existing] = "(" + sql + ")"
                for (k, column) in fieldColumn.enumerated() where column == existing { replacedAfter[k] = true }
            } else {
                target = working.count
                positions[field.name] = target
                working.append("(" + sql + ")")
            }
            if field.expr.needsWindow { windowed.insert(target) } else { windowed.remove(target) }
            fieldColumn.append(target)
            replacedAfter.append(false)
        }
        var outputs: [String]
        if projection.replace {
            outputs = try projection.selected.map { k in
                guard k < fieldColumn.count, !replacedAfter[k] else { throw NotLowerable("a `select` naming one column twice") }
                return working[fieldColumn[k]]
            }
        } else {
            outputs = working
        }
        let items = outputs.enumerated().map { k, sql in sql + " AS c\(k)" } + current.hidden()
        var out = current
        out.name = add(select(items, from: current.name))
        out.width = outputs.count
        return out
    }

    private func filter(_ predicate: Predicate, _ input: SQLRelation) throws -> SQLRelation {
        let expression = SQLExpression(column: { "c\($0)" }, relation: input, alias: nil, frame: predicate.frame)
        let condition = try expression.sql(predicate.condition)
        var out = input
        if predicate.condition.needsWindow {
            // A window function cannot stand in WHERE: compute it first.
            let staged = add(select(input.visible() + input.hidden() + [condition + " AS w_keep"], from: input.name))
            out.name = add(select(input.visible() + input.hidden(), from: staged, "WHERE w_keep"))
        } else {
            out.name = add(select(input.visible() + input.hidden(), from: input.name, "WHERE " + condition))
        }
        return out
    }

    private func sort(_ keys: [SortKey], _ input: SQLRelation) throws -> SQLRelation {
        let expression = SQLExpression(column: { "c\($0)" }, relation: input, alias: nil, frame: nil)
        var items = input.visible() + (0..<input.partition).map { "p\($0) AS p\($0)" }
        var order: [SQLOrderKey] = []
        for (i, key) in keys.enumerated() {
            items.append(try expression.sql(key.expr) + " AS o\(i)")
            order.append(SQLOrderKey(descending: key.descending, type: key.expr.type))
        }
        var out = input
        out.order = order
        out.name = add(select(items, from: input.name))
        return out
    }

    /// `take`: `LIMIT`/`OFFSET` in the current order, or per group the row number within it.
    private func take(_ range: TakeRange, _ input: SQLRelation) throws -> SQLRelation {
        var out = input
        if input.partition > 0 {
            let window = " OVER (" + [input.partitionClause(), input.orderClause()].filter { !$0.isEmpty }.joined(separator: " ") + ")"
            let numbered = add(select(input.visible() + input.hidden() + ["ROW_NUMBER()" + window + " AS w_row"], from: input.name))
            var condition = "w_row > \(range.start)"
            if let end = range.end { condition += " AND w_row <= \(end)" }
            out.name = add(select(input.visible() + input.hidden(), from: numbered, "WHERE " + condition))
            return out
        }
        var rest = input.orderClause()
        if let end = range.end { rest += (rest.isEmpty ? "" : " ") + "LIMIT \(max(0, end - range.start))" }
        if range.start > 0 { rest += (rest.isEmpty ? "" : " ") + "OFFSET \(range.start)" }
        out.name = add(select(input.visible() + input.hidden(), from: input.name, rest))
        return out
    }

    private func aggregate(keys: [NamedExpr], values: [NamedExpr], _ input: SQLRelation, _ child: PlanNode) throws -> SQLRelation {
        let expression = SQLExpression(column: { "c\($0)" }, relation: input, alias: nil, frame: nil)
        var items: [String] = []
        var groupBy: [String] = (0..<input.partition).map { "p\($0)" }
        for (i, key) in keys.enumerated() {
            guard !key.expr.needsWindow else { throw NotLowerable("a window function as a group key") }
            let sql = try expression.sql(key.expr)
            items.append(sql + " AS c\(i)")
            groupBy.append(sql)
        }
        let order = input.order.isEmpty ? nil : input.orderList()
        for (i, value) in values.enumerated() {
            items.append(try aggregateValue(value.expr, expression, order: order) + " AS c\(keys.count + i)")
        }
        items += (0..<input.partition).map { "p\($0) AS p\($0)" }
        let rest = groupBy.isEmpty ? "" : "GROUP BY " + groupBy.joined(separator: ", ")
        var out = SQLRelation(name: add(select(items, from: input.name, rest)), width: keys.count + values.count)
        out.partition = input.partition
        return out
    }

    /// An `aggregate` value: aggregates become SQL aggregates (not window functions), the rest of
    /// the expression is computed on their results.
    private func aggregateValue(_ e: BoundExpr, _ expression: SQLExpression, order: String?) throws -> String {
        var placeholders: [String] = []
        func replace(_ e: BoundExpr) throws -> BoundExpr {
            switch e {
            case .aggregate(let call, let type):
                let sql = try SQLExpression.aggregate(call, type, expression, windowed: false, orderBy: order).whole
                placeholders.append(sql)
                return .column(-placeholders.count, type)
            case .column, .constant: return e
            case .window: throw NotLowerable("a window function inside `aggregate`")
            case .unary(let op, let x, let t): return .unary(op, try replace(x), t)
            case .binary(let op, let a, let b, let t): return .binary(op, try replace(a), try replace(b), t)
            case .function(let f, let args, let t): return .function(f, try args.map(replace), t)
            case .cast(let x, let t): return .cast(try replace(x), t)
            case .caseWhen(let arms, let t): return .caseWhen(try arms.map { (try replace($0.0), try replace($0.1)) }, t)
            case .inRange(let x, let a, let b): return .inRange(try replace(x), try a.map(replace), try b.map(replace))
            case .inList(let x, let list): return .inList(try replace(x), try list.map(replace))
            case .isNull(let x, let negated): return .isNull(try replace(x), negated: negated)
            case .format(let parts): return .format(try parts.map(replace))
            case .sql(let text, let parts, let t): return .sql(text: text, parts: try parts.map(replace), t)
            }
        }
        let replaced = try replace(e)
        let outer = SQLExpression(column: { i in i < 0 && -i <= placeholders.count ? placeholders[-i - 1] : "c\(i)" },
                                  relation: expression.relation, alias: nil, frame: nil)
        return try outer.sql(replaced)
    }

    private func join(_ spec: JoinSpec, _ l: SQLRelation, _ r: SQLRelation, _ leftWidth: Int) throws -> SQLRelation {
        guard r.partition == 0 else { throw NotLowerable("a join whose right side is inside a group") }
        let expression = SQLExpression(column: { i in i < leftWidth ? "l.c\(i)" : "r.c\(i - leftWidth)" },
                                       relation: l, alias: "l", frame: nil)
        guard !spec.condition.needsWindow else { throw NotLowerable("a window function in a join condition") }
        let condition = try expression.sql(spec.condition)
        let kind: String
        switch spec.side {
        case .inner: kind = "JOIN"
        case .left: kind = "LEFT JOIN"
        case .right: kind = "RIGHT JOIN"
        case .full: kind = "FULL JOIN"
        }
        var items = (0..<l.width).map { "l.c\($0) AS c\($0)" } + (0..<r.width).map { "r.c\($0) AS c\(l.width + $0)" }
        var out = SQLRelation(name: "", width: l.width + r.width)
        out.partition = l.partition
        items += (0..<l.partition).map { "l.p\($0) AS p\($0)" }
        // The left side's order stays the current order, as the in-memory join keeps it.
        if spec.side == .inner || spec.side == .left {
            out.order = l.order
            items += l.order.indices.map { "l.o\($0) AS o\($0)" }
        }
        out.name = add(select(items, from: l.name + " l " + kind + " " + r.name + " r ON " + condition))
        return out
    }

    /// `intersect` / `remove`: rows of the first relation with (or without) an equal row in the
    /// other, compared in `spec.types`; a row of the first is repeated for each match, as the
    /// in-memory hash match gives it.
    private func setOperation(_ spec: SetOperationSpec, _ a: SQLRelation, _ b: SQLRelation) throws -> SQLRelation {
        guard a.partition == 0, b.partition == 0, a.width == b.width, spec.types.count == a.width else {
            throw NotLowerable("`intersect` / `remove` inside a group")
        }
        let terms = spec.types.enumerated().map { i, t in
            "(a.c\(i))::\(PostgresTypes.sqlType(t)) = (b.c\(i))::\(PostgresTypes.sqlType(t))"
        }
        let condition = terms.isEmpty ? "TRUE" : terms.joined(separator: " AND ")
        var out = a
        if spec.intersect {
            out.name = add(select(a.visible(from: "a") + a.hidden(from: "a"), from: a.name + " a JOIN " + b.name + " b ON " + condition))
        } else {
            out.name = add(select(a.visible(from: "a") + a.hidden(from: "a"), from: a.name + " a",
                                  "WHERE NOT EXISTS (SELECT 1 FROM " + b.name + " b WHERE " + condition + ")"))
        }
        return out
    }

    /// `group keys (body)`: the keys become the partition the body's steps work within.
    private func groupApply(keys: [NamedExpr], body: PlanNode, _ child: SQLRelation, _ node: PlanNode) throws -> SQLRelation {
        guard child.partition == 0, input == nil else { throw NotLowerable("a `group` inside a `group`") }
        let expression = SQLExpression(column: { "c\($0)" }, relation: child, alias: nil, frame: nil)
        var items = child.visible()
        for (i, key) in keys.enumerated() {
            guard !key.expr.needsWindow else { throw NotLowerable("a window function as a group key") }
            items.append(try expression.sql(key.expr) + " AS p\(i)")
        }
        items += child.order.indices.map { "o\($0) AS o\($0)" }
        var rows = child
        rows.partition = keys.count
        rows.name = add(select(items, from: child.name))
        input = rows
        defer { input = nil }
        if case .aggregate = body.op, SQLLowering.dropsRows(body) {
            // A group whose rows the body filters away still gives its aggregate row (count 0).
            throw NotLowerable("an aggregate after a filter inside `group`")
        }
        let result = try relation(body)
        guard result.partition == keys.count else { throw NotLowerable("a `group` body that leaves its groups") }
        let missing = keys.indices.filter { !body.schema.names.contains(keys[$0].name) }
        let outItems = missing.enumerated().map { k, key in "p\(key) AS c\(k)" }
            + (0..<result.width).map { "c\($0) AS c\(missing.count + $0)" }
        // Groups come back in no particular order (in memory: in order of first appearance).
        return SQLRelation(name: add(select(outItems, from: result.name)), width: missing.count + result.width)
    }

    /// `loop (body)`: a recursive CTE, the input as its first term and the body over the previous
    /// iteration's rows as the recursive one; it ends when the body gives no rows, as in memory.
    /// The body may only filter and compute (PostgreSQL allows no aggregate, window function,
    /// `LIMIT` or join with itself there).
    private func loop(_ start: SQLRelation, _ body: PlanNode, _ schema: PlanSchema) throws -> SQLRelation {
        guard input == nil, !nested, start.partition == 0, SQLLowering.simpleLoopBody(body) else {
            throw NotLowerable("a `loop` body other than filters and projections")
        }
        counter += 1
        let name = "t\(counter)"
        let columns = (0..<schema.count).map { "c\($0)" }
        let types = schema.types
        func typed(_ from: String) -> String {
            "SELECT " + columns.enumerated().map { i, c in c + "::" + PostgresTypes.sqlType(types[i]) + " AS " + c }.joined(separator: ", ")
                + " FROM " + from
        }
        nested = true
        input = SQLRelation(name: name, width: schema.count)
        defer { nested = false; input = nil }
        let step = try relation(body)
        guard step.width == schema.count, step.order.isEmpty else { throw NotLowerable("a `loop` body that changes its columns") }
        nested = false
        recursive = true
        ctes.append((name + "(" + columns.joined(separator: ", ") + ")", typed(start.name) + "\n  UNION ALL\n  " + typed(step.name)))
        return SQLRelation(name: name, width: schema.count)
    }

    static func simpleLoopBody(_ node: PlanNode) -> Bool {
        switch node.op {
        case .input: return true
        case .filter(let c, let p): return !p.condition.needsWindow && simpleLoopBody(c)
        case .project(let c, let p): return p.frame == nil && !p.fields.contains { $0.expr.needsWindow } && simpleLoopBody(c)
        case .keep(let c, _), .alias(let c, _): return simpleLoopBody(c)
        default: return false
        }
    }

    /// Whether a body's steps below its top drop rows (`filter`, `take`).
    static func dropsRows(_ node: PlanNode) -> Bool {
        for child in node.children {
            switch child.op {
            case .filter, .take: return true
            case .sort(_, _, let limit) where limit != nil: return true
            default: if dropsRows(child) { return true }
            }
        }
        return false
    }
}
