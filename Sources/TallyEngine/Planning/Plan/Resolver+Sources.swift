/// Where relations come from: `from`, names of tables and `let` relations, files, literals.
extension Resolver {
    func from(_ args: [CallArgument], _ step: Expr) throws -> PlanNode {
        guard args.count == 1, let arg = args.first?.value else {
            throw error(.parse, "`from` takes one table", step.span, hint: "e.g. `from counties` or `from c = counties`")
        }
        let (alias, target) = Resolver.aliasAndTarget(arg)
        switch target.kind {
        case .ident(let path):
            return try namedRelation(path, alias: alias, span: target.span)
        case .pipeline:
            return aliased(try resolve(target), alias, target.span)
        case .array:
            return aliased(try relationLiteral(target), alias, target.span)
        case .sString(let parts):
            return aliased(try sqlRelation(parts, target), alias, target.span)
        case .call(let callee, let callArgs):
            guard case .ident(let path) = callee.kind, path.count == 1, QueryRunner.sourceFunctions.contains(path[0]) else {
                throw error(.parse, "`from` takes a table, a relation literal or `read_csv \"file\"`", target.span)
            }
            return try sourceRelation(path[0], callArgs, target, alias: alias)
        default:
            throw error(.parse, "`from` takes a table, a relation literal or `read_csv \"file\"`", target.span)
        }
    }

    /// `c = counties` as the alias and what it names; a relation without `name =` has no alias.
    static func aliasAndTarget(_ expr: Expr) -> (alias: String?, target: Expr) {
        if case .assign(let name, let value) = expr.kind { return (name, value) }
        return (nil, expr)
    }

    /// `plan` under the relation alias `alias`, when one is given.
    func aliased(_ plan: PlanNode, _ alias: String?, _ span: Range<Int>) -> PlanNode {
        guard let alias else { return plan }
        return node(.alias(plan, alias), plan.schema.requalified(alias), span)
    }

    /// A table or `let` relation named in `from` or `join`, its columns qualified by the alias (or
    /// the name itself).
    func namedRelation(_ path: [String], alias: String?, span: Range<Int>) throws -> PlanNode {
        if let parameter = path.count == 2 && path[0] == "_param" ? path[1] : path.count == 1 ? path[0] : nil,
           let relation = context.relationArguments[parameter] {
            return aliased(relation, alias, span)
        }
        let name = path.joined(separator: ".")
        guard let binding = try context.lookup(name) else {
            throw error(.name, "unknown table `\(name)`", span,
                        hint: Suggest.nearest(name, in: context.tableNames()).map { "did you mean `\($0)`?" }
                            ?? "`.tables` lists the tables; `.load FILE as NAME` adds one")
        }
        let qualifier = alias ?? name
        switch binding {
        case .table(let schema, let fetch):
            if schema.sampled { context.samples.used = true }
            return node(.scan(table: name, fetch: fetch), schema.requalified(qualifier), span)
        case .plan(let lazy):
            let computed = node(.materialize(lazy.plan, name: name, lazy), lazy.schema, span)
            return node(.alias(computed, qualifier), lazy.schema.requalified(qualifier), span)
        }
    }

    /// `from s"SELECT …"`: a query the connected database runs, its columns as the database
    /// describes them; the steps after it are sent along with it where they have an SQL form.
    func sqlRelation(_ parts: [FStringPart], _ expr: Expr) throws -> PlanNode {
        var sql = ""
        for part in parts {
            switch part {
            case .text(let text): sql += text
            case .expr(let e):
                throw error(.type, "an s-string in `from` is a whole SQL query, without `{…}` parts", e.span,
                            hint: "write the table and column names in the SQL itself")
            }
        }
        // A query ends where the subquery it becomes closes.
        while let last = sql.last, last == ";" || last.isWhitespace { sql.removeLast() }
        let connections = context.connections.sorted { $0.key < $1.key }
        guard connections.count == 1, let (name, connection) = connections.first else {
            if connections.isEmpty {
                throw error(.type, "s-strings (SQL pass-through) cannot run in memory", expr.span,
                            hint: "an s-string in `from` is a query for a database: `.connect postgres://… as pg` first")
            }
            throw error(.type, "an s-string in `from` runs on the one connected database, and \(connections.count) are connected ("
                        + connections.map(\.key).joined(separator: ", ") + ")", expr.span,
                        hint: "`.disconnect` the others, or start from one of its tables: `from \(connections[0].key).TABLE`")
        }
        let described: [(name: String, oid: UInt32, modifier: Int32)]
        do {
            described = try connection.describeColumns(sql, cancel: context.cancel)
        } catch var e as TallyError where e.kind == .runtime {
            e.message = e.message.replacingOccurrences(of: "refused the query:", with: "rejects this s-string:")
            e.source = source
            e.span = expr.span
            throw e
        }
        var columns: [RemoteTable.RemoteColumn] = []
        for column in described {
            switch PostgresTypes.tallyType(oid: column.oid, modifier: column.modifier) {
            case .success(let type):
                columns.append(.init(name: column.name, databaseType: PostgresTypes.sqlType(type), type: type, nullable: true))
            case .failure(let unsupported):
                throw error(.type, "column `\(column.name)` of this query has type \(unsupported.name), which Tally does not have", expr.span,
                            hint: "cast it in the SQL, e.g. `\(column.name)::text`")
            }
        }
        let remote = RemoteTable(connection: connection, schemaName: "", tableName: "", kind: "query", columns: columns, query: sql)
        let cancel = context.cancel
        let fetch = TableFetch(remote: remote) { try remote.fetchAll(cancel: cancel) }
        return node(.scan(table: name + ".(SQL)", fetch: fetch), remote.planSchema, expr.span)
    }

    /// `read_csv "file"`, `read_json "file"`, `from_text [format:csv|json] "text"`.
    func sourceRelation(_ name: String, _ args: [CallArgument], _ expr: Expr, alias: String?) throws -> PlanNode {
        if name == "read_excel" {
            // A workbook's sheet is read whole when the statement is resolved: its layout (header
            // rows, merged titles) decides the columns.
            let relation = try runner.excelRelation(args, expr, alias: alias)
            var schema = PlanSchema(table: relation.table, qualifier: nil)
            schema.qualifiers = relation.qualifiers
            return node(.values(relation.table), schema, expr.span)
        }
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
            if name == "from_text" {
                let (table, _) = try TableReader.read(text: text, format: format ?? .csv)
                return node(.values(table), PlanSchema(table: table, qualifier: alias), expr.span)
            }
            let path = context.resolvePath(text)
            let options = LoadOptions(format: name == "read_json" ? .json : nil)
            var schema = try SchemaSniffer.schema(path: path, options: options)
            if context.exact, !schema.exact {
                let (table, _) = try TableReader.read(path: path, options: options)
                SchemaSniffer.remember(table, path: path, options: options)
                schema = try SchemaSniffer.schema(path: path, options: options)
            }
            if !schema.exact { context.samples.used = true }
            let qualifier = alias ?? TableReader.tableName(forPath: text)
            return node(.readFile(path: path, format: options.format),
                        PlanSchema(names: schema.names, types: schema.types,
                                   qualifiers: [String?](repeating: qualifier, count: schema.names.count),
                                   nullTyped: schema.nullTyped), expr.span)
        } catch var e as TallyError {
            if e.span == nil { e.source = source; e.span = positional[0].value.span }
            throw e
        }
    }

    /// `[{year = 2021, n = 3}, {year = 2022, n = 5}]`: constants, so the table is made now.
    func relationLiteral(_ expr: Expr) throws -> PlanNode {
        let relation = try runner.relationLiteral(expr)
        return node(.values(relation.table), PlanSchema(table: relation.table, qualifier: nil), expr.span)
    }

    /// A relation given as an argument: `counties`, `c = counties`, `(from … | …)`, a literal.
    func relationArgument(_ expr: Expr) throws -> PlanNode {
        let (alias, target) = Resolver.aliasAndTarget(expr)
        switch target.kind {
        case .ident(let path):
            return try namedRelation(path, alias: alias, span: target.span)
        case .pipeline:
            return aliased(try resolve(target), alias, target.span)
        case .call, .array:
            return aliased(try resolve(Expr(.pipeline([target]), span: target.span)), alias, target.span)
        default:
            throw error(.parse, "expected a relation: a table name or a pipeline in parentheses", target.span,
                        hint: "e.g. `counties` or `(from counties | filter key_county)`")
        }
    }
}
