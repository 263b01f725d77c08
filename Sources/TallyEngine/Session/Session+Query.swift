/// Queries and declarations: parse, then run the pipeline against the catalog and the `let`s.
extension Session {
    func runQuery(_ text: String) throws -> StatementResult {
        let statement = try Parser.parse(statement: text)
        switch statement {
        case .command(let line):
            return try runCommandHere(CommandWords.parse(line))
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
                let (table, _) = try evaluate(Expr(.pipeline(steps), span: pipeline.span), text: text, chart: false)
                catalog.register(name: path[0], table: table, source: "let")
                return .none
            }
            let (table, chart) = try evaluate(pipeline, text: text)
            if let chart { return .chart(table, chart) }
            return .table(table)
        case .letDecl(let name, let value, _):
            switch value.kind {
            case .lambda(let params, let body):
                declarations.functions[name] = (params, body, text)
            case _ where QueryRunner.isTransformValue(value, functions: Set(declarations.functions.keys)):
                declarations.functions[name] = try Session.transformValue(value, functions: declarations.functions, text: text)
            case .pipeline:
                try Session.checkTableName(name)
                try declareRelation(name, value, text: text)
            case _ where Session.startsARelation(value):
                // `let t = from x`, `let t = (read_csv "f.csv")`: a pipeline of one step, as prqlc reads it.
                try Session.checkTableName(name)
                try declareRelation(name, Expr(.pipeline([value]), span: value.span), text: text)
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

    /// Whether a single step is a relation of its own: `from …` or a source function (`read_csv`).
    static func startsARelation(_ step: Expr) -> Bool {
        guard let (head, _) = QueryRunner.transform(step) else { return false }
        return head == "from" || QueryRunner.sourceFunctions.contains(head)
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
        Binder.Environment(parameters: parameterValues, scalars: declarations.scalars, functions: declarations.functions)
    }

    /// What a statement is resolved and run against, read once (under the session's lock) before
    /// it runs on its own thread.
    struct Snapshot {
        var environment: Binder.Environment
        var baseDirectory: String?
        var lastResult: Table?
        var cancellation: CancellationCheck
        var catalog: Catalog
        var budget: MemoryBudget
        var connections: [String: PostgresConnection] = [:]
    }

    var snapshot: Snapshot {
        let connections = self.connections
        return locked {
            Snapshot(environment: environment, baseDirectory: baseDirectory, lastResult: lastResult,
                     cancellation: cancellation, catalog: catalog, budget: memoryBudget, connections: connections)
        }
    }

    /// What the resolver needs to resolve `text` against this session's tables.
    /// `exact`: every table's schema from its full load (a sample's narrower type made a type
    /// error, which the true types may not).
    static func resolverContext(_ snapshot: Snapshot, _ text: String, exact: Bool = false) -> ResolverContext {
        let base = snapshot.baseDirectory, last = snapshot.lastResult, catalog = snapshot.catalog
        let cancel = snapshot.cancellation
        var context = ResolverContext(source: text, environment: snapshot.environment,
                                      lookup: { name in
                                          if name == "_" {
                                              return last.map { table in
                                                  .table(PlanSchema(table: table, qualifier: nil), TableFetch(provenance: table.provenance) { table })
                                              }
                                          }
                                          guard let entry = catalog.entry(name) else { return nil }
                                          if let table = entry.table {
                                              return .table(PlanSchema(table: table, qualifier: nil),
                                                            TableFetch(provenance: catalog.provenance(name)) { table })
                                          }
                                          if let lazy = entry.lazy { return .plan(lazy) }
                                          if let remote = entry.remote {
                                              return .table(remote.planSchema, TableFetch(remote: remote) { try remote.fetchAll(cancel: cancel) })
                                          }
                                          // A file registered under the name, loaded (once) where the plan runs.
                                          guard case .file(let path, let options) = entry.source else { return nil }
                                          let fetch = TableFetch(provenance: Provenance.of(path: path)) {
                                              try catalog.fileTable(name, path: path, options: options, cancel: cancel)
                                          }
                                          if exact { return .table(PlanSchema(table: try catalog.table(name, cancel: cancel), qualifier: nil), fetch) }
                                          return try catalog.schema(name, cancel: cancel).map { .table($0, fetch) }
                                      },
                                      tableNames: { catalog.names })
        context.resolvePath = { Session.resolve($0, from: base) }
        context.exact = exact
        context.connections = snapshot.connections
        context.cancel = cancel
        return context
    }

    /// The plan of a query: resolved from schemas, then rewritten.
    static func plan(_ snapshot: Snapshot, _ pipeline: Expr, text: String, chart: Bool = true) throws -> QueryPlan {
        var exact = false
        var plan: QueryPlan
        let first = resolverContext(snapshot, text)
        do {
            plan = try Resolver(first).resolveQuery(pipeline, chart: chart)
        } catch let e as TallyError where e.kind == .type && first.samples.used {
            // A column sampled as numbers may hold text further down: resolve against the loads.
            exact = true
            plan = try Resolver(resolverContext(snapshot, text, exact: true)).resolveQuery(pipeline, chart: chart)
        }
        let narrowings = ProjectionPushdown.narrowings(plan.root)
        if !narrowings.isEmpty {
            var context = resolverContext(snapshot, text, exact: exact)
            context.narrowings = narrowings
            plan = try Resolver(context).resolveQuery(pipeline, chart: chart)
        }
        plan.root = PlanRewriter.optimize(plan.root)
        plan.root = RemoteSplit.split(plan.root)
        return plan
    }

    /// The executor for the snapshot's tables.
    static func executor(_ snapshot: Snapshot) -> Executor {
        let catalog = snapshot.catalog
        var executor = Executor(cancel: snapshot.cancellation)
        executor.budget = snapshot.budget
        executor.keep = { name, table, lazy in catalog.keep(table, for: name, lazy: lazy) }
        return executor
    }

    /// Resolves and runs a query. When a file's full load finds other types than its sample (text
    /// far down a column of numbers), the query is resolved again against the loaded table.
    func evaluate(_ pipeline: Expr, text: String, chart: Bool = true) throws -> (Table, ChartSpec?) {
        let snapshot = self.snapshot
        return try LargeStack.run {
            var attempts = 0
            while true {
                let plan = try Session.plan(snapshot, pipeline, text: text, chart: chart)
                do {
                    let relation = try Session.executor(snapshot).run(plan.root)
                    return (try Session.resultTable(relation, plan, pipeline: pipeline, text: text), plan.chart)
                } catch is SchemaChanged where attempts < 2 {
                    attempts += 1
                }
            }
        }
    }

    /// `let name = (…)`: the relation is resolved now (so its errors show at once) and computed
    /// where it is first used, then kept.
    func declareRelation(_ name: String, _ pipeline: Expr, text: String) throws {
        let snapshot = self.snapshot
        let plan = try LargeStack.run { try Session.plan(snapshot, pipeline, text: text, chart: false) }
        var schema = plan.root.schema
        schema.names = plan.names
        schema.qualifiers = schema.qualifiers.map { _ in nil }
        guard !schema.dynamic else {
            // After `pivot` the columns are the data's: compute it now.
            let (table, _) = try evaluate(pipeline, text: text, chart: false)
            catalog.register(name: name, table: table, source: "let")
            return
        }
        let root = UncheckedSendable(plan.root)
        let lazy = LazyRelation(schema: schema, plan: plan.root) {
            try LargeStack.run {
                do {
                    let relation = try Session.executor(snapshot).run(root.value)
                    var table = Table(uncheckedNames: schema.names, columns: relation.table.columns, rowCount: relation.table.rowCount)
                    table.provenance = root.value.provenance
                    return table
                } catch let changed as SchemaChanged {
                    throw TallyError(.runtime, "`\(name)` was defined over `\(changed.table)`, whose columns have changed since",
                                     hint: "define `\(name)` again")
                }
            }
        }
        catalog.register(name: name, lazy: lazy)
    }

    /// The result under the names the plan gives it; after `pivot`, whose columns come from the
    /// data, the names are made the same way from the rows.
    /// It carries the provenance of the tables the plan read.
    static func resultTable(_ relation: Relation, _ plan: QueryPlan, pipeline: Expr, text: String) throws -> Table {
        var names = plan.names
        if plan.root.schema.dynamic || relation.table.columnCount != plan.names.count {
            var schema = PlanSchema(table: relation.table, qualifier: nil)
            schema.qualifiers = relation.qualifiers
            names = try Resolver.resultNames(schema, pipeline, source: text)
        }
        var table = Table(uncheckedNames: names, columns: relation.table.columns, rowCount: relation.table.rowCount)
        table.provenance = plan.root.provenance
        return table
    }
}

/// Scalars and functions bound with `let` in a session.
struct Declarations {
    var scalars: [String: Scalar] = [:]
    var functions: [String: (params: [LambdaParam], body: Expr, source: String)] = [:]
}
