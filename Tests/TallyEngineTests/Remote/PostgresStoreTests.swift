import Foundation
import Testing
@testable import TallyEngine

/// `.store NAME into pg.table`: a `let` relation or a loaded table written to the database by the
/// writer `.export` uses.
@Suite("PostgreSQL: .store")
struct PostgresStoreTests {
    @Test func aLetRelationArrivesWithItsRowsAndTypes() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        _ = try session.run("""
            let picked = (from [{code = 1, name = "南宁", d = @2024-09-01, ok = true, x = 1.5},
                                {code = 2, name = null, d = null, ok = false, x = null},
                                {code = 3, name = "柳州", d = @2024-09-02, ok = true, x = 2.5}] | filter code != 3)
            """)
        guard case .message(let stored) = try session.run(".store picked into pg.store_let") else { Issue.record("no message"); return }
        #expect(stored == "stored 2 rows of `picked` in the table `pg.store_let`")
        // Listed at once, and read back as written.
        #expect(session.catalog.contains("pg.store_let"))
        let back = try session.query("from pg.store_let | sort code")
        #expect(back.names == ["code", "name", "d", "ok", "x"])
        #expect(back.columns.map(\.type) == [.int, .text, .date, .bool, .float])
        #expect(back[0, "name"] == .text("南宁"))
        #expect(back[1, "name"] == .null)
    }

    @Test func aLoadedTableArrivesWhole() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        try session.register(name: "local_aid", path: PostgresServer.testsDirectory
            .appendingPathComponent("Differential/data/aid.csv").path)
        let local = try session.query("from local_aid")
        _ = try session.run(".store local_aid into pg.store_loaded")
        let remote = try session.query("from pg.store_loaded")
        #expect(remote.rowCount == local.rowCount)
        #expect(remote.names == local.names)
        let sums = "aggregate {n = count this}"
        #expect(try session.query("from pg.store_loaded | \(sums)")[0, "n"] == .int(Int64(local.rowCount)))
    }

    @Test func anExistingTableIsReplacedOnlyWhenAsked() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        _ = try session.run("let one = (from [{a = 1}])")
        _ = try session.run("let three = (from [{a = 1}, {a = 2}, {a = 3}])")
        _ = try session.run(".store one into pg.store_twice")
        let error = #expect(throws: TallyError.self) { try session.run(".store three into pg.store_twice") }
        #expect(error?.message == "`pg.store_twice` exists already; `.store` does not replace it")
        #expect(error?.hint == "add `replace:true` to replace it, or write it under another name")
        #expect(try session.query("from pg.store_twice").rowCount == 1)
        _ = try session.run(".store three into pg.store_twice replace:true")
        #expect(try session.query("from pg.store_twice").rowCount == 3)
    }

    @Test func unknownNamesAndTargetsAreSaid() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        _ = try session.run("let picked_rows = (from [{a = 1}])")
        let unknown = #expect(throws: TallyError.self) { try session.run(".store picked_rwos into pg.store_never") }
        #expect(unknown?.message == "unknown table `picked_rwos`")
        #expect(unknown?.hint == "did you mean `picked_rows`? (`.tables` lists them)")
        let nothingNear = #expect(throws: TallyError.self) { try session.run(".store zzzzzzzzzzzz into pg.store_never") }
        #expect(nothingNear?.hint == "`.tables` lists the tables; `let zzzzzzzzzzzz = (from …)` binds a relation")
        _ = try session.run("let limit = 5")
        let scalar = #expect(throws: TallyError.self) { try session.run(".store limit into pg.store_never") }
        #expect(scalar?.message == "`limit` is a value declared with `let`, not a table")
        let noConnection = #expect(throws: TallyError.self) { try session.run(".store picked_rows into warehouse.t") }
        #expect(noConnection?.message == "`warehouse.t` is not a table of a connected database")
        #expect(noConnection?.hint == "no connection named `warehouse`; connected: pg")
        let shape = #expect(throws: TallyError.self) { try session.run(".store picked_rows pg.t") }
        #expect(shape?.message == "`.store` needs a table, `into` and a database table")
        #expect(!session.catalog.contains("pg.store_never"))
    }
}
