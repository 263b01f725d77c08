/// A plan as an indented tree, the way `EXPLAIN` prints one in DuckDB and PostgreSQL: each node's
/// operator with what it does, then the columns it gives and their types.
enum PlanPrinter {
    /// At most this many columns are listed per node; the rest are counted.
    static let columnLimit = 8

    static func render(_ plan: QueryPlan) -> String {
        var lines: [String] = []
        if let chart = plan.chart {
            let y = chart.y.joined(separator: ", ")
            lines.append("Chart \(chart.kind.rawValue) x:\(chart.x ?? "—") y:\(y)" + (chart.by.map { " by:\($0)" } ?? ""))
            write(plan.root, prefix: "", childPrefix: "", into: &lines, first: "└── ")
        } else {
            write(plan.root, prefix: "", childPrefix: "", into: &lines, first: "")
        }
        return lines.joined(separator: "\n")
    }

    private static func write(_ node: PlanNode, prefix: String, childPrefix: String, into lines: inout [String], first: String) {
        let lead = prefix + first
        let below = childPrefix + (first.isEmpty ? "" : first == "└── " ? "    " : "│   ")
        lines.append(lead + describe(node))
        var children = node.children
        if case .remote(let query) = node.op {
            // What runs there: the SQL sent, then the steps it stands for.
            children = [query.subtree]
            lines.append(below + "│   → " + columns(node.schema))
            for line in query.sql.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(below + "│   ┆ " + line)
            }
            write(query.subtree, prefix: below, childPrefix: below, into: &lines, first: "└── ")
            return
        }
        let bar = children.isEmpty ? "    " : "│   "
        lines.append(below + bar + "→ " + columns(node.schema))
        for (i, child) in children.enumerated() {
            let last = i == children.count - 1
            write(child, prefix: below, childPrefix: below, into: &lines, first: last ? "└── " : "├── ")
        }
    }

    /// `county text, rate float, … (20 columns)`.
    static func columns(_ schema: PlanSchema) -> String {
        var parts: [String] = []
        var count: [String: Int] = [:]
        for name in schema.names { count[name, default: 0] += 1 }
        for i in schema.names.indices.prefix(columnLimit) {
            let type = schema.nullTyped.contains(i) ? "null" : schema.types[i].rawValue
            // Qualified only where two columns share a name, as the result's header does.
            let name = count[schema.names[i], default: 0] > 1 ? schema.scope.qualifiedName(i) : schema.names[i]
            parts.append("\(name) \(type)")
        }
        var text = parts.joined(separator: ", ")
        if schema.count > columnLimit { text += ", … (\(schema.count) columns)" }
        if schema.dynamic { text += ", … (more from the data)" }
        return text.isEmpty ? "(no columns)" : text
    }

    private static func text(_ node: PlanNode, _ span: Range<Int>) -> String {
        let full = Expr(.literal(.null), span: span).text(in: node.source)
        let flat = full.split(whereSeparator: { $0 == "\n" }).map { String($0).trimmingCharacters(in: " \t") }.joined(separator: " ")
        return flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
    }

    static func describe(_ node: PlanNode) -> String {
        switch node.op {
        case .scan(let table, _):
            return "Scan \(table)"
        case .readFile(let path, _): return "ReadFile \(path)"
        case .values(let table): return "Values (\(table.rowCount) row\(table.rowCount == 1 ? "" : "s"))"
        case .input: return "Input (the rows given to the body)"
        case .alias(_, let name): return "Alias \(name)"
        case .keep(_, let columns): return "Keep \(columns.count) column\(columns.count == 1 ? "" : "s")"
        case .project(_, let p):
            let fields = p.fields.map { text(node, $0.span) }.joined(separator: ", ")
            let frame = p.frame.map { " " + describe($0) } ?? ""
            return (p.replace ? "Project select {" : "Project derive {") + fields + "}" + frame + (p.partitioned ? " per group" : "")
        case .filter(let child, let p):
            return "Filter " + p.condition.written(child.schema) + (p.frame.map { " " + describe($0) } ?? "")
        case .sort(_, let keys, let limit):
            let by = keys.map { ($0.descending ? "-" : "") + text(node, $0.span).trimmingCharacters(in: "-+") }
            return "Sort {" + by.joined(separator: ", ") + "}" + (limit.map { " top \($0)" } ?? "")
        case .take(_, let range):
            if range.start == 0, let end = range.end { return "Take \(end)" }
            return "Take rows \(range.start + 1)..\(range.end.map(String.init) ?? "")"
        case .aggregate(_, let keys, let values):
            let by = keys.isEmpty ? "" : "by {" + keys.map(\.name).joined(separator: ", ") + "} "
            return "Aggregate " + by + "{" + values.map { text(node, $0.span) }.joined(separator: ", ") + "}"
        case .join(_, _, let spec):
            return "Join \(spec.side.rawValue) on " + text(node, spec.conditionSpan)
        case .setOperation(_, _, let spec): return spec.intersect ? "Intersect" : "Except (remove)"
        case .append: return "Union all (append)"
        case .loop: return "Loop (recursive union; the body is the second child)"
        case .groupApply(_, let keys, _):
            return "Group by {" + keys.map(\.name).joined(separator: ", ") + "} (the body, the second child, per group)"
        case .inMemory(_, let t): return t.kind.rawValue.capitalized + " " + text(node, t.step.span)
        case .deferred(_, let d): return "Then \(d.steps.count) step\(d.steps.count == 1 ? "" : "s") resolved on the data's columns"
        case .materialize(_, let name, _): return "Let \(name) (computed once, then kept)"
        case .remote(let query):
            return "Remote on `\(query.connection.name)` (PostgreSQL): the steps below run there as this SQL; only the result comes back"
        }
    }

    private static func describe(_ frame: WindowFrame) -> String {
        func end(_ v: Double?) -> String {
            guard let v else { return "" }
            return v == v.rounded() ? String(Int(v)) : String(v)
        }
        return "over \(frame.mode == .rows ? "rows" : "range") \(end(frame.lower))..\(end(frame.upper))"
    }
}

extension BoundExpr {
    /// The expression as the language writes it, over the columns of `schema` (for `.explain`:
    /// a folded constant shows its value, a pushed-down term shows itself).
    func written(_ schema: PlanSchema) -> String {
        func name(_ i: Int) -> String { i < schema.count ? schema.names[i] : "#\(i)" }
        func sub(_ e: BoundExpr) -> String {
            switch e {
            case .column, .constant, .function, .aggregate, .window, .format: return e.written(schema)
            default: return "(" + e.written(schema) + ")"
            }
        }
        switch self {
        case .column(let i, _): return name(i)
        case .constant(let value, _):
            switch value {
            case .null: return "null"
            case .int(let v): return String(v)
            case .float(let v): return Column.formatFloat(v)
            case .bool(let b): return String(b)
            case .text(let s): return "\"" + s + "\""
            case .date(let d): return "@" + CivilDate.format(days: d)
            case .timestamp(let t): return "@" + CivilDate.format(micros: t)
            }
        case .unary(let op, let e, _): return (op == .not ? "!" : "-") + sub(e)
        case .binary(let op, let a, let b, _): return sub(a) + " " + op.symbol + " " + sub(b)
        case .function(let f, let args, _): return ([f.name] + args.map(sub)).joined(separator: " ")
        case .cast(let e, let t): return sub(e) + " | as " + t.rawValue
        case .caseWhen(let arms, _):
            return "case [" + arms.map { $0.0.written(schema) + " => " + $0.1.written(schema) }.joined(separator: ", ") + "]"
        case .inRange(let e, let a, let b):
            return sub(e) + " | in " + (a.map(sub) ?? "") + ".." + (b.map(sub) ?? "")
        case .inList(let e, let list): return sub(e) + " | in [" + list.map { $0.written(schema) }.joined(separator: ", ") + "]"
        case .isNull(let e, let negated): return sub(e) + (negated ? " != null" : " == null")
        case .aggregate(let call, _): return call.name + " " + (call.argument.map(sub) ?? "this")
        case .window(let call, _): return call.kind.rawValue + (call.argument.map { " " + sub($0) } ?? "")
        case .format(let parts): return "f\"" + parts.map { "{" + $0.written(schema) + "}" }.joined() + "\""
        case .sql(let text, let parts, _):
            var out = "s\"" + (text.first ?? "")
            for (i, part) in parts.enumerated() { out += "{" + part.written(schema) + "}" + (i + 1 < text.count ? text[i + 1] : "") }
            return out + "\""
        }
    }
}
