/// Runs a logical plan: one switch over the plan's operators, each calling the vectorized kernels.
///
/// Everything a name or an argument could get wrong was found when the plan was resolved; what is
/// left to fail here is what depends on the data (a value that does not convert, a join too large)
/// and cancellation, polled between operators and inside the long ones.
struct Executor {
    let cancel: CancellationCheck
    /// Keeps a `let` relation's rows once computed, so later queries scan them.
    var keep: (String, Table, LazyRelation) -> Void = { _, _, _ in }
    /// The rows `.input` nodes give: a `loop` iteration's or a group's.
    var input: Relation? = nil
    /// The memory a query may use (`.memory_limit`); nil for none.
    var budget: MemoryBudget? = nil

    func error(_ node: PlanNode, _ kind: TallyError.Kind, _ message: String, hint: String? = nil) -> TallyError {
        TallyError(kind, message, hint: hint, source: node.source, span: node.span)
    }

    /// An error from a kernel, pointed at `span` of the node's source when it points nowhere yet.
    func located(_ e: TallyError, _ node: PlanNode, _ span: Range<Int>) -> TallyError {
        var e = e
        if e.span == nil { e.source = node.source; e.span = span }
        return e
    }

    /// Runs a node, then checks the memory it left in use against the budget: after steps that
    /// made many rows and after those that can grow without bound, so the error names the step.
    func run(_ node: PlanNode) throws -> Relation {
        let relation = try runStep(node)
        if let budget {
            var grows = relation.table.rowCount >= 1 << 16
            switch node.op {
            case .join, .loop, .inMemory, .append, .deferred: grows = true
            default: break
            }
            if grows, budget.isExceeded() {
                throw located(budget.exceeded(), node, node.span)
            }
        }
        return relation
    }

    private func runStep(_ node: PlanNode) throws -> Relation {
        try cancel.checkpoint()
        switch node.op {
        case .scan(let name, let fetch):
            let table = try fetch.rows()
            try checkSchema(table, node, name: name)
            return Relation(table: table, qualifiers: node.schema.qualifiers)
        case .readFile(let path, let format):
            let table: Table
            do {
                (table, _) = try TableReader.read(path: path, options: LoadOptions(format: format), cancel: cancel)
            } catch let e as TallyError {
                throw located(e, node, node.span)
            }
            SchemaSniffer.remember(table, path: path, options: LoadOptions(format: format))
            try checkSchema(table, node, name: path)
            return Relation(table: table, qualifiers: node.schema.qualifiers)
        case .values(let table):
            return Relation(table: table, qualifiers: node.schema.qualifiers)
        case .input:
            guard let input else { throw error(node, .runtime, "a body ran without its rows") }
            return input
        case .alias(let child, _):
            var relation = try run(child)
            relation.qualifiers = node.schema.qualifiers
            return relation
        case .keep(let child, let columns):
            return try keep(columns, of: child, node)
        case .project(let child, let projection):
            return try project(projection, try run(child), node)
        case .filter(let child, let predicate):
            return try filter(predicate, try run(child), node, columns: nil)
        case .sort(let child, let keys, let limit):
            if case .filter(let input, let predicate) = child.op {
                return try filteredSort(keys, limit: limit, predicate, try run(input), filter: child, node)
            }
            return try sort(keys, limit: limit, try run(child), node)
        case .take(let child, let range):
            return take(range, try run(child))
        case .aggregate(let child, let keys, let values):
            return try aggregate(keys: keys, values: values, try run(child), node)
        case .join(let left, let right, let spec):
            return try join(spec, left, right, node, columns: nil)
        case .setOperation(let child, let other, let spec):
            return try setOperation(spec, try run(child), try run(other), node)
        case .append(let child, let other):
            var right = try run(other)
            right.order = []
            return try union([try run(child), right], node)
        case .loop(let child, let body):
            return try loop(body, try run(child), node)
        case .groupApply(let child, let keys, let body):
            return try groupApply(keys: keys, body: body, try run(child), node)
        case .inMemory(let child, let transform):
            return try inMemory(transform, try run(child), node)
        case .deferred(let child, let deferred):
            let relation = try run(child)
            var context = deferred.context
            context.relationArguments = [:]
            let resolver = Resolver(context)
            let rows = resolver.node(.input, PlanSchema(table: relation.table, qualifier: nil).withQualifiers(relation.qualifiers),
                                     node.span)
            guard let rest = try resolver.resolveSteps(deferred.steps, input: rows) else { return relation }
            var inner = self
            inner.input = relation
            return try inner.run(rest)
        case .remote(let query):
            let table: Table
            do {
                table = try query.connection.query(query.sql, names: node.schema.names, types: node.schema.types, cancel: cancel)
            } catch let e as TallyError {
                throw located(e, node, node.span)
            }
            return Relation(table: table, qualifiers: node.schema.qualifiers)
        case .materialize(let child, let name, let lazy):
            let relation = try run(child)
            let table = Table(uncheckedNames: node.schema.names, columns: relation.table.columns, rowCount: relation.table.rowCount)
            keep(name, table, lazy)
            return Relation(table: table, qualifiers: node.schema.qualifiers)
        }
    }

    /// A file's full load must agree with the schema its sample gave; when it does not (a column
    /// sampled as numbers holds text further down), the statement is resolved again.
    private func checkSchema(_ table: Table, _ node: PlanNode, name: String) throws {
        guard node.schema.matchesTypes(table) else { throw SchemaChanged(table: name) }
    }

    // MARK: - Operators

    private func keep(_ columns: [Int], of child: PlanNode, _ node: PlanNode) throws -> Relation {
        // Operators that copy rows copy only the columns kept.
        switch child.op {
        case .filter(let input, var predicate):
            if case .join(let left, let right, let spec) = input.op {
                // The join copies only what the filter reads and the pick keeps.
                let wanted = Set(columns).union(predicate.condition.columnsUsed).sorted()
                var position: [Int: Int] = [:]
                for (k, c) in wanted.enumerated() { position[c] = k }
                predicate.condition = predicate.condition.remapColumns { position[$0] ?? $0 }
                let joined = try join(spec, left, right, input, columns: wanted)
                return try filter(predicate, joined, child, columns: columns.compactMap { position[$0] })
            }
            return try filter(predicate, try run(input), child, columns: columns)
        case .join(let left, let right, let spec):
            return try join(spec, left, right, child, columns: columns)
        default:
            let relation = try run(child)
            var out = Relation(table: Table(uncheckedNames: columns.map { relation.table.names[$0] },
                                            columns: columns.map { relation.table.columns[$0] }, rowCount: relation.table.rowCount),
                               qualifiers: columns.map { relation.qualifiers[$0] })
            out.order = relation.order
            return out
        }
    }

    func project(_ projection: Projection, _ relation: Relation, _ node: PlanNode, grouping: Evaluator.Grouping = .whole,
                 partitions: [Int]? = nil) throws -> Relation {
        var working = relation.table
        var workingQualifiers = relation.qualifiers
        var computed: [Column] = []
        for field in projection.fields {
            let column: Column
            do {
                column = try Evaluator(table: working, grouping: grouping, source: node.source, order: relation.order,
                                       frame: projection.frame, partitions: partitions)
                    .evaluate(field.expr)
                    .materialize(count: relation.table.rowCount)
            } catch let e as TallyError {
                throw located(e, node, field.span)
            }
            computed.append(column)
            var names = working.names, columns = working.columns
            if let existing = names.firstIndex(of: field.name) {
                columns[existing] = column
                workingQualifiers[existing] = field.qualifier
            } else {
                names.append(field.name); columns.append(column); workingQualifiers.append(field.qualifier)
            }
            working = Table(uncheckedNames: names, columns: columns, rowCount: relation.table.rowCount)
        }
        var result: Relation
        if projection.replace {
            result = Relation(table: Table(uncheckedNames: node.schema.names, columns: projection.selected.map { computed[$0] },
                                           rowCount: relation.table.rowCount), qualifiers: node.schema.qualifiers)
        } else {
            result = Relation(table: Table(uncheckedNames: node.schema.names, columns: working.columns, rowCount: relation.table.rowCount),
                              qualifiers: node.schema.qualifiers)
        }
        result.order = relation.order
        return result
    }

    /// The rows where `predicate` holds; `columns`, when given, are the only ones copied.
    func filter(_ predicate: Predicate, _ relation: Relation, _ node: PlanNode, columns: [Int]?,
                grouping: Evaluator.Grouping = .whole) throws -> Relation {
        let keepRows: [Int]?
        do {
            let evaluator = Evaluator(table: relation.table, grouping: grouping, source: node.source, order: relation.order,
                                      frame: predicate.frame)
            keepRows = try evaluator.keptRows(predicate.condition)
        } catch let e as TallyError {
            throw located(e, node, predicate.span)
        }
        let kept = columns ?? Array(relation.table.names.indices)
        if keepRows == nil, columns == nil { return relation }
        let rows = keepRows ?? Array(0..<relation.table.rowCount)
        let table = Table(uncheckedNames: kept.map { relation.table.names[$0] },
                          columns: Parallel.map(kept.count) { relation.table.columns[kept[$0]].gather(rows) }, rowCount: rows.count)
        var filtered = Relation(table: table, qualifiers: kept.map { relation.qualifiers[$0] })
        filtered.order = relation.order.map { SortPermutation.Key(column: $0.column.gather(rows), descending: $0.descending) }
        return filtered
    }

    /// The rows where a condition is true (null counts as false); nil when every row is kept.
    static func rows(where result: Vector, count: Int) -> [Int]? {
        switch result {
        case .constant(.bool(true), _): return nil
        case .constant: return []
        case .column(let c):
            guard case .bool(let flags) = c.values else { return [] }
            if c.validity != nil {
                var keep: [Int] = []
                keep.reserveCapacity(flags.count / 2)
                flags.withUnsafeBufferPointer { flags in
                    for i in 0..<flags.count where flags[i] && !c.isNull(i) { keep.append(i) }
                }
                return keep
            }
            // Count, then fill without a branch per row: a filter keeping rows at random
            // mispredicts about half the time otherwise. The slot past the last kept row takes
            // the writes of rejected rows after it.
            // Flags are read as bytes (a Bool is stored as 0 or 1) so that the count vectorizes.
            return flags.withUnsafeBytes { flags -> [Int] in
                var kept = 0
                for i in 0..<flags.count { kept &+= Int(flags[i]) }
                if kept == flags.count { return Array(0..<flags.count) }
                return [Int](unsafeUninitializedCapacity: kept + 1) { buffer, initialized in
                    var n = 0
                    for i in 0..<flags.count {
                        buffer[n] = i
                        n &+= Int(flags[i])
                    }
                    initialized = kept
                }
            }
        }
    }

    /// The sort keys' values, row by row over `table`.
    func sortKeys(_ keys: [SortKey], _ table: Table, _ node: PlanNode) throws -> [SortPermutation.Key] {
        let evaluator = Evaluator(table: table, grouping: .whole, source: node.source)
        return try keys.map { key in
            do {
                return .init(column: try evaluator.evaluate(key.expr).materialize(count: table.rowCount), descending: key.descending)
            } catch let e as TallyError {
                throw located(e, node, key.span)
            }
        }
    }

    func sort(_ keys: [SortKey], limit: Int?, _ relation: Relation, _ node: PlanNode) throws -> Relation {
        let columns = try sortKeys(keys, relation.table, node)
        let order = SortPermutation.compute(columns, rowCount: relation.table.rowCount, limit: limit)
        var result = Relation(table: relation.table.gather(order), qualifiers: relation.qualifiers)
        result.order = columns.map { .init(column: $0.column.gather(order), descending: $0.descending) }
        return result
    }

    /// `filter | sort` (and `| take`, folded into the sort): the filter's kept rows are listed
    /// but not copied; only the columns the sort keys read are gathered for them, and every column
    /// is gathered once, in sorted order, for the rows the sort keeps. A `take 10` after a filter
    /// that keeps a million rows copies ten rows of each column, not a million.
    func filteredSort(_ keys: [SortKey], limit: Int?, _ predicate: Predicate, _ relation: Relation, filter: PlanNode,
                      _ node: PlanNode) throws -> Relation {
        let kept: [Int]?
        do {
            kept = try Evaluator(table: relation.table, grouping: .whole, source: filter.source, order: relation.order,
                                 frame: predicate.frame).keptRows(predicate.condition)
        } catch let e as TallyError {
            throw located(e, filter, predicate.span)
        }
        guard let rows = kept else { return try sort(keys, limit: limit, relation, node) }
        // The sort keys over the kept rows, reading a table of just the columns they use.
        let used = keys.reduce(Set<Int>()) { $0.union($1.expr.columnsUsed) }.sorted()
        var position: [Int: Int] = [:]
        for (k, c) in used.enumerated() { position[c] = k }
        let narrow = Table(uncheckedNames: used.map { relation.table.names[$0] },
                           columns: Parallel.map(used.count) { relation.table.columns[used[$0]].gather(rows) }, rowCount: rows.count)
        var narrowKeys = keys
        for k in narrowKeys.indices { narrowKeys[k].expr = keys[k].expr.remapColumns { position[$0] ?? $0 } }
        let columns = try sortKeys(narrowKeys, narrow, node)
        let order = SortPermutation.compute(columns, rowCount: rows.count, limit: limit)
        let picked = order.map { rows[$0] }
        var result = Relation(table: relation.table.gather(picked), qualifiers: relation.qualifiers)
        result.order = columns.map { .init(column: $0.column.gather(order), descending: $0.descending) }
        return result
    }

    func take(_ range: TakeRange, _ relation: Relation) -> Relation {
        let n = relation.table.rowCount
        let lower = min(n, max(0, range.start))
        let rows = lower..<max(lower, min(n, range.end ?? n))
        var result = Relation(table: relation.table.gather(Array(rows)), qualifiers: relation.qualifiers)
        result.order = relation.order.map { .init(column: $0.column.slice(rows), descending: $0.descending) }
        return result
    }

    /// Group keys, one value per row.
    func keyColumns(_ keys: [NamedExpr], _ relation: Relation, _ node: PlanNode) throws -> [Column] {
        let rowLevel = Evaluator(table: relation.table, grouping: .whole, source: node.source)
        return try keys.map { key in
            do {
                return try rowLevel.evaluate(key.expr).materialize(count: relation.table.rowCount)
            } catch let e as TallyError {
                throw located(e, node, key.span)
            }
        }
    }

    func aggregate(keys: [NamedExpr], values: [NamedExpr], _ relation: Relation, _ node: PlanNode) throws -> Relation {
        let n = relation.table.rowCount
        let keyColumns = try self.keyColumns(keys, relation, node)
        let ids: [Int32], count: Int, firstRows: [Int]
        if keys.isEmpty {
            // One group of every row: no ids at all, so kernels take their ungrouped paths.
            (ids, count, firstRows) = ([], 1, [])
        } else {
            (ids, count, firstRows) = GroupIDs.compute(keyColumns, rowCount: n)
        }
        try cancel.checkpoint()
        let evaluator = Evaluator(table: relation.table, grouping: .groups(ids: ids, count: count), source: node.source)
        var columns = keyColumns.map { $0.gather(firstRows) }
        for value in values {
            do {
                columns.append(try evaluator.evaluate(value.expr).materialize(count: count))
            } catch let e as TallyError {
                throw located(e, node, value.span)
            }
        }
        return Relation(table: Table(uncheckedNames: node.schema.names, columns: columns, rowCount: count),
                        qualifiers: node.schema.qualifiers)
    }

    /// Rows of several relations one after another, each column converted to the node's type.
    func union(_ parts: [Relation], _ node: PlanNode) throws -> Relation {
        var columns: [Column] = []
        for c in 0..<node.schema.count {
            let type = node.schema.types[c]
            let converted = try parts.map { part -> Column in
                let column = part.table.columns[c]
                if column.type == type { return column }
                if column.nullCount == column.count { return Scalar.null.column(count: column.count, type: type) }
                do {
                    return try Casts.cast(.column(column), to: type, rowCount: column.count).materialize(count: column.count)
                } catch let e as TallyError {
                    throw located(e, node, node.span)
                }
            }
            columns.append(Column.concat(converted, type: type))
        }
        let total = parts.reduce(0) { $0 + $1.table.rowCount }
        return Relation(table: Table(uncheckedNames: node.schema.names, columns: columns, rowCount: total),
                        qualifiers: node.schema.qualifiers)
    }

    /// The input, then the body over the previous iteration's rows, until an iteration gives none
    /// (SQL's WITH RECURSIVE … UNION ALL).
    func loop(_ body: PlanNode, _ relation: Relation, _ node: PlanNode) throws -> Relation {
        var parts = [relation]
        var current = relation
        current.order = []
        var iterations = 0
        while current.table.rowCount > 0 {
            iterations += 1
            guard iterations <= QueryRunner.loopLimit else {
                throw error(node, .runtime, "`loop` still made new rows after \(QueryRunner.loopLimit) iterations",
                            hint: "the body must eventually give no rows, e.g. `filter n < 10` before `select {n = n + 1}`")
            }
            try cancel.checkpoint()
            if let budget, budget.isExceeded() {
                throw located(budget.exceeded(), node, node.span)
            }
            var inner = self
            inner.input = try converted(current, to: node.schema, node)
            let next = try inner.run(body)
            current = Relation(table: Table(uncheckedNames: relation.table.names, columns: next.table.columns,
                                            rowCount: next.table.rowCount), qualifiers: relation.qualifiers)
            parts.append(current)
        }
        return try union(parts, node)
    }

    /// A relation with its columns in the types of `schema` (a loop's rows, in the types every
    /// iteration shares).
    private func converted(_ relation: Relation, to schema: PlanSchema, _ node: PlanNode) throws -> Relation {
        guard relation.table.columns.map(\.type) != schema.types else { return relation }
        var part = try union([relation], node)
        part.qualifiers = relation.qualifiers
        return part
    }

    func inMemory(_ transform: InMemoryTransform, _ relation: Relation, _ node: PlanNode) throws -> Relation {
        let runner = QueryRunner(source: node.source, environment: transform.environment, cancel: cancel)
        switch transform.kind {
        case .pivot: return try runner.pivot(transform.arguments, transform.step, relation)
        case .unpivot: return try runner.unpivot(transform.arguments, transform.step, relation)
        case .describe: return try runner.describe(relation)
        }
    }
}

/// A file's rows turned out to have other columns or types than the schema the statement was
/// resolved with; the session resolves it again.
struct SchemaChanged: Error {
    var table: String
}

extension PlanSchema {
    /// Whether `table` has these names and types (qualifiers aside).
    func matchesTypes(_ table: Table) -> Bool {
        guard table.names == names else { return false }
        for (i, column) in table.columns.enumerated() {
            if column.type != types[i] { return false }
            // A column sampled as all nulls that holds values further down binds differently.
            if nullTyped.contains(i) && !column.isNullTyped && column.count > 0 { return false }
        }
        return true
    }

    func withQualifiers(_ qualifiers: [String?]) -> PlanSchema {
        var copy = self
        copy.qualifiers = qualifiers
        return copy
    }
}
