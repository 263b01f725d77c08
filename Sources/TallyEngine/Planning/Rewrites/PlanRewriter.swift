/// Rewrites of a resolved plan that keep its answer and make it cheaper: constants folded, filters
/// moved below the projections and into the join sides where that is legal.
enum PlanRewriter {
    static func optimize(_ root: PlanNode) -> PlanNode {
        merge(FilterPushdown.apply(ConstantFolding.apply(root)))
    }

    /// Two column picks in a row are one; so are two filters (the terms pushdown moved apart and
    /// that landed together), so the rows are tested in one pass and copied once.
    static func merge(_ root: PlanNode) -> PlanNode {
        bottomUp(root) { node in
            switch node.op {
            case .keep(let child, let outer):
                guard case .keep(let inner, let columns) = child.op else { return node }
                return rebuild(node, .keep(inner, outer.map { columns[$0] }))
            case .filter(let child, var outer):
                guard case .filter(let inner, let first) = child.op, first.frame == nil, outer.frame == nil else { return node }
                outer.condition = .binary(.and, first.condition, outer.condition, .bool)
                return rebuild(node, .filter(inner, outer))
            default:
                return node
            }
        }
    }

    /// The same node with other children (in the order of `children`) or another operator.
    static func rebuild(_ node: PlanNode, _ op: PlanOperator, schema: PlanSchema? = nil) -> PlanNode {
        PlanNode(id: node.id, op, schema: schema ?? node.schema, source: node.source, span: node.span)
    }

    /// Applies `transform` to every node, children first.
    static func bottomUp(_ node: PlanNode, _ transform: (PlanNode) -> PlanNode) -> PlanNode {
        func walk(_ node: PlanNode) -> PlanNode {
            let op: PlanOperator
            switch node.op {
            case .scan, .readFile, .values, .input, .remote: op = node.op
            case .alias(let c, let name): op = .alias(walk(c), name)
            case .keep(let c, let columns): op = .keep(walk(c), columns)
            case .project(let c, let p): op = .project(walk(c), p)
            case .filter(let c, let p): op = .filter(walk(c), p)
            case .sort(let c, let keys, let limit): op = .sort(walk(c), keys, limit: limit)
            case .take(let c, let range): op = .take(walk(c), range)
            case .aggregate(let c, let keys, let values): op = .aggregate(walk(c), keys: keys, values: values)
            case .join(let l, let r, let spec): op = .join(walk(l), walk(r), spec)
            case .setOperation(let a, let b, let spec): op = .setOperation(walk(a), walk(b), spec)
            case .append(let a, let b): op = .append(walk(a), walk(b))
            case .loop(let c, let body): op = .loop(walk(c), body: walk(body))
            case .groupApply(let c, let keys, let body): op = .groupApply(walk(c), keys: keys, body: walk(body))
            case .inMemory(let c, let t): op = .inMemory(walk(c), t)
            case .deferred(let c, let d): op = .deferred(walk(c), d)
            case .materialize(let c, let name, let lazy): op = .materialize(walk(c), name: name, lazy)
            }
            return transform(rebuild(node, op))
        }
        return walk(node)
    }
}

/// Expressions of constants computed once, when the plan is made: `filter year >= 2020 + 1`
/// compares with 2021, `derive k = 1 / 0` is null.
enum ConstantFolding {
    static func apply(_ root: PlanNode) -> PlanNode {
        PlanRewriter.bottomUp(root) { node in
            switch node.op {
            case .project(let c, var p):
                p.fields = p.fields.map { var f = $0; f.expr = fold(f.expr); return f }
                return PlanRewriter.rebuild(node, .project(c, p))
            case .filter(let c, var p):
                p.condition = fold(p.condition)
                return PlanRewriter.rebuild(node, .filter(c, p))
            case .sort(let c, let keys, let limit):
                return PlanRewriter.rebuild(node, .sort(c, keys.map { var k = $0; k.expr = fold(k.expr); return k }, limit: limit))
            case .aggregate(let c, let keys, let values):
                return PlanRewriter.rebuild(node, .aggregate(c, keys: keys.map { var k = $0; k.expr = fold(k.expr); return k },
                                                             values: values.map { var v = $0; v.expr = fold(v.expr); return v }))
            default:
                return node
            }
        }
    }

    /// The expression with every subexpression of constants replaced by its value.
    static func fold(_ e: BoundExpr) -> BoundExpr {
        let folded: BoundExpr
        switch e {
        case .column, .constant, .aggregate, .window: return e
        case .unary(let op, let x, let t): folded = .unary(op, fold(x), t)
        case .binary(let op, let a, let b, let t): folded = .binary(op, fold(a), fold(b), t)
        case .function(let f, let args, let t): folded = .function(f, args.map(fold), t)
        case .cast(let x, let t): folded = .cast(fold(x), t)
        case .caseWhen(let arms, let t): folded = .caseWhen(arms.map { (fold($0.0), fold($0.1)) }, t)
        case .inRange(let x, let a, let b): folded = .inRange(fold(x), a.map(fold), b.map(fold))
        case .inList(let x, let list): folded = .inList(fold(x), list.map(fold))
        case .isNull(let x, let negated): folded = .isNull(fold(x), negated: negated)
        case .format(let parts): folded = .format(parts.map(fold))
        case .sql(let text, let parts, let t): return .sql(text: text, parts: parts.map(fold), t)
        }
        guard folded.columnsUsed.isEmpty, !folded.containsAggregate, !folded.containsWindow,
              case .constant(let value, _)? = try? Evaluator(table: .empty, grouping: .whole, source: "").evaluate(folded)
        else { return folded }
        return .constant(value, e.type)
    }
}

/// Filters moved towards the data: below `derive`/`select` (when they read only columns passed
/// through), below `sort` and aliases, and into a join's side when the condition reads only that
/// side and the join keeps that side's rows as they are (either side of an inner join, the left
/// of a left join, the right of a right join).
enum FilterPushdown {
    static func apply(_ root: PlanNode) -> PlanNode {
        PlanRewriter.bottomUp(root) { node in
            guard case .filter(let child, let predicate) = node.op else { return node }
            return push(predicate, child, node)
        }
    }

    private static func movable(_ p: Predicate) -> Bool {
        p.frame == nil && !p.condition.containsAggregate && !p.condition.containsWindow
    }

    /// The filter `predicate` applied to `child`, as far down as it can go: each `&&` term on its own.
    static func push(_ predicate: Predicate, _ child: PlanNode, _ node: PlanNode) -> PlanNode {
        guard movable(predicate) else { return PlanRewriter.rebuild(node, .filter(child, predicate)) }
        let terms = JoinCondition.terms(predicate.condition)
        guard terms.count > 1 else { return pushTerm(predicate, child, node) }
        var current = child
        for term in terms {
            var one = predicate
            one.condition = term
            current = pushTerm(one, current, PlanRewriter.rebuild(node, .filter(current, one)))
        }
        return current
    }

    private static func pushTerm(_ predicate: Predicate, _ child: PlanNode, _ node: PlanNode) -> PlanNode {
        let stay = PlanRewriter.rebuild(node, .filter(child, predicate))
        let used = predicate.condition.columnsUsed
        func below(_ grandchild: PlanNode, _ condition: BoundExpr) -> PlanNode {
            var moved = predicate
            moved.condition = condition
            return push(moved, grandchild, PlanRewriter.rebuild(node, .filter(grandchild, moved), schema: grandchild.schema))
        }
        switch child.op {
        case .alias(let grandchild, let name):
            return PlanRewriter.rebuild(child, .alias(below(grandchild, predicate.condition), name))
        case .sort(let grandchild, let keys, let limit) where limit == nil:
            return PlanRewriter.rebuild(child, .sort(below(grandchild, predicate.condition), keys, limit: nil))
        case .keep(let grandchild, let columns):
            return PlanRewriter.rebuild(child, .keep(below(grandchild, predicate.condition.remapColumns { columns[$0] }), columns))
        case .project(let grandchild, let projection):
            guard projection.frame == nil, !projection.partitioned,
                  !projection.fields.contains(where: { $0.expr.containsAggregate || $0.expr.containsWindow }),
                  let map = passThrough(projection, input: grandchild.schema),
                  used.allSatisfy({ map[$0] != nil }) else { return stay }
            let condition = predicate.condition.remapColumns { map[$0] ?? $0 }
            return PlanRewriter.rebuild(child, .project(below(grandchild, condition), projection))
        case .join(let left, let right, let spec):
            let leftCount = left.schema.count
            if !used.isEmpty, used.allSatisfy({ $0 < leftCount }), spec.side == .inner || spec.side == .left {
                return PlanRewriter.rebuild(child, .join(below(left, predicate.condition), right, spec))
            }
            if !used.isEmpty, used.allSatisfy({ $0 >= leftCount }), spec.side == .inner || spec.side == .right {
                let condition = predicate.condition.remapColumns { $0 - leftCount }
                return PlanRewriter.rebuild(child, .join(left, below(right, condition), spec))
            }
            return stay
        default:
            return stay
        }
    }

    /// For each output column of a projection that is an input column unchanged, that input column.
    static func passThrough(_ projection: Projection, input: PlanSchema) -> [Int: Int]? {
        var fieldSource: [Int?] = []
        let replaced = projection.forEachField(over: input) { field, replaced in
            if case .column(let i, _) = field.expr, i < input.count, !replaced.contains(i) {
                fieldSource.append(i)
            } else {
                fieldSource.append(nil)
            }
        }
        var map: [Int: Int] = [:]
        if projection.replace {
            for (k, f) in projection.selected.enumerated() { if let i = fieldSource[f] { map[k] = i } }
        } else {
            for i in 0..<input.count where !replaced.contains(i) { map[i] = i }
        }
        return map
    }
}
