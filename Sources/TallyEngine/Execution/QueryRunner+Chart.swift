/// `chart KIND x:… y:… by:… title:"…" x_title:"…" y_title:"…"`: checked against the columns of the
/// table it ends, and turned into a `ChartSpec`. The table itself passes through unchanged.
extension QueryRunner {
    /// The error for a `chart` anywhere but at the end of a query.
    func misplacedChart(_ step: Expr) -> TallyError {
        error(.parse, "`chart` must be the last transform of a query", step.span,
              hint: "it draws the query's result: put it at the end, e.g. `… | sort year | chart line x:year y:rate`")
    }

    func chartSpec(_ args: [CallArgument], _ step: Expr, _ relation: Relation) throws -> ChartSpec {
        let kinds = ChartSpec.Kind.allCases.map(\.rawValue)
        let positional = args.filter { $0.name == nil }
        guard let kindArg = positional.first else {
            throw error(.parse, "`chart` needs a kind", step.span, hint: "kinds: " + kinds.joined(separator: ", ")
                        + "; e.g. `chart line x:year y:rate`")
        }
        guard case .ident(let path) = kindArg.value.kind, path.count == 1 else {
            throw error(.parse, "`chart` needs a kind first", kindArg.value.span, hint: "kinds: " + kinds.joined(separator: ", "))
        }
        guard let kind = ChartSpec.Kind(rawValue: path[0]) else {
            throw error(.name, "unknown chart kind `\(path[0])`", kindArg.value.span,
                        hint: Suggest.nearest(path[0], in: kinds).map { "did you mean `\($0)`?" }
                            ?? "kinds: " + kinds.joined(separator: ", "))
        }
        if positional.count > 1 {
            let extra = positional[1]
            throw error(.parse, "`chart` takes its columns as named arguments", extra.span,
                        hint: "e.g. `chart \(kind.rawValue) x:year y:rate by:city`")
        }
        var xName: String?, yNames: [String] = [], byName: String?
        var title: String?, xTitle: String?, yTitle: String?
        var seen = Set<String>()
        for arg in args {
            guard let name = arg.name else { continue }
            guard seen.insert(name).inserted else {
                throw error(.parse, "`\(name):` is given twice", arg.span)
            }
            switch name {
            case "x": xName = try chartColumn(arg.value, relation)
            case "by": byName = try chartColumn(arg.value, relation)
            case "y":
                for field in QueryRunner.fields(arg.value) {
                    let column = try chartColumn(field, relation)
                    try requireNumeric(column, field, relation)
                    yNames.append(column)
                }
                if yNames.isEmpty {
                    throw error(.parse, "`y:` needs a column", arg.span, hint: "e.g. `y:rate` or `y:{enrolled, dropouts}`")
                }
            case "title": title = try chartText(arg.value, name)
            case "x_title": xTitle = try chartText(arg.value, name)
            case "y_title": yTitle = try chartText(arg.value, name)
            default:
                throw error(.name, "unknown chart argument `\(name):`", arg.span,
                            hint: Suggest.nearest(name, in: ChartSpec.argumentNames).map { "did you mean `\($0):`?" }
                                ?? "arguments: " + ChartSpec.argumentNames.map { $0 + ":" }.joined(separator: ", "))
            }
        }
        let table = relation.table
        let types = Dictionary(zip(table.names, table.columns.map(\.type)), uniquingKeysWith: { a, _ in a })
        // Left out: x is the first column that is not a number (else the first column); y every
        // number column other than x and by.
        if xName == nil {
            let taken = Set(yNames + [byName].compactMap { $0 })
            xName = table.names.first { !(types[$0]?.isNumeric ?? false) && !taken.contains($0) }
            if xName == nil && kind != .spark {
                xName = table.names.first { !taken.contains($0) }
            }
        }
        if yNames.isEmpty {
            yNames = table.names.filter { $0 != xName && $0 != byName && (types[$0]?.isNumeric ?? false) }
            if kind == .pie || byName != nil { yNames = Array(yNames.prefix(1)) }
            if yNames.isEmpty {
                throw error(.type, "`chart` found no number column to draw", step.span,
                            hint: "name one with `y:`, e.g. `chart \(kind.rawValue) x:\(xName ?? "year") y:total`")
            }
        }
        if byName != nil && yNames.count > 1 {
            throw error(.parse, "with `by:`, `y:` takes one column", step.span,
                        hint: "one series per value of `\(byName ?? "")`: give `y:` a single column")
        }
        if kind == .pie && yNames.count > 1 {
            throw error(.parse, "a pie chart takes one `y:` column", step.span, hint: "the slices are the values of `x:`")
        }
        if kind == .scatter, let x = xName, let type = types[x], !(type.isNumeric || type == .date || type == .timestamp) {
            throw error(.type, "a scatter chart needs numbers (or dates) along x, and `\(x)` is \(type)", step.span,
                        hint: "use `chart line` or `chart bar` for categories")
        }
        return ChartSpec(kind: kind, x: xName, y: yNames, by: byName, title: title, xTitle: xTitle, yTitle: yTitle)
    }

    /// A column name argument, which must name a column of the table.
    private func chartColumn(_ expr: Expr, _ relation: Relation) throws -> String {
        guard case .ident(let path) = expr.kind else {
            throw error(.parse, "chart arguments name columns", expr.span,
                        hint: "compute it first: `derive {rate = a / b} | chart line x:year y:rate`")
        }
        guard let index = relation.scope.lookup(path) else {
            let name = path.joined(separator: ".")
            throw error(.name, "unknown column `\(name)`", expr.span,
                        hint: Suggest.nearest(path.last ?? name, in: relation.table.names).map { "did you mean `\($0)`?" }
                            ?? "columns: " + relation.table.names.joined(separator: ", "))
        }
        return relation.table.names[index]
    }

    private func requireNumeric(_ name: String, _ expr: Expr, _ relation: Relation) throws {
        guard let column = relation.table.column(named: name), !column.type.isNumeric else { return }
        throw error(.type, "`y:` draws numbers, and `\(name)` is \(column.type)", expr.span,
                    hint: "for counts per value: `group \(name) (aggregate {n = count this}) | chart bar x:\(name) y:n`")
    }

    /// A title: a constant text (a string, a `$param` or a `let` scalar).
    private func chartText(_ expr: Expr, _ name: String) throws -> String {
        let constants = Binder(scope: Scope(names: [], types: [], qualifiers: []), source: source, environment: environment)
        guard case .constant(let value, _) = try constants.bind(expr) else {
            throw error(.type, "`\(name):` takes a text", expr.span, hint: "e.g. `\(name):\"巩固率\"`")
        }
        switch value {
        case .text(let s): return s
        case .null: throw error(.type, "`\(name):` takes a text, not null", expr.span)
        case .int(let v): return String(v)
        case .float(let v): return Column.formatFloat(v)
        default: throw error(.type, "`\(name):` takes a text", expr.span, hint: "e.g. `\(name):\"巩固率\"`")
        }
    }
}

extension ChartSpec {
    /// The chart a query statement ends in, checked against `table`, the statement's result (a
    /// chart passes its input through, so the result has the columns it names). nil when the
    /// statement does not end in `chart` or the chart does not fit the table. Reports use this to
    /// draw a cell's chart from its text; `$name` titles read `parameters`.
    public static func of(statement: String, table: Table, parameters: [String: String] = [:]) -> ChartSpec? {
        guard case .query(let pipeline) = try? Parser.parse(statement: statement),
              case .pipeline(let steps) = pipeline.kind, steps.count > 1, let last = steps.last else { return nil }
        let runner = QueryRunner(source: statement,
                                 environment: Binder.Environment(parameters: parameters.mapValues { Binder.parameterValue($0) }, scalars: [:], functions: [:]),
                                 cancel: .never)
        guard let (name, args) = runner.transform(last), name == "chart" else { return nil }
        return try? runner.chartSpec(args, last, Relation(table: table, qualifier: nil))
    }
}
