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
}
