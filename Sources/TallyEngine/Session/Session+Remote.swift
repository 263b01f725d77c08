import Foundation

/// Connected databases: `.connect URL as NAME`, `.disconnect NAME`, their tables in the catalog,
/// `.schema` of a database table, `.export NAME.table`.
extension Session {
    /// `.connect URL [as NAME]` (NAME defaults to `pg`): connects now, so a wrong host, password or
    /// database is said at once, and lists the database's tables as `NAME.table`.
    func connect(_ command: CommandWords) throws -> String {
        let example = "e.g. `.connect postgres://user@localhost:5432/db as pg`"
        // Read from the text itself: a URL's `scheme://user:pw@…` is not a `key:value` option.
        guard let (url, rest) = Session.connectionWords(command.rest) else {
            throw TallyError(.usage, "`.connect` needs a connection string", hint: example)
        }
        var name = "pg"
        if !rest.isEmpty {
            guard rest.count == 2, rest[0] == "as" else {
                throw TallyError(.usage, "unexpected `\(rest.joined(separator: " "))` after the connection string",
                                 hint: "write `.connect URL as NAME`; a key=value string goes in quotes: `.connect \"host=h dbname=d\" as pg`")
            }
            name = rest[1]
        }
        return try connect(url, as: name)
    }

    /// The connection string (quoted or not) and the words after it.
    static func connectionWords(_ text: String) -> (String, [String])? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return nil }
        var url = "", rest = Substring("")
        if first == "\"" || first == "'" {
            let body = trimmed.dropFirst()
            guard let close = body.firstIndex(of: first) else { return nil }
            url = String(body[..<close])
            rest = body[body.index(after: close)...]
        } else {
            let end = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? trimmed.endIndex
            url = String(trimmed[..<end])
            rest = trimmed[end...]
        }
        guard !url.isEmpty else { return nil }
        return (url, rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }

    /// Connects `url` as `name`, replacing an earlier connection of that name.
    public func connect(_ url: String, as name: String) throws -> String {
        try Session.checkTableName(name)
        let string = try ConnectionString(url)
        let connection = try PostgresConnection(name: name, string, askPassword: passwordPrompt)
        let listed: [RemoteCatalog.Listed]
        do {
            listed = try RemoteCatalog.tables(of: connection, cancel: cancellation)
        } catch {
            connection.close()
            throw error
        }
        return locked {
            if let old = connections[name] {
                old.close()
                catalog.removeRemote(connection: name)
            }
            connections[name] = connection
            for item in listed { catalog.register(name: item.name, remote: item.table) }
            let version = connection.serverVersion
            let versionText = version > 0 ? " (PostgreSQL \(version / 10000).\(version % 10000))" : ""
            var message = "connected `\(name)` to \(string.redacted)\(versionText): \(listed.count) table\(listed.count == 1 ? "" : "s") and views,"
                + " listed by `.tables` as `\(name).TABLE`; queries on them run there"
            for item in listed {
                for column in item.table.columns where column.type == nil {
                    message += "\nnote: " + RemoteTable.unavailableNote(column: column.name, type: column.databaseType, table: item.name)
                }
            }
            return message
        }
    }

    /// `.disconnect NAME`.
    func disconnect(_ command: CommandWords) throws -> String {
        guard let name = command.positional.first, command.positional.count == 1 else {
            throw TallyError(.usage, "`.disconnect` needs the name of a connection",
                             hint: connectionNames.isEmpty ? "no database is connected" : "connected: " + connectionNames.joined(separator: ", "))
        }
        try disconnect(name)
        return "disconnected `\(name)`"
    }

    public func disconnect(_ name: String) throws {
        try locked {
            guard let connection = connections[name] else {
                throw TallyError(.usage, "no connection named `\(name)`",
                                 hint: connectionNames.isEmpty ? "no database is connected"
                                    : Suggest.nearest(name, in: connectionNames).map { "did you mean `\($0)`?" }
                                    ?? "connected: " + connectionNames.joined(separator: ", "))
            }
            connection.close()
            connections[name] = nil
            catalog.removeRemote(connection: name)
        }
    }

    /// Names of the connected databases, sorted.
    public var connectionNames: [String] { connections.keys.sorted() }

    /// The connection called `name`.
    public func connection(_ name: String) -> PostgresConnection? { connections[name] }

    /// Lists a connection's tables again (after `.export` made one).
    func refreshTables(_ connection: PostgresConnection) throws {
        let listed = try RemoteCatalog.tables(of: connection, cancel: cancellation)
        locked {
            catalog.removeRemote(connection: connection.name)
            for item in listed { catalog.register(name: item.name, remote: item.table) }
        }
    }

    /// `.schema pg.table`: the columns as `information_schema` gives them now, with the Tally type
    /// each is read as.
    func remoteSchemaTable(_ remote: RemoteTable) throws -> Table {
        let rows = try remote.connection.textRows("""
            SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale, is_nullable
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position
            """, parameters: [remote.schemaName, remote.tableName], cancel: cancellation)
        var names: [String?] = [], types: [String?] = [], databaseTypes: [String?] = [], nullable: [Bool?] = [], notes: [String?] = []
        for row in rows where row.count >= 6 {
            let dataType = row[1] ?? ""
            let shownType = (dataType == "USER-DEFINED" || dataType == "ARRAY") ? (row[2] ?? dataType) : dataType
            names.append(row[0])
            databaseTypes.append(shownType)
            nullable.append(row[5] == "YES")
            switch PostgresTypes.tallyType(dataType: dataType, udtName: row[2] ?? "", precision: row[3].flatMap { Int($0) },
                                           scale: row[4].flatMap { Int($0) }) {
            case .success(let type):
                types.append(type.rawValue)
                if (dataType == "numeric" || dataType == "decimal") {
                    notes.append(type == .text ? "more digits than a float holds: read as text" : "read as float")
                } else if dataType == "timestamp with time zone" {
                    notes.append("read in UTC")
                } else {
                    notes.append(nil)
                }
            case .failure:
                types.append(nil)
                notes.append("Tally has no \(shownType) type: left out (cast it in a view, e.g. `\(row[0] ?? "x")::text`)")
            }
        }
        return try Table(names: ["column", "type", "database_type", "nullable", "note"],
                         columns: [Column(texts: names), Column(texts: types), Column(texts: databaseTypes),
                                   Column(bools: nullable), Column(texts: notes)])
    }

    /// `pg.table` / `pg.schema.table` when `pg` is a connection: where `.export` writes.
    func databaseTarget(_ path: String) -> (connection: PostgresConnection, schema: String?, table: String)? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, let connection = connections[parts[0]],
              parts.allSatisfy({ !$0.isEmpty && !$0.contains("/") }) else { return nil }
        return parts.count == 2 ? (connection, nil, parts[1]) : (connection, parts[1], parts[2])
    }

    /// `.export pg.new_table [replace:true]`: the last result as a new table of the database.
    func exportToDatabase(_ command: CommandWords, _ target: (connection: PostgresConnection, schema: String?, table: String))
        throws -> StatementResult {
        for option in command.options where option.key != "replace" {
            throw TallyError(.usage, "unknown option `\(option.key):` of `.export` to a database", hint: "only `replace:true`")
        }
        let replace = try Session.boolOption(command, "replace") ?? false
        guard let table = lastResult else {
            throw TallyError(.usage, "nothing to export yet", hint: "run a query first; `.export` writes its result")
        }
        try PostgresWriter.write(table, schema: target.schema, name: target.table, replace: replace,
                                 connection: target.connection, cancel: cancellation)
        try refreshTables(target.connection)
        let shown = "\(target.connection.name).\(target.schema.map { $0 + "." } ?? "")\(target.table)"
        return .message("exported \(table.rowCount.formatted(grouping: true)) row\(table.rowCount == 1 ? "" : "s") to the table `\(shown)`")
    }
    /// `.store NAME into pg.table [replace:true]`: a table or `let` relation of the session written
    /// as a new table of the database, with the same writer as `.export` (all rows or none; an
    /// existing table only with `replace:true`).
    func store(_ command: CommandWords) throws -> StatementResult {
        let usage = "`.store NAME into CONNECTION.TABLE`, e.g. `.store aid_2023 into pg.aid_2023`"
        guard command.positional.count == 3, command.positional[1] == "into" else {
            throw TallyError(.usage, "`.store` needs a table, `into` and a database table", hint: usage)
        }
        for option in command.options where option.key != "replace" {
            throw TallyError(.usage, "unknown option `\(option.key):` of `.store`", hint: "only `replace:true`")
        }
        let replace = try Session.boolOption(command, "replace") ?? false
        let name = command.positional[0], path = command.positional[2]
        guard let target = databaseTarget(path) else {
            let first = path.split(separator: ".").first.map(String.init) ?? path
            throw TallyError(.usage, "`\(path)` is not a table of a connected database",
                             hint: connectionNames.isEmpty
                                ? "connect one first: `.connect postgres://user@host/db as pg`, then `.store \(name) into pg.TABLE`"
                                : (path.contains(".") ? "no connection named `\(first)`; connected: " : "write CONNECTION.TABLE; connected: ")
                                    + connectionNames.joined(separator: ", "))
        }
        guard catalog.contains(name) else {
            if declarations.scalars[name] != nil || declarations.functions[name] != nil {
                throw TallyError(.usage, "`\(name)` is a value declared with `let`, not a table",
                                 hint: "`.store` writes a table or a relation: `let \(name) = (from …)`")
            }
            throw TallyError(.name, "unknown table `\(name)`",
                             hint: Suggest.nearest(name, in: catalog.names).map { "did you mean `\($0)`? (`.tables` lists them)" }
                                ?? "`.tables` lists the tables; `let \(name) = (from …)` binds a relation")
        }
        let table = try catalog.table(name, cancel: cancellation)
        try PostgresWriter.write(table, schema: target.schema, name: target.table, replace: replace,
                                 connection: target.connection, cancel: cancellation, command: ".store")
        try refreshTables(target.connection)
        let shown = "\(target.connection.name).\(target.schema.map { $0 + "." } ?? "")\(target.table)"
        return .message("stored \(table.rowCount.formatted(grouping: true)) row\(table.rowCount == 1 ? "" : "s") of `\(name)` in the table `\(shown)`")
    }
}
