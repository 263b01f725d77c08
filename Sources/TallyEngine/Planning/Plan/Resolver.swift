/// Turns a statement's pipeline into a logical plan, from schemas alone.
///
/// Each step is resolved against the schema the step before it gives: names become column positions,
/// calls become typed functions, every argument is checked. So a misspelt column in the last step
/// of a query over a ten-million-row file is reported, with a caret under it, before a row is read.
/// This is prqlc's resolver and DuckDB's binder in one: the output is the tree of `PlanNode`s the
/// rewrites and the executor work on.
struct Resolver {
    var context: ResolverContext

    init(_ context: ResolverContext) {
        self.context = context
    }

    var source: String { context.source }
    var environment: Binder.Environment { context.environment }

    func error(_ kind: TallyError.Kind, _ message: String, _ span: Range<Int>, hint: String? = nil) -> TallyError {
        TallyError(kind, message, hint: hint, source: source, span: span)
    }

    func node(_ op: PlanOperator, _ schema: PlanSchema, _ span: Range<Int>) -> PlanNode {
        PlanNode(id: context.ids.next(), op, schema: schema, source: source, span: span)
    }

    /// A binder for expressions over `input`'s rows; an s-string among them is typed by the
    /// database those rows come from.
    func binder(_ input: PlanNode) -> Binder {
        binder(input.schema) { input }
    }

    /// A binder for expressions over `schema`, the schema of the plan `rows` makes (asked for
    /// only if an s-string is bound).
    func binder(_ schema: PlanSchema, rows: @escaping () -> PlanNode) -> Binder {
        var binder = Binder(scope: schema.scope, source: source, environment: environment)
        let groups = context.groupInputs
        binder.sqlInput = { Binder.SQLInput(relation: rows(), groups: groups) }
        return binder
    }

    var constants: Binder {
        Binder(scope: Scope(names: [], types: [], qualifiers: []), source: source, environment: environment)
    }

    /// A pipeline as a relation.
    func resolve(_ pipeline: Expr) throws -> PlanNode {
        guard let plan = try resolveSteps(QueryRunner.steps(pipeline), input: nil) else {
            throw error(.parse, "a query needs a relation to start from", pipeline.span, hint: "start with `from TABLE`")
        }
        return plan
    }

    /// A top-level query: its plan, the names its result shows (columns of one name from different
    /// relations qualified, `aid.county_code` and `c.county_code`), and the chart it ends in.
    /// `chart` false for a `let` or `into`, which bind a relation, not a result to draw.
    func resolveQuery(_ pipeline: Expr, chart: Bool = true) throws -> QueryPlan {
        var steps = QueryRunner.steps(pipeline)
        var chartStep: (Expr, [CallArgument])?
        if chart, steps.count > 1, let last = steps.last, let (name, args) = QueryRunner.transform(last), name == "chart" {
            chartStep = (last, args)
            steps.removeLast()
        }
        let body = chartStep == nil ? pipeline : Expr(.pipeline(steps), span: pipeline.span)
        let root = try resolve(body)
        let names = try Resolver.resultNames(root.schema, pipeline, source: source)
        var plan = QueryPlan(root: root, names: names, chart: nil)
        if let (step, args) = chartStep {
            let schema = PlanSchema(names: names, types: root.schema.types, qualifiers: root.schema.qualifiers,
                                    nullTyped: root.schema.nullTyped)
            plan.chart = try runner.chartSpec(args, step, Relation(table: schema.emptyTable, qualifiers: schema.qualifiers))
        }
        return plan
    }

    /// The runner whose checks are written against a relation, used here on an empty one.
    var runner: QueryRunner {
        var runner = QueryRunner(source: source, environment: environment, cancel: .never)
        runner.resolvePath = context.resolvePath
        return runner
    }

    static func resultNames(_ schema: PlanSchema, _ pipeline: Expr, source: String) throws -> [String] {
        var count: [String: Int] = [:]
        for name in schema.names { count[name, default: 0] += 1 }
        guard count.values.contains(where: { $0 > 1 }) else { return schema.names }
        let scope = schema.scope
        var names = schema.names
        for index in names.indices where count[names[index], default: 0] > 1 {
            names[index] = scope.qualifiedName(index)
        }
        var seen = Set<String>()
        for (index, name) in names.enumerated() where !seen.insert(name).inserted {
            let plain = schema.names[index]
            var span = pipeline.span
            if case .pipeline(let steps) = pipeline.kind,
               let join = steps.last(where: { QueryRunner.transform($0).map { $0.0 == "join" } ?? false }) {
                span = join.span
            }
            throw TallyError(.name, "the result has two columns named `\(name)`",
                             hint: "select the columns you need, or rename one: `select {…, \(plain)_2 = \(name)}`",
                             source: source, span: span)
        }
        return names
    }

    func resolveSteps(_ steps: [Expr], input: PlanNode?) throws -> PlanNode? {
        var current = input
        for (i, step) in steps.enumerated() {
            if let plan = current, let (name, args) = QueryRunner.transform(step) {
                if name == "sort", args.count == 1, args[0].name == nil,
                   let limit = QueryRunner.takeLimit(i + 1 < steps.count ? steps[i + 1] : nil) {
                    current = try sort(args[0].value, plan, step, limit: limit)
                    continue
                }
                if name == "pivot" {
                    let pivot = try inMemory(.pivot, args, step, plan)
                    // The columns `pivot` makes are its values: what follows is resolved when they are known.
                    let rest = Array(steps[(i + 1)...])
                    if rest.isEmpty { return pivot }
                    return node(.deferred(pivot, DeferredSteps(steps: rest, context: context)), pivot.schema, step.span)
                }
                if environment.functions[name] != nil, !QueryRunner.builtinTransforms.contains(name) {
                    current = try applyFunction(name, args, step, to: plan)
                    continue
                }
            }
            current = try apply(step, to: current)
            if let plan = current, let wanted = context.narrowings[plan.id] {
                // Projection pushdown found that later steps use only these columns.
                let columns = plan.schema.names.indices.filter {
                    wanted.contains(ProjectionPushdown.ColumnKey(name: plan.schema.names[$0], qualifier: plan.schema.qualifiers[$0]))
                }
                if columns.count < plan.schema.count { current = PlanNode(id: 0, .keep(plan, columns), schema: plan.schema.picking(columns), source: source, span: plan.span) }
            }
        }
        return current
    }

    func apply(_ step: Expr, to input: PlanNode?) throws -> PlanNode {
        guard let plan = input else {
            // The first step: `from`, or a parenthesised pipeline / relation literal.
            if case .pipeline = step.kind { return try resolve(step) }
            if case .array = step.kind { return try relationLiteral(step) }
            if let (name, args) = QueryRunner.transform(step), QueryRunner.sourceFunctions.contains(name) {
                return try sourceRelation(name, args, step, alias: nil)
            }
            guard let (name, args) = QueryRunner.transform(step), name == "from" else {
                throw error(.parse, "a query starts with `from`", step.span, hint: "e.g. `from counties | take 10`")
            }
            return try from(args, step)
        }
        guard let (name, args) = QueryRunner.transform(step) else {
            // `take -5` is PRQL's subtraction `take - 5`, as in prqlc.
            if case .binary(let op, let left, _) = step.kind, op == .sub || op == .add, let path = left.identPath,
               path.count == 1, let transform = path.first {
                let message = "`\(transform) \(op.symbol)` reads as arithmetic (`\(transform) \(op.symbol) …`), not a transform"
                throw error(.parse, message, step.span,
                            hint: "wrap a signed number in parentheses, e.g. `\(transform) (\(op.symbol)5)`")
            }
            throw error(.parse, "expected a transform such as `filter`, `select` or `sort`", step.span)
        }
        let positional = args.filter { $0.name == nil }.map(\.value)
        switch name {
        case "select": return try project(one(positional, name, step), plan, step, replace: true)
        case "derive": return try project(one(positional, name, step), plan, step, replace: false)
        case "filter": return try filter(one(positional, name, step), plan, step)
        case "sort": return try sort(one(positional, name, step), plan, step, limit: nil)
        case "take": return try take(one(positional, name, step), plan, step)
        case "aggregate": return try aggregate(one(positional, name, step), plan, step, keys: [])
        case "group":
            guard positional.count == 2 else {
                throw error(.parse, "`group` takes the keys and a pipeline", step.span,
                            hint: "e.g. `group {city, year} (aggregate {n = count this})`")
            }
            return try group(positional[0], positional[1], plan, step)
        case "from":
            throw error(.parse, "`from` can only start a pipeline", step.span, hint: "to combine tables use `join` or `append`")
        case "join": return try join(args, step, plan)
        case "intersect", "remove": return try setOperation(name, args, step, plan)
        case "window": return try window(args, step, plan)
        case "append": return try append(args, step, plan)
        case "loop": return try loop(args, step, plan)
        case "pivot": return try inMemory(.pivot, args, step, plan)
        case "unpivot": return try inMemory(.unpivot, args, step, plan)
        case "describe":
            guard args.isEmpty else { throw error(.parse, "`describe` takes no arguments", step.span) }
            return try inMemory(.describe, args, step, plan)
        case "chart": throw runner.misplacedChart(step)
        default:
            let known = Vocabulary.transforms.map(\.name).filter { $0 != "from" && $0 != "into" }
            throw error(.name, "unknown transform `\(name)`", step.span,
                        hint: Suggest.nearest(name, in: known).map { "did you mean `\($0)`?" } ?? "transforms: " + known.joined(separator: ", "))
        }
    }

    func one(_ args: [Expr], _ name: String, _ step: Expr) throws -> Expr {
        guard args.count == 1 else {
            var hint: String? = args.count > 1 ? "put several in braces: `\(name) {a, b}`" : nil
            if args.count > 1, case .assign(let field, _) = args[0].kind {
                // `derive x = round 2 y` binds `x` to `round` alone, as in PRQL.
                hint = "a name binds to one term: write `\(name) {\(field) = …}` or `\(name) \(field) = (…)`"
            }
            throw error(.parse, "`\(name)` takes one argument\(args.isEmpty ? "" : ", got \(args.count)")", step.span, hint: hint)
        }
        return args[0]
    }

    /// The fields of a tuple with relation wildcards spelled out: `t.*` becomes every column that
    /// came from `t` (`this.*` every column, `that.*` the right side of a join), each as a name
    /// that finds exactly that column.
    func expandedFields(_ expr: Expr, _ schema: PlanSchema, leftCount: Int? = nil) throws -> [Expr] {
        var out: [Expr] = []
        for field in QueryRunner.fields(expr) {
            guard case .ident(let path) = field.kind, path.count == 2, path[1] == "*" else {
                out.append(field)
                continue
            }
            var scope = schema.scope
            scope.leftCount = leftCount
            let indices: [Int]
            switch path[0] {
            case "this": indices = Array(0..<(scope.leftCount ?? scope.names.count))
            case "that": indices = scope.leftCount.map { Array($0..<scope.names.count) } ?? []
            default: indices = scope.names.indices.filter { scope.qualifiers[$0] == path[0] }
            }
            guard !indices.isEmpty else {
                let known = Set(schema.qualifiers.compactMap { $0 }).sorted()
                throw error(.name, "no relation `\(path[0])` here", field.span,
                            hint: known.isEmpty ? "`this.*` is every column" : "relations here: " + (known + ["this"]).map { "`\($0).*`" }.joined(separator: ", "))
            }
            for index in indices {
                let name = schema.names[index]
                let qualified = scope.matches([name]).count > 1
                let reference: [String] = qualified ? [schema.qualifiers[index] ?? path[0], name] : [name]
                out.append(Expr(.ident(reference), span: field.span))
            }
        }
        return out
    }
}

/// What resolving a statement needs besides its text: the tables it can name and where files are.
struct ResolverContext {
    var source: String
    var environment: Binder.Environment
    /// A table or `let` relation by name: its schema, or the plan of a `let` not computed yet.
    var lookup: (String) throws -> TableBinding?
    var tableNames: () -> [String]
    /// Where a relative `read_csv "file"` path is found (the script's or notebook's folder).
    var resolvePath: @Sendable (String) -> String = { $0 }
    /// Set while the body of `window rows:…` is resolved.
    var frame: WindowFrame? = nil
    /// Set while the body of a partitioned `group` is resolved.
    var partitioned = false
    /// While `group` bodies are resolved: the inputs of the groups, outermost first (the rows a
    /// body's `.input` stands for).
    var groupInputs: [PlanNode] = []
    /// While a function on relations is inlined, its relation parameters (`_param.rel`).
    var relationArguments: [String: PlanNode] = [:]
    /// Node numbers, shared by every resolver of one statement.
    var ids = PlanNodeIDs()
    /// From projection pushdown: join and filter nodes (by id) whose later steps use only some
    /// of their columns, with the columns to keep.
    var narrowings: [Int: Set<ProjectionPushdown.ColumnKey>] = [:]
    /// Set when a schema came from a sample of a file; `exact` asks for every file's true schema.
    var samples = SampleUse()
    var exact = false
    /// The connected databases by name: where `from s"SELECT …"` runs.
    var connections: [String: PostgresConnection] = [:]
    /// Checked while a database describes a query.
    var cancel: CancellationCheck = .never
}

/// What a name in `from` or `join` refers to.
enum TableBinding {
    /// A table in the catalog (loaded or not) with its schema, and how to get its rows.
    case table(PlanSchema, TableFetch)
    /// A `let` relation not computed yet: its plan, computed (and kept) where it is used.
    case plan(LazyRelation)
}

/// A statement's plan: the relation, the names its result shows, and the chart it ends in.
struct QueryPlan {
    var root: PlanNode
    var names: [String]
    var chart: ChartSpec?
}

/// Numbers for the nodes of one statement's plan.
final class PlanNodeIDs {
    private var last = 0
    func next() -> Int {
        last += 1
        return last
    }
}

/// Whether resolving used a sampled schema (so a type error may be the sample's, not the data's).
final class SampleUse {
    var used = false
}
