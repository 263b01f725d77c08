import Foundation
import Testing
@testable import TallyEngine

/// Queries whose expected answers were produced by PRQL's own compiler and DuckDB
/// (`../shared/tools/prql-oracle QUERY data`), committed next to each query so the tests need no
/// Python. Each query runs on the CSVs in `data/`; cells are compared as numbers with a relative
/// tolerance when both sides are numbers, as text otherwise.
@Suite("Differential: PRQL + DuckDB")
struct DifferentialTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static let queries: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("queries").path)) ?? []
        return files.filter { $0.hasSuffix(".prql") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test func corpusIsPresent() {
        #expect(DifferentialTests.queries.count >= 30)
    }

    @Test(arguments: DifferentialTests.queries)
    func matchesOracle(_ name: String) throws {
        let base = DifferentialTests.directory.appendingPathComponent("queries/\(name)")
        let query = try String(contentsOf: base.appendingPathExtension("prql"), encoding: .utf8)
        let expected = try String(contentsOf: base.appendingPathExtension("expected.csv"), encoding: .utf8)
        let session = Session()
        try session.registerDirectory(DifferentialTests.directory.appendingPathComponent("data").path)
        DifferentialTests.expect(try session.query(query), matches: expected, name)
    }

    /// `table` as CSV against the oracle's CSV: the same header, rows and cells (numbers within a
    /// relative 1e-9).
    static func expect(_ table: Table, matches expected: String, _ name: String,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let a = rows(CSVWriter().string(table)), e = rows(expected)
        #expect(a.first == e.first, "header of \(name)", sourceLocation: sourceLocation)
        #expect(a.count == e.count, "row count of \(name): \(a.count - 1) vs \(e.count - 1)", sourceLocation: sourceLocation)
        for (rowA, rowE) in zip(a.dropFirst(), e.dropFirst()) {
            #expect(rowA.count == rowE.count, "\(name): \(rowA) vs \(rowE)", sourceLocation: sourceLocation)
            for (cellA, cellE) in zip(rowA, rowE) {
                #expect(same(cellA, cellE), "\(name): \(rowA) vs \(rowE)", sourceLocation: sourceLocation)
            }
        }
    }

    static func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                var f = String(field)
                if f.hasPrefix("\""), f.hasSuffix("\""), f.count >= 2 { f = String(f.dropFirst().dropLast()) }
                return f
            }
        }
    }

    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    }
}
