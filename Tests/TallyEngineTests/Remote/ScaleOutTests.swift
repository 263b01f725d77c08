import Foundation
import Testing
@testable import TallyEngine

/// The data outgrowing one machine: a coordinator whose partitioned `student_aid_sharded` has its
/// partitions on two shard servers as `postgres_fdw` foreign tables (all three on loopback). Tally
/// sends one statement to the coordinator; with `enable_partitionwise_aggregate` the coordinator
/// pushes the aggregate to both shards, which its `EXPLAIN VERBOSE` shows, and the rows are the
/// in-memory ones.
@Suite("PostgreSQL: scale-out with postgres_fdw")
struct ScaleOutTests {
    @Test func aggregateRunsOnBothShards() throws {
        guard let coordinator = PostgresServer.available() else { return }
        let shards = try [PostgresServer.start(), PostgresServer.start()]
        let local = Session()
        try local.register(name: "aid", path: PostgresServer.datasetsDirectory.appendingPathComponent("student_aid.csv").path)
        // Shard 1 holds the years before 2023, shard 2 the others.
        for (i, shard) in shards.enumerated() {
            let admin = try PostgresConnection(name: "admin", ConnectionString(shard.url(database: "postgres")))
            try admin.execute("CREATE DATABASE \(shard.database)")
            admin.close()
            let session = try shard.session()
            _ = try session.run("from aid_file | filter year \(i == 0 ? "<" : ">=") 2023 | select {year, county_code, level, amount_yuan}"
                .replacingOccurrences(of: "aid_file", with: "pg_local"), registering: local)
            _ = try session.run(".export pg.aid_part")
            session.connection("pg")?.close()
        }
        let setup = try coordinator.session(name: "setup")
        guard let c = setup.connection("setup") else { Issue.record("no coordinator connection"); return }
        try c.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
        try c.execute("""
            CREATE TABLE student_aid_sharded (year bigint, county_code bigint, level text, amount_yuan double precision)
                PARTITION BY RANGE (year)
            """)
        for (i, shard) in shards.enumerated() {
            let range = i == 0 ? "FOR VALUES FROM (MINVALUE) TO (2023)" : "FOR VALUES FROM (2023) TO (MAXVALUE)"
            try c.execute("""
                CREATE SERVER shard\(i + 1) FOREIGN DATA WRAPPER postgres_fdw
                    OPTIONS (host '127.0.0.1', port '\(shard.port)', dbname '\(shard.database)', async_capable 'true');
                CREATE USER MAPPING FOR CURRENT_USER SERVER shard\(i + 1) OPTIONS (user '\(shard.user)', password '\(shard.password)');
                CREATE FOREIGN TABLE student_aid_s\(i + 1) PARTITION OF student_aid_sharded \(range)
                    SERVER shard\(i + 1) OPTIONS (table_name 'aid_part');
                """)
        }
        try c.execute("ALTER DATABASE \(coordinator.database) SET enable_partitionwise_aggregate = on")
        c.close()

        let session = try coordinator.session()
        defer { session.connection("pg")?.close() }
        // Grouped by the partition key, each shard's groups are whole: the shards aggregate.
        let steps = "| group year (aggregate {n = count this, total = sum amount_yuan}) | sort year"
        let query = "from pg.student_aid_sharded " + steps
        let plan = try session.explain(query)
        #expect(plan.hasPrefix("Remote on `pg`"))
        let sql = plan.split(separator: "\n").compactMap { line -> String? in
            guard let mark = line.range(of: "┆ ") else { return nil }
            return String(line[mark.upperBound...])
        }.joined(separator: "\n")
        let explained = try session.connection("pg")?.textRows("EXPLAIN VERBOSE " + sql).compactMap { $0.first ?? nil }
            .joined(separator: "\n") ?? ""
        // Each shard computes its part of the aggregate: the foreign scans carry the aggregate.
        #expect(explained.contains("Relations: Aggregate on (public.student_aid_s1"), "\(explained)")
        #expect(explained.contains("Relations: Aggregate on (public.student_aid_s2"), "\(explained)")
        DifferentialTests.expect(try session.query(query), matches: CSVWriter().string(try local.query("from aid " + steps)), "sharded")
    }
}

extension Session {
    /// Runs `query` in `source` (where its table is) and keeps the result as this session's last
    /// result, for `.export`.
    fileprivate func run(_ query: String, registering source: Session) throws -> StatementResult {
        let table = try source.query(query.replacingOccurrences(of: "pg_local", with: "aid"))
        try register(name: "to_export", table: table)
        return try run("from to_export")
    }
}
