import CLibPQ
import Foundation

/// One open connection to a PostgreSQL-compatible server, through libpq.
///
/// Queries go out asynchronously (`PQsendQuery`) so that the statement's thread can keep polling
/// the user's Ctrl-C and send `PQcancel` while the server works; results come back as `COPY …
/// TO STDOUT (FORMAT binary)` and are decoded straight into typed columns as the rows stream in.
/// One statement uses the connection at a time (the lock); a lost connection stays lost, and the
/// user connects again.
public final class PostgresConnection: @unchecked Sendable {
    /// The name queries use (`pg` in `from pg.student_aid`).
    public let name: String
    public let connectionString: ConnectionString
    /// The server's version number (150004 for 15.4).
    public private(set) var serverVersion: Int = 0
    /// Guarded by `lock`.
    private var connection: OpaquePointer?
    private var lost: String?
    private let lock = NSLock()

    /// How long one wait for the server lasts before the cancellation flag is looked at again.
    static let pollMilliseconds: Int32 = 50

    /// Connects at once: an unreachable host, a wrong password or a missing database is an error
    /// here, not at the first query.
    ///
    /// When the server wants a password and none was given (in the string, `PGPASSWORD` or
    /// `~/.pgpass`), `askPassword` is called once with the prompt to show (`Password for
    /// user@host: `) and the connection is tried again with what it returns; without it (a script,
    /// a pipe) that is an error saying how to give the password. `askPassword` returning nil (Ctrl-D,
    /// an empty line) leaves the database unconnected.
    public init(name: String, _ connectionString: ConnectionString,
                askPassword: ((_ prompt: String) throws -> String?)? = nil) throws {
        self.name = name
        var string = connectionString
        var conn = try PostgresConnection.open(string)
        if PQstatus(conn) != CONNECTION_OK, PQconnectionNeedsPassword(conn) == 1 {
            let user = PQuser(conn).map { String(cString: $0) } ?? ""
            let host = PQhost(conn).map { String(cString: $0) } ?? ""
            PQfinish(conn)
            guard let askPassword else { throw PostgresConnection.passwordNeededError(string) }
            let prompt = "Password for " + (user.isEmpty ? "" : user + "@") + (host.isEmpty ? "localhost" : host) + ": "
            guard let typed = try askPassword(prompt), !typed.isEmpty else {
                throw TallyError(.usage, "no password given: `\(name)` is not connected to \(string.target)",
                                 hint: "type the password at the prompt, or set PGPASSWORD or ~/.pgpass")
            }
            string = string.with(typedPassword: typed)
            conn = try PostgresConnection.open(string)
        }
        self.connectionString = string
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn))
            PQfinish(conn)
            throw PostgresConnection.connectError(message, string)
        }
        self.connection = conn
        serverVersion = Int(PQserverVersion(conn))
        // Text sent as literals means what it says; timestamps with a zone come back in UTC, as
        // Tally's timestamps have no zone; floats come back exact (binary anyway).
        do {
            try execute("SET standard_conforming_strings = on; SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET client_encoding = 'UTF8'")
        } catch {
            PQfinish(conn)
            self.connection = nil
            throw error
        }
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    /// A libpq connection attempt with `string`'s parameters (finished or failed, never nil).
    private static func open(_ string: ConnectionString) throws -> OpaquePointer {
        let parameters = string.connectParameters
        let conn: OpaquePointer? = ConnectionString.withCStrings(parameters.map(\.0)) { keys in
            ConnectionString.withCStrings(parameters.map(\.1)) { values in
                PQconnectdbParams(keys, values, 1)
            }
        }
        guard let conn else {
            throw TallyError(.io, "cannot connect to \(string.redacted): out of memory")
        }
        return conn
    }

    /// The server asks for a password and nothing gave one, outside the interactive shell.
    static func passwordNeededError(_ string: ConnectionString) -> TallyError {
        TallyError(.io, "\(string.target) needs a password and none was given",
                   hint: "set PGPASSWORD, add a line `host:port:database:user:password` to ~/.pgpass (chmod 600), "
                    + "or give it in the URL (postgres://user:PASSWORD@host/db); the interactive shell asks for it")
    }

    /// Closes the connection; later uses are errors.
    public func close() {
        lock.lock(); defer { lock.unlock() }
        if let connection { PQfinish(connection) }
        connection = nil
        lost = "the connection `\(name)` is closed"
    }

    /// The server's process id for this connection (tests kill it to lose the connection).
    public var backendPID: Int {
        lock.lock(); defer { lock.unlock() }
        return connection.map { Int(PQbackendPID($0)) } ?? 0
    }

    // MARK: - Errors

    /// A connection failure in plain words, from libpq's message (which never holds the password).
    static func connectError(_ raw: String, _ string: ConnectionString) -> TallyError {
        let message = string.scrub(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        let lower = message.lowercased()
        let target = string.target
        let detail = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        if lower.contains("password authentication failed") || lower.contains("no password supplied")
            || lower.contains("authentication failed") || lower.contains("password is required") {
            return TallyError(.io, "authentication failed for \(target)",
                              hint: "check the user and password (in the URL, PGPASSWORD or ~/.pgpass); server said: \(detail)")
        }
        if let range = lower.range(of: "database \""), lower.contains("does not exist") {
            let rest = message[range.upperBound...]
            let db = rest.prefix { $0 != "\"" }
            return TallyError(.io, "database `\(db)` does not exist on \(target)",
                              hint: "`psql -l` lists the databases; the database is the last part of the URL: postgres://user@host/DATABASE")
        }
        if lower.contains("timeout expired") {
            let seconds = string.options["connect_timeout"] ?? ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"]
                ?? String(ConnectionString.defaultConnectTimeout)
            return TallyError(.io, "cannot reach \(target): no answer within \(seconds) s (connect_timeout)",
                              hint: "check the host and port, and that a firewall lets the connection through")
        }
        if lower.contains("connection refused") {
            return TallyError(.io, "cannot reach \(target): connection refused",
                              hint: "is the server running and listening on that port? server said: \(detail)")
        }
        if lower.contains("could not translate host name") || lower.contains("name or service not known") {
            return TallyError(.io, "cannot reach \(target): unknown host", hint: detail)
        }
        if lower.contains("no such file or directory"), lower.contains("socket") {
            return TallyError(.io, "cannot reach \(target): no server on that socket",
                              hint: "is the server running? give `host=` and `port=` for a TCP connection; server said: \(detail)")
        }
        return TallyError(.io, "cannot connect to \(target): \(detail)")
    }

    /// The error a failed result carries: the server's message, its SQLSTATE, and its hint.
    private func resultError(_ result: OpaquePointer?, _ conn: OpaquePointer) -> TallyError {
        if PQstatus(conn) != CONNECTION_OK {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            lost = "the connection `\(name)` to \(connectionString.target) was lost"
                + (message.isEmpty ? "" : " (" + message.split(separator: "\n").joined(separator: " ") + ")")
            return lostError()
        }
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        let state = field(UInt8(ascii: "C"))
        if state == "57014" { return TallyError.cancelled() }
        let primary = field(UInt8(ascii: "M")) ?? String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
        var hint = [field(UInt8(ascii: "D")), field(UInt8(ascii: "H"))].compactMap { $0 }.joined(separator: "; ")
        if hint.isEmpty { hint = "`.explain` shows the SQL sent" }
        return TallyError(.runtime, "the database `\(name)` refused the query: \(connectionString.scrub(primary))"
                            + (state.map { " (SQLSTATE \($0))" } ?? ""), hint: hint)
    }

    private func lostError() -> TallyError {
        TallyError(.io, lost ?? "the connection `\(name)` was lost",
                   hint: "`.connect \(connectionString.redacted) as \(name)` connects again")
    }

    /// The open connection, or the error saying why there is none.
    private func open() throws -> OpaquePointer {
        if let lost { throw TallyError(.io, lost, hint: "`.connect \(connectionString.redacted) as \(name)` connects again") }
        guard let connection else { throw lostError() }
        if PQstatus(connection) != CONNECTION_OK {
            self.lost = "the connection `\(name)` to \(connectionString.target) was lost"
            throw lostError()
        }
        return connection
    }

    // MARK: - Running statements

    /// Waits until libpq has a whole result, sending a cancel request once if the user asks.
    private func awaitResult(_ conn: OpaquePointer, cancel: CancellationCheck, cancelSent: inout Bool) throws {
        while PQisBusy(conn) == 1 {
            try waitReadable(conn, cancel: cancel, cancelSent: &cancelSent)
        }
    }

    private func waitReadable(_ conn: OpaquePointer, cancel: CancellationCheck, cancelSent: inout Bool) throws {
        if !cancelSent, cancel.isCancelled {
            sendCancel(conn)
            cancelSent = true
        }
        let ready = tally_pq_wait_readable(conn, PostgresConnection.pollMilliseconds)
        if ready < 0 || PQconsumeInput(conn) == 0 {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            lost = "the connection `\(name)` to \(connectionString.target) was lost"
                + (message.isEmpty ? "" : " (" + message.split(separator: "\n").joined(separator: " ") + ")")
            throw lostError()
        }
    }

    /// `PQcancel`: asks the server to stop the running statement; the statement then ends with
    /// SQLSTATE 57014, which becomes Tally's "cancelled".
    private func sendCancel(_ conn: OpaquePointer) {
        guard let handle = PQgetCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &buffer, Int32(buffer.count))
        PQfreeCancel(handle)
    }

    /// Reads the results that remain after a statement, so the connection is ready for the next;
    /// the first error among them is thrown.
    private func drain(_ conn: OpaquePointer, cancel: CancellationCheck, cancelSent: inout Bool) throws {
        var firstError: TallyError?
        while true {
            try awaitResult(conn, cancel: cancel, cancelSent: &cancelSent)
            guard let result = PQgetResult(conn) else { break }
            let status = PQresultStatus(result)
            if status == PGRES_FATAL_ERROR, firstError == nil { firstError = resultError(result, conn) }
            PQclear(result)
        }
        if let firstError { throw firstError }
        if cancelSent { throw TallyError.cancelled() }
    }

    /// Runs statements that give no rows (`SET`, `CREATE TABLE`, `BEGIN`).
    public func execute(_ sql: String, cancel: CancellationCheck = .never) throws {
        lock.lock(); defer { lock.unlock() }
        let conn = try open()
        guard PQsendQuery(conn, sql) == 1 else { throw resultError(nil, conn) }
        var cancelSent = false
        try drain(conn, cancel: cancel, cancelSent: &cancelSent)
    }

    /// Rows of a small catalog query as text (table lists, `information_schema`): parameters are
    /// sent apart from the SQL, never spliced into it.
    public func textRows(_ sql: String, parameters: [String] = [], cancel: CancellationCheck = .never) throws -> [[String?]] {
        lock.lock(); defer { lock.unlock() }
        let conn = try open()
        let sent: Int32 = ConnectionString.withCStrings(parameters) { values in
            PQsendQueryParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw resultError(nil, conn) }
        var cancelSent = false
        var rows: [[String?]] = []
        var firstError: TallyError?
        while true {
            try awaitResult(conn, cancel: cancel, cancelSent: &cancelSent)
            guard let result = PQgetResult(conn) else { break }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK:
                let columns = PQnfields(result)
                for row in 0..<PQntuples(result) {
                    rows.append((0..<columns).map { c in
                        PQgetisnull(result, row, c) == 1 ? nil : String(cString: PQgetvalue(result, row, c))
                    })
                }
            case PGRES_FATAL_ERROR:
                if firstError == nil { firstError = resultError(result, conn) }
            default: break
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        if cancelSent { throw TallyError.cancelled() }
        return rows
    }

    /// The type of each column `sql` gives, as the server describes the prepared statement
    /// without running it: the type's OID and its modifier (a numeric's precision and scale).
    public func describe(_ sql: String, cancel: CancellationCheck = .never) throws -> [(oid: UInt32, modifier: Int32)] {
        try describeColumns(sql, cancel: cancel).map { ($0.oid, $0.modifier) }
    }

    /// The name, type OID and type modifier of each column `sql` gives, described unrun.
    public func describeColumns(_ sql: String, cancel: CancellationCheck = .never) throws -> [(name: String, oid: UInt32, modifier: Int32)] {
        lock.lock(); defer { lock.unlock() }
        let conn = try open()
        var cancelSent = false
        guard PQsendPrepare(conn, "", sql, 0, nil) == 1 else { throw resultError(nil, conn) }
        try drain(conn, cancel: cancel, cancelSent: &cancelSent)
        guard PQsendDescribePrepared(conn, "") == 1 else { throw resultError(nil, conn) }
        var columns: [(name: String, oid: UInt32, modifier: Int32)] = []
        var firstError: TallyError?
        while true {
            try awaitResult(conn, cancel: cancel, cancelSent: &cancelSent)
            guard let result = PQgetResult(conn) else { break }
            if PQresultStatus(result) == PGRES_FATAL_ERROR {
                if firstError == nil { firstError = resultError(result, conn) }
            } else {
                for c in 0..<PQnfields(result) {
                    columns.append((PQfname(result, c).map { String(cString: $0) } ?? "?column?", PQftype(result, c), PQfmod(result, c)))
                }
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        if cancelSent { throw TallyError.cancelled() }
        return columns
    }

    /// A query's rows in Tally's columns: the query is wrapped in `COPY (…) TO STDOUT (FORMAT
    /// binary)` and each row's fields are decoded as they arrive. `types` are the types the SQL
    /// gives its columns (the lowering casts every output column to one of Tally's types).
    public func query(_ sql: String, names: [String], types: [DataType], cancel: CancellationCheck) throws -> Table {
        lock.lock(); defer { lock.unlock() }
        let conn = try open()
        guard PQsendQuery(conn, "COPY (" + sql + ") TO STDOUT (FORMAT binary)") == 1 else { throw resultError(nil, conn) }
        var cancelSent = false
        try awaitResult(conn, cancel: cancel, cancelSent: &cancelSent)
        guard let first = PQgetResult(conn) else { throw lostError() }
        guard PQresultStatus(first) == PGRES_COPY_OUT else {
            let error = PQresultStatus(first) == PGRES_FATAL_ERROR ? resultError(first, conn) : nil
            PQclear(first)
            try drain(conn, cancel: cancel, cancelSent: &cancelSent)
            throw error ?? TallyError(.runtime, "the database `\(name)` sent no rows for the query")
        }
        PQclear(first)
        var decoder = BinaryCopyDecoder(types: types)
        var decodeError: TallyError?
        while true {
            var buffer: UnsafeMutablePointer<CChar>? = nil
            let length = PQgetCopyData(conn, &buffer, 1)
            if length > 0, let buffer {
                if decodeError == nil {
                    do {
                        try decoder.consume(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                    } catch let e as TallyError {
                        // Stop the transfer; the rest is read and dropped.
                        decodeError = e
                        sendCancel(conn)
                        cancelSent = true
                    }
                }
                PQfreemem(buffer)
            } else if length == 0 {
                try waitReadable(conn, cancel: cancel, cancelSent: &cancelSent)
            } else {
                if let buffer { PQfreemem(buffer) }
                break
            }
        }
        do {
            try drain(conn, cancel: cancel, cancelSent: &cancelSent)
        } catch let e as TallyError where decodeError != nil && e.kind == .cancelled {
            // The cancel was ours, after a value that does not decode.
        }
        if let decodeError { throw decodeError }
        return try decoder.table(names: names)
    }

    /// `COPY table FROM STDIN` fed by `chunks` (each a block of COPY text rows), inside whatever
    /// transaction the caller opened.
    public func copyIn(_ sql: String, chunks: (_ send: (UnsafeRawBufferPointer) throws -> Void) throws -> Void,
                       cancel: CancellationCheck) throws {
        lock.lock(); defer { lock.unlock() }
        let conn = try open()
        guard PQsendQuery(conn, sql) == 1 else { throw resultError(nil, conn) }
        var cancelSent = false
        try awaitResult(conn, cancel: cancel, cancelSent: &cancelSent)
        guard let first = PQgetResult(conn) else { throw lostError() }
        guard PQresultStatus(first) == PGRES_COPY_IN else {
            let error = resultError(first, conn)
            PQclear(first)
            try drain(conn, cancel: cancel, cancelSent: &cancelSent)
            throw error
        }
        PQclear(first)
        var failure: Error?
        do {
            try chunks { bytes in
                try cancel.checkpoint()
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
                var status = PQputCopyData(conn, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
                while status == 0 {
                    _ = tally_pq_wait_writable(conn, PostgresConnection.pollMilliseconds)
                    status = PQputCopyData(conn, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
                }
                if status < 0 { throw resultError(nil, conn) }
            }
        } catch {
            failure = error
        }
        if failure != nil {
            _ = PQputCopyEnd(conn, "cancelled by the client")
        } else {
            _ = PQputCopyEnd(conn, nil)
        }
        while PQflush(conn) == 1 { _ = tally_pq_wait_writable(conn, PostgresConnection.pollMilliseconds) }
        do {
            try drain(conn, cancel: failure == nil ? cancel : .never, cancelSent: &cancelSent)
        } catch where failure != nil {
            // The server's answer to our own abort.
        }
        if let failure { throw failure }
    }
}

extension ConnectionString {
    /// Calls `body` with a NULL-terminated array of C strings, valid for the call.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        let duplicates: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { duplicates.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = duplicates.map { $0.map { UnsafePointer($0) } }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
