import Foundation
import Testing
import TallyEngine
@testable import TallyShell

/// Dot-command names, `.tables`, `.pager`, `.edit` outside a terminal, and journal upkeep.
@Suite("Shell commands")
struct ShellCommandTests {
    @Test func prefixesShortFormsAndAmbiguity() throws {
        func name(_ typed: String) -> String? {
            if case .success(let command) = ShellCommand.resolve(typed) { return command.name }
            return nil
        }
        #expect(name("ta") == "tables")
        #expect(name("h") == "help")
        #expect(name("q") == "quit")
        #expect(name("ed") == "edit")
        #expect(name("pag") == "pager")
        guard case .failure(.ambiguous(let names)) = ShellCommand.resolve("e") else {
            Issue.record("`.e` should be ambiguous")
            return
        }
        #expect(Set(names) == ["edit", "exit", "explain", "export"])
        let shell = try CapturedShell()
        shell.run([".s"])
        #expect(shell.messages.contains("`.s` is ambiguous"))
        #expect(shell.messages.contains("`.save`") && shell.messages.contains("`.schema`") && shell.messages.contains("`.svg`"))
    }

    @Test func tablesShowADashForWhatIsNotReadYetAndTheFileSize() throws {
        let dir = try temporaryDirectory("tables")
        try "a,b\n1,2\n".write(toFile: dir + "/small.csv", atomically: true, encoding: .utf8)
        let shell = try CapturedShell()
        try shell.shell.session.register(name: "small", path: dir + "/small.csv")
        shell.run([".tables"])
        let small = try #require(shell.output.split(separator: "\n").first { $0.contains("small") })
        #expect(small.contains("│    — │       — │ 8 B  │"), "\(small)")
        #expect(!shell.output.contains("null"))
        shell.output = ""
        shell.run(["from small", ".tables"])
        let loaded = try #require(shell.output.split(separator: "\n").last { $0.contains("small") })
        #expect(loaded.contains("│    1 │       2 │ 8 B  │"), "\(loaded)")
        // The data keeps its nulls: CSV shows an empty field, as for any missing value.
        shell.output = ""
        shell.shell.settings.format = .csv
        shell.run([".tables"])
        #expect(shell.output.contains("\naid,4,3,,memory,\n"), "\(shell.output)")
    }

    @Test func byteCountsLikeLsDashH() {
        #expect(Session.byteCountText(532) == "532 B")
        #expect(Session.byteCountText(4_000) == "3.9 KB")
        #expect(Session.byteCountText(29_700) == "29 KB")
        #expect(Session.byteCountText(1_300_000) == "1.2 MB")
        #expect(Session.byteCountText(3_500_000_000) == "3.3 GB")
    }

    @Test func pagerSettingAndEditOutsideATerminal() throws {
        let shell = try CapturedShell()
        shell.run([".pager"])
        #expect(shell.messages.contains("pager: on"))
        shell.run([".pager off", ".pager"])
        #expect(shell.messages.contains("pager: off"))
        shell.run([".pager sometimes"])
        #expect(shell.messages.contains("`.pager` takes on or off"))
        shell.run([".edit"])
        #expect(shell.messages.contains("`.edit` needs the interactive shell"))
    }

    @Test func oldJournalsArePrunedButNeverTheCurrentOne() throws {
        let dir = try temporaryDirectory("prune")
        let fm = FileManager.default
        let now = Date()
        // 205 recent journals and 3 from two months ago.
        for i in 0..<208 {
            let path = dir + String(format: "/2026-11-%03d.tally", i)
            try "from a\n".write(toFile: path, atomically: true, encoding: .utf8)
            let age: TimeInterval = i < 3 ? 60 * 24 * 3600 : TimeInterval(208 - i) * 60
            try fm.setAttributes([.modificationDate: now.addingTimeInterval(-age)], ofItemAtPath: path)
        }
        let current = dir + "/2026-11-000.tally"   // old, but this session's
        let removed = SessionJournal.prune(in: dir, keeping: current, now: now)
        let left = try fm.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tally") }
        #expect(left.count == 201)
        #expect(removed == 7)
        #expect(left.contains("2026-11-000.tally"))
        #expect(!left.contains("2026-11-001.tally"))
        // The newest 200 of the others stay: the oldest recent ones go.
        #expect(!left.contains("2026-11-003.tally") && left.contains("2026-11-207.tally"))
    }

    @Test func journalListShowsTheRecentOnesWithTheirFirstStatement() throws {
        let dir = try temporaryDirectory("list")
        let a = SessionJournal(path: dir + "/2026-11-01T10-00-00Z.tally")
        try a.append("from aid | filter year == 2024")
        try a.appendFailed("from aid | filter yeer == 2024")
        try a.append(".export x.csv")
        let table = SessionJournal.recent(in: dir, current: a.path)
        #expect(table.names == ["journal", "this_session", "statements", "first_statement"])
        #expect(table.rowCount == 1)
        guard case .int(let counts) = table.columns[2].values, case .bool(let current) = table.columns[1].values else {
            Issue.record("unexpected column types")
            return
        }
        #expect(counts == [2])
        #expect(current == [true])
        #expect(table.columns[3].text(at: 0) == "from aid | filter year == 2024")
    }
}
