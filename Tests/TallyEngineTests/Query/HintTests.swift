import Testing
@testable import TallyEngine

/// Hints that point at what the user most likely meant.
@Suite("Error hints")
struct HintTests {
    static func session() throws -> Session {
        let session = Session()
        try session.register(name: "aid", table: Table(names: ["level", "a", "b"], columns: [
            Column(texts: ["小学", "初中"]), Column(ints: [1, 2]), Column(ints: [3, 4]),
        ]))
        return session
    }

    func error(_ query: String) throws -> TallyError? {
        do { _ = try HintTests.session().run(query); return nil } catch let e as TallyError { return e }
    }

    @Test func aggregatesInArithmeticAskForParentheses() throws {
        let e = try error("from aid | aggregate {r = sum a / sum b}")
        #expect(e?.hint == "a call takes every term after it: write `(sum a) / (sum b)`")
        // The suggestion runs.
        let table = try HintTests.session().query("from aid | aggregate {r = (sum a) / (sum b)}")
        #expect(table.columns[0].text(at: 0) == "0.42857142857142855")
    }

    @Test func aSingleArgumentMistakeKeepsTheExample() throws {
        let e = try error("from aid | aggregate {n = sum a b}")
        #expect(e?.hint == "e.g. `sum amount`")
    }

    @Test func aBareWordFarFromEveryColumnIsOfferedAsText() throws {
        let e = try error("from aid | filter level == 小学")
        #expect(e?.message == "unknown column `小学`")
        #expect(e?.hint?.hasPrefix("for the text, write it in quotes: `\"小学\"`") == true)
        // A near miss still suggests the column.
        #expect(try error("from aid | filter levl == \"小学\"")?.hint == "did you mean `level`?")
    }
}
