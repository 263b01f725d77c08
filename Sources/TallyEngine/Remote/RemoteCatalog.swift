/// The tables and views a connection offers, read from `information_schema` in one query, and
/// the names they get in Tally: `pg.table` for a table of a schema on the search path (the first
/// such schema wins, as in PostgreSQL), `pg.schema.table` for the others.
enum RemoteCatalog {
    static let columnsQuery = """
        SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.udt_name,
               c.numeric_precision, c.numeric_scale, c.is_nullable,
               COALESCE(array_position(current_schemas(false), c.table_schema::name), 0)
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg\\_%'
        ORDER BY c.table_schema, c.table_name, c.ordinal_position
        """

    struct Listed {
        var name: String
        var table: RemoteTable
        /// Position of its schema on the search path (1 first), 0 when not on it.
        var pathRank: Int
    }

    /// Every table and view, with its Tally name.
    static func tables(of connection: PostgresConnection, cancel: CancellationCheck = .never) throws -> [Listed] {
        let rows = try connection.textRows(columnsQuery, cancel: cancel)
        var listed: [Listed] = []
        var current: (schema: String, table: String, kind: String, rank: Int, columns: [RemoteTable.RemoteColumn])?
        func flush() {
            guard let c = current else { return }
            let table = RemoteTable(connection: connection, schemaName: c.schema, tableName: c.table, kind: c.kind, columns: c.columns)
            listed.append(Listed(name: "", table: table, pathRank: c.rank))
        }
        for row in rows where row.count >= 10 {
            let schema = row[0] ?? "", table = row[1] ?? ""
            if current?.schema != schema || current?.table != table {
                flush()
                current = (schema, table, kind(row[2] ?? ""), Int(row[9] ?? "0") ?? 0, [])
            }
            let type = PostgresTypes.tallyType(dataType: row[4] ?? "", udtName: row[5] ?? "",
                                               precision: row[6].flatMap { Int($0) }, scale: row[7].flatMap { Int($0) })
            let databaseType = (row[4] == "USER-DEFINED" || row[4] == "ARRAY") ? (row[5] ?? "") : (row[4] ?? "")
            current?.columns.append(RemoteTable.RemoteColumn(name: row[3] ?? "", databaseType: databaseType,
                                                              type: try? type.get(), nullable: row[8] == "YES"))
        }
        flush()
        // Short names for the search path, the first schema on it winning.
        var shortTaken: [String: Int] = [:]
        for item in listed where item.pathRank > 0 {
            let best = shortTaken[item.table.tableName]
            if best == nil || item.pathRank < best ?? Int.max { shortTaken[item.table.tableName] = item.pathRank }
        }
        return listed.map { item in
            var item = item
            let prefix = connection.name + "."
            if item.pathRank > 0, shortTaken[item.table.tableName] == item.pathRank {
                item.name = prefix + item.table.tableName
            } else {
                item.name = prefix + item.table.schemaName + "." + item.table.tableName
            }
            return item
        }
    }

    static func kind(_ tableType: String) -> String {
        switch tableType {
        case "BASE TABLE": return "table"
        case "VIEW": return "view"
        case "FOREIGN": return "foreign table"
        case "LOCAL TEMPORARY": return "temporary table"
        default: return tableType.lowercased()
        }
    }
}
