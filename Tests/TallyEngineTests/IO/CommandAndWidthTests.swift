import Testing
@testable import TallyEngine

@Suite("Command words and display width")
struct CommandAndWidthTests {
    @Test func loadCommandWithQuotedPathAndOptions() throws {
        let words = try CommandWords.parse(#".load "my data/aid 2023.csv" as aid delimiter:";" header:false"#)
        #expect(words.name == "load")
        #expect(words.positional == ["my data/aid 2023.csv", "as", "aid"])
        #expect(words.option("delimiter") == ";")
        #expect(words.option("header") == "false")
    }

    @Test func unclosedQuoteIsAnError() {
        #expect(throws: TallyError.self) { try CommandWords.parse(#".load "x.csv"#) }
    }

    @Test func unknownLoadOptionSuggests() throws {
        let session = Session()
        do {
            _ = try session.run(".load x.csv delimter:;")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "unknown option `delimter:`")
            #expect(error.hint == "did you mean `delimiter:`?")
        }
    }

    @Test(arguments: [("兴宁区", 6), ("abc", 3), ("三江侗族自治县", 14), ("e\u{301}", 1), ("ＡＢ", 4), ("", 0), ("南宁 city", 9)])
    func widthCountsTerminalCells(text: String, cells: Int) {
        #expect(DisplayWidth.of(text) == cells)
    }

    @Test func tableNamesFromPaths() {
        #expect(TableReader.tableName(forPath: "Datasets/student_aid.csv") == "student_aid")
        #expect(TableReader.tableName(forPath: "/tmp/2023-aid.v2.csv") == "_2023_aid")
        #expect(TableReader.tableName(forPath: "资助.csv") == "资助")
    }
}
