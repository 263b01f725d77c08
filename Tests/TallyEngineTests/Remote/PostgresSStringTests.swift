import Foundation
import Testing
@testable import TallyEngine

/// `s"…"` in a query on a connected database: the SQL is sent as written, its `{…}` parts are the
/// columns they name there, and the database says what type it gives, so later steps check it.
@Suite("PostgreSQL: s-strings")
struct PostgresSStringTests {
    @Test func anSStringIsSentAsWrittenAndTypedByTheDatabase() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let query = """
            from pg.student_aid
            | filter year == 2023 && county == "兴宁区"
            | derive {label = s"upper({aid_type}) || '-' || {level}", half = s"{amount_yuan} / 2.0", big = s"{recipients} > 500"}
            | filter big
            | sort {label}
            | select {label, half, y = s"EXTRACT(YEAR FROM make_date({year}::int, 1, 1))::int" + 1}
            | take 2
            """
        let table = try session.query(query)
        #expect(table.names == ["label", "half", "y"])
        #expect(table.columns.map(\.type) == [.text, .float, .int])
        #expect(table.rowCount == 2)
        // The same rows the language's own functions give in memory.
        let expected = try session.query("""
            from pg.student_aid
            | filter year == 2023 && county == "兴宁区" && recipients > 500
            | derive {label = f"{aid_type | text.upper}-{level}", half = amount_yuan / 2.0}
            | sort {label}
            | select {label, half, y = year + 1}
            | take 2
            """)
        for row in 0..<2 {
            #expect(table[row, "label"] == expected[row, "label"])
            #expect(table[row, "half"] == expected[row, "half"])
            #expect(table[row, "y"] == .int(2024))
        }
        // Every step went to the database, with the SQL as written.
        let plan = try session.explain(query)
        #expect(plan.hasPrefix("Remote on `pg` (PostgreSQL)"), "\(plan)")
        #expect(plan.contains("((upper(c2) || '-' || c1)) AS c5"), "\(plan)")
        #expect(plan.contains("EXTRACT(YEAR FROM make_date(c0::int, 1, 1))::int"), "\(plan)")
    }

    @Test func anSStringAggregatesInAGroup() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let table = try session.query("""
            from pg.student_aid
            | group {year} (aggregate {median = s"percentile_cont(0.5) WITHIN GROUP (ORDER BY {amount_yuan})", n = count this})
            | sort year
            | take 2
            """)
        #expect(table.names == ["year", "median", "n"])
        #expect(table.columns.map(\.type) == [.int, .float, .int])
        let inMemory = try session.query("""
            from pg.student_aid | group {year} (aggregate {median = median amount_yuan, n = count this}) | sort year | take 2
            """)
        #expect(table[0, "median"] == inMemory[0, "median"])
        #expect(table[1, "n"] == inMemory[1, "n"])
    }

    @Test func anSStringInAGroupBodyAndAFilter() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let table = try session.query("""
            from pg.student_aid
            | filter s"{county} LIKE '%县'" && year == 2025
            | group {county} (sort {-amount_yuan} | take 1 | derive {code = s"{county_code} % 1000"})
            | sort county
            | take 3
            """)
        #expect(table.rowCount == 3)
        #expect(table.columns[table.names.firstIndex(of: "code") ?? 0].type == .int)
        for row in 0..<3 {
            guard case .text(let county) = table[row, "county"] else { Issue.record("no county"); continue }
            #expect(county.hasSuffix("县"))
            guard case .int(let full) = table[row, "county_code"], case .int(let code) = table[row, "code"] else {
                Issue.record("no codes"); continue
            }
            #expect(code == full % 1000)
        }
    }

    @Test func anSStringInFromIsAQueryTheDatabaseRuns() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        let query = """
            from a = s"SELECT county, year, SUM(amount_yuan) AS total FROM student_aid WHERE level = '初中' GROUP BY county, year;"
            | filter a.year == 2025
            | sort {-total}
            | take 3
            """
        let table = try session.query(query)
        #expect(table.names == ["county", "year", "total"])
        // SUM of bigint is numeric in PostgreSQL: read as a float.
        #expect(table.columns.map(\.type) == [.text, .int, .float])
        let expected = try session.query("""
            from pg.student_aid | filter level == "初中" && year == 2025
            | group {county, year} (aggregate {total = sum amount_yuan}) | sort {-total} | take 3
            """)
        for row in 0..<3 {
            #expect(table[row, "county"] == expected[row, "county"])
            guard case .int(let total) = expected[row, "total"] else { Issue.record("no total"); continue }
            #expect(table[row, "total"] == .float(Double(total)))
        }
        let plan = try session.explain(query)
        #expect(plan.hasPrefix("Remote on `pg` (PostgreSQL)"), "\(plan)")
        #expect(plan.contains("FROM (SELECT county, year, SUM(amount_yuan) AS total FROM student_aid WHERE level = '初中' GROUP BY county, year"), "\(plan)")
        #expect(plan.contains(") AS q"), "\(plan)")

        // A column of a type Tally lacks is named.
        let json = #expect(throws: TallyError.self) { try session.query(#"from s"SELECT id, payload FROM events""#) }
        #expect(json?.message == "column `payload` of this query has type jsonb, which Tally does not have")
        #expect(json?.hint == "cast it in the SQL, e.g. `payload::text`")
        let missing = #expect(throws: TallyError.self) { try session.query(#"from s"SELECT * FROM no_such_table""#) }
        #expect(missing?.message == "the database `pg` rejects this s-string: relation \"no_such_table\" does not exist (SQLSTATE 42P01)")
        let parts = #expect(throws: TallyError.self) { try session.query(#"from s"SELECT * FROM {t}""#) }
        #expect(parts?.message == "an s-string in `from` is a whole SQL query, without `{…}` parts")
        // With two connections, which one is not guessed.
        _ = try session.connect(server.url, as: "pg2")
        defer { session.connection("pg2")?.close() }
        let two = #expect(throws: TallyError.self) { try session.query(#"from s"SELECT 1 AS one""#) }
        #expect(two?.message == "an s-string in `from` runs on the one connected database, and 2 are connected (pg, pg2)")
        // Without one, in memory, refused.
        let alone = Session()
        let none = #expect(throws: TallyError.self) { try alone.query(#"from s"SELECT 1 AS one""#) }
        #expect(none?.message == "s-strings (SQL pass-through) cannot run in memory")
    }

    @Test func badSStringsSayWhy() throws {
        guard let server = PostgresServer.available() else { return }
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        // The server's syntax error, under the s-string.
        let syntax = #expect(throws: TallyError.self) {
            try session.query("from pg.counties | derive {x = s\"{population_2020} + ) 2\"}")
        }
        #expect(syntax?.message.hasPrefix("the database `pg` rejects this s-string: syntax error") == true, "\(syntax?.message ?? "")")
        #expect(syntax?.span != nil)
        // A type Tally has no column for.
        let interval = #expect(throws: TallyError.self) {
            try session.query("from pg.counties | derive {x = s\"interval '1 day'\"}")
        }
        #expect(interval?.message == "the database `pg` rejects this s-string: its value is of type interval, which Tally has no type for")
        #expect(interval?.hint == "cast it in the SQL, e.g. `s\"(…)::text\"`")
        // The type the database gives is checked by the steps after it.
        let compared = #expect(throws: TallyError.self) {
            try session.query("from pg.counties | derive {x = s\"'a' || {county}\"} | filter x > 3")
        }
        #expect(compared?.kind == .type)
        // In memory, refused as before.
        let local = #expect(throws: TallyError.self) {
            try session.query("from [{a = 1}] | derive {b = s\"{a} + 1\"}")
        }
        #expect(local?.message == "s-strings (SQL pass-through) cannot run in memory")
        // A table in memory joined in: the s-string's rows cannot all come from the database.
        try session.register(name: "local_notes", path: PostgresServer.testsDirectory
            .appendingPathComponent("Differential/data/notes.csv").path)
        let mixed = #expect(throws: TallyError.self) {
            try session.query("from pg.counties | join side:left local_notes (==county) | derive {b = s\"{score} + 1\"}")
        }
        #expect(mixed?.message.hasPrefix("s-strings (SQL pass-through) cannot run in memory, and these rows cannot all come from one database") == true,
                "\(mixed?.message ?? "")")
        // The session goes on.
        #expect(try session.query("from pg.counties | derive {x = s\"1\"} | take 1")[0, "x"] == .int(1))
    }
}
