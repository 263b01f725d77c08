/// Functions that return transforms, as PRQL has them: `let top_n = n -> take n` used as a step
/// (`from invoices | top_n 10`), a pipeline of transforms as a value (`let tidy = (take 5 | derive
/// {k = 42})`), and functions on relations (`let distinct = rel -> (from t = _param.rel | group
/// {t.*} (take 1))`, then `from x | distinct`).
extension QueryRunner {
    /// The transforms the language has built in (a `let` cannot redefine one as a step).
    static let builtinTransforms: Set<String> = Set(Vocabulary.transforms.map(\.name))

    /// Whether `expr` is a transform, or a pipeline that starts with one: what a `let` stores as a
    /// function to apply later rather than a value to compute now.
    static func isTransformValue(_ expr: Expr, functions: Set<String>) -> Bool {
        var first = expr
        if case .pipeline(let steps) = expr.kind, let head = steps.first { first = head }
        let name: String
        switch first.kind {
        case .call(let callee, _):
            guard case .ident(let path) = callee.kind, path.count == 1 else { return false }
            name = path[0]
        case .ident(let path):
            guard path.count == 1 else { return false }
            name = path[0]
        default:
            return false
        }
        if name == "from" || sourceFunctions.contains(name) { return false }
        return builtinTransforms.contains(name) || functions.contains(name)
    }
}
