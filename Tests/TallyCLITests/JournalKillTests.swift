import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The session journal survives `kill -9`: every statement that completed before the kill is on
/// disk, and `tally run` replays the journal.
@Suite("Journal after kill -9", .serialized)
struct JournalKillTests {
    @Test func everyCompletedStatementIsJournalledAndReplays() throws {
        let state = NSTemporaryDirectory() + "tally-kill-\(getpid())"
        try? FileManager.default.removeItem(atPath: state)
        let data = try CLITests.dataDirectory()
        let terminal = try PseudoTerminal(arguments: ["--no-datasets"], environment: ["XDG_STATE_HOME": state])
        try #require(terminal.waitFor("tally> "), "no prompt: \(terminal.output.text)")

        let completed = [
            ".load \(data)/aid.csv as aid",
            "let r = (from [{n = 1}] | loop (filter n < 8000 | derive n = n + 1))",
            "let target = 0.95",
            "from aid | group county (aggregate {total = sum amount}) | sort county",
            "from [{a = 41}] | derive b = a + 1",
        ]
        for statement in completed {
            let mark = terminal.output.count
            terminal.type(statement)
            terminal.press("\r")
            #expect(terminal.waitFor("tally> ", after: mark + statement.utf8.count), "\(terminal.output.text(from: mark))")
        }
        let failing = "from nowhere"
        var mark = terminal.output.count
        terminal.type(failing)
        terminal.press("\r")
        #expect(terminal.waitFor("tally> ", after: mark + failing.utf8.count))

        // 64 million pairs: seconds of work, killed in the middle.
        let long = "from r | join side:inner (from r | select {m = n}) (true) | aggregate {s = sum n}"
        mark = terminal.output.count
        terminal.type(long)
        terminal.press("\r")
        usleep(600_000)
        #expect(!terminal.output.text(from: mark + long.utf8.count).contains("tally> "), "the long statement ended too soon")
        #expect(kill(terminal.pid, SIGKILL) == 0)
        let status = terminal.exitStatus()
        #expect(status == 128 + SIGKILL, "tally was not killed")

        let folder = state + "/tally/sessions"
        let journals = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tally") }
        try #require(journals.count == 1, "\(journals)")
        let path = folder + "/" + journals[0]
        let journal = try String(contentsOfFile: path, encoding: .utf8)
        let lines = journal.split(separator: "\n").map(String.init)
        let statements = lines.filter { !$0.hasPrefix("#") }
        #expect(statements == completed, "\(journal)")
        #expect(lines.contains("# failed: \(failing)"), "\(journal)")
        #expect(!journal.contains("join side:inner"), "the killed statement never completed: \(journal)")

        let replay = try CLITests().tally(["run", path, "--no-datasets", "--format", "csv"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("county,total\n兴宁区,10.5\n马山县,20.0\n"), "\(replay.stdout)")
        #expect(replay.stdout.contains("a,b\n41,42\n"), "\(replay.stdout)")
    }
}
