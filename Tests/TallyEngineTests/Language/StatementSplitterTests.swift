import Testing
@testable import TallyEngine

@Suite("Statement splitter")
struct StatementSplitterTests {
    private func texts(_ script: String) -> [String] {
        StatementSplitter.split(script).map(\.text)
    }

    @Test func singleStatement() {
        #expect(texts("from aid | take 5") == ["from aid | take 5"])
    }

    @Test func blankLinesInsideAPipelineDoNotSplit() {
        let script = "from aid\n\nfilter amount > 0\n\n\ntake 5\n"
        #expect(texts(script) == ["from aid\n\nfilter amount > 0\n\n\ntake 5"])
    }

    @Test func newStatementAtFromLetPrqlInColumnOne() {
        let script = "prql target:sql.duckdb\nlet x = (from a)\nfrom x\ntake 1\nfrom y"
        let pieces = StatementSplitter.split(script)
        #expect(pieces.map(\.text) == ["prql target:sql.duckdb", "let x = (from a)", "from x\ntake 1", "from y"])
        #expect(pieces.map(\.line) == [1, 2, 3, 5])
    }

    @Test func indentedFromContinues() {
        #expect(texts("from a\n  from b") == ["from a\n  from b"])
    }

    @Test func wordsStartingWithFromDoNotSplit() {
        #expect(texts("from a\nfrom_year\nletter") == ["from a\nfrom_year\nletter"])
    }

    @Test func commandsAreOneLineEach() {
        let script = ".load Datasets/aid.csv as aid\n.mode csv\nfrom aid\ntake 3"
        let pieces = StatementSplitter.split(script)
        #expect(pieces.map(\.text) == [".load Datasets/aid.csv as aid", ".mode csv", "from aid\ntake 3"])
        #expect(pieces.map(\.isCommand) == [true, true, false])
        #expect(pieces.map(\.line) == [1, 2, 3])
    }

    @Test func commandWithUnbalancedQuoteDoesNotSwallowTheScript() {
        #expect(texts(".save \"odd\nfrom a") == [".save \"odd", "from a"])
    }

    @Test func linesAfterACommandStartAStatement() {
        let pieces = StatementSplitter.split(".load a.csv\n\n  filter x")
        #expect(pieces.map(\.text) == [".load a.csv", "  filter x"])
        #expect(pieces.map(\.line) == [1, 3])
    }

    @Test func leadingCommentsAndBlankLinesAreDropped() {
        let pieces = StatementSplitter.split("# Aid report\n\n# by county\nfrom aid")
        #expect(pieces.map(\.text) == ["from aid"])
        #expect(pieces.map(\.line) == [4])
        #expect(pieces.map(\.byteOffset) == [26])
    }

    @Test func commentsBetweenTransformsStay() {
        #expect(texts("from a\n# only paid\nfilter paid") == ["from a\n# only paid\nfilter paid"])
    }

    @Test func bracketsSpanningLinesDoNotSplit() {
        let script = "from a\njoin (\nfrom b\nfilter c\n) (==id)\nfrom d"
        #expect(texts(script) == ["from a\njoin (\nfrom b\nfilter c\n) (==id)", "from d"])
    }

    @Test func fromInsideAStringDoesNotSplit() {
        let script = "from a\nderive note = \"first line\nfrom here\"\ntake 1"
        #expect(texts(script) == [script])
    }

    @Test func fromInsideATripleQuotedStringDoesNotSplit() {
        let script = "from a\nderive note = \"\"\"\nfrom here\nlet there\n\"\"\"\nfrom b"
        #expect(texts(script) == ["from a\nderive note = \"\"\"\nfrom here\nlet there\n\"\"\"", "from b"])
    }

    @Test func bracketInsideAStringOrCommentDoesNotCount() {
        let script = "from a | derive x = \"(\" # ( [\nfrom b"
        #expect(texts(script) == ["from a | derive x = \"(\" # ( [", "from b"])
    }

    @Test func escapedQuoteInsideString() {
        let script = "from a | derive x = \"say \\\"hi\\\" (\"\nfrom b"
        #expect(texts(script).count == 2)
    }

    @Test func rawStringBackslashDoesNotEscape() {
        let script = "from a | derive p = r\"C:\\\"\nfrom b"
        #expect(texts(script).count == 2)
    }

    @Test func strayClosingBracketDoesNotGlueTheRest() {
        #expect(texts("from a | take 3)\nfrom b") == ["from a | take 3)", "from b"])
    }

    @Test func unterminatedStringKeepsTheRestTogether() {
        #expect(texts("from a | derive x = \"oops\nfrom b").count == 1)
    }

    @Test func crlfScript() {
        let pieces = StatementSplitter.split("from a\r\nfilter x\r\nfrom b\r\n")
        #expect(pieces.map(\.text) == ["from a\r\nfilter x", "from b"])
        #expect(pieces.map(\.line) == [1, 3])
    }

    @Test func emptyScript() {
        #expect(texts("").isEmpty)
        #expect(texts("\n\n# nothing\n").isEmpty)
    }

    @Test func byteOffsetsPointIntoTheScript() {
        let script = "from 县\nfrom b"
        let pieces = StatementSplitter.split(script)
        #expect(pieces.map(\.byteOffset) == [0, 9])
    }
}
