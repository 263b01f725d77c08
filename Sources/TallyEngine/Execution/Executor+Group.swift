/// `group keys (pipeline)` for pipelines other than one `aggregate`.
///
/// A body made of `derive`, `select`, `filter` and `take` (the usual "per group" shapes: shares of
/// a group's total, rows above their group's average, the first rows of each group) runs in one
/// pass over all rows, partitioned: aggregates are computed per group and spread back over its
/// rows, `take` counts within each group, and the rows are put in group order once, at the end.
/// A body that also sorts or uses window functions and frames (running totals, `lag`, ranks
/// within each group) runs in one pass too, over rows laid out group by group: each group's rows
/// are sorted on their own, and windows stop at the group's ends (`Executor+Segments.swift`).
/// Any other body (a join, a nested `group`, an `aggregate` followed by more steps) runs once per
/// group on that group's rows.
extension Executor {
    func groupApply(keys: [NamedExpr], body: PlanNode, _ relation: Relation, _ node: PlanNode) throws -> Relation {
        let keyColumns = try self.keyColumns(keys, relation, node)
        let (ids, count, firstRows) = GroupIDs.compute(keyColumns, rowCount: relation.table.rowCount)
        try cancel.checkpoint()
        let missing = keys.indices.filter { !body.schema.names.contains(keys[$0].name) }
        switch Executor.bodyShape(body) {
        case .rowwise(let chain):
            return try partitioned(chain, keyColumns: missing.map { keyColumns[$0] }, ids: ids, count: count, relation, node)
        case .ordered(let chain):
            return try segmented(chain, keyColumns: missing.map { keyColumns[$0] }, ids: ids, count: count,
                                 firstRows: firstRows, relation, node)
        case nil:
            break
        }
        var rowsOf = [[Int]](repeating: [], count: count)
        for (row, id) in ids.enumerated() { rowsOf[Int(id)].append(row) }
        var parts: [Relation] = []
        for (group, rows) in rowsOf.enumerated() {
            var part = Relation(table: relation.table.gather(rows), qualifiers: relation.qualifiers)
            part.order = relation.order.map { .init(column: $0.column.gather(rows), descending: $0.descending) }
            var inner = self
            inner.input = part
            let result = try inner.run(body)
            let repeated = [Int](repeating: firstRows[group], count: result.table.rowCount)
            parts.append(Relation(table: Table(uncheckedNames: node.schema.names,
                                               columns: missing.map { keyColumns[$0].gather(repeated) } + result.table.columns,
                                               rowCount: result.table.rowCount),
                                  qualifiers: node.schema.qualifiers))
            try cancel.checkpoint()
        }
        if parts.isEmpty {
            // No groups: the body over no rows gives the shape.
            var inner = self
            inner.input = Relation(table: relation.table.gather([]), qualifiers: relation.qualifiers)
            let result = try inner.run(body)
            return Relation(table: Table(uncheckedNames: node.schema.names,
                                         columns: missing.map { keyColumns[$0].gather([]) } + result.table.columns, rowCount: 0),
                            qualifiers: node.schema.qualifiers)
        }
        var columns: [Column] = []
        for c in 0..<node.schema.count {
            columns.append(Column.concat(parts.map { $0.table.columns[c] }, type: parts[0].table.columns[c].type))
        }
        let total = parts.reduce(0) { $0 + $1.table.rowCount }
        return Relation(table: Table(uncheckedNames: node.schema.names, columns: columns, rowCount: total),
                        qualifiers: node.schema.qualifiers)
    }

    /// How a body can run over all groups at once.
    enum BodyShape {
        /// Per-row transforms, filters and `take`: rows stay in input order until the end.
        case rowwise([PlanNode])
        /// Also `sort`, window functions or frames: rows are laid out group by group first.
        case ordered([PlanNode])
    }

    /// The body's nodes from the first step to the last and the way they can run for all groups
    /// at once; nil when some step has to see one group alone.
    static func bodyShape(_ body: PlanNode) -> BodyShape? {
        var chain: [PlanNode] = []
        var ordered = false
        var current = body
        while true {
            switch current.op {
            case .input:
                return ordered ? .ordered(chain.reversed()) : .rowwise(chain.reversed())
            case .project(let child, let projection):
                if projection.frame != nil || projection.fields.contains(where: { $0.expr.containsWindow }) { ordered = true }
                chain.append(current); current = child
            case .filter(let child, let predicate):
                if predicate.frame != nil || predicate.condition.containsWindow { ordered = true }
                chain.append(current); current = child
            case .sort(let child, let keys, _):
                // Sort keys are computed row by row over all groups at once.
                guard !keys.contains(where: { $0.expr.containsWindow || $0.expr.containsAggregate }) else { return nil }
                ordered = true
                chain.append(current); current = child
            case .take(let child, _), .keep(let child, _), .alias(let child, _):
                chain.append(current); current = child
            default:
                return nil
            }
        }
    }

    private func partitioned(_ chain: [PlanNode], keyColumns: [Column], ids: [Int32], count: Int,
                             _ relation: Relation, _ node: PlanNode) throws -> Relation {
        // Rows stay in input order while the body runs (aggregates per group need no particular
        // order, and a group's rows keep their relative order); `origin` maps them to input rows.
        var origin = Array(0..<relation.table.rowCount)
        var groupOf = ids
        var current = relation
        for step in chain {
            try cancel.checkpoint()
            let grouping = Evaluator.Grouping.rows(ids: groupOf, count: count)
            var rows: [Int]?
            switch step.op {
            case .project(_, let projection):
                current = try project(projection, current, step, grouping: grouping)
            case .filter(_, let predicate):
                do {
                    rows = try Evaluator(table: current.table, grouping: grouping, source: step.source, order: current.order)
                        .keptRows(predicate.condition)
                } catch let e as TallyError {
                    throw located(e, step, predicate.span)
                }
            case .take(_, let range):
                // A row's position in its group: how many rows of the group came before it.
                var seen = [Int](repeating: 0, count: count)
                var kept: [Int] = []
                for (i, group) in groupOf.enumerated() {
                    let position = seen[Int(group)]
                    seen[Int(group)] += 1
                    if position >= range.start, position < (range.end ?? Int.max) { kept.append(i) }
                }
                rows = kept
            case .keep(_, let columns):
                current = Relation(table: Table(uncheckedNames: columns.map { current.table.names[$0] },
                                                columns: columns.map { current.table.columns[$0] }, rowCount: current.table.rowCount),
                                   qualifiers: columns.map { current.qualifiers[$0] })
            case .alias:
                current.qualifiers = step.schema.qualifiers
            default:
                break
            }
            if let rows {
                let table = current.table
                current = Relation(table: Table(uncheckedNames: table.names,
                                                columns: Parallel.map(table.columnCount) { table.columns[$0].gather(rows) },
                                                rowCount: rows.count), qualifiers: current.qualifiers)
                origin = rows.map { origin[$0] }
                groupOf = rows.map { groupOf[$0] }
            }
        }
        // Groups in order of first appearance, each group's rows in input order: a counting sort.
        var starts = [Int](repeating: 0, count: count + 1)
        for id in groupOf { starts[Int(id) + 1] += 1 }
        for g in 0..<count { starts[g + 1] += starts[g] }
        var order = [Int](repeating: 0, count: groupOf.count)
        for (row, id) in groupOf.enumerated() {
            order[starts[Int(id)]] = row
            starts[Int(id)] += 1
        }
        let inputRows = order.map { origin[$0] }
        let table = current.table
        let columns = Parallel.map(keyColumns.count + table.columnCount) { c in
            c < keyColumns.count ? keyColumns[c].gather(inputRows) : table.columns[c - keyColumns.count].gather(order)
        }
        return Relation(table: Table(uncheckedNames: node.schema.names, columns: columns, rowCount: order.count),
                        qualifiers: node.schema.qualifiers)
    }
}
