/// `select`, `derive`, `filter`, `sort`, `take`, `aggregate`, `group`: resolved against the input's schema.
extension Resolver {
    func project(_ arg: Expr, _ input: PlanNode, _ step: Expr, replace: Bool) throws -> PlanNode {
        let schema = input.schema
        // `select !{a, b}`: every column but these.
        if replace, case .unary(.not, let inner) = arg.kind {
            var drop = Set<Int>()
            for field in try expandedFields(inner, schema) {
                guard case .ident(let path) = field.kind, let index = schema.scope.lookup(path) else {
                    throw error(.name, "`select !{…}` lists columns to leave out", field.span)
                }
                drop.insert(index)
            }
            let keep = schema.names.indices.filter { !drop.contains($0) }
            return node(.keep(input, keep), schema.picking(keep), step.span)
        }
        // Later fields may use earlier ones (`derive {gross = a + b, net = gross - c}`), so each field
        // is bound against the input plus the fields before it.
        var working = schema
        var output = replace ? PlanSchema(names: [], types: [], qualifiers: []) : schema
        var fields: [NamedExpr] = []
        var selected: [Int] = []
        // For each output column of `select`, the input column it is, when it is one plainly.
        var sources: [Int?] = []
        var seen = Set<String>()
        for field in replace ? try expandedFields(arg, schema) : QueryRunner.fields(arg) {
            let name = ColumnNaming.name(for: field, in: source)
            let soFar = fields, schemaSoFar = working
            let bound = try binder(working) { [self] in
                // The rows this field reads: the input with the fields before it derived.
                guard !soFar.isEmpty else { return input }
                let projection = Projection(fields: soFar, replace: false, selected: [], frame: nil)
                return node(.project(input, projection), schemaSoFar, step.span)
            }.bind(field)
            var isAssignment = false
            if case .assign = field.kind { isAssignment = true }
            var qualifier: String?
            if case .column(let index, _) = bound { qualifier = working.qualifiers[index] }
            let isNull = bound.isNullConstant && bound.type == .text
            if replace {
                var origin: Int?
                if case .column(let index, _) = bound, !isAssignment, index < schema.count { origin = index }
                if !seen.insert(name).inserted {
                    let earlier = output.names.indices.filter { output.names[$0] == name }
                    // The same column named twice (`select {id, name, id}`) is kept once, as in PRQL.
                    if let origin, earlier.contains(where: { sources[$0] == origin }) { continue }
                    // Columns of one name from different relations (`select {e.name, m.name}`) are
                    // both kept; the result's header qualifies them.
                    let distinct = qualifier != nil && earlier.allSatisfy { output.qualifiers[$0] != nil && output.qualifiers[$0] != qualifier }
                    guard distinct else {
                        throw error(.name, "two columns are named `\(name)`", field.span, hint: "name one of them: `\(name)_2 = …`")
                    }
                }
                selected.append(fields.count)
                output.append(name, bound.type, qualifier, nullTyped: isNull)
                sources.append(origin)
            } else if let existing = output.names.firstIndex(of: name) {
                output.replace(existing, bound.type, output.qualifiers[existing], nullTyped: isNull)
            } else {
                output.append(name, bound.type, qualifier, nullTyped: isNull)
            }
            fields.append(NamedExpr(name: name, expr: bound, qualifier: qualifier, span: field.span))
            if let existing = working.names.firstIndex(of: name) {
                working.replace(existing, bound.type, qualifier, nullTyped: isNull)
            } else {
                working.append(name, bound.type, qualifier, nullTyped: isNull)
            }
        }
        let projection = Projection(fields: fields, replace: replace, selected: selected, frame: context.frame,
                                    partitioned: context.partitioned)
        return node(.project(input, projection), output, step.span)
    }

    func filter(_ arg: Expr, _ input: PlanNode, _ step: Expr) throws -> PlanNode {
        let bound = try binder(input).bind(arg)
        guard bound.type == .bool || bound.isNullConstant else {
            throw error(.type, "`filter` needs a condition (true or false), not \(bound.type)", arg.span,
                        hint: "e.g. `filter year >= 2021`")
        }
        return node(.filter(input, Predicate(condition: bound, span: arg.span, frame: context.frame)), input.schema, step.span)
    }

    func sort(_ arg: Expr, _ input: PlanNode, _ step: Expr, limit: Int?) throws -> PlanNode {
        let binder = binder(input)
        var keys: [SortKey] = []
        for field in try expandedFields(arg, input.schema) {
            var expr = field
            var descending = false
            if case .unary(let op, let inner) = field.kind, op == .neg || op == .pos {
                expr = inner
                descending = op == .neg
            }
            let bound = try binder.bind(expr)
            keys.append(SortKey(expr: bound, descending: descending, span: field.span))
        }
        return node(.sort(input, keys, limit: limit), input.schema, step.span)
    }

    func take(_ arg: Expr, _ input: PlanNode, _ step: Expr) throws -> PlanNode {
        func intValue(_ e: Expr) throws -> Int {
            guard case .constant(.int(let v), _) = try constants.bind(e) else {
                throw error(.type, "`take` needs a whole number", e.span, hint: "e.g. `take 10` or `take 11..20`")
            }
            return Int(clamping: v)
        }
        let range: TakeRange
        if case .range(let lo, let hi) = arg.kind {
            let start = try lo.map(intValue) ?? 1
            let end = try hi.map(intValue)
            if start < 1, let lo {
                throw error(.type, "`take` counts rows from 1, got \(start)", lo.span,
                            hint: "e.g. `take 1..10` for the first ten rows")
            }
            if let end, end < 0, let hi {
                throw error(.type, "`take` counts rows from 1, got \(end)", hi.span,
                            hint: "e.g. `take 11..20`; `take 11..` goes to the last row")
            }
            // Rows start..end (1-based, inclusive).
            range = TakeRange(start: start - 1, end: end)
        } else {
            let count = try intValue(arg)
            if count < 0 {
                throw error(.type, "`take` needs a count of 0 or more, got \(count)", arg.span,
                            hint: "`take 5` keeps the first five rows; to keep the last ones, `sort` the other way first")
            }
            range = TakeRange(start: 0, end: count)
        }
        return node(.take(input, range), input.schema, step.span)
    }

    func aggregate(_ arg: Expr, _ input: PlanNode, _ step: Expr, keys: [NamedExpr]) throws -> PlanNode {
        let binder = binder(input)
        var output = PlanSchema(names: [], types: [], qualifiers: [])
        for key in keys { output.append(key.name, key.expr.type, key.qualifier, nullTyped: key.expr.isNullConstant && key.expr.type == .text) }
        var values: [NamedExpr] = []
        for field in QueryRunner.fields(arg) {
            let name = ColumnNaming.name(for: field, in: source)
            let bound = try binder.bind(field)
            try checkAggregateLevel(bound, input.schema, field.span)
            if let existing = output.names.firstIndex(of: name) {
                if existing < keys.count {
                    throw error(.name, "`\(name)` is already a group key", field.span, hint: "name the aggregate differently")
                }
                throw error(.name, "two columns are named `\(name)`", field.span, hint: "name one of them: `\(name)_2 = …`")
            }
            output.append(name, bound.type, nil)
            values.append(NamedExpr(name: name, expr: bound, qualifier: nil, span: field.span))
        }
        return node(.aggregate(input, keys: keys, values: values), output, step.span)
    }

    func group(_ keysExpr: Expr, _ body: Expr, _ input: PlanNode, _ step: Expr) throws -> PlanNode {
        let binder = binder(input)
        var keys: [NamedExpr] = []
        for field in try expandedFields(keysExpr, input.schema) {
            let bound = try binder.bind(field)
            var qualifier: String?
            if case .column(let index, _) = bound { qualifier = input.schema.qualifiers[index] }
            keys.append(NamedExpr(name: ColumnNaming.name(for: field, in: source), expr: bound, qualifier: qualifier, span: field.span))
        }
        let steps = QueryRunner.steps(body)
        // The common case, `group k (aggregate {…})`, is one hash aggregation.
        if steps.count == 1, let (name, args) = QueryRunner.transform(steps[0]), name == "aggregate" {
            let positional = args.filter { $0.name == nil }.map(\.value)
            return try aggregate(one(positional, name, steps[0]), input, steps[0], keys: keys)
        }
        // Otherwise the body applies to each group's rows.
        let rows = node(.input, input.schema, body.span)
        var inner = self
        inner.context.partitioned = true
        inner.context.groupInputs.append(input)
        guard let result = try inner.resolveSteps(steps, input: rows) else { return input }
        // Keys come first, as PRQL puts them, unless the body kept them itself.
        var output = PlanSchema(names: [], types: [], qualifiers: [])
        for key in keys where !result.schema.names.contains(key.name) {
            output.append(key.name, key.expr.type, key.qualifier)
        }
        for i in result.schema.names.indices {
            output.append(result.schema.names[i], result.schema.types[i], result.schema.qualifiers[i],
                          nullTyped: result.schema.nullTyped.contains(i))
        }
        return node(.groupApply(input, keys: keys, body: result), output, step.span)
    }

    /// In `aggregate`, every column must be inside an aggregate (or be a group key, which is
    /// outside the expression), and window functions have no place.
    func checkAggregateLevel(_ bound: BoundExpr, _ schema: PlanSchema, _ span: Range<Int>) throws {
        if let column = bound.columnOutsideAggregate {
            throw TallyError(.type, "column `\(schema.names[column])` is neither a group key nor inside an aggregate",
                             hint: "wrap it in an aggregate such as `sum`, or add it to the group keys", source: source, span: span)
        }
        if let kind = bound.windowOutsideAggregate {
            throw TallyError(.type, "`\(kind.rawValue)` gives one value per row, so it cannot be used in `aggregate`",
                             hint: "use it in `derive`, after `sort`", source: source, span: span)
        }
    }
}

extension BoundExpr {
    /// The first column read outside every aggregate, which `aggregate` cannot give one value per group.
    var columnOutsideAggregate: Int? {
        switch self {
        case .column(let i, _): return i
        case .constant, .aggregate: return nil
        case .window(let call, _): return call.argument?.columnOutsideAggregate
        case .unary(_, let e, _), .cast(let e, _), .isNull(let e, _): return e.columnOutsideAggregate
        case .binary(_, let a, let b, _): return a.columnOutsideAggregate ?? b.columnOutsideAggregate
        case .function(_, let args, _), .format(let args): return args.lazy.compactMap(\.columnOutsideAggregate).first
        // The SQL may aggregate its parts (`s"percentile_cont(0.5) WITHIN GROUP (ORDER BY {x})"`);
        // the database, not the binder, says whether it does.
        case .sql: return nil
        case .caseWhen(let arms, _):
            return arms.lazy.compactMap { $0.0.columnOutsideAggregate ?? $0.1.columnOutsideAggregate }.first
        case .inRange(let e, let a, let b):
            return e.columnOutsideAggregate ?? a?.columnOutsideAggregate ?? b?.columnOutsideAggregate
        case .inList(let e, let list): return e.columnOutsideAggregate ?? list.lazy.compactMap(\.columnOutsideAggregate).first
        }
    }

    /// A window function outside every aggregate.
    var windowOutsideAggregate: WindowCall.Kind? {
        switch self {
        case .window(let call, _): return call.kind
        case .column, .constant, .aggregate: return nil
        case .unary(_, let e, _), .cast(let e, _), .isNull(let e, _): return e.windowOutsideAggregate
        case .binary(_, let a, let b, _): return a.windowOutsideAggregate ?? b.windowOutsideAggregate
        case .function(_, let args, _), .format(let args), .sql(_, let args, _): return args.lazy.compactMap(\.windowOutsideAggregate).first
        case .caseWhen(let arms, _):
            return arms.lazy.compactMap { $0.0.windowOutsideAggregate ?? $0.1.windowOutsideAggregate }.first
        case .inRange(let e, let a, let b):
            return e.windowOutsideAggregate ?? a?.windowOutsideAggregate ?? b?.windowOutsideAggregate
        case .inList(let e, let list): return e.windowOutsideAggregate ?? list.lazy.compactMap(\.windowOutsideAggregate).first
        }
    }
}
