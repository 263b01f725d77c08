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
            let (relation, chart) = try runner(text).runQuery(pipeline)
            if let chart { return .chart(relation.table, chart) }
            return .table(relation.table)
        case .letDecl(let name, let value, _):
            switch value.kind {
            case .lambda(let params, let body):
                declarations.functions[name] = (params, body, text)
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
