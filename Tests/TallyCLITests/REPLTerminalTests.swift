import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The REPL in a real pseudo-terminal: Chinese typed and edited, Ctrl-C at the prompt and during a
/// query, history, Ctrl-R, Tab, the emacs keys, Ctrl-D. Each test drives the built binary as a
/// person would and reads what the terminal shows.
@Suite("REPL in a terminal", .serialized)
struct REPLTerminalTests {
    enum Key {
        static let ctrlA = "\u{01}", ctrlC = "\u{03}", ctrlD = "\u{04}", ctrlE = "\u{05}", ctrlK = "\u{0B}"
        static let ctrlR = "\u{12}", tab = "\t", enter = "\r", backspace = "\u{7F}"
        static let up = "\u{1B}[A", left = "\u{1B}[D", right = "\u{1B}[C"
    }

    func start(_ arguments: [String] = ["--no-datasets"], environment: [String: String] = [:]) throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(arguments: arguments, environment: environment)
        try #require(terminal.waitFor("tally> "), "no prompt: \(terminal.output.text)")
        return terminal
    }

    /// Runs `statement` and waits for the next prompt; returns the output between.
    @discardableResult
    func run(_ terminal: PseudoTerminal, _ statement: String) -> String {
        let mark = terminal.output.count
        terminal.type(statement)
        terminal.press(Key.enter)
        _ = terminal.waitFor("\ntally> ", after: mark + statement.utf8.count)
        return terminal.output.text(from: mark)
    }

    @Test func chineseIsTypedAndEditedByCharacter() throws {
        let terminal = try start()
        let mark = terminal.output.count
        terminal.type("from [{地区 = \"广西壮族\"}]")
        // Left over `]`, `}` and `"`, then two Backspaces take 族 and 壮 (one character each).
        terminal.press(Key.left, Key.left, Key.left, Key.backspace, Key.backspace)
        terminal.type("区")
        terminal.press(Key.enter)
        #expect(terminal.waitFor("│ 广西区 │", after: mark), "\(terminal.output.text(from: mark))")
        #expect(terminal.output.text(from: mark).contains("│ 地区   │"))
        // Ctrl-D once the prompt is back: typed while a statement runs, the terminal is not yet the
        // editor's and the line discipline takes it.
        #expect(terminal.waitFor("tally> ", after: mark + 40))
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    @Test func ctrlCClearsTheLineAndEveryKeyStillWorks() throws {
        let terminal = try start()
        var mark = terminal.output.count
        terminal.type("from nowhere | sel")
        terminal.press(Key.ctrlC)
        #expect(terminal.waitFor("^C", after: mark))
        #expect(terminal.waitFor("tally> ", after: mark + 20))

        let first = run(terminal, "from [{a = 41}] | derive b = a + 1")
        #expect(first.contains("│ 41 │ 42 │"), "\(first)")
        #expect(!first.contains("nowhere"))

        // A multi-line statement: Ctrl-C on its second line drops the whole of it.
        mark = terminal.output.count
        terminal.type("from [{a = 1}] |")
        terminal.press(Key.enter)
        #expect(terminal.waitFor("...> ", after: mark))
        terminal.type("derive")
        terminal.press(Key.ctrlC)
        let fresh = run(terminal, "from [{z = 5}]")
        #expect(fresh.contains("│ 5 │"), "\(fresh)")

        // Up recalls the last statement; Enter runs it again.
        mark = terminal.output.count
        terminal.press(Key.up, Key.up, Key.enter)
        #expect(terminal.waitForResult("│ 41 │ 42 │", after: mark), "\(terminal.output.text(from: mark))")

        // Ctrl-R finds an older one by a piece of it.
        mark = terminal.output.count
        terminal.press(Key.ctrlR)
        terminal.type("z = 5")
        usleep(100_000)
        terminal.press(Key.enter)
        #expect(terminal.waitForResult("│ 5 │", after: mark), "\(terminal.output.text(from: mark))")

        // Ctrl-A and Ctrl-K: the start of the line, then cut to its end.
        mark = terminal.output.count
        terminal.type("garbage here")
        terminal.press(Key.ctrlA, Key.ctrlK)
        terminal.type("from [{c = 7}] | derive d = c * 6")
        terminal.press(Key.ctrlE, Key.enter)
        #expect(terminal.waitForResult("│ 7 │ 42 │", after: mark), "\(terminal.output.text(from: mark))")
        #expect(!terminal.output.text(from: mark).contains("unknown"))

        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    @Test func ctrlRSearchesChineseTextAsItIsTyped() throws {
        let terminal = try start()
        run(terminal, "from [{县 = \"兴宁区\", n = 2}]")
        run(terminal, "from [{县 = \"兴宁区\", n = 1}]")
        run(terminal, "from [{县 = \"马山县\", n = 3}]")
        // Two Chinese characters extend the pattern (they never land in the line), Ctrl-R again
        // finds the older match, Enter runs it.
        var mark = terminal.output.count
        terminal.press(Key.ctrlR, "兴", "宁")
        #expect(terminal.waitFor("(reverse-i-search)`兴宁': from [{县 = \"兴宁区\", n = 1}]", after: mark))
        terminal.press(Key.ctrlR)
        #expect(terminal.waitFor("`兴宁': from [{县 = \"兴宁区\", n = 2}]", after: mark))
        terminal.press("Q")
        #expect(terminal.waitFor("(failing reverse-i-search)`兴宁Q'", after: mark))
        terminal.press(Key.backspace, Key.enter)
        #expect(terminal.waitForResult("│ 兴宁区 │ 1 │", after: mark), "\(terminal.output.text(from: mark))")
        // Ctrl-G gives back the line as it was.
        mark = terminal.output.count
        terminal.type("from [{k = 7}]")
        terminal.press(Key.ctrlR, "马", "\u{07}", Key.enter)
        #expect(terminal.waitForResult("│ 7 │", after: mark), "\(terminal.output.text(from: mark))")
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    @Test func tabCompletesChineseColumnsAndTransforms() throws {
        let terminal = try start()
        let mark = terminal.output.count
        terminal.type("from [{县名 = \"马山县\", 资助人数 = 5}] | derive y = 资")
        terminal.press(Key.tab)
        terminal.type("* 2 | sel")
        terminal.press(Key.tab)
        terminal.type("{县")
        terminal.press(Key.tab)
        terminal.type(", y}")
        terminal.press(Key.enter)
        #expect(terminal.waitForResult("│ 马山县 │ 10 │", after: mark), "\(terminal.output.text(from: mark))")
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    @Test func tabListsCandidatesWithTheirTypes() throws {
        let terminal = try start()
        let mark = terminal.output.count
        terminal.type("from [{amount = 1.5, area = \"x\"}] | derive z = a")
        terminal.press(Key.tab)
        #expect(terminal.waitFor("amount", after: mark + 40))
        #expect(terminal.waitFor("float", after: mark))
        #expect(terminal.waitFor("text", after: mark))
        let cancelled = terminal.output.count
        terminal.press(Key.ctrlC)
        #expect(terminal.waitFor("tally> ", after: cancelled))
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    @Test func ctrlCCancelsALongQueryAndTheSessionGoesOn() throws {
        let terminal = try start()
        run(terminal, "let r = (from [{n = 1}] | loop (filter n < 8000 | derive n = n + 1))")
        let mark = terminal.output.count
        // 64 million pairs: seconds of work, cancelled well before it ends.
        terminal.type("from r | join side:inner (from r | select {m = n}) (true) | aggregate {s = sum n}")
        terminal.press(Key.enter)
        usleep(400_000)
        let pressed = Date()
        terminal.press(Key.ctrlC)
        #expect(terminal.waitFor("cancelled", after: mark, seconds: 10), "\(terminal.output.text(from: mark))")
        #expect(Date().timeIntervalSince(pressed) < 5)
        #expect(!terminal.output.text(from: mark).contains("256,032,000,000"))
        let after = run(terminal, "from r | aggregate {k = count this}")
        #expect(after.contains("│ 8000 │"), "\(after)")
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    @Test func aNonUTF8LocaleIsNotedOnceAndInputStillWorks() throws {
        let terminal = try PseudoTerminal(arguments: ["--no-datasets"], environment: ["LANG": "C", "LC_ALL": "C"])
        #expect(terminal.waitFor("input is read as UTF-8"))
        #expect(terminal.waitFor("tally> "))
        let out = run(terminal, "from [{县名 = \"兴宁区\"}]")
        #expect(out.contains("│ 兴宁区 │"), "\(out)")
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
    }

    /// An executable shell script in a fresh folder.
    func script(_ name: String, _ body: String) throws -> (path: String, folder: String) {
        let folder = NSTemporaryDirectory() + "tally-pty-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return (path, folder)
    }

    @Test func tallResultsGoThroughThePagerUntilItIsTurnedOff() throws {
        let pager = try script("pager", "echo '[paged]'; cat\n")
        let terminal = try start(environment: ["PAGER": pager.path])
        let tall = "from [{n = 1}] | loop (filter n < 60 | derive n = n + 1)"
        let paged = run(terminal, tall)
        #expect(paged.contains("[paged]"), "\(paged)")
        #expect(paged.contains("60 rows"))
        let short = run(terminal, "from [{n = 1}]")
        #expect(!short.contains("[paged]"))
        run(terminal, ".pager off")
        let unpaged = run(terminal, tall)
        #expect(!unpaged.contains("[paged]") && unpaged.contains("60 rows"), "\(unpaged)")
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)

        // `-c` is never paged, even on a terminal.
        let once = try PseudoTerminal(arguments: ["--no-datasets", "-c", tall], environment: ["PAGER": pager.path])
        #expect(once.exitStatus() == 0)
        #expect(once.output.text.contains("60 rows") && !once.output.text.contains("[paged]"))
    }

    @Test func editRunsWhatTheEditorSavedAndKeepsItInHistoryAndTheJournal() throws {
        let editor = try script("editor", "sed -i 's/41/99/' \"$1\"\n")
        let state = editor.folder + "/state"
        let terminal = try start(environment: ["EDITOR": editor.path, "VISUAL": "", "XDG_STATE_HOME": state])
        #expect(run(terminal, "from [{a = 41}]").contains("│ 41 │"))
        let edited = run(terminal, ".edit")
        #expect(edited.contains("from [{a = 99}]") && edited.contains("│ 99 │"), "\(edited)")
        // Up brings back the statement that ran, not `.edit`.
        let mark = terminal.output.count
        terminal.press(Key.up, Key.enter)
        #expect(terminal.waitForResult("│ 99 │", after: mark), "\(terminal.output.text(from: mark))")
        terminal.press(Key.ctrlD)
        #expect(terminal.exitStatus() == 0)
        let journals = try FileManager.default.contentsOfDirectory(atPath: state + "/tally/sessions")
        let journal = try String(contentsOfFile: state + "/tally/sessions/" + (journals.first ?? ""), encoding: .utf8)
        #expect(journal.contains("from [{a = 41}]\nfrom [{a = 99}]\nfrom [{a = 99}]\n"), "\(journal)")
        #expect(!journal.contains(".edit"))

        // An editor that fails runs nothing.
        let failing = try script("failing-editor", "exit 3\n")
        let second = try start(environment: ["EDITOR": failing.path, "VISUAL": "", "XDG_STATE_HOME": state])
        let out = run(second, ".edit")
        #expect(out.contains("exited with status 3; nothing was run"), "\(out)")
        second.press(Key.ctrlD)
        #expect(second.exitStatus() == 0)
    }
}
