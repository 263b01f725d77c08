/// `join`, `intersect` and `remove` over their resolved conditions.
extension Executor {
    /// The hash join of the two sides: equality terms of the condition are hash keys, each side's
    /// evaluated over its own table; the rest is tested on the candidate pairs. Rows keep the left
    /// side's order. `columns`, when given, are the only output columns copied.
    func join(_ spec: JoinSpec, _ leftNode: PlanNode, _ rightNode: PlanNode, _ node: PlanNode, columns: [Int]?) throws -> Relation {
        let left = try run(leftNode)
        var right = try run(rightNode)
        right.order = []
        let leftCount = left.table.columnCount
        let condition = JoinCondition(spec.condition, leftCount: leftCount)
        let side = spec.side
        let pairs: HashJoin.Pairs
        // Each pair costs its two row numbers and a row of the output's columns.
        let rowBytes = 8 + node.schema.types.reduce(0) { $0 + $1.byteWidth }
        let limit = budget.map { budget in
            HashJoin.RowLimit(rows: budget.remaining() / max(1, rowBytes), exceeded: { rows in
                budget.exceeded(needing: rows.multipliedReportingOverflow(by: rowBytes).overflow ? Int.max : rows * rowBytes)
            }, afterRelease: { budget.remaining(wanting: Int.max) / max(1, rowBytes) })
        }
        do {
            let candidates: HashJoin.Pairs
            if condition.keys.isEmpty {
                candidates = try HashJoin.allPairs(leftCount: left.table.rowCount, rightCount: right.table.rowCount, cancel: cancel,
                                                    limit: limit)
            } else {
                let leftEval = Evaluator(table: left.table, grouping: .whole, source: node.source)
                let rightEval = Evaluator(table: right.table, grouping: .whole, source: node.source)
                var keys: [(left: Column, right: Column)] = []
                for (l, r) in condition.keys {
                    // Both sides of a key compare in one type: int with float as float, date with timestamp as timestamp.
                    let type = try Binder.commonType(l.type, r.type) ?? l.type
                    keys.append((try leftEval.evaluate(Binder.retype(l, type)).materialize(count: left.table.rowCount),
                                 try rightEval.evaluate(Binder.retype(r, type)).materialize(count: right.table.rowCount)))
                }
                let ids = HashJoin.keyIDs(keys)
                if condition.residual == nil {
                    // Equality alone decides: the null rows of an outer join are added as the pairs are made.
                    var direct = try HashJoin.matches(ids, keepUnmatchedLeft: side == .left || side == .full, limit: limit)
                    if side == .right || side == .full {
                        let tail = HashJoin.unmatchedRight(ids)
                        direct.left += tail.left
                        direct.right += tail.right
                    }
                    return joined(left, right, node, pairs: direct, side: side, columns: columns)
                }
                candidates = try HashJoin.matches(ids, limit: limit)
            }
            var keep: [Bool]?
            if let residual = condition.residual {
                let combined = Table(uncheckedNames: node.schema.names,
                                     columns: left.table.columns.map { $0.gather(nullable: candidates.left) }
                                        + right.table.columns.map { $0.gather(nullable: candidates.right) },
                                     rowCount: candidates.count)
                try cancel.checkpoint()
                let mask = try Evaluator(table: combined, grouping: .whole, source: node.source).evaluate(residual)
                keep = QueryRunner.truth(mask, count: candidates.count)
            }
            try cancel.checkpoint()
            pairs = HashJoin.finish(candidates, keep: keep, side: side,
                                    leftCount: left.table.rowCount, rightCount: right.table.rowCount)
        } catch let e as TallyError {
            throw located(e, node, node.span)
        }
        return joined(left, right, node, pairs: pairs, side: side, columns: columns)
    }

    /// The join's result from its row pairs: the kept columns of both sides, gathered in parallel.
    private func joined(_ left: Relation, _ right: Relation, _ node: PlanNode, pairs: HashJoin.Pairs,
                        side: HashJoin.Side, columns: [Int]?) -> Relation {
        let leftCount = left.table.columnCount
        let sameLeftRows = QueryRunner.isIdentity(pairs.left, count: left.table.rowCount)
        let kept = columns ?? Array(node.schema.names.indices)
        let gathered = Parallel.map(kept.count) { k -> Column in
            let c = kept[k]
            if c < leftCount {
                return sameLeftRows ? left.table.columns[c] : left.table.columns[c].gather(nullable: pairs.left)
            }
            return right.table.columns[c - leftCount].gather(nullable: pairs.right)
        }
        var result = Relation(table: Table(uncheckedNames: kept.map { node.schema.names[$0] }, columns: gathered, rowCount: pairs.count),
                              qualifiers: kept.map { node.schema.qualifiers[$0] })
        if side == .inner || side == .left {
            result.order = left.order.map { .init(column: $0.column.gather(nullable: pairs.left), descending: $0.descending) }
        }
        return result
    }

    /// Rows of the input that equal (`intersect`) or equal no (`remove`) row of the other relation,
    /// column by column in position; as PRQL's standard library defines them, through a join (so
    /// `intersect` repeats a row for each equal row on the other side) where nulls never match.
    func setOperation(_ spec: SetOperationSpec, _ input: Relation, _ other: Relation, _ node: PlanNode) throws -> Relation {
        var keys: [(left: Column, right: Column)] = []
        do {
            for c in 0..<input.table.columnCount {
                let a = input.table.columns[c], b = other.table.columns[c], type = spec.types[c]
                keys.append((try Casts.cast(.column(a), to: type, rowCount: a.count).materialize(count: a.count),
                             try Casts.cast(.column(b), to: type, rowCount: b.count).materialize(count: b.count)))
            }
        } catch let e as TallyError {
            throw located(e, node, node.span)
        }
        let pairs = try HashJoin.matches(HashJoin.keyIDs(keys))
        var rows: [Int32]
        if spec.intersect {
            rows = pairs.left
        } else {
            var matched = [Bool](repeating: false, count: input.table.rowCount)
            for l in pairs.left { matched[Int(l)] = true }
            rows = (0..<input.table.rowCount).filter { !matched[$0] }.map { Int32(truncatingIfNeeded: $0) }
        }
        var result = Relation(table: Table(uncheckedNames: input.table.names,
                                           columns: input.table.columns.map { $0.gather(nullable: rows) },
                                           rowCount: rows.count), qualifiers: input.qualifiers)
        result.order = input.order.map { .init(column: $0.column.gather(nullable: rows), descending: $0.descending) }
        return result
    }
}
