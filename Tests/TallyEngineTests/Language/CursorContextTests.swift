import Testing
@testable import TallyEngine

/// Where in the grammar a partly typed statement ends, and the columns completion offers there.
@Suite("Cursor context")
struct CursorContextTests {
    func context(_ text: String, word: String = "") -> CursorContext {
        CursorContext.at(endOf: text + word, wordLength: word.count)
    }

    @Test func statementStartAndRelations() {
        #expect(context("") == .statementStart)
        #expect(context("", word: "fr") == .statementStart)
        #expect(context("from ", word: "cou") == .relation)
        #expect(context("from a = ") == .relation)
        #expect(context("from aid | join ") == .relation)
        #expect(context("from aid | join side:left ") == .relation)
        #expect(context("from aid | join c = ", word: "co") == .relation)
        #expect(context("let k = (from ") == .relation)
    }

    @Test func transformsAfterAPipeALineEndOrAnInnerPipeline() {
        #expect(context("from aid | ", word: "fil") == .transform)
        #expect(context("from aid |\n", word: "de") == .transform)
        #expect(context("from aid | group county (") == .transform)
        #expect(context("from aid | group county (sort -year | ") == .transform)
        #expect(context("from aid | group county (\n  ") == .transform)
    }

    @Test func expressionsKnowTheStepsBeforeThem() {
        #expect(context("from aid | filter ", word: "ye") == .expression(pipeline: "from aid", joined: nil))
        #expect(context("from aid | derive r = a / b | sort ")
            == .expression(pipeline: "from aid | derive r = a / b", joined: nil))
        #expect(context("from aid |\nfilter year > 2020 |\nselect {", word: "co")
            == .expression(pipeline: "from aid |\nfilter year > 2020", joined: nil))
        // Inside a group's inner pipeline: the relation the group starts from.
        #expect(context("from aid | filter x | group county (aggregate {t = sum ", word: "am")
            == .expression(pipeline: "from aid | filter x", joined: nil))
        #expect(context("from aid | join side:left c = counties (==", word: "cou")
            == .expression(pipeline: "from aid", joined: "counties"))
        // A nested `(from …)` is a pipeline of its own.
        #expect(context("from aid | join (from counties | filter ", word: "ke")
            == .expression(pipeline: "from counties", joined: nil))
        #expect(context("from aid ", word: "x") == .expression(pipeline: nil, joined: nil))
        #expect(context("from aid | filter y == ", word: "$ye") == .parameter)
    }

    @Test func theColumnsOfAPipelineWithoutComputingIt() throws {
        let session = Session()
        try session.register(name: "aid", table: Table(names: ["县名", "amount", "year"], columns: [
            Column(texts: ["兴宁区", "马山县"]), Column(floats: [1.5, 2]), Column(ints: [2021, 2022]),
        ]))
        let columns = try #require(session.columns(ofPipeline: "from aid | derive {rate = amount / 2} | select !{year}"))
        #expect(columns == [.init(name: "县名", type: .text), .init(name: "amount", type: .float), .init(name: "rate", type: .float)])
        let grouped = try #require(session.columns(ofPipeline: "from aid | group 县名 (aggregate {n = count this})"))
        #expect(grouped.map(\.name) == ["县名", "n"])
        #expect(session.columns(ofPipeline: "from aid | filter amout > 1") == nil)
        #expect(session.columns(ofPipeline: "from nowhere") == nil)
    }
}
