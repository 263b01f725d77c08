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

    /// Runs the user function `name` as a step on `relation`. Its required parameters take the
    /// positional arguments in order; when one is left over, it is the relation piped in.
    func applyFunction(_ name: String, _ args: [CallArgument], _ step: Expr, to relation: Relation) throws -> Relation {
        guard let function = environment.functions[name] else { throw error(.name, "unknown function `\(name)`", step.span) }
        let positional = args.filter { $0.name == nil }.map(\.value)
        let named = args.filter { $0.name != nil }
        let required = function.params.filter { $0.defaultValue == nil }
        guard positional.count == required.count || positional.count + 1 == required.count else {
            throw error(.type, "`\(name)` takes \(required.count) argument\(required.count == 1 ? "" : "s"), got \(positional.count)",
                        step.span, hint: Binder.describeParameters(function.params, of: name))
        }
        for arg in named where !function.params.contains(where: { $0.name == arg.name && $0.defaultValue != nil }) {
            throw error(.type, "`\(name)` has no named parameter `\(arg.name ?? "")`", arg.span,
                        hint: Binder.describeParameters(function.params, of: name))
        }
        let steps: [Expr]
        if case .pipeline(let s) = function.body.kind { steps = s } else { steps = [function.body] }
        let startsItsOwn: Bool = {
            guard let first = steps.first else { return false }
            if case .array = first.kind { return true }
            guard let (head, _) = transform(first) else { return false }
            return head == "from" || QueryRunner.sourceFunctions.contains(head)
        }()
        // A parameter left over is the relation piped in, which only a body that starts from a
        // relation of its own (`from t = _param.rel`) can take.
        if positional.count < required.count, !startsItsOwn, let missing = required.last {
            throw error(.type, "`\(name)` needs a value for `\(missing.name)`", step.span,
                        hint: Binder.describeParameters(function.params, of: name))
        }
        var inner = environment
        var relations = relationArguments
        var index = 0
        for param in function.params {
            if let arg = named.first(where: { $0.name == param.name }) {
                inner.arguments[param.name] = .expression(arg.value, source: source, environment: environment)
            } else if let value = param.defaultValue {
                inner.arguments[param.name] = .expression(value, source: function.source, environment: environment)
            } else if index < positional.count {
                inner.arguments[param.name] = .expression(positional[index], source: source, environment: environment)
                index += 1
            } else {
                relations[param.name] = relation
            }
        }
        var body = QueryRunner(source: function.source, environment: inner, resolveTable: resolveTable,
                               tableNames: tableNames, cancel: cancel)
        body.relationArguments = relations
        guard let result = try body.runSteps(steps, input: startsItsOwn ? nil : relation) else {
            throw error(.type, "`\(name)` gives no relation", step.span)
        }
        return result
    }
}
