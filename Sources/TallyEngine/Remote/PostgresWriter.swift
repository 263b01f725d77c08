/// `.export pg.new_table` and `.store NAME into pg.new_table`: a table written into a connected database. The table is created with
/// the PostgreSQL type of each column's Tally type and filled by `COPY … FROM STDIN`, all inside
/// one transaction, so the database has all the rows or none; an existing table is replaced only
/// when asked.
enum PostgresWriter {
    /// Bytes of COPY text sent at a time.
    static let chunkBytes = 1 << 20

    /// Writes `table` as `schema.name` (`schema` nil: the first schema of the search path).
    static func write(_ table: Table, schema: String?, name: String, replace: Bool, connection: PostgresConnection,
                      cancel: CancellationCheck, command: String = ".export") throws {
        var seen = Set<String>()
        for column in table.names where !seen.insert(column).inserted {
            throw TallyError(.usage, "the result has two columns named `\(column)`",
                             hint: "rename one with `select` before writing it to a database table")
        }
        guard table.columnCount > 0 else { throw TallyError(.usage, "the result has no columns to write") }
        let qualified = (schema.map { PostgresTypes.quoteIdentifier($0) + "." } ?? "") + PostgresTypes.quoteIdentifier(name)
        let shown = "\(connection.name).\(schema.map { $0 + "." } ?? "")\(name)"
        let exists = try connection.textRows("SELECT to_regclass($1) IS NOT NULL", parameters: [qualified], cancel: cancel)
        if exists.first?.first == "t", !replace {
            throw TallyError(.usage, "`\(shown)` exists already; `\(command)` does not replace it",
                             hint: "add `replace:true` to replace it, or write it under another name")
        }
        let columns = zip(table.names, table.columns).map { PostgresTypes.quoteIdentifier($0) + " " + PostgresTypes.sqlType($1.type) }
        try connection.execute("BEGIN", cancel: cancel)
        do {
            if replace { try connection.execute("DROP TABLE IF EXISTS " + qualified, cancel: cancel) }
            try connection.execute("CREATE TABLE " + qualified + " (" + columns.joined(separator: ", ") + ")", cancel: cancel)
            try connection.copyIn("COPY " + qualified + " FROM STDIN", chunks: { send in
                var buffer: [UInt8] = []
                buffer.reserveCapacity(chunkBytes + 4096)
                for row in 0..<table.rowCount {
                    for (c, column) in table.columns.enumerated() {
                        if c > 0 { buffer.append(0x09) }
                        appendCopyText(column, row, into: &buffer)
                    }
                    buffer.append(0x0A)
                    if buffer.count >= chunkBytes {
                        try buffer.withUnsafeBytes { try send($0) }
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                if !buffer.isEmpty { try buffer.withUnsafeBytes { try send($0) } }
            }, cancel: cancel)
            try connection.execute("COMMIT", cancel: cancel)
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// One value in COPY's text format: `\N` for null; backslash, tab, newline and carriage return
    /// escaped in text.
    static func appendCopyText(_ column: Column, _ row: Int, into buffer: inout [UInt8]) {
        if column.isNull(row) {
            buffer.append(contentsOf: [0x5C, 0x4E])
            return
        }
        switch column.values {
        case .int(let v): buffer.append(contentsOf: String(v[row]).utf8)
        case .float(let v):
            let x = v[row]
            let text = x.isNaN ? "NaN" : x.isInfinite ? (x < 0 ? "-Infinity" : "Infinity") : String(x)
            buffer.append(contentsOf: text.utf8)
        case .bool(let v): buffer.append(v[row] ? 0x74 : 0x66)
        case .date(let v): buffer.append(contentsOf: CivilDate.format(days: v[row]).utf8)
        case .timestamp(let v): buffer.append(contentsOf: CivilDate.format(micros: v[row]).utf8)
        case .text(let codes, let dictionary):
            for byte in dictionary[codes[row]].utf8 {
                switch byte {
                case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
                case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
                default: buffer.append(byte)
                }
            }
        }
    }
}
