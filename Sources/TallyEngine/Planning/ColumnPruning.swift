/// Which columns the rest of a pipeline can still use, so that a join gathers only those.
///
/// A join copies every column of both sides into its result, row by row; when the pipeline soon
/// ends in a step that lists its columns (`select {…}`, `aggregate`, `group … (aggregate …)`), any
/// column no step up to there names can never reach the result, and copying it is wasted work
/// (for a 10M-row join to `counties`, most of the join's time). The analysis is by name and
/// conservative: a column is kept if its name appears anywhere in those steps, as a column or
/// as a relation alias, or in any `let` function (whose body may read columns by name); `*`
/// anywhere keeps everything.
enum ColumnPruning {
    /// Names the steps after a join may refer to, or nil when every column must be kept.
    static func namesNeeded(after steps: ArraySlice<Expr>, functions: [Expr]) -> Set<String>? {
        var names = Set<String>()
        var wildcard = false
        func walk(_ e: Expr) {
            switch e.kind {
            case .ident(let path):
                if path.contains("*") { wildcard = true }
                names.formUnion(path)
            case .literal, .param: break
            case .fString(let parts), .sString(let parts):
                for case .expr(let x) in parts { walk(x) }
            case .range(let a, let b): a.map(walk); b.map(walk)
            case .tuple(let items), .array(let items), .pipeline(let items): items.forEach(walk)
            case .assign(_, let value): walk(value)
            case .unary(_, let x): walk(x)
            case .binary(_, let a, let b): walk(a); walk(b)
            case .call(let callee, let args): walk(callee); args.forEach { walk($0.value) }
            case .caseExpr(let arms): arms.forEach { walk($0.condition); walk($0.value) }
            case .lambda(let params, let body): params.forEach { $0.defaultValue.map(walk) }; walk(body)
            }
        }
        functions.forEach(walk)
        for step in steps {
            walk(step)
            if wildcard { return nil }
            if closes(step) { return names }
        }
        return nil
    }

    /// Whether a step's output holds only the columns it names.
    static func closes(_ step: Expr) -> Bool {
        guard case .call(let callee, let args) = step.kind, case .ident(let path) = callee.kind, path.count == 1 else {
            return false
        }
        let positional = args.filter { $0.name == nil }.map(\.value)
        switch path[0] {
        case "select":
            if let first = positional.first, case .unary(.not, _) = first.kind { return false }
            return true
        case "aggregate":
            return true
        case "group":
            guard positional.count == 2 else { return false }
            let body = positional[1]
            let inner: [Expr]
            if case .pipeline(let s) = body.kind { inner = s } else { inner = [body] }
            guard inner.count == 1, case .call(let c, _) = inner[0].kind, case .ident(let p) = c.kind else { return false }
            return p == ["aggregate"]
        default:
            return false
        }
    }
}
