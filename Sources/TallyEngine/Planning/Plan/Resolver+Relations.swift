/// Transforms over two relations (`join`, `intersect`, `remove`, `append`), `loop`, `window`, the
/// in-memory transforms, and functions that return transforms.
extension Resolver {
    /// `join side:left c = counties (==county_code)`: the left side's columns, then the right side's,
    /// each keeping the alias of its relation (a bare name both sides have is ambiguous, as in prqlc).
    func join(_ args: [CallArgument], _ step: Expr, _ left: PlanNode) throws -> PlanNode {
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
        var schema = left.schema
        for i in right.schema.names.indices {
            schema.append(right.schema.names[i], right.schema.types[i], right.schema.qualifiers[i],
                          nullTyped: right.schema.nullTyped.contains(i))
        }
        var scope = schema.scope
        scope.leftCount = left.schema.count
        let condition = try Binder(scope: scope, source: source, environment: environment).bind(positional[1])
        guard condition.type == .bool || condition.isNullConstant else {
            throw error(.type, "a join condition must be true or false, not \(condition.type)", positional[1].span,
                        hint: "e.g. `(==county_code)` or `(this.code == that.code)`; `true` joins every pair")
        }
        if condition.containsAggregate || condition.containsWindow {
            throw error(.type, "a join condition cannot use aggregates or window functions", positional[1].span)
        }
        return node(.join(left, right, JoinSpec(side: side, condition: condition, conditionSpan: positional[1].span)),
                    schema, step.span)
    }

    /// `intersect other`, `remove other`: by column position, each pair compared in a shared type.
    func setOperation(_ name: String, _ args: [CallArgument], _ step: Expr, _ input: PlanNode) throws -> PlanNode {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1 else {
            throw error(.parse, "`\(name)` takes one relation", step.span, hint: "e.g. `\(name) (from b | select {id})`")
        }
        let other = try relationArgument(positional[0])
        guard other.schema.count == input.schema.count else {
            throw error(.type, "`\(name)` needs relations with the same number of columns: \(input.schema.count) and \(other.schema.count)",
                        positional[0].span, hint: "select matching columns on both sides")
        }
        var types: [DataType] = []
        for c in 0..<input.schema.count {
            let a = input.schema.types[c], b = other.schema.types[c]
            guard let type = try Binder.commonType(a, b) else {
                throw error(.type, "`\(name)`: column \(c + 1) is \(a) on one side and \(b) on the other", positional[0].span,
                            hint: "convert with `as`, e.g. `derive {x = x | as text}`")
            }
            types.append(type)
        }
        return node(.setOperation(input, other, SetOperationSpec(intersect: name == "intersect", types: types)),
                    input.schema, step.span)
    }

    /// `append other`: the other relation's rows after these, by column position, under this
    /// relation's names (SQL's UNION ALL, which prqlc emits).
    func append(_ args: [CallArgument], _ step: Expr, _ input: PlanNode) throws -> PlanNode {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1, args.count == 1 else {
            throw error(.parse, "`append` takes one relation", step.span, hint: "e.g. `append (from b | select {x, y})`")
        }
        let other = try relationArgument(positional[0])
        let schema = try unionSchema([input.schema, other.schema], at: positional[0].span)
        return node(.append(input, other), schema, step.span)
    }

    /// The schema of relations one after another: the first one's names, each column in the type its
    /// parts share (a column of only nulls fits any type).
    func unionSchema(_ parts: [PlanSchema], at span: Range<Int>) throws -> PlanSchema {
        guard var schema = parts.first else { throw error(.runtime, "nothing to append", span) }
        for part in parts.dropFirst() {
            guard part.count == schema.count else {
                throw error(.type, "appended relations need the same number of columns: \(schema.count) and \(part.count)",
                            span, hint: "select the same columns on both sides, in the same order")
            }
        }
        for c in 0..<schema.count {
            var type = schema.types[c]
            var allNull = schema.nullTyped.contains(c)
            for part in parts.dropFirst() {
                if part.nullTyped.contains(c) { continue }
                if allNull {
                    type = part.types[c]
                    allNull = false
                    continue
                }
                guard let common = try Binder.commonType(type, part.types[c]) else {
                    let name = schema.names[c]
                    throw error(.type, "column \(c + 1) (`\(name)`) is \(type) on one side and \(part.types[c]) on the other",
                                span, hint: "convert one side with `as`, e.g. `derive {\(name) = \(name) | as text}`")
                }
                type = common
            }
            schema.replace(c, type, schema.qualifiers[c], nullTyped: allNull)
        }
        return schema
    }

    /// `loop (filter n < 10 | derive n = n + 1)`: the body is resolved against the rows it is given,
    /// in the types every iteration shares (a body that turns an int into a float is resolved again
    /// over floats).
    func loop(_ args: [CallArgument], _ step: Expr, _ input: PlanNode) throws -> PlanNode {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1, args.count == 1 else {
            throw error(.parse, "`loop` takes one pipeline", step.span, hint: "e.g. `loop (filter n < 10 | select {n = n + 1})`")
        }
        let body = positional[0]
        let steps = QueryRunner.steps(body)
        var schema = input.schema
        for _ in 0..<4 {
            let rows = node(.input, schema, body.span)
            guard let result = try resolveSteps(steps, input: rows) else { return input }
            guard result.schema.count == input.schema.count else {
                throw error(.type, "the `loop` body must keep the \(input.schema.count) columns of its input, it gives \(result.schema.count)",
                            body.span, hint: "end the body with `select {…}` listing the same columns")
            }
            var renamed = result.schema
            renamed.names = schema.names
            renamed.qualifiers = schema.qualifiers
            let shared = try unionSchema([schema, renamed], at: body.span)
            if shared.types == schema.types {
                return node(.loop(input, body: result), shared, step.span)
            }
            schema = shared
        }
        throw error(.type, "the `loop` body changes the types of its columns", body.span,
                    hint: "convert with `as` so each iteration gives the types it is given")
    }

    /// `window rows:-2..0 (derive {…})`, `range:-5..0`, `expanding:true`, `rolling:3`: the body is
    /// resolved with the frame set, so aggregates there are over each row's frame.
    func window(_ args: [CallArgument], _ step: Expr, _ input: PlanNode) throws -> PlanNode {
        var frame: WindowFrame?
        func set(_ f: WindowFrame, _ arg: CallArgument) throws {
            guard frame == nil else {
                throw error(.parse, "`window` takes one of rows, range, expanding, rolling", arg.span)
            }
            frame = f
        }
        for arg in args {
            guard let name = arg.name else { continue }
            switch name {
            case "rows", "range":
                guard case .range(let lo, let hi) = arg.value.kind else {
                    throw error(.type, "`\(name)` takes a range of offsets", arg.value.span,
                                hint: "e.g. `\(name):-2..0` (two before to this row), `\(name):..0` (from the start)")
                }
                try set(WindowFrame(mode: name == "rows" ? .rows : .range,
                                    lower: try lo.map { try offset($0, whole: name == "rows") },
                                    upper: try hi.map { try offset($0, whole: name == "rows") }), arg)
            case "expanding":
                guard case .literal(.bool(let on)) = arg.value.kind else {
                    throw error(.type, "`expanding` is true or false", arg.value.span, hint: "e.g. `expanding:true`")
                }
                if on { try set(WindowFrame(mode: .rows, lower: nil, upper: 0), arg) }
            case "rolling":
                let n = try offset(arg.value, whole: true)
                guard n >= 1 else {
                    throw error(.type, "`rolling` needs a number of rows, 1 or more", arg.value.span, hint: "e.g. `rolling:3`")
                }
                try set(WindowFrame(mode: .rows, lower: 1 - n, upper: 0), arg)
            default:
                throw error(.parse, "`window` has no option `\(name)`", arg.span,
                            hint: "options: rows:a..b, range:a..b, expanding:true, rolling:n")
            }
        }
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1 else {
            throw error(.parse, "`window` takes options and one pipeline", step.span,
                        hint: "e.g. `window rolling:3 (derive {avg3 = average amount})`")
        }
        let body = positional[0]
        var inner = self
        inner.context.frame = frame
        do {
            return try inner.resolveSteps(QueryRunner.steps(body), input: input) ?? input
        } catch var e as TallyError {
            if e.span == nil { e.source = source; e.span = body.span }
            throw e
        }
    }

    /// A frame offset: a whole number for `rows`, any number for `range`.
    private func offset(_ e: Expr, whole: Bool) throws -> Double {
        switch try constants.bind(e) {
        case .constant(.int(let v), _): return Double(v)
        case .constant(.float(let v), _) where !whole && v.isFinite: return v
        default:
            throw error(.type, whole ? "a `rows` offset is a whole number of rows" : "a `range` offset is a number",
                        e.span, hint: "e.g. `rows:-2..0`")
        }
    }

    /// `pivot`, `unpivot`, `describe`: their arguments are checked now, by running the transform
    /// over no rows of the input's schema; `unpivot` and `describe` give their columns that way,
    /// `pivot` only its row keys (its other columns are the data's values).
    func inMemory(_ kind: InMemoryTransform.Kind, _ args: [CallArgument], _ step: Expr, _ input: PlanNode) throws -> PlanNode {
        let empty = Relation(table: input.schema.emptyTable, qualifiers: input.schema.qualifiers)
        let shape: Relation
        switch kind {
        case .pivot: shape = try runner.pivot(args, step, empty)
        case .unpivot: shape = try runner.unpivot(args, step, empty)
        case .describe: shape = try runner.describe(empty)
        }
        var schema = PlanSchema(table: shape.table, qualifier: nil)
        schema.qualifiers = shape.qualifiers
        schema.dynamic = kind == .pivot
        let transform = InMemoryTransform(kind: kind, arguments: args, step: step, environment: environment)
        return node(.inMemory(input, transform), schema, step.span)
    }

    /// Inlines the user function `name` as a step on `input`. Its required parameters take the
    /// positional arguments in order; when one is left over, it is the relation piped in.
    func applyFunction(_ name: String, _ args: [CallArgument], _ step: Expr, to input: PlanNode) throws -> PlanNode {
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
        let steps = QueryRunner.steps(function.body)
        let startsItsOwn: Bool = {
            guard let first = steps.first else { return false }
            if case .array = first.kind { return true }
            guard let (head, _) = QueryRunner.transform(first) else { return false }
            return head == "from" || QueryRunner.sourceFunctions.contains(head)
        }()
        // A parameter left over is the relation piped in, which only a body that starts from a
        // relation of its own (`from t = _param.rel`) can take.
        if positional.count < required.count, !startsItsOwn, let missing = required.last {
            throw error(.type, "`\(name)` needs a value for `\(missing.name)`", step.span,
                        hint: Binder.describeParameters(function.params, of: name))
        }
        var inner = environment
        var relations = context.relationArguments
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
                relations[param.name] = input
            }
        }
        var body = context
        body.source = function.source
        body.environment = inner
        body.relationArguments = relations
        guard let result = try Resolver(body).resolveSteps(steps, input: startsItsOwn ? nil : input) else {
            throw error(.type, "`\(name)` gives no relation", step.span)
        }
        return result
    }
}
