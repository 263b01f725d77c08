/// A table or view of a connected database, as the catalog lists it: where it lives, its columns
/// with their database types, and the schema queries see (the columns Tally has a type for).
public struct RemoteTable: Sendable {
    public struct RemoteColumn: Sendable {
        public var name: String
        /// As `information_schema.columns.data_type` says (`integer`, `numeric`, `jsonb`).
        public var databaseType: String
        /// Nil for a type Tally does not have (the column is left out of queries).
        public var type: DataType?
        public var nullable: Bool
    }

    public let connection: PostgresConnection
    public let schemaName: String
    public let tableName: String
    /// `table`, `view`, `foreign table`, … (`information_schema.tables.table_type`, lowercased).
    public let kind: String
    public let columns: [RemoteColumn]
    /// For `from s"SELECT …"`: the query whose rows stand for the table.
    public var query: String? = nil

    /// `"schema"."table"`, as the SQL names it (a query as a subquery).
    var sqlName: String {
        if let query { return "(" + query + "\n) AS q" }
        return PostgresTypes.quoteIdentifier(schemaName) + "." + PostgresTypes.quoteIdentifier(tableName)
    }

    /// The columns queries see, in the table's order.
    var readable: [RemoteColumn] { columns.filter { $0.type != nil } }

    var planSchema: PlanSchema {
        let cols = readable
        var schema = PlanSchema(names: cols.map(\.name), types: cols.compactMap(\.type),
                                qualifiers: [String?](repeating: nil, count: cols.count))
        for column in columns where column.type == nil { schema.unavailable[column.name] = column.databaseType }
        return schema
    }

    /// `SELECT "a"::bigint AS c0, …`: the readable columns cast to the types the decoder reads,
    /// named by position.
    var selectList: [String] {
        readable.enumerated().map { i, column in
            PostgresTypes.quoteIdentifier(column.name) + "::" + PostgresTypes.sqlType(column.type ?? .text) + " AS c\(i)"
        }
    }

    /// The note `.connect` and `.schema` give about a column Tally cannot read.
    static func unavailableNote(column: String, type: String, table: String) -> String {
        "column `\(column)` of `\(table)` has type \(type), which Tally does not have: it is left out of queries"
            + " (a view with `\(column)::text` reads it as text)"
    }
}

extension RemoteTable {
    /// The whole table, pulled into columns (what a scan gives when nothing above it is sent
    /// along).
    func fetchAll(cancel: CancellationCheck) throws -> Table {
        let schema = planSchema
        return try connection.query("SELECT " + (selectList.isEmpty ? "" : selectList.joined(separator: ", ")) + " FROM " + sqlName,
                                    names: schema.names, types: schema.types, cancel: cancel)
    }
}
