/// `join`, and the set operations PRQL's standard library builds on it (`intersect`, `remove`).
extension QueryRunner {
    /// `join side:left c = counties (==county_code)`.
    ///
    /// The result has the left side's columns, then the right side's, each keeping the alias of its
    /// relation, so `aid.county_code` and `c.county_code` both stay reachable (a bare name both
    /// sides have is ambiguous, as in prqlc). Rows keep the left side's order.
    ///
    /// `needed`, when known, names the only columns later steps can use (`ColumnPruning`); the
    /// others are left out of the result instead of being copied.
    func join(_ args: [CallArgument], _ step: Expr, _ left: Relation, needed: Set<String>? = nil) throws -> Relation {
        var side = HashJoin.Side.inner
        for arg in args where arg.name != nil {
            guard arg.name == "side" else {
                throw error(.parse, "`join` has no option `\(arg.name ?? "")`", arg.span, hint: "`side:inner|left|right|full`")
            }
            guard case .ident(let path) = arg.value.kind, path.count == 1, let s = HashJoin.Side(rawValue: path[0]) else {
                throw error(.parse, "`side` is one of inner, left, right, full", arg.value.span,
                            hint: "e.g. `join side:left c = counties (==county_code)`")
            }
            side = s
        }
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 2 else {
            throw error(.parse, "`join` takes a relation and a condition", step.span,
                        hint: "e.g. `join c = counties (==county_code)` or `join s (this.id == that.sid)`")
        }
        let right = try relationArgument(positional[0])
        let leftCount = left.table.columnCount
        var scope = Scope(names: left.table.names + right.table.names,
                          types: left.table.columns.map(\.type) + right.table.columns.map(\.type),
                          qualifiers: left.qualifiers + right.qualifiers)
        scope.leftCount = leftCount
        let condition = try Binder(scope: scope, source: source, environment: environment).bind(positional[1])
        guard condition.type == .bool || condition.isNullConstant else {
            throw error(.type, "a join condition must be true or false, not \(condition.type)", positional[1].span,
                        hint: "e.g. `(==county_code)` or `(this.code == that.code)`; `true` joins every pair")
        }
        if condition.containsAggregate || condition.containsWindow {
            throw error(.type, "a join condition cannot use aggregates or window functions", positional[1].span)
        }
        let plan = JoinCondition(condition, leftCount: leftCount)
        let pairs: HashJoin.Pairs
        do {
            let candidates: HashJoin.Pairs
            if plan.keys.isEmpty {
                candidates = try HashJoin.allPairs(leftCount: left.table.rowCount, rightCount: right.table.rowCount,
                                                   cancel: cancel)
            } else {
                let leftEval = Evaluator(table: left.table, grouping: .whole, source: source)
                let rightEval = Evaluator(table: right.table, grouping: .whole, source: source)
                var keys: [(left: Column, right: Column)] = []
                for (l, r) in plan.keys {
                    // Both sides of a key compare in one type: int with float as float, date with timestamp as timestamp.
                    let type = try Binder.commonType(l.type, r.type) ?? l.type
                    keys.append((try leftEval.evaluate(Binder.retype(l, type)).materialize(count: left.table.rowCount),
                                 try rightEval.evaluate(Binder.retype(r, type)).materialize(count: right.table.rowCount)))
                }
                let ids = HashJoin.keyIDs(keys)
                if plan.residual == nil {
                    // Equality alone decides: the null rows of an outer join are added as the pairs are made.
                    var direct = try HashJoin.matches(ids, keepUnmatchedLeft: side == .left || side == .full)
                    if side == .right || side == .full {
                        let tail = HashJoin.unmatchedRight(ids)
                        direct.left += tail.left
                        direct.right += tail.right
                    }
                    return try joined(left, right, scope, pairs: direct, side: side, needed: needed)
                }
                candidates = try HashJoin.matches(ids)
            }
            var keep: [Bool]?
            if let residual = plan.residual {
                let combined = Table(uncheckedNames: scope.names,
                                     columns: left.table.columns.map { $0.gather(nullable: candidates.left) }
                                        + right.table.columns.map { $0.gather(nullable: candidates.right) },
                                     rowCount: candidates.count)
                try cancel.checkpoint()
                let mask = try Evaluator(table: combined, grouping: .whole, source: source).evaluate(residual)
                keep = QueryRunner.truth(mask, count: candidates.count)
            }
            try cancel.checkpoint()
            pairs = HashJoin.finish(candidates, keep: keep, side: side,
                                    leftCount: left.table.rowCount, rightCount: right.table.rowCount)
        } catch var e as TallyError {
            if e.span == nil { e.source = source; e.span = step.span }
            throw e
        }
        return try joined(left, right, scope, pairs: pairs, side: side, needed: needed)
    }

    /// The join's result from its row pairs: the kept columns of both sides, gathered in parallel.
    private func joined(_ left: Relation, _ right: Relation, _ scope: Scope, pairs: HashJoin.Pairs,
                        side: HashJoin.Side, needed: Set<String>?) throws -> Relation {
        let leftCount = left.table.columnCount
        let sameLeftRows = QueryRunner.isIdentity(pairs.left, count: left.table.rowCount)
        let kept = scope.names.indices.filter { c in
            needed.map { $0.contains(scope.names[c]) } ?? true
        }
        let columns = Parallel.map(kept.count) { k -> Column in
            let c = kept[k]
            if c < leftCount {
                return sameLeftRows ? left.table.columns[c] : left.table.columns[c].gather(nullable: pairs.left)
            }
            return right.table.columns[c - leftCount].gather(nullable: pairs.right)
        }
        var result = Relation(table: Table(uncheckedNames: kept.map { scope.names[$0] }, columns: columns, rowCount: pairs.count),
                              qualifiers: kept.map { scope.qualifiers[$0] })
        if side == .inner || side == .left {
            result.order = left.order.map { .init(column: $0.column.gather(nullable: pairs.left), descending: $0.descending) }
        }
        return result
    }

    /// Rows of the input that equal (`intersect`) or equal no (`remove`) row of another relation,
    /// column by column in position; as PRQL's standard library defines them, through a join
    /// (so `intersect` repeats a row for each equal row on the other side) where nulls never match.
    func setOperation(_ name: String, _ args: [CallArgument], _ step: Expr, _ input: Relation) throws -> Relation {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1 else {
            throw error(.parse, "`\(name)` takes one relation", step.span, hint: "e.g. `\(name) (from b | select {id})`")
        }
        let other = try relationArgument(positional[0])
        guard other.table.columnCount == input.table.columnCount else {
            throw error(.type, "`\(name)` needs relations with the same number of columns: \(input.table.columnCount) and \(other.table.columnCount)",
                        positional[0].span, hint: "select matching columns on both sides")
        }
        var keys: [(left: Column, right: Column)] = []
        for c in 0..<input.table.columnCount {
            let a = input.table.columns[c], b = other.table.columns[c]
            guard let type = try Binder.commonType(a.type, b.type) else {
                throw error(.type, "`\(name)`: column \(c + 1) is \(a.type) on one side and \(b.type) on the other", positional[0].span,
                            hint: "convert with `as`, e.g. `derive {x = x | as text}`")
            }
            keys.append((try Casts.cast(.column(a), to: type, rowCount: a.count).materialize(count: a.count),
                         try Casts.cast(.column(b), to: type, rowCount: b.count).materialize(count: b.count)))
        }
        let pairs = try HashJoin.matches(HashJoin.keyIDs(keys))
        var rows: [Int32]
        if name == "intersect" {
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

    /// A relation given as an argument: `counties`, `c = counties`, `(from … | …)`, a literal.
    func relationArgument(_ expr: Expr) throws -> Relation {
        var alias: String?
        var target = expr
        if case .assign(let name, let value) = expr.kind {
            alias = name
            target = value
        }
        var relation: Relation
        switch target.kind {
        case .ident(let path):
            return try namedRelation(path, alias: alias, span: target.span)
        case .pipeline:
            relation = try run(target)
        case .call:
            relation = try run(Expr(.pipeline([target]), span: target.span))
        case .array:
            relation = try run(Expr(.pipeline([target]), span: target.span))
        default:
            throw error(.parse, "expected a relation: a table name or a pipeline in parentheses", target.span,
                        hint: "e.g. `counties` or `(from counties | filter key_county)`")
        }
        if let alias { relation.qualifiers = relation.qualifiers.map { _ in alias } }
        relation.order = []
        return relation
    }

    /// Where a condition's value is true (null counts as false).
    static func truth(_ v: Vector, count: Int) -> [Bool] {
        switch v {
        case .constant(.bool(let b), _): return [Bool](repeating: b, count: count)
        case .constant: return [Bool](repeating: false, count: count)
        case .column(let c):
            guard case .bool(let flags) = c.values else { return [Bool](repeating: false, count: count) }
            if c.validity == nil { return flags }
            return (0..<count).map { flags[$0] && !c.isNull($0) }
        }
    }

    /// Whether `rows` is exactly 0, 1, …, count-1 (an inner join that matched every left row once),
    /// so the left columns can be reused as they are.
    static func isIdentity(_ rows: [Int32], count: Int) -> Bool {
        guard rows.count == count else { return false }
        return rows.withUnsafeBufferPointer { r in
            for i in 0..<count where Int(r[i]) != i { return false }
            return true
        }
    }
}
