import Foundation
import Testing
@testable import TallyEngine

/// A query set in the style of PRQL's language book, across the transforms and the standard
/// library, on a small Chinook-like store (artists, albums, tracks, invoices, customers, employees;
/// synthetic, with Chinese names, nulls, dates and a refund). Each expected answer was produced by
/// prqlc and DuckDB (`../shared/tools/prql-oracle QUERY data`) and is committed beside its query.
///
/// A query whose answer differs on purpose (a rule LANGUAGE.md states against prqlc) has a
/// `NAME.differs` file naming the rule and a `NAME.tally.csv` with the answer the rule gives.
@Suite("Conformance: PRQL book style")
struct ConformanceTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static let queries: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("queries").path)) ?? []
        return files.filter { $0.hasSuffix(".prql") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test func theSetIsLargeEnough() {
        #expect(ConformanceTests.queries.count >= 60)
    }

    @Test(arguments: ConformanceTests.queries)
    func matchesPRQL(_ name: String) throws {
        let base = ConformanceTests.directory.appendingPathComponent("queries/\(name)")
        let text = try String(contentsOf: base.appendingPathExtension("prql"), encoding: .utf8)
        let differs = FileManager.default.fileExists(atPath: base.appendingPathExtension("differs").path)
        let expectedFile = differs ? base.appendingPathExtension("tally.csv") : base.appendingPathExtension("expected.csv")
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
        let session = Session()
        try session.registerDirectory(ConformanceTests.directory.appendingPathComponent("data").path)
        var last: Table?
        for statement in StatementSplitter.split(text) {
            if let table = try session.run(statement.text).table { last = table }
        }
        let table = try #require(last, "\(name) gives no table")
        DifferentialTests.expect(table, matches: expected, name)
    }
}
