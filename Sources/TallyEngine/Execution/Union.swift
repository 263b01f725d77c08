/// `append` (union all, by column position) and `loop` (a recursive union).
extension QueryRunner {
    /// `append other`: the other relation's rows after these, column by column in position, under
    /// this relation's names (as SQL's UNION ALL that prqlc emits).
    func append(_ args: [CallArgument], _ step: Expr, _ relation: Relation) throws -> Relation {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1, args.count == 1 else {
            throw error(.parse, "`append` takes one relation", step.span, hint: "e.g. `append (from b | select {x, y})`")
        }
        let other = try relationArgument(positional[0])
        return try union([relation, other], at: positional[0].span)
    }

    /// Rows of `parts` one after another; each column takes the type its parts share.
    func union(_ parts: [Relation], at span: Range<Int>) throws -> Relation {
        guard let first = parts.first else { throw error(.runtime, "nothing to append", span) }
        var columns: [Column] = []
        for c in 0..<first.table.columnCount {
            var type = first.table.columns[c].type
            for part in parts.dropFirst() {
                guard part.table.columnCount == first.table.columnCount else {
                    throw error(.type, "appended relations need the same number of columns: \(first.table.columnCount) and \(part.table.columnCount)",
                                span, hint: "select the same columns on both sides, in the same order")
                }
                let other = part.table.columns[c]
                // An all-null column (e.g. a `null` literal) fits any type.
                if other.nullCount == other.count && other.count > 0 { continue }
                if first.table.columns[c].nullCount == first.table.rowCount && first.table.rowCount > 0 && type != other.type {
                    type = other.type
                    continue
                }
                guard let common = try Binder.commonType(type, other.type) else {
                    throw error(.type, "column \(c + 1) (`\(first.table.names[c])`) is \(type) on one side and \(other.type) on the other",
                                span, hint: "convert one side with `as`, e.g. `derive {\(first.table.names[c]) = \(first.table.names[c]) | as text}`")
                }
                type = common
            }
            let converted = try parts.map { part -> Column in
                let column = part.table.columns[c]
                if column.type == type { return column }
                if column.nullCount == column.count { return Scalar.null.column(count: column.count, type: type) }
                return try Casts.cast(.column(column), to: type, rowCount: column.count).materialize(count: column.count)
            }
            columns.append(Column.concat(converted, type: type))
        }
        let total = parts.reduce(0) { $0 + $1.table.rowCount }
        return Relation(table: Table(uncheckedNames: first.table.names, columns: columns, rowCount: total),
                        qualifiers: first.qualifiers)
    }

    /// Most iterations `loop` runs before it gives up.
    static let loopLimit = 10_000

    /// `loop (filter n < 10 | derive n = n + 1)`: the input, then the body applied to the input,
    /// then to that result, … until an iteration gives no rows (SQL's WITH RECURSIVE … UNION ALL).
    func loop(_ args: [CallArgument], _ step: Expr, _ relation: Relation) throws -> Relation {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1, args.count == 1 else {
            throw error(.parse, "`loop` takes one pipeline", step.span, hint: "e.g. `loop (filter n < 10 | select {n = n + 1})`")
        }
        let body = positional[0]
        let steps: [Expr]
        if case .pipeline(let s) = body.kind { steps = s } else { steps = [body] }
        var parts = [relation]
        var current = relation
        current.order = []
        var iterations = 0
        while current.table.rowCount > 0 {
            iterations += 1
            guard iterations <= QueryRunner.loopLimit else {
                throw error(.runtime, "`loop` still made new rows after \(QueryRunner.loopLimit) iterations", step.span,
                            hint: "the body must eventually give no rows, e.g. `filter n < 10` before `select {n = n + 1}`")
            }
            try cancel.checkpoint()
            guard var next = try runSteps(steps, input: current) else { break }
            guard next.table.columnCount == relation.table.columnCount else {
                throw error(.type, "the `loop` body must keep the \(relation.table.columnCount) columns of its input, it gives \(next.table.columnCount)",
                            body.span, hint: "end the body with `select {…}` listing the same columns")
            }
            next = Relation(table: Table(uncheckedNames: relation.table.names, columns: next.table.columns,
                                         rowCount: next.table.rowCount), qualifiers: relation.qualifiers)
            parts.append(next)
            current = next
        }
        return try union(parts, at: body.span)
    }
}
