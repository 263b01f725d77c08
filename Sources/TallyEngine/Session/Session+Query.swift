/// Queries and declarations: parse, then run the pipeline against the catalog and the `let`s.
extension Session {
    func runQuery(_ text: String) throws -> StatementResult {
        let statement = try Parser.parse(statement: text)
        switch statement {
        case .command(let line):
            return try runCommand(CommandWords.parse(line))
        case .prqlHeader:
            return .none
        case .query(let pipeline):
            // `… | into name` binds the relation as `let name = (…)` does.
            if case .pipeline(var steps) = pipeline.kind, let last = steps.last,
               case .call(let callee, let args) = last.kind, callee.identPath == ["into"] {
                guard args.count == 1, args[0].name == nil, case .ident(let path) = args[0].value.kind, path.count == 1 else {
                    throw TallyError(.parse, "`into` takes one name", hint: "e.g. `from aid | take 50 | into first_50`",
                                     source: text, span: last.span)
                }
                steps.removeLast()
                try Session.checkTableName(path[0])
                let relation = try runner(text).runResult(Expr(.pipeline(steps), span: pipeline.span))
                catalog.register(name: path[0], table: relation.table, source: "let")
                return .none
            }
            let (relation, chart) = try runner(text).runQuery(pipeline)
            if let chart { return .chart(relation.table, chart) }
            return .table(relation.table)
        case .letDecl(let name, let value, _):
            switch value.kind {
            case .lambda(let params, let body):
                declarations.functions[name] = (params, body, text)
            case _ where QueryRunner.isTransformValue(value, functions: Set(declarations.functions.keys)):
                declarations.functions[name] = try Session.transformValue(value, functions: declarations.functions, text: text)
            case .pipeline:
                try Session.checkTableName(name)
                let relation = try runner(text).runResult(value)
                catalog.register(name: name, table: relation.table, source: "let")
            default:
                let binder = Binder(scope: Scope(names: [], types: [], qualifiers: []), source: text, environment: environment)
                let bound = try binder.bind(value)
                let result = try Evaluator(table: .empty, grouping: .whole, source: text).evaluate(bound)
                guard case .constant(let scalar, _) = result else {
                    throw TallyError(.type, "`let \(name)` needs a constant value or a pipeline in parentheses",
                                     source: text, span: value.span)
                }
                declarations.scalars[name] = scalar
            }
            return .none
        }
    }

    /// A transform kept as a function: `let tidy = (take 5 | derive {k = 42})` has no parameters;
    /// `let top_5 = top_n 5` applies `top_n` partly and keeps the parameters it still needs.
    static func transformValue(_ value: Expr, functions: [String: (params: [LambdaParam], body: Expr, source: String)],
                               text: String) throws -> (params: [LambdaParam], body: Expr, source: String) {
        guard case .call(let callee, let args) = value.kind, let name = callee.identPath?.first,
              callee.identPath?.count == 1, let function = functions[name] else {
            return ([], value, text)
        }
        let given = args.filter { $0.name == nil }.count
        let required = function.params.filter { $0.defaultValue == nil }
        guard given < required.count else { return ([], value, text) }
        // The parameters still missing become this function's own; the last of them may be the
        // relation piped in, as for the function it applies.
        let remaining = required.dropFirst(given)
        let params = remaining.map { LambdaParam(name: $0.name, span: value.span) }
        let passed = remaining.map { CallArgument(value: Expr(.ident([$0.name]), span: value.span)) }
        return (Array(params), Expr(.call(callee, args + passed), span: value.span), text)
    }

    var environment: Binder.Environment {
        Binder.Environment(parameters: parameters, scalars: declarations.scalars, functions: declarations.functions)
    }

    func runner(_ text: String) -> QueryRunner {
        var runner = QueryRunner(source: text, environment: environment,
                                 resolveTable: { [self] name in
                                     if name == "_" { return lastResult }
                                     return catalog.contains(name) ? try table(name) : nil
                                 },
                                 tableNames: { [self] in catalog.names },
                                 cancel: cancellation)
        let base = baseDirectory
        runner.resolvePath = { Session.resolve($0, from: base) }
        return runner
    }
}

/// Scalars and functions bound with `let` in a session.
struct Declarations {
    var scalars: [String: Scalar] = [:]
    var functions: [String: (params: [LambdaParam], body: Expr, source: String)] = [:]
}
