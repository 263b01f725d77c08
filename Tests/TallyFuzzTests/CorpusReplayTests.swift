import Foundation
import Testing
@testable import TallyFuzz

/// Every committed fuzz input, seeds and the crashes the fuzzers found, runs through its target:
/// a crash once found stays fixed.
@Suite("fuzz corpora")
struct CorpusReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus").path

    static func inputs(_ target: FuzzTarget) -> [String] {
        let folder = root + "/" + target.rawValue
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            .filter { !$0.hasPrefix(".") }.map { folder + "/" + $0 }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyInputRuns(_ target: FuzzTarget) throws {
        let files = CorpusReplayTests.inputs(target)
        #expect(files.count >= 5, "the \(target.rawValue) corpus has \(files.count) inputs")
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: file))
            #expect(throws: Never.self, "\(file)") { try target.run(Array(data)) }
        }
    }

    /// The round trip is a real check: a table that reads back differently is reported.
    @Test func theRoundTripCatchesAChangedValue() throws {
        // Leading zeros must stay: a reader that made `08123` a number would fail here.
        try FuzzTarget.csv.run(Array("zip,n\n08123,1\n0012,2\n".utf8))
        try FuzzTarget.tsv.run(Array("a\tb\r\n\"x\r\ny\"\t1\n".utf8))
    }

    @Test func generatedStatementsReachTheExecutor() throws {
        var generator = StatementGenerator(choices: Array(0..<200).map { UInt8($0 % 256) })
        let statements = generator.statements()
        #expect(!statements.isEmpty)
        for statement in statements { #expect(statement.hasPrefix("from ")) }
        // A session runs them; most choices make programs that resolve.
        var ran = 0
        // A session of its own: the statement target's shared one has its deadline set by other tests.
        let session = FuzzSession().session
        for seed in 0..<200 {
            var g = StatementGenerator(choices: (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ seed &* 101) })
            for statement in g.statements() where (try? session.run(statement)) != nil { ran += 1 }
        }
        #expect(ran > 100, "only \(ran) of the generated statements ran")
    }
}
