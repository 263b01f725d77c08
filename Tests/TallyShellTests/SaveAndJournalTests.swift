import Foundation
import Testing
import TallyEngine
import TallyReport
@testable import TallyShell

/// A shell whose output is captured, on a small in-memory table.
final class CapturedShell {
    let shell: Shell
    var output = ""
    var messages = ""

    init(parameters: [String: String] = [:]) throws {
        let session = Session(parameters: parameters)
        try session.register(name: "aid", table: Table(names: ["year", "county", "amount"], columns: [
            Column(ints: [2021, 2022, 2022, 2023]),
            Column(texts: ["兴宁区", "马山县", "兴宁区", "马山县"]),
            Column(floats: [10.5, 20, nil, 7.25]),
        ]))
        shell = Shell(session: session)
        shell.writeOutput = { [unowned self] in self.output += $0 }
        shell.writeMessage = { [unowned self] in self.messages += $0 }
    }

    func run(_ statements: [String]) {
        for statement in statements { shell.execute(statement) }
    }
}

func temporaryDirectory(_ name: String) throws -> String {
    let dir = NSTemporaryDirectory() + "tally-shell-\(name)-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("saving, replaying and journalling sessions")
struct SaveAndJournalTests {
    static let statements = [
        "from aid | filter year == $year",
        "from aid | filter amout > 0",                       // fails: left out of the script
        "let recent = (from aid | filter year >= 2022)",
        ".mode csv",
        "from recent\ngroup county (aggregate {total = sum amount})\nsort county",
        ".schema recent",
        ".help",                                             // not part of a replay
        "from aid | aggregate {n = count this}",
    ]

    @Test func saveRoundTripReproducesOutputByteForByte() throws {
        let dir = try temporaryDirectory("save")
        let session = try CapturedShell(parameters: ["year": "2022"])
        session.run(SaveAndJournalTests.statements)
        #expect(session.messages.contains("unknown column `amout`"))
        session.run([".save \(dir)/report.tally"])
        #expect(session.messages.contains("saved 6 statements to \(dir)/report.tally"))

        let script = try String(contentsOfFile: dir + "/report.tally", encoding: .utf8)
        #expect(!script.contains("amout"))
        #expect(!script.contains(".help"))
        #expect(script.contains("# replay with: tally run FILE --param year=2022\n"))
        #expect(script.hasSuffix(".schema recent\nfrom aid | aggregate {n = count this}\n"))

        let replay = try CapturedShell(parameters: ["year": "2022"])
        #expect(replay.shell.runScript(script, file: dir + "/report.tally"))
        let expectedOutput = session.output.replacingOccurrences(of: Help.text(for: nil), with: "")
        #expect(replay.output == expectedOutput)
        #expect(replay.output.hasSuffix("county,total\n兴宁区,0.0\n马山县,27.25\ncolumn,type\nyear,int\ncounty,text\namount,float\nn\n4\n"))
    }

    @Test func saveNotebookHasCellsAndOutputs() throws {
        let dir = try temporaryDirectory("savemd")
        let session = try CapturedShell(parameters: ["year": "2022"])
        session.run(["from aid | filter year == $year", "from aid | oops", "let x = 5"])
        session.run([".save \(dir)/notes.md"])
        let text = try String(contentsOfFile: dir + "/notes.md", encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Tally session · 会话\"\nparams:\n  year: \"2022\"\n---\n"))
        #expect(text.contains("```tally\nfrom aid | filter year == $year\n```\n\n<!-- tally:output -->\n| year | county | amount |"))
        #expect(!text.contains("oops"))
        #expect(text.contains("```tally\nlet x = 5\n```"))
        // It is a notebook: it runs again, giving the same outputs.
        let notebook = try NotebookParser.parse(text, file: "notes.md")
        #expect(notebook.cells.count == 2)
        let again = try CapturedShell()
        let run = try NotebookRunner(session: again.shell.session, file: "notes.md").run(notebook)
        #expect(run.errorCount == 0)
        #expect(MarkdownReport().render(run).contains("| 2022 | 马山县 |   20.0 |"))
    }

    @Test func saveNeedsAKnownExtension() throws {
        let session = try CapturedShell()
        #expect(!session.shell.execute(".save notes.txt"))
        #expect(session.messages.contains("cannot tell what to save as"))
    }

    @Test func journalIsWrittenPerStatement() throws {
        let dir = try temporaryDirectory("journal")
        let session = try CapturedShell()
        session.shell.journal = SessionJournal(path: dir + "/sessions/now.tally")
        session.run([".journal"])
        #expect(session.messages.contains(dir + "/sessions/now.tally"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/sessions/now.tally"))

        session.run(["from aid | take 1"])
        let afterOne = try String(contentsOfFile: dir + "/sessions/now.tally", encoding: .utf8)
        #expect(afterOne.hasSuffix("\nfrom aid | take 1\n"))

        session.run(["from aid\nfilter nope", "let y = 2"])
        let afterThree = try String(contentsOfFile: dir + "/sessions/now.tally", encoding: .utf8)
        #expect(afterThree.hasSuffix("from aid | take 1\n# failed: from aid\n#         filter nope\nlet y = 2\n"))

        // The journal replays.
        let replay = try CapturedShell()
        #expect(replay.shell.runScript(afterThree, file: "now.tally"))
        #expect(replay.output == session.output)
    }

    @Test func exportWritesTheLastResult() throws {
        let dir = try temporaryDirectory("export")
        let session = try CapturedShell()
        #expect(!session.shell.execute(".export \(dir)/none.csv"))
        #expect(session.messages.contains("nothing to export yet"))
        session.run(["from aid | filter year == 2022 | select {county, amount}"])
        for name in ["a.csv", "a.tsv", "a.json", "a.md"] {
            #expect(session.shell.execute(".export \(dir)/\(name)"))
        }
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "county,amount\n马山县,20.0\n兴宁区,\n")
        #expect(try String(contentsOfFile: dir + "/a.tsv", encoding: .utf8) == "county\tamount\n马山县\t20.0\n兴宁区\t\n")
        #expect(try String(contentsOfFile: dir + "/a.json", encoding: .utf8).contains("\"马山县\""))
        #expect(try String(contentsOfFile: dir + "/a.md", encoding: .utf8).hasPrefix("| county | amount |"))
        #expect(session.messages.contains("exported 2 rows to \(dir)/a.csv"))
        #expect(session.shell.execute(".export \(dir)/a.xlsx"))
        #expect(session.messages.contains("exported 2 rows to \(dir)/a.xlsx, sheet `Sheet1`"))
        #expect(!session.shell.execute(".export \(dir)/a.docx"))
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["a.csv", "a.json", "a.md", "a.tsv", "a.xlsx"])
    }

    @Test func runInsideTheShell() throws {
        let dir = try temporaryDirectory("run")
        try "from aid | take 1\nfrom aid | filter nope\nfrom aid | take 2\n"
            .write(toFile: dir + "/s.tally", atomically: true, encoding: .utf8)
        let session = try CapturedShell()
        session.shell.settings.format = .csv
        #expect(!session.shell.execute(".run \(dir)/s.tally"))
        #expect(session.output == "year,county,amount\n2021,兴宁区,10.5\n")
        #expect(session.messages.contains("\(dir)/s.tally:2:"))
        #expect(session.shell.record.isEmpty)

        try "from aid | take 1\n".write(toFile: dir + "/ok.tally", atomically: true, encoding: .utf8)
        #expect(session.shell.execute(".run \(dir)/ok.tally"))
        #expect(session.shell.record.map(\.text) == [".run \(dir)/ok.tally"])
        #expect(session.shell.record[0].outputs.count == 1)

        try ".run \(dir)/loop.tally\n".write(toFile: dir + "/loop.tally", atomically: true, encoding: .utf8)
        #expect(!session.shell.execute(".run \(dir)/loop.tally"))
        #expect(session.messages.contains("nested more than"))
    }
}

@Suite("saved notebooks' front matter, written with Yams")
struct SavedFrontMatterTests {
    @Test func awkwardParameterValuesReadBackAsTheSameStrings() throws {
        let values = ["quote": "say \"hi\" it's", "colon": "a: b", "hash": "x # not a comment",
                      "lines": "one\ntwo\n", "chinese": "学生资助 · 兴宁区", "zero": "08123",
                      "yes": "yes", "null": "null", "exp": "1e3", "empty": "", "brackets": "[1, {2}]",
                      "slash": "C:\\path\\", "tab": "a\tb", "star": "*alias &anchor"]
        let session = try CapturedShell(parameters: values)
        let text = session.shell.savedNotebook()
        #expect(text.hasPrefix("---\ntitle: \"Tally session · 会话\"\nparams:\n  brackets: \"[1, {2}]\"\n"))
        let notebook = try NotebookParser.parse(text, file: "saved.md")
        #expect(notebook.title == "Tally session · 会话")
        // In the session's order (sorted by name), each value the string it was.
        #expect(notebook.params.map(\.name) == values.keys.sorted())
        for param in notebook.params { #expect(param.defaultValue == values[param.name], "\(param.name)") }
    }
}
