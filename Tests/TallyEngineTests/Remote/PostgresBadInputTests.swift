import Foundation
import Testing
@testable import TallyEngine

/// Connections and remote queries that go wrong: each gives a clear message, never shows the
/// password, and leaves the session usable.
@Suite("PostgreSQL: bad inputs")
struct PostgresBadInputTests {
    @Test func connectionRefusedSaysSo() throws {
        let port = try PostgresServer.freePort()
        let session = Session()
        let error = #expect(throws: TallyError.self) { try session.connect("postgres://u:hunter2@127.0.0.1:\(port)/db", as: "pg") }
        #expect(error?.message.contains("cannot reach u@127.0.0.1:\(port)/db") == true, "\(String(describing: error))")
        #expect(error?.rendered().contains("hunter2") == false)
        // The session goes on.
        #expect(try session.query("from [{x = 1}]").rowCount == 1)
    }

    /// A host that accepts the TCP connection but never answers: `connect_timeout` ends the wait.
    @Test func silentHostTimesOutInSeconds() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        _ = listen(fd, 8)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let start = Date()
        let error = #expect(throws: TallyError.self) {
            try Session().connect("host=127.0.0.1 port=\(port) dbname=db user=u connect_timeout=2 sslmode=disable", as: "pg")
        }
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(error?.message.contains("no answer within 2 s") == true, "\(String(describing: error))")
    }

    @Test func wrongPasswordSaysAuthenticationFailed() throws {
        guard let server = PostgresServer.available() else { return }
        let error = #expect(throws: TallyError.self) {
            try Session().connect("postgres://\(server.user):not-the-password@127.0.0.1:\(server.port)/\(server.database)", as: "pg")
        }
        #expect(error?.message == "authentication failed for \(server.user)@127.0.0.1:\(server.port)/\(server.database)")
        #expect(error?.rendered().contains("not-the-password") == false)
    }

    @Test func missingDatabaseSaysSo() throws {
        guard let server = PostgresServer.available() else { return }
        let error = #expect(throws: TallyError.self) { try Session().connect(server.url(database: "no_such_db"), as: "pg") }
        #expect(error?.message.hasPrefix("database `no_such_db` does not exist") == true, "\(String(describing: error))")
        #expect(error?.rendered().contains(server.password) == false)
    }

    @Test func missingTableIsNamed() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let error = #expect(throws: TallyError.self) { try session.query("from pg.student_aidd | take 1") }
        #expect(error?.message == "unknown table `pg.student_aidd`")
        #expect(error?.hint == "did you mean `pg.student_aid`?")
    }

    @Test func typeTallyLacksNamesTheColumn() throws {
        guard let server = PostgresServer.available() else { return }
        let session = Session()
        guard case .message(let connected) = try session.run(".connect \(server.url) as pg") else { Issue.record("no message"); return }
        #expect(connected.contains("column `payload` of `pg.events` has type jsonb, which Tally does not have"))
        let error = #expect(throws: TallyError.self) { try session.query("from pg.events | select {id, payload}") }
        #expect(error?.message == "column `payload` has type jsonb in the database, which Tally does not have")
        // The other columns read, each in its mapped type.
        let table = try session.query("from pg.events | sort id")
        #expect(table.names == ["id", "at", "amount", "code", "label", "flag"])
        #expect(table.columns.map(\.type) == [.int, .timestamp, .float, .text, .text, .text])
        #expect(table[0, "at"] == .timestamp(1_714_528_800_000_000))  // 10:00 at +08 is 02:00 UTC
        #expect(table[0, "amount"] == .float(12.5))
        #expect(table[0, "code"] == .text("123456789012345678901234567890"))
        #expect(table[0, "flag"] == .text("ab"))
        let schema = try session.run(".schema pg.events").table
        #expect(schema?.rowCount == 7)
        #expect(schema?[1, "note"] == .text("Tally has no jsonb type: left out (cast it in a view, e.g. `payload::text`)"))
        session.connection("pg")?.close()
    }

    @Test func serverErrorInsideAQuery() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let error = #expect(throws: TallyError.self) { try session.query("from pg.counties | derive n = (county | as int) | take 3") }
        #expect(error?.message.hasPrefix("the database `pg` refused the query: invalid input syntax for type bigint") == true,
                "\(String(describing: error))")
        #expect(error?.message.contains("SQLSTATE 22P02") == true)
        // The connection is still good.
        #expect(try session.query("from pg.counties | aggregate {n = count this}")[0, "n"] == .int(111))
    }

    @Test func killedConnectionIsAnErrorAndConnectAgainWorks() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        let admin = try server.session(name: "admin")
        defer { admin.connection("admin")?.close(); session.connection("pg")?.close() }
        let pid = session.connection("pg")?.backendPID ?? 0
        #expect(pid > 0)
        _ = try admin.connection("admin")?.textRows("SELECT pg_terminate_backend(\(pid))")
        let error = #expect(throws: TallyError.self) { try session.query("from pg.counties | take 1") }
        #expect(error?.message.hasPrefix("the connection `pg` to \(server.user)@127.0.0.1:\(server.port)/\(server.database) was lost") == true,
                "\(String(describing: error))")
        #expect(error?.hint?.contains(".connect postgres://\(server.user)@127.0.0.1:\(server.port)/\(server.database) as pg") == true)
        #expect(error?.rendered().contains(server.password) == false)
        _ = try session.run(".connect \(server.url) as pg")
        #expect(try session.query("from pg.counties | take 1").rowCount == 1)
    }

    @Test func ctrlCCancelsARemoteQuery() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let start = Date()
        session.cancellation = CancellationCheck { Date().timeIntervalSince(start) > 0.5 }
        let error = #expect(throws: TallyError.self) { try session.query("from pg.slow | aggregate {n = count this}") }
        #expect(error?.kind == .cancelled)
        #expect(Date().timeIntervalSince(start) < 10, "the query was not cancelled (the view sleeps 30 s)")
        session.cancellation = .never
        #expect(try session.query("from pg.counties | aggregate {n = count this}")[0, "n"] == .int(111))
    }
}

/// The parts that need no server: connection strings and their redaction.
@Suite("PostgreSQL: connection strings")
struct ConnectionStringTests {
    @Test func urlPasswordIsRedacted() throws {
        let s = try ConnectionString("postgres://alice:s3cr3t@db.example:6432/plan?sslmode=require")
        #expect(s.redacted == "postgres://alice@db.example:6432/plan?sslmode=require")
        #expect(s.target == "alice@db.example:6432/plan")
        #expect(try ConnectionString("postgresql://bob:pw@h/db?password=pw2&application_name=x").redacted
                == "postgresql://bob@h/db?application_name=x")
    }

    @Test func keywordPasswordIsRedacted() throws {
        let s = try ConnectionString("host=h port=5433 password='a b\\'c' dbname=plan user=u")
        #expect(s.redacted == "host=h port=5433 dbname=plan user=u")
        #expect(s.options["dbname"] == "plan")
    }

    @Test func badStringSaysWhat() {
        let error = #expect(throws: TallyError.self) { try ConnectionString("host=h nonsense_option=1") }
        #expect(error?.message.contains("cannot read the connection string") == true)
    }

    @Test func connectCommandIsRedactedForHistory() {
        #expect(ConnectionString.redactedStatement(".connect postgres://a:pw@h/db as pg") == ".connect postgres://a@h/db as pg")
        #expect(ConnectionString.redactedStatement(".connect \"host=h password=pw dbname=d\" as w") == ".connect \"host=h dbname=d\" as w")
        #expect(ConnectionString.redactedStatement("from aid") == "from aid")
    }
}
