/// A relation flowing through a pipeline: a table plus, per column, the relation alias it came from.
struct Relation {
    var table: Table
    var qualifiers: [String?]
    /// The keys of the last `sort`, row-aligned with `table`: the "current order" that window
    /// functions rank by (`rank` ties are rows equal on every key). Empty when unsorted.
    var order: [SortPermutation.Key] = []

    init(table: Table, qualifier: String?) {
        self.table = table
        self.qualifiers = [String?](repeating: qualifier, count: table.columnCount)
    }

    init(table: Table, qualifiers: [String?]) {
        self.table = table
        self.qualifiers = qualifiers
    }

    var scope: Scope {
        var scope = Scope(names: table.names, types: table.columns.map(\.type), qualifiers: qualifiers)
        scope.nullTyped = Set(table.columns.indices.filter { table.columns[$0].isNullTyped })
        return scope
    }
}

/// Runs a pipeline's transforms in order, each on the table the previous one produced.
///
/// Each step is bound (names resolved, types checked) right before it runs, against the columns the
/// previous step produced, so errors point at the step's text and nothing is computed for a step
/// that cannot run. The session is not touched: a failing query changes nothing.
struct QueryRunner {
    let source: String
    let environment: Binder.Environment
    /// Looks up a table or `let` relation by name.
    let resolveTable: (String) throws -> Table?
    let tableNames: () -> [String]
    let cancel: CancellationCheck
    /// Set while the body of `window rows:…` runs: aggregates there are over each row's frame.
    var frame: WindowFrame? = nil
    /// While a function on relations runs, its relation parameters (`_param.rel`).
    var relationArguments: [String: Relation] = [:]
    /// Where a relative `read_csv "file"` path is found (the script's or notebook's folder).
    var resolvePath: @Sendable (String) -> String = { $0 }

    func error(_ kind: TallyError.Kind, _ message: String, _ span: Range<Int>, hint: String? = nil) -> TallyError {
        TallyError(kind, message, hint: hint, source: source, span: span)
    }

    func run(_ pipeline: Expr) throws -> Relation {
        let steps: [Expr]
        if case .pipeline(let s) = pipeline.kind { steps = s } else { steps = [pipeline] }
        guard let relation = try runSteps(steps, input: nil) else {
            throw error(.parse, "a query needs a relation to start from", pipeline.span, hint: "start with `from TABLE`")
        }
        return relation
    }

    /// A statement's result: the pipeline's relation, with one name per column. Columns of one
    /// name from different relations (a join keeps both sides' `county_code`) are named qualified,
    /// `aid.county_code` and `c.county_code`, as the header shows them; two that cannot be told
    /// apart that way are an error.
    func runResult(_ pipeline: Expr) throws -> Relation {
        var relation = try run(pipeline)
        var count: [String: Int] = [:]
        for name in relation.table.names { count[name, default: 0] += 1 }
        guard count.values.contains(where: { $0 > 1 }) else { return relation }
        let scope = relation.scope
        var names = relation.table.names
        for index in names.indices where count[names[index], default: 0] > 1 {
            names[index] = scope.qualifiedName(index)
        }
        var seen = Set<String>()
        for (index, name) in names.enumerated() where !seen.insert(name).inserted {
            let plain = relation.table.names[index]
            var span = pipeline.span
            if case .pipeline(let steps) = pipeline.kind,
               let join = steps.last(where: { transform($0).map { $0.0 == "join" } ?? false }) {
                span = join.span
            }
            throw error(.name, "the result has two columns named `\(name)`", span,
                        hint: "select the columns you need, or rename one: `select {…, \(plain)_2 = \(name)}`")
        }
        relation.table = Table(uncheckedNames: names, columns: relation.table.columns, rowCount: relation.table.rowCount)
        return relation
    }

    func runSteps(_ steps: [Expr], input: Relation?) throws -> Relation? {
        var current = input
        for (i, step) in steps.enumerated() {
            try cancel.checkpoint()
            if let relation = current, let (name, args) = transform(step), name == "join" {
                let needed = ColumnPruning.namesNeeded(after: steps[(i + 1)...],
                                                       functions: environment.functions.values.map(\.body))
                current = try join(args, step, relation, needed: needed)
                continue
            }
            if let relation = current, let (name, args) = transform(step), name == "filter" {
                let needed = ColumnPruning.namesNeeded(after: steps[(i + 1)...],
                                                       functions: environment.functions.values.map(\.body))
                let positional = args.filter { $0.name == nil }.map(\.value)
                current = try filter(one(positional, name, step), relation, needed: needed)
                continue
            }
            if let relation = current, let (name, args) = transform(step), name == "sort", args.count == 1,
               args[0].name == nil, let limit = QueryRunner.takeLimit(i + 1 < steps.count ? steps[i + 1] : nil) {
                current = try sort(args[0].value, relation, limit: limit)
                continue
            }
            if let relation = current, let (name, args) = transform(step), environment.functions[name] != nil,
               !QueryRunner.builtinTransforms.contains(name) {
                current = try applyFunction(name, args, step, to: relation)
                continue
            }
            current = try apply(step, to: current)
        }
        return current
    }

    /// The transform name and arguments of a step.
    func transform(_ step: Expr) -> (String, [CallArgument])? {
        switch step.kind {
        case .call(let callee, let args):
            if case .ident(let path) = callee.kind, path.count == 1 { return (path[0], args) }
        case .ident(let path):
            if path.count == 1 { return (path[0], []) }
        default: break
        }
        return nil
    }

    func apply(_ step: Expr, to input: Relation?) throws -> Relation {
        if input == nil {
            // The first step: `from`, or a parenthesised pipeline / relation literal.
            if case .pipeline = step.kind { return try run(step) }
            if case .array = step.kind { return try relationLiteral(step) }
            if let (name, args) = transform(step), QueryRunner.sourceFunctions.contains(name) {
                return try sourceRelation(name, args, step, alias: nil)
            }
            guard let (name, args) = transform(step), name == "from" else {
                throw error(.parse, "a query starts with `from`", step.span, hint: "e.g. `from counties | take 10`")
            }
            return try from(args, step)
        }
        guard let relation = input else { throw error(.parse, "missing input", step.span) }
        guard let (name, args) = transform(step) else {
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
        case "select": return try select(one(positional, name, step), relation, replace: true)
        case "derive": return try select(one(positional, name, step), relation, replace: false)
        case "filter": return try filter(one(positional, name, step), relation)
        case "sort": return try sort(one(positional, name, step), relation)
        case "take": return try take(one(positional, name, step), relation)
        case "aggregate": return try aggregate(one(positional, name, step), relation, keys: [])
        case "group":
            guard positional.count == 2 else {
                throw error(.parse, "`group` takes the keys and a pipeline", step.span,
                            hint: "e.g. `group {city, year} (aggregate {n = count this})`")
            }
            return try group(positional[0], positional[1], relation)
        case "from":
            throw error(.parse, "`from` can only start a pipeline", step.span, hint: "to combine tables use `join` or `append`")
        case "join": return try join(args, step, relation)
        case "intersect", "remove": return try setOperation(name, args, step, relation)
        case "window": return try window(args, step, relation)
        case "append": return try append(args, step, relation)
        case "loop": return try loop(args, step, relation)
        case "pivot": return try pivot(args, step, relation)
        case "unpivot": return try unpivot(args, step, relation)
        case "describe":
            guard args.isEmpty else { throw error(.parse, "`describe` takes no arguments", step.span) }
            return try describe(relation)
        case "chart": throw misplacedChart(step)
        default:
            let known = ["select", "derive", "filter", "sort", "take", "aggregate", "group", "join", "window", "append",
                         "loop", "intersect", "remove", "pivot", "unpivot", "describe", "chart"]
            throw error(.name, "unknown transform `\(name)`", step.span,
                        hint: Suggest.nearest(name, in: known).map { "did you mean `\($0)`?" } ?? "transforms: " + known.joined(separator: ", "))
        }
    }

    private func one(_ args: [Expr], _ name: String, _ step: Expr) throws -> Expr {
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

    static func fields(_ expr: Expr) -> [Expr] {
        if case .tuple(let items) = expr.kind { return items }
        return [expr]
    }

    /// The fields of a tuple with relation wildcards spelled out: `t.*` becomes every column that
    /// came from `t` (`this.*` every column, `that.*` the right side of a join), each as a name
    /// that finds exactly that column.
    func expandedFields(_ expr: Expr, _ relation: Relation) throws -> [Expr] {
        var out: [Expr] = []
        for field in QueryRunner.fields(expr) {
            guard case .ident(let path) = field.kind, path.count == 2, path[1] == "*" else {
                out.append(field)
                continue
            }
            let scope = relation.scope
            let indices: [Int]
            switch path[0] {
            case "this": indices = Array(0..<(scope.leftCount ?? scope.names.count))
            case "that": indices = scope.leftCount.map { Array($0..<scope.names.count) } ?? []
            default: indices = scope.names.indices.filter { scope.qualifiers[$0] == path[0] }
            }
            guard !indices.isEmpty else {
                let known = Set(relation.qualifiers.compactMap { $0 }).sorted()
                throw error(.name, "no relation `\(path[0])` here", field.span,
                            hint: known.isEmpty ? "`this.*` is every column" : "relations here: " + (known + ["this"]).map { "`\($0).*`" }.joined(separator: ", "))
            }
            for index in indices {
                let name = relation.table.names[index]
                let qualified = scope.matches([name]).count > 1
                let reference: [String] = qualified ? [relation.qualifiers[index] ?? path[0], name] : [name]
                out.append(Expr(.ident(reference), span: field.span))
            }
        }
        return out
    }

    func binder(_ relation: Relation) -> Binder {
        Binder(scope: relation.scope, source: source, environment: environment)
    }

    // MARK: - from

    /// Functions that make a relation from a file or from text: usable after `from`, as a
    /// pipeline's first step, and wherever a relation is (`append (read_json "f.json")`).
    static let sourceFunctions: Set<String> = ["read_csv", "read_json", "read_excel", "from_text"]

    /// `read_csv "file"`, `read_json "file"`, `from_text [format:csv|json] "text"`.
    func sourceRelation(_ name: String, _ args: [CallArgument], _ expr: Expr, alias: String?) throws -> Relation {
        if name == "read_excel" { return try excelRelation(args, expr, alias: alias) }
        let positional = args.filter { $0.name == nil }
        guard positional.count == 1, case .literal(.string(let text)) = positional[0].value.kind else {
            let example = name == "from_text" ? "from_text format:csv \"a,b\\n1,2\"" : "\(name) \"file\""
            throw error(.parse, "`\(name)` takes one string", expr.span, hint: "e.g. `\(example)`")
        }
        var format: LoadOptions.Format?
        for arg in args where arg.name != nil {
            guard name == "from_text", arg.name == "format", case .ident(let value) = arg.value.kind, value.count == 1,
                  let f = LoadOptions.Format(rawValue: value[0].lowercased()) else {
                throw error(.parse, "unknown argument `\(arg.name ?? ""):` of `\(name)`", arg.value.span,
                            hint: name == "from_text" ? "`format:csv` (the default) or `format:json`" : "`\(name)` takes a file name only")
            }
            format = f
        }
        do {
            let table: Table
            if name == "from_text" {
                (table, _) = try TableReader.read(text: text, format: format ?? .csv, cancel: cancel)
                return Relation(table: table, qualifier: alias)
            }
            (table, _) = try TableReader.read(path: resolvePath(text), options: LoadOptions(format: name == "read_json" ? .json : nil),
                                              cancel: cancel)
            return Relation(table: table, qualifier: alias ?? TableReader.tableName(forPath: text))
        } catch var e as TallyError {
            if e.span == nil { e.source = source; e.span = positional[0].value.span }
            throw e
        }
    }

    private func from(_ args: [CallArgument], _ step: Expr) throws -> Relation {
        guard args.count == 1, let arg = args.first?.value else {
            throw error(.parse, "`from` takes one table", step.span, hint: "e.g. `from counties` or `from c = counties`")
        }
        var alias: String?
        var target = arg
        if case .assign(let name, let value) = arg.kind {
            alias = name
            target = value
        }
        switch target.kind {
        case .ident(let path):
            return try namedRelation(path, alias: alias, span: target.span)
        case .pipeline:
            var relation = try run(target)
            if let alias { relation.qualifiers = relation.qualifiers.map { _ in alias } }
            return relation
        case .array:
            var relation = try relationLiteral(target)
            if let alias { relation.qualifiers = relation.qualifiers.map { _ in alias } }
            return relation
        case .call(let callee, let callArgs):
            guard case .ident(let path) = callee.kind, path.count == 1, QueryRunner.sourceFunctions.contains(path[0]) else {
                throw error(.parse, "`from` takes a table, a relation literal or `read_csv \"file\"`", target.span)
            }
            return try sourceRelation(path[0], callArgs, target, alias: alias)
        default:
            throw error(.parse, "`from` takes a table, a relation literal or `read_csv \"file\"`", target.span)
        }
    }

    /// `[{year = 2021, n = 3}, {year = 2022, n = 5}]`.
    private func relationLiteral(_ expr: Expr) throws -> Relation {
        guard case .array(let rows) = expr.kind else { throw error(.parse, "expected a relation literal", expr.span) }
        // Values column by column (null where a row lacks the field), so a literal of a million
        // rows builds each column in one pass.
        var names: [String] = []
        var index: [String: Int] = [:]
        var values: [[Scalar]] = []
        let constants = Binder(scope: Scope(names: [], types: [], qualifiers: []), source: source, environment: environment)
        for (r, row) in rows.enumerated() {
            guard case .tuple(let fields) = row.kind else {
                throw error(.parse, "each row of a relation literal is a tuple", row.span, hint: "e.g. `[{year = 2021, n = 3}]`")
            }
            for field in fields {
                let name = ColumnNaming.name(for: field, in: source)
                let bound = try constants.bind(field)
                guard case .constant(let value, _) = bound else {
                    throw error(.type, "relation literals hold constants only", field.span)
                }
                let c: Int
                if let known = index[name] { c = known } else {
                    c = names.count
                    index[name] = c
                    names.append(name)
                    values.append([Scalar](repeating: .null, count: rows.count))
                }
                values[c][r] = value
            }
            if r & 0xFFFF == 0xFFFF { try cancel.checkpoint() }
        }
        var columns: [Column] = []
        for (c, name) in names.enumerated() {
            var type: DataType?
            for value in values[c] {
                guard let t = value.type else { continue }
                guard let common = try Binder.commonType(type, t) else {
                    throw error(.type, "column `\(name)` of the relation literal mixes \(type.map(\.rawValue) ?? "null") and \(t)",
                                expr.span)
                }
                type = common
            }
            columns.append(try QueryRunner.column(values[c], type: type ?? .text))
        }
        return Relation(table: try Table(names: names, columns: columns), qualifier: nil)
    }

    /// A column of `type` from scalars that are of that type, null, or cast to it.
    static func column(_ values: [Scalar], type: DataType) throws -> Column {
        func direct<T>(_ pick: (Scalar) -> T?) -> [T?]? {
            var out: [T?] = []
            out.reserveCapacity(values.count)
            for value in values {
                if case .null = value { out.append(nil); continue }
                guard let v = pick(value) else { return nil }
                out.append(v)
            }
            return out
        }
        switch type {
        case .int:
            if let v = direct({ if case .int(let x) = $0 { return x } else { return nil } }) { return Column(ints: v) }
        case .float:
            if let v = direct({ (s: Scalar) -> Double? in
                switch s { case .float(let x): return x; case .int(let x): return Double(x); default: return nil }
            }) { return Column(floats: v) }
        case .bool:
            if let v = direct({ if case .bool(let x) = $0 { return x } else { return nil } }) { return Column(bools: v) }
        case .text:
            if let v = direct({ if case .text(let x) = $0 { return x } else { return nil } }) { return Column(texts: v) }
        case .date:
            if let v = direct({ if case .date(let x) = $0 { return x } else { return nil } }) { return Column(dates: v) }
        case .timestamp:
            break
        }
        let parts = values.map { Scalar.column($0)(count: 1, type: type) }
        let converted = try parts.map { part -> Column in
            part.type == type ? part : try Casts.cast(.column(part), to: type, rowCount: 1).materialize(count: 1)
        }
        return Column.concat(converted, type: type)
    }

    // MARK: - select, derive, filter, sort, take

    private func select(_ arg: Expr, _ relation: Relation, replace: Bool, grouping: Evaluator.Grouping = .whole) throws -> Relation {
        // `select !{a, b}`: every column but these.
        if replace, case .unary(.not, let inner) = arg.kind {
            var drop = Set<Int>()
            for field in try expandedFields(inner, relation) {
                guard case .ident(let path) = field.kind, let index = relation.scope.lookup(path) else {
                    throw error(.name, "`select !{…}` lists columns to leave out", field.span)
                }
                drop.insert(index)
            }
            let keep = relation.table.names.indices.filter { !drop.contains($0) }
            var result = Relation(table: Table(uncheckedNames: keep.map { relation.table.names[$0] },
                                               columns: keep.map { relation.table.columns[$0] }, rowCount: relation.table.rowCount),
                                  qualifiers: keep.map { relation.qualifiers[$0] })
            result.order = relation.order
            return result
        }
        var names = replace ? [] : relation.table.names
        var columns = replace ? [] : relation.table.columns
        var qualifiers = replace ? [] : relation.qualifiers
        // Later fields may use earlier ones (`derive {gross = a + b, net = gross - c}`), so each field
        // is bound against the input plus the fields computed before it.
        var working = relation
        var seen = Set<String>()
        // For each output column of `select`, the input column it is, when it is one plainly.
        var sources: [Int?] = []
        for field in replace ? try expandedFields(arg, relation) : QueryRunner.fields(arg) {
            let name = ColumnNaming.name(for: field, in: source)
            let bound = try binder(working).bind(field)
            var isAssignment = false
            if case .assign = field.kind { isAssignment = true }
            let column: Column
            do {
                column = try Evaluator(table: working.table, grouping: grouping, source: source, order: relation.order, frame: frame)
                    .evaluate(bound)
                    .materialize(count: relation.table.rowCount)
            } catch var e as TallyError {
                if e.span == nil { e.source = source; e.span = field.span }
                throw e
            }
            var qualifier: String?
            if case .column(let index, _) = bound { qualifier = working.qualifiers[index] }
            if replace {
                var source: Int?
                if case .column(let index, _) = bound, !isAssignment, index < relation.table.columnCount { source = index }
                if !seen.insert(name).inserted {
                    let earlier = names.indices.filter { names[$0] == name }
                    // The same column named twice (`select {id, name, id}`) is kept once, as in PRQL.
                    if let source, earlier.contains(where: { sources[$0] == source }) { continue }
                    // Columns of one name from different relations (`select {e.name, m.name}`) are
                    // both kept; the result's header qualifies them.
                    let distinct = qualifier != nil && earlier.allSatisfy { qualifiers[$0] != nil && qualifiers[$0] != qualifier }
                    guard distinct else {
                        throw error(.name, "two columns are named `\(name)`", field.span, hint: "name one of them: `\(name)_2 = …`")
                    }
                }
                names.append(name); columns.append(column); qualifiers.append(qualifier); sources.append(source)
            } else if let existing = names.firstIndex(of: name) {
                columns[existing] = column
            } else {
                names.append(name); columns.append(column); qualifiers.append(qualifier)
            }
            var workingNames = working.table.names, workingColumns = working.table.columns
            if let existing = workingNames.firstIndex(of: name) {
                workingColumns[existing] = column
                working.qualifiers[existing] = qualifier
            } else {
                workingNames.append(name); workingColumns.append(column); working.qualifiers.append(qualifier)
            }
            working.table = Table(uncheckedNames: workingNames, columns: workingColumns, rowCount: relation.table.rowCount)
        }
        var result = Relation(table: Table(uncheckedNames: names, columns: columns, rowCount: relation.table.rowCount), qualifiers: qualifiers)
        result.order = relation.order
        return result
    }

    /// `needed`, when known, names the only columns later steps can use (`ColumnPruning`): the
    /// others are not copied for the kept rows.
    private func filter(_ arg: Expr, _ relation: Relation, needed: Set<String>? = nil) throws -> Relation {
        let bound = try binder(relation).bind(arg)
        guard bound.type == .bool || bound.isNullConstant else {
            throw error(.type, "`filter` needs a condition (true or false), not \(bound.type)", arg.span,
                        hint: "e.g. `filter year >= 2021`")
        }
        let result = try Evaluator(table: relation.table, grouping: .whole, source: source, order: relation.order, frame: frame)
            .evaluate(bound)
        var keep: [Int] = []
        switch result {
        case .constant(.bool(true), _): return relation
        case .constant: keep = []
        case .column(let c):
            guard case .bool(let flags) = c.values else { break }
            keep.reserveCapacity(flags.count / 2)
            flags.withUnsafeBufferPointer { flags in
                if c.validity == nil {
                    for i in 0..<flags.count where flags[i] { keep.append(i) }
                } else {
                    for i in 0..<flags.count where flags[i] && !c.isNull(i) { keep.append(i) }
                }
            }
        }
        let columns = relation.table.names.indices.filter { needed?.contains(relation.table.names[$0]) ?? true }
        let kept = Table(uncheckedNames: columns.map { relation.table.names[$0] },
                         columns: columns.map { relation.table.columns[$0].gather(keep) }, rowCount: keep.count)
        var filtered = Relation(table: kept, qualifiers: columns.map { relation.qualifiers[$0] })
        filtered.order = relation.order.map { SortPermutation.Key(column: $0.column.gather(keep), descending: $0.descending) }
        return filtered
    }

    /// The rows a `take` right after a `sort` keeps at most, when its count is written as a
    /// number (`take 10`, `take 11..20`): the sort then only orders that many.
    static func takeLimit(_ step: Expr?) -> Int? {
        guard let step, case .call(let callee, let args) = step.kind, callee.identPath == ["take"],
              args.count == 1, args[0].name == nil else { return nil }
        switch args[0].value.kind {
        case .literal(.int(let n)) where n >= 0: return Int(n)
        case .range(_, let hi?):
            if case .literal(.int(let n)) = hi.kind, n >= 0 { return Int(n) }
            return nil
        default: return nil
        }
    }

    private func sort(_ arg: Expr, _ relation: Relation, limit: Int? = nil) throws -> Relation {
        let binder = binder(relation)
        let evaluator = Evaluator(table: relation.table, grouping: .whole, source: source)
        var keys: [SortPermutation.Key] = []
        for field in try expandedFields(arg, relation) {
            var expr = field
            var descending = false
            if case .unary(let op, let inner) = field.kind, op == .neg || op == .pos {
                expr = inner
                descending = op == .neg
            }
            let column = try evaluator.evaluate(try binder.bind(expr)).materialize(count: relation.table.rowCount)
            keys.append(.init(column: column, descending: descending))
        }
        let order = SortPermutation.compute(keys, rowCount: relation.table.rowCount, limit: limit)
        var result = Relation(table: relation.table.gather(order), qualifiers: relation.qualifiers)
        result.order = keys.map { .init(column: $0.column.gather(order), descending: $0.descending) }
        return result
    }

    private func take(_ arg: Expr, _ relation: Relation) throws -> Relation {
        let n = relation.table.rowCount
        let constants = Binder(scope: Scope(names: [], types: [], qualifiers: []), source: source, environment: environment)
        func intValue(_ e: Expr) throws -> Int {
            guard case .constant(.int(let v), _) = try constants.bind(e) else {
                throw error(.type, "`take` needs a whole number", e.span, hint: "e.g. `take 10` or `take 11..20`")
            }
            return Int(clamping: v)
        }
        let range: Range<Int>
        if case .range(let lo, let hi) = arg.kind {
            let start = try lo.map(intValue) ?? 1
            let end = try hi.map(intValue) ?? n
            if start < 1, let lo {
                throw error(.type, "`take` counts rows from 1, got \(start)", lo.span,
                            hint: "e.g. `take 1..10` for the first ten rows")
            }
            if end < 0, let hi {
                throw error(.type, "`take` counts rows from 1, got \(end)", hi.span,
                            hint: "e.g. `take 11..20`; `take 11..` goes to the last row")
            }
            // Rows start..end (1-based, inclusive), clipped to the table; none when end < start.
            let lower = min(n, start - 1)
            range = lower..<max(lower, min(n, end))
        } else {
            let count = try intValue(arg)
            if count < 0 {
                throw error(.type, "`take` needs a count of 0 or more, got \(count)", arg.span,
                            hint: "`take 5` keeps the first five rows; to keep the last ones, `sort` the other way first")
            }
            range = 0..<min(n, count)
        }
        var result = Relation(table: relation.table.gather(Array(range)), qualifiers: relation.qualifiers)
        result.order = relation.order.map { .init(column: $0.column.slice(range), descending: $0.descending) }
        return result
    }

    // MARK: - aggregate and group

    private func aggregate(_ arg: Expr, _ relation: Relation, keys: [(String, Column, String?)],
                           ids: [Int32]? = nil, groupCount: Int = 1, firstRows: [Int] = []) throws -> Relation {
        let binder = binder(relation)
        let groupIDs = ids ?? [Int32](repeating: 0, count: relation.table.rowCount)
        let evaluator = Evaluator(table: relation.table, grouping: .groups(ids: groupIDs, count: groupCount), source: source)
        var names = keys.map(\.0)
        var columns = keys.map { $0.1.gather(firstRows) }
        var qualifiers = keys.map(\.2)
        for field in QueryRunner.fields(arg) {
            let name = ColumnNaming.name(for: field, in: source)
            let bound = try binder.bind(field)
            let column: Column
            do {
                column = try evaluator.evaluate(bound).materialize(count: groupCount)
            } catch var e as TallyError {
                if e.span == nil { e.source = source; e.span = field.span }
                throw e
            }
            if let existing = names.firstIndex(of: name) {
                if existing < keys.count {
                    throw error(.name, "`\(name)` is already a group key", field.span, hint: "name the aggregate differently")
                }
                throw error(.name, "two columns are named `\(name)`", field.span, hint: "name one of them: `\(name)_2 = …`")
            }
            names.append(name); columns.append(column); qualifiers.append(nil)
        }
        return Relation(table: Table(uncheckedNames: names, columns: columns, rowCount: groupCount), qualifiers: qualifiers)
    }

    private func group(_ keysExpr: Expr, _ body: Expr, _ relation: Relation) throws -> Relation {
        let binder = binder(relation)
        let evaluator = Evaluator(table: relation.table, grouping: .whole, source: source)
        var keys: [(String, Column, String?)] = []
        for field in try expandedFields(keysExpr, relation) {
            let bound = try binder.bind(field)
            var qualifier: String?
            if case .column(let index, _) = bound { qualifier = relation.qualifiers[index] }
            keys.append((ColumnNaming.name(for: field, in: source),
                         try evaluator.evaluate(bound).materialize(count: relation.table.rowCount), qualifier))
        }
        let (ids, count, firstRows) = GroupIDs.compute(keys.map(\.1), rowCount: relation.table.rowCount)
        let steps: [Expr]
        if case .pipeline(let s) = body.kind { steps = s } else { steps = [body] }
        // The common case, `group k (aggregate {…})`, runs as one hash aggregation.
        if steps.count == 1, let (name, args) = transform(steps[0]), name == "aggregate" {
            let positional = args.filter { $0.name == nil }.map(\.value)
            return try aggregate(one(positional, name, steps[0]), relation, keys: keys, ids: ids, groupCount: count,
                                 firstRows: firstRows)
        }
        // Otherwise the inner pipeline runs on each group's rows, groups in order of first appearance.
        var rowsOf = [[Int]](repeating: [], count: count)
        for (row, id) in ids.enumerated() { rowsOf[Int(id)].append(row) }
        var parts: [Relation] = []
        for (group, rows) in rowsOf.enumerated() {
            var part = Relation(table: relation.table.gather(rows), qualifiers: relation.qualifiers)
            part.order = relation.order.map { .init(column: $0.column.gather(rows), descending: $0.descending) }
            guard let result = try runSteps(steps, input: part) else { continue }
            parts.append(withKeys(result, keys: keys, firstRow: firstRows[group]))
            try cancel.checkpoint()
        }
        guard let first = parts.first else {
            // No groups: the inner pipeline on an empty input gives the shape.
            let empty = Relation(table: relation.table.gather([]), qualifiers: relation.qualifiers)
            return withKeys(try runSteps(steps, input: empty) ?? empty, keys: keys, firstRow: 0)
        }
        // Keys come first, as PRQL puts them, unless the inner pipeline kept them itself.
        var columns: [Column] = []
        for c in 0..<first.table.columnCount {
            columns.append(Column.concat(parts.map { $0.table.columns[c] }, type: first.table.columns[c].type))
        }
        let total = parts.reduce(0) { $0 + $1.table.rowCount }
        return Relation(table: Table(uncheckedNames: first.table.names, columns: columns, rowCount: total), qualifiers: first.qualifiers)
    }
}

extension QueryRunner {
    /// A table or `let` relation named in `from` or `join`, its columns qualified by the alias
    /// (or the name itself).
    func namedRelation(_ path: [String], alias: String?, span: Range<Int>) throws -> Relation {
        if let parameter = path.count == 2 && path[0] == "_param" ? path[1] : path.count == 1 ? path[0] : nil,
           var relation = relationArguments[parameter] {
            if let alias { relation.qualifiers = relation.qualifiers.map { _ in alias } }
            return relation
        }
        let name = path.joined(separator: ".")
        guard let table = try resolveTable(name) else {
            throw error(.name, "unknown table `\(name)`", span,
                        hint: Suggest.nearest(name, in: tableNames()).map { "did you mean `\($0)`?" }
                            ?? "`.tables` lists the tables; `.load FILE as NAME` adds one")
        }
        return Relation(table: table, qualifier: alias ?? name)
    }

    /// A group's inner result with the group keys in front, when the inner pipeline dropped them
    /// (`group year (filter … | aggregate {…})` gives `year` and the aggregates, as in PRQL).
    func withKeys(_ result: Relation, keys: [(String, Column, String?)], firstRow: Int) -> Relation {
        let missing = keys.filter { !result.table.names.contains($0.0) }
        guard !missing.isEmpty else { return result }
        let repeated = [Int](repeating: firstRow, count: result.table.rowCount)
        var out = Relation(table: Table(uncheckedNames: missing.map(\.0) + result.table.names,
                                        columns: missing.map { $0.1.gather(repeated) } + result.table.columns,
                                        rowCount: result.table.rowCount),
                           qualifiers: missing.map(\.2) + result.qualifiers)
        out.order = result.order
        return out
    }
}

extension Scalar {
    /// `column(count:type:)` as a function value.
    static func column(_ s: Scalar) -> (Int, DataType) -> Column { { s.column(count: $0, type: $1) } }
}
