import Foundation
import Testing
import TallyEngine
import TallyReport
@testable import TallyShell

/// Whatever `.save` writes, `tally run` (the shell's script runner) and `tally notebook` (the notebook
/// runner) run: every command a saved session can hold, typed in full or abbreviated.
@Suite("saved commands run again")
struct CommandRoundTripTests {
    /// One statement per command `.save` keeps; a new command needs one here.
    static func samples(_ dir: String) -> [String: String] {
        [
            "tables": ".tables",
            "schema": ".schema aid",
            "load": ".lo \(dir)/extra.csv as extra",
            "export": ".export \(dir)/out.csv",
            "run": ".run \(dir)/inner.tally",
            "mode": ".mode csv",
            "rows": ".rows 5",
            "maxwidth": ".maxwidth 120",
            "svg": ".sv \(dir)/chart.svg width:800",
            "sheets": ".sheets \(dir)/book.xlsx",
            "memory_limit": ".memory_limit 4GB",
            // Saved with the password taken out; they need a server, run by the database tests.
            "connect": ".connect postgres://tally@127.0.0.1:5432/plan as pg",
            "disconnect": ".disconnect pg",
            "store": ".store aid into pg.aid_copy",
        ]
    }

    @Test func everyRecordedCommandHasASample() throws {
        let recorded = Set(ShellCommand.names).subtracting(Shell.unrecorded)
        #expect(recorded == Set(CommandRoundTripTests.samples("/tmp").keys))
    }

    @Test func savedScriptAndNotebookRunEveryCommand() throws {
        let dir = try temporaryDirectory("roundtrip")
        try "a,b\n1,x\n2,y\n".write(toFile: dir + "/extra.csv", atomically: true, encoding: .utf8)
        try "from extra | aggregate {n = count this}\n".write(toFile: dir + "/inner.tally", atomically: true, encoding: .utf8)
        let samples = CommandRoundTripTests.samples(dir)
        let session = try CapturedShell()
        let chart = "from aid | group year (aggregate {total = sum amount}) | sort year | chart bar x:year y:total"
        for name in ["load", "tables", "schema", "mode", "rows", "maxwidth", "memory_limit"] {
            #expect(session.shell.execute(samples[name] ?? ""), "\(name): \(session.messages)")
        }
        #expect(session.shell.execute(chart))
        for name in ["svg", "export", "run"] {
            #expect(session.shell.execute(samples[name] ?? ""), "\(name): \(session.messages)")
        }
        #expect(session.shell.execute(".export \(dir)/book.xlsx sheet:\"结果\""), "\(session.messages)")
        #expect(session.shell.execute(samples["sheets"] ?? ""), "sheets: \(session.messages)")
        // Saved under their full names, so the notebook runner knows them.
        #expect(session.shell.record.map(\.text).contains(".load \(dir)/extra.csv as extra"))
        #expect(session.shell.record.map(\.text).contains(".svg \(dir)/chart.svg width:800"))
        try session.shell.save(to: dir + "/s.md")
        try session.shell.save(to: dir + "/s.tally")
        try FileManager.default.removeItem(atPath: dir + "/chart.svg")

        let notebook = try NotebookParser.read(path: dir + "/s.md")
        let fresh = try CapturedShell()
        let run = try NotebookRunner(session: fresh.shell.session, file: dir + "/s.md").run(notebook)
        #expect(run.errorCount == 0, "\(run.stoppedBy ?? "")")
        #expect(FileManager.default.fileExists(atPath: dir + "/chart.svg"))
        #expect(HTMLReport().render(run).contains("wrote \(dir)/chart.svg"))

        let script = try String(contentsOfFile: dir + "/s.tally", encoding: .utf8)
        let replay = try CapturedShell()
        #expect(replay.shell.runScript(script, file: dir + "/s.tally"), "\(replay.messages)")
    }

    @Test func svgInANotebookWithoutAChartSaysSo() throws {
        let notebook = try NotebookParser.parse("```tally\n.svg x.svg\n```\n", file: "nb.md")
        let run = try NotebookRunner(session: Session(), file: "nb.md").run(notebook)
        #expect(run.stoppedBy?.contains("no chart yet") == true)
    }
}
