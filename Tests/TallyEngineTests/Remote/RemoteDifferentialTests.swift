import Foundation
import Testing
@testable import TallyEngine

/// The whole differential corpus again, with its tables in PostgreSQL: `aid`, `counties` and
/// `notes` name the database's `diff` tables, so every query that reads them is lowered to SQL (or
/// runs in memory on what the database sends back, where a step has no SQL form). The rows must be
/// the ones the in-memory engine and the reference give.
@Suite("Differential on PostgreSQL")
struct RemoteDifferentialTests {
    /// A session whose `aid`, `counties`, `notes` are the database's tables.
    static func session(_ server: PostgresServer) throws -> Session {
        let session = try server.session()
        for name in ["aid", "counties", "notes"] {
            guard let remote = session.catalog.entry("pg.diff.\(name)")?.remote else {
                throw TallyError(.name, "the test database has no diff.\(name)")
            }
            session.catalog.register(name: name, remote: remote)
        }
        return session
    }

    @Test(arguments: DifferentialTests.queries)
    func matchesOracleOnPostgres(_ name: String) throws {
        guard let server = PostgresServer.available() else { return }
        let base = DifferentialTests.directory.appendingPathComponent("queries/\(name)")
        let query = try String(contentsOf: base.appendingPathExtension("prql"), encoding: .utf8)
        let expected = try String(contentsOf: base.appendingPathExtension("expected.csv"), encoding: .utf8)
        let session = try RemoteDifferentialTests.session(server)
        defer { session.connection("pg")?.close() }
        DifferentialTests.expect(try session.query(query), matches: expected, name + " (PostgreSQL)")
    }

    /// Queries over the corpus's tables that must run entirely in the database: the plan's root is
    /// one remote statement.
    static let pushedDown = [
        "aggregate_all", "aggregate_empty", "alias_qualified", "append_basic", "bool_not", "case_expr", "cast_text",
        "coalesce", "derive_aggregate_share", "derive_arith", "derive_chained", "distinct", "filter_and_or",
        "filter_null_compare", "float_div_truncates", "group_basic", "group_derive_share", "group_stats", "group_take",
        "group_two_keys", "in_list", "in_range", "int_div_truncates", "intersect_codes", "join_aggregate_by_city",
        "join_full", "join_inner_self_equality", "join_left_alias", "join_left_non_equality", "join_right",
        "join_text_key", "join_two_keys", "key_counties", "null_compare_derive", "null_date_filter", "null_logic_three_valued",
        "remove_codes", "round_fn", "select_basic", "sort_desc_nulls", "sort_text", "take_n", "take_range", "text_fns",
        "window_lag_lead", "window_rank_functions", "window_rolling", "window_rows_centered", "window_group_row_number",
        "date_to_text_specifiers", "tally_share_group", "tally_growth_all",
    ]

    @Test(arguments: RemoteDifferentialTests.pushedDown)
    func runsInTheDatabase(_ name: String) throws {
        guard let server = PostgresServer.available() else { return }
        let base = DifferentialTests.directory.appendingPathComponent("queries/\(name)")
        let query = try String(contentsOf: base.appendingPathExtension("prql"), encoding: .utf8)
        let session = try RemoteDifferentialTests.session(server)
        defer { session.connection("pg")?.close() }
        let plan = try session.explain(query)
        #expect(plan.hasPrefix("Remote on `pg`"), "\(name) does not run in the database:\n\(plan)")
    }

    /// The PRQL-book-style conformance set too, its store's tables in the schema `conf`.
    @Test(arguments: ConformanceTests.queries)
    func conformanceOnPostgres(_ name: String) throws {
        guard let server = PostgresServer.available() else { return }
        let base = ConformanceTests.directory.appendingPathComponent("queries/\(name)")
        let text = try String(contentsOf: base.appendingPathExtension("prql"), encoding: .utf8)
        let differs = FileManager.default.fileExists(atPath: base.appendingPathExtension("differs").path)
        let expected = try String(contentsOf: differs ? base.appendingPathExtension("tally.csv") : base.appendingPathExtension("expected.csv"),
                                  encoding: .utf8)
        let session = try server.session()
        defer { session.connection("pg")?.close() }
        for entry in session.catalog.names where entry.hasPrefix("pg.conf.") {
            if let remote = session.catalog.entry(entry)?.remote { session.catalog.register(name: String(entry.dropFirst(8)), remote: remote) }
        }
        var last: Table?
        for statement in StatementSplitter.split(text) {
            if let table = try session.run(statement.text).table { last = table }
        }
        let table = try #require(last, "\(name) gives no table")
        DifferentialTests.expect(table, matches: expected, name + " (PostgreSQL)")
    }
}
