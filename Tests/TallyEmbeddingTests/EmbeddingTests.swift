import Foundation
import Testing
import TallyEngine

/// Uses only the public API, as a program embedding Tally would.
@Suite("Embedding")
struct EmbeddingTests {
    @Test func registerATableBuiltInCodeAndQueryIt() throws {
        let session = Session()
        let counties = try Table(names: ["county", "students"], columns: [
            Column(texts: ["马山县", "融水苗族自治县", "兴宁区"]),
            Column(ints: [41_000, 78_000, 52_000]),
        ])
        try session.register(name: "counties", table: counties)
        let result = try session.query("from counties | filter students > 50000 | sort -students")
        #expect(result.names == ["county", "students"])
        #expect(result.rowCount == 2)
        guard case .text(let codes, let dictionary) = result.columns[0].values else {
            Issue.record("county should be text")
            return
        }
        #expect(codes.map { dictionary[$0] } == ["融水苗族自治县", "兴宁区"])
        guard case .int(let students) = result.columns[1].values else {
            Issue.record("students should be int")
            return
        }
        #expect(students == [78_000, 52_000])
    }

    @Test func errorsAreValues() throws {
        let session = Session()
        #expect(throws: TallyError.self) { try session.query("from nowhere") }
    }

    @Test func cellsAreReadByRowAndColumnName() throws {
        let session = Session()
        try session.register(name: "aid", table: try Table(names: ["county", "yuan"], columns: [
            Column(texts: ["隆安县", nil]), Column(ints: [1200, 3400]),
        ]))
        let result = try session.query("from aid | derive {share = yuan / 4600}")
        #expect(result[0, "county"] == .text("隆安县"))
        #expect(result[1, "county"] == .null)
        #expect(result[1, "yuan"] == .int(3400))
        #expect(result[0, "share"] == .float(1200.0 / 4600.0))
        #expect(result[2, "county"] == nil)
        #expect(result[0, "nowhere"] == nil)
        #expect(result[0, 1] == .int(1200))
    }

    @Test func parametersCanBeTypedValues() throws {
        let session = Session(parameters: ["year": "2024"])
        try session.register(name: "codes", table: try Table(names: ["code", "year"], columns: [
            Column(texts: ["08123", "8123"]), Column(ints: [2024, 2025]),
        ]))
        // As text on the command line, 08123 would read as the number 8123.
        session.setParameter("code", .text("08123"))
        let result = try session.query("from codes | filter code == $code && year == $year")
        #expect(result.rowCount == 1)
        #expect(result[0, "code"] == .text("08123"))
    }

    @Test func oneSessionServesManyThreads() throws {
        let session = Session()
        try session.register(name: "n", table: try Table(names: ["x"], columns: [Column(ints: (1...1000).map { Int64($0) })]))
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            do {
                if i % 4 == 0 {
                    try session.register(name: "t\(i)", table: try Table(names: ["v"], columns: [Column(ints: [Int64(i)])]))
                    _ = try session.run("let k\(i) = \(i)")
                }
                let total = try session.query("from n | filter x > \(i) | aggregate {s = sum x}")
                let expected = Int64((i + 1...1000).reduce(0, +))
                if total[0, "s"] != .int(expected) { failures.add() }
            } catch {
                failures.add()
            }
        }
        #expect(failures.value == 0)
        #expect(session.catalog.names.contains("t12"))
    }
}

/// A count several threads add to.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
