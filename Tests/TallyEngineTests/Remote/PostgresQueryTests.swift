import Foundation
import Testing
@testable import TallyEngine

/// Where a query runs, and writing to the database.
@Suite("PostgreSQL: queries and writing")
struct PostgresQueryTests {
    @Test func explainShowsTheRemotePartAndItsSQL() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let plan = try session.explain("from pg.student_aid | filter year == 2023 | group county (aggregate {total = sum amount_yuan}) | sort {-total} | take 3")
        #expect(plan.hasPrefix("Remote on `pg` (PostgreSQL)"), "\(plan)")
        #expect(plan.contains("FROM \"public\".\"student_aid\""))
        #expect(plan.contains("GROUP BY"))
        #expect(plan.contains("LIMIT 3"))
        #expect(plan.contains("Scan pg.student_aid"))
    }

    @Test func pushedDownAggregateMatchesMemory() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        try session.register(name: "aid_local", path: PostgresServer.datasetsDirectory.appendingPathComponent("student_aid.csv").path)
        let steps = "| filter year >= 2022 | group {year, level} (aggregate {n = count this, total = sum amount_yuan, avg_r = average recipients}) | sort {year, level}"
        let remote = try session.query("from pg.student_aid " + steps)
        let local = try session.query("from aid_local " + steps)
        #expect(CSVWriter().string(remote) == CSVWriter().string(local))
        #expect(remote.rowCount > 0)
    }

    /// A plan mixing a file and a database table: the database's part runs there, the join in memory.
    @Test func mixedPlanRunsTheRemotePartThere() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        try session.register(name: "counties_local", path: PostgresServer.datasetsDirectory.appendingPathComponent("counties.csv").path)
        try session.register(name: "aid_local", path: PostgresServer.datasetsDirectory.appendingPathComponent("student_aid.csv").path)
        let tail = "| join c = counties_local (==county_code) | group {c.city} (aggregate {total = sum amount_yuan}) | sort city"
        let query = "from a = (from pg.student_aid | filter year == 2023) " + tail
        let plan = try session.explain(query)
        #expect(!plan.hasPrefix("Remote"))
        #expect(plan.contains("Remote on `pg`"))
        #expect(CSVWriter().string(try session.query(query))
                == CSVWriter().string(try session.query("from a = (from aid_local | filter year == 2023) " + tail)))
    }

    /// `pivot` has no SQL form: the steps below it run in the database, the pivot on their rows.
    @Test func pivotRunsInMemoryOnThePulledRows() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let query = "from pg.diff.aid | filter level == \"小学\" | select {county_code, year, amount} | pivot year (sum amount) | sort county_code"
        let plan = try session.explain(query)
        #expect(plan.contains("Pivot"))
        #expect(plan.contains("Remote on `pg`"))
        let expected = try String(contentsOf: DifferentialTests.directory.appendingPathComponent("queries/tally_pivot_sum.expected.csv"), encoding: .utf8)
        DifferentialTests.expect(try session.query(query), matches: expected, "pivot over pg")
    }

    @Test func exportCreatesTheTableAndReplacesOnlyWhenAsked() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        _ = try session.run("from [{code = 1, name = \"南宁\", d = @2024-09-01, ok = true, x = 1.5}, {code = 2, name = null, d = null, ok = false, x = null}]")
        guard case .message(let written) = try session.run(".export pg.export_check") else { Issue.record("no message"); return }
        #expect(written == "exported 2 rows to the table `pg.export_check`")
        let back = try session.query("from pg.export_check | sort code")
        #expect(back.columns.map(\.type) == [.int, .text, .date, .bool, .float])
        #expect(back[0, "name"] == .text("南宁"))
        #expect(back[1, "name"] == .null)
        let error = #expect(throws: TallyError.self) { try session.run(".export pg.export_check") }
        #expect(error?.message == "`pg.export_check` exists already; `.export` does not replace it")
        _ = try session.run("from [{code = 9}]")
        _ = try session.run(".export pg.export_check replace:true")
        #expect(try session.query("from pg.export_check").rowCount == 1)
    }

    /// A failing write leaves no table behind: the transaction is rolled back.
    @Test func failedExportLeavesNothing() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        _ = try session.run("from [{a = 1}]")
        // A schema that does not exist: CREATE TABLE fails inside the transaction.
        #expect(throws: TallyError.self) { try session.run(".export pg.no_schema.t") }
        #expect(try session.query("from pg.counties | aggregate {n = count this}")[0, "n"] == .int(111))
    }

    @Test func disconnectForgetsTheTables() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session(name: "w")
        #expect(session.catalog.contains("w.counties"))
        _ = try session.run(".disconnect w")
        #expect(!session.catalog.contains("w.counties"))
        let error = #expect(throws: TallyError.self) { try session.run(".disconnect w") }
        #expect(error?.message == "no connection named `w`")
    }

    @Test func twoConnectionsAtOnce() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session(name: "a")
        _ = try session.connect(server.url, as: "b")
        defer { session.connection("a")?.close(); session.connection("b")?.close() }
        #expect(session.connectionNames == ["a", "b"])
        // A join across two connections runs each side in its database and the join in memory.
        let query = "from x = a.counties | join y = b.counties (==county_code) | aggregate {n = count this}"
        #expect(try session.query(query)[0, "n"] == .int(111))
        let tables = try session.tablesTable()
        let names = (0..<tables.rowCount).compactMap { tables[$0, "name"] }
        #expect(names.contains(.text("a.counties")) && names.contains(.text("b.diff.aid")))
    }

    /// `.tables` lists the database's tables: `pg.table` on the search path, `pg.schema.table` off
    /// it, with where they live; `.schema` reads information_schema.
    @Test func tablesAndSchemaOfADatabase() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let tables = try session.tablesTable()
        var source: [String: String] = [:]
        for row in 0..<tables.rowCount {
            if case .text(let name)? = tables[row, "name"], case .text(let where_)? = tables[row, "source"] { source[name] = where_ }
        }
        #expect(source["pg.student_aid"] == "pg: table public.student_aid in postgres://\(server.user)@127.0.0.1:\(server.port)/\(server.database)")
        #expect(source["pg.diff.aid"]?.hasPrefix("pg: table diff.aid") == true)
        #expect(source["pg.slow"]?.hasPrefix("pg: view public.slow") == true)
        #expect(!source.values.contains { $0.contains(server.password) })
        let schema = try #require(try session.run(".schema pg.student_aid").table)
        #expect(schema.names == ["column", "type", "database_type", "nullable", "note"])
        #expect(schema[0, "column"] == .text("year"))
        #expect(schema[0, "type"] == .text("int"))
        #expect(schema[0, "database_type"] == .text("bigint"))
        #expect(try session.query("from pg.conf.albums | aggregate {n = count this}").rowCount == 1)
    }

    /// `loop` over a database table: a recursive CTE, the same rows as in memory.
    @Test func loopBecomesARecursiveCTE() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        try session.register(name: "notes_local", path: DifferentialTests.directory.appendingPathComponent("data/notes.csv").path)
        let steps = "| filter id <= 2 | select {id, n = id * 10} | loop (filter n < 40 | select {id, n = n + 7}) | sort {id, n}"
        let plan = try session.explain("from pg.diff.notes " + steps)
        #expect(plan.hasPrefix("Remote on `pg`"))
        #expect(plan.contains("WITH RECURSIVE"))
        #expect(CSVWriter().string(try session.query("from pg.diff.notes " + steps))
                == CSVWriter().string(try session.query("from notes_local " + steps)))
    }
}
