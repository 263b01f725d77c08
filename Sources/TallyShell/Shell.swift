import CEditLine
import Foundation
import TallyEngine
import TallyReport
import Yams

/// The interactive shell and the script runner: statements in, rendered results out.
///
/// Results go to stdout, messages and errors to stderr. A failing statement prints its error and
/// leaves the session as it was; the REPL never exits on an error or on Ctrl-C.
public final class Shell {
    public let session: Session
    public var settings: ShellSettings
    /// Statements entered in this process, for `.history`.
    public private(set) var entered: [String] = []
    /// The statements that succeeded, in order, with what they showed: what `.save` writes.
    public private(set) var record: [RecordedStatement] = []
    /// Where the session is journalled as it goes (the REPL sets one; scripts have their file).
    public var journal: SessionJournal?
    /// Where results go (stdout) and where messages and errors go (stderr); tests capture them.
    public var writeOutput: (String) -> Void = { Terminal.write($0) }
    public var writeMessage: (String) -> Void = { Terminal.writeError($0) }
    private var historyFile: HistoryFile?
    private var historyWarningShown = false
    private var journalWarningShown = false
    private var quitRequested = false
    /// The last chart a query asked for, for `.svg`.
    public private(set) var lastChart: (table: Table, spec: ChartSpec)?
    /// How deep `.run` is nested; statements run by `.run` belong to the `.run` line's record.
    private var runDepth = 0
    /// What the statement being run has shown so far.
    private var pendingOutputs: [CellOutput] = []
    /// The line editor while the REPL runs (nil for scripts, `-c` and tests): the REPL alone pages
    /// results and opens an editor.
    private var editor: LineEditor?
    private var pagerWarningShown = false

    public init(session: Session, settings: ShellSettings = ShellSettings(), historyFile: HistoryFile? = nil) {
        self.session = session
        self.settings = settings
        self.historyFile = historyFile
        session.cancellation = CancellationCheck { tally_peek_interrupt() != 0 }
    }

    /// A statement that ran, as typed, and what it showed.
    public struct RecordedStatement {
        public var text: String
        public var outputs: [CellOutput]
    }

    /// How deep `.run` may nest (a script that runs itself stops there).
    static let maxRunDepth = 8

    // MARK: - Running statements

    /// Where a statement came from, for error messages.
    public struct Origin: Sendable {
        public var file: String?
        public var line: Int
        public init(file: String? = nil, line: Int = 1) {
            self.file = file
            self.line = line
        }
    }

    /// Runs one statement and prints what it gives. Returns whether it succeeded.
    @discardableResult
    public func execute(_ statement: String, origin: Origin = Origin()) -> Bool {
        let start = DispatchTime.now()
        defer {
            if settings.timer {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                writeMessage(String(format: "time: %.3f s\n", seconds))
            }
        }
        let top = runDepth == 0
        if top { pendingOutputs = [] }
        _ = tally_take_interrupt()
        var commandName: String?
        do {
            let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            var handled = false
            if trimmed.hasPrefix(".") {
                let words = try CommandWords.parse(trimmed)
                if case .success(let command) = ShellCommand.resolve(words.name) { commandName = command.name }
                handled = try runShellCommand(words)
            }
            if !handled {
                switch try session.run(statement) {
                case .table(let table): show(table, statement: statement)
                case .chart(let table, let spec): show(table, chart: spec, statement: statement)
                case .message(let text): message(text)
                case .none: break
                }
            }
            if top { remember(succeeded: statement, command: commandName) }
            return true
        } catch is ScriptFailed {
            // `.run`: the failing statement of the script has said what went wrong.
        } catch let error as TallyError {
            if error.kind == .cancelled {
                writeMessage("cancelled\n")
            } else {
                report(error, origin: origin)
            }
        } catch {
            writeMessage("error: \(error)\n")
        }
        if top { journalFailure(statement, command: commandName) }
        return false
    }

    /// Commands that change nothing a replay needs (help, history, the journal and `.save` itself)
    /// stay out of saved scripts and the journal.
    static let unrecorded: Set<String> = ["help", "history", "journal", "save", "quit", "exit", "timer", "edit", "pager", "explain"]

    private func remember(succeeded statement: String, command: String?) {
        if let command, Shell.unrecorded.contains(command) { return }
        // A connection's password never reaches the record, the journal or a saved script.
        let text = replayable(ConnectionString.redactedStatement(statement.trimmingCharacters(in: .whitespacesAndNewlines)))
        record.append(RecordedStatement(text: text, outputs: pendingOutputs))
        pendingOutputs = []
        journalWrite { try $0.append(text) }
    }

    /// A command as a saved script or notebook must hold it to run anywhere: under its full name
    /// (`tally notebook` knows no abbreviations) and with a relative file path made absolute (a saved
    /// script's relative paths are found from its own folder, a journal's from the journal folder).
    func replayable(_ statement: String) -> String {
        guard statement.hasPrefix("."), !statement.contains("\n"),
              var words = try? CommandWords.parse(statement),
              case .success(let command) = ShellCommand.resolve(words.name) else { return statement }
        var changed = words.name != command.name
        words.name = command.name
        if ["load", "run", "export", "svg", "sheets"].contains(command.name), let path = words.positional.first {
            let absolute = Shell.absolute(session.resolvePath(path))
            if absolute != path {
                words.positional[0] = absolute
                changed = true
            }
        }
        return changed ? words.line : statement
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let cwd = FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path
    }

    private func journalFailure(_ statement: String, command: String?) {
        if let command, Shell.unrecorded.contains(command) { return }
        pendingOutputs = []
        journalWrite { try $0.appendFailed(ConnectionString.redactedStatement(statement)) }
    }

    private func journalWrite(_ body: (SessionJournal) throws -> Void) {
        guard let journal else { return }
        do {
            try body(journal)
        } catch {
            if !journalWarningShown {
                writeMessage("warning: \(error) (the session is not journalled)\n")
                journalWarningShown = true
            }
        }
    }

    private func message(_ text: String) {
        writeMessage(text + "\n")
        pendingOutputs.append(.message(text))
    }

    func report(_ error: TallyError, origin: Origin) {
        var error = error
        if error.file == nil, let file = origin.file {
            error.file = file
            if error.source == nil { error.line = origin.line }
        }
        writeMessage(error.rendered(lineOffset: error.source != nil && origin.file != nil ? origin.line - 1 : 0) + "\n")
    }

    /// Renders a table in the current mode.
    public func show(_ table: Table, statement: String = "", nullText: String = "null") {
        writeResult(format(table, nullText: nullText))
        pendingOutputs.append(.table(table, statement: statement, maxRows: NotebookRunner.defaultRows))
    }

    /// Draws a chart when stdout is a terminal and the mode is `table`; prints the table otherwise
    /// (a pipe, a file or an export format gets the data, not a drawing).
    public func show(_ table: Table, chart spec: ChartSpec, statement: String = "") {
        lastChart = (table, spec)
        guard settings.format == .table, settings.charts ?? Terminal.stdoutIsTerminal else {
            show(table, statement: statement)
            return
        }
        writeOutput(formatChart(table, spec))
        pendingOutputs.append(.table(table, statement: statement, maxRows: NotebookRunner.defaultRows))
    }

    /// Writes a result, through the pager when the REPL shows something taller than the window.
    func writeResult(_ text: String) {
        guard editor != nil, settings.pager, runDepth == 0, Terminal.stdoutIsTerminal,
              text.utf8.lazy.filter({ $0 == 0x0A }).count >= Terminal.rows - 1 else {
            writeOutput(text)
            return
        }
        let pager = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -SRFX"
        let status = ChildProcess.run(pager, input: Array(text.utf8))
        _ = tally_take_interrupt()  // Ctrl-C inside the pager is the pager's
        if status == nil || status == 127 || status == 126 {
            writeOutput(text)
            if !pagerWarningShown {
                writeMessage("note: cannot run the pager `\(pager)`; set $PAGER or `.pager off` · 无法运行分页器\n")
                pagerWarningShown = true
            }
        }
    }

    public func formatChart(_ table: Table, _ spec: ChartSpec) -> String {
        let size = Shell.chartSize(columns: Terminal.columns, rows: Terminal.rows)
        return TerminalChart.render(table, spec, width: size.width, height: size.height,
                                    color: settings.color ?? Terminal.colorEnabled)
    }

    /// A chart fills the terminal's width (up to 120 cells, wider lines are hard to follow) and
    /// most of its height, leaving room for the prompt.
    public static func chartSize(columns: Int, rows: Int) -> (width: Int, height: Int) {
        (max(20, min(columns, 120)), max(8, min(rows - 3, 30)))
    }

    public func format(_ table: Table, nullText: String = "null") -> String {
        let width = Shell.tableWidth(settings.tableWidth, columnsVariable: Terminal.columnsVariable,
                                     terminal: Terminal.stdoutIsTerminal ? Terminal.columns : nil)
        var options = RenderOptions(width: width, maxRows: settings.format == .table ? settings.maxRows : nil,
                                    color: settings.color ?? Terminal.colorEnabled, maxColumnWidth: width)
        options.nullText = nullText
        var text = render(table, format: settings.format, options: options)
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// The widest a box table may be: `.maxwidth N`; else `COLUMNS` when it is a number, as psql
    /// reads it; else the terminal's width; else (a pipe, a file) no limit, so no column is hidden.
    static func tableWidth(_ setting: ShellSettings.TableWidth, columnsVariable: String?, terminal: Int?) -> Int {
        switch setting {
        case .cells(let n): return n
        case .unlimited: return RenderOptions.unlimitedWidth
        case .auto:
            if let text = columnsVariable, let n = Int(text), n > 0 { return min(n, RenderOptions.unlimitedWidth) }
            return terminal ?? RenderOptions.unlimitedWidth
        }
    }

    /// Handles the shell's own commands; returns false for commands the session handles.
    func runShellCommand(_ words: CommandWords) throws -> Bool {
        let command: ShellCommand
        switch ShellCommand.resolve(words.name) {
        case .success(let c): command = c
        case .failure(.ambiguous(let names)):
            throw TallyError(.usage, "`.\(words.name)` is ambiguous", hint: "it could be " + names.map { "`.\($0)`" }.joined(separator: ", "))
        case .failure(.unknown(let nearest)):
            throw TallyError(.usage, "unknown command `.\(words.name)`",
                             hint: nearest.map { "did you mean `.\($0)`? (`.help` lists commands)" } ?? "`.help` lists the commands")
        }
        var resolved = words
        resolved.name = command.name
        switch command.name {
        case "help":
            writeResult(Help.text(for: words.positional.first))
        case "pager":
            switch words.positional.first {
            case "on": settings.pager = true
            case "off": settings.pager = false
            case nil: message("pager: " + (settings.pager ? "on" : "off"))
            default: throw TallyError(.usage, "`.pager` takes on or off", hint: "e.g. `.pager off`")
            }
        case "edit":
            try edit()
        case "mode":
            guard let name = words.positional.first else {
                writeMessage("mode: \(settings.format.rawValue)\n")
                return true
            }
            guard let format = OutputFormat(rawValue: name) else {
                throw TallyError(.usage, "unknown mode `\(name)`",
                                 hint: "modes: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            settings.format = format
        case "rows":
            guard let text = words.positional.first, let n = Int(text), n > 0 else {
                throw TallyError(.usage, "`.rows` needs a positive number", hint: "e.g. `.rows 20`")
            }
            settings.maxRows = n
        case "maxwidth":
            try setMaxWidth(words.positional.first)
        case "timer":
            switch words.positional.first {
            case "on": settings.timer = true
            case "off": settings.timer = false
            default: throw TallyError(.usage, "`.timer` takes on or off", hint: "e.g. `.timer on`")
            }
        case "history":
            var out = ""
            for (i, entry) in entered.enumerated() {
                out += String(format: "%5d  ", i + 1) + entry.replacingOccurrences(of: "\n", with: "\n       ") + "\n"
            }
            writeOutput(out)
        case "svg":
            try writeSVG(words)
        case "quit", "exit":
            quitRequested = true
        case "journal":
            if words.positional.first == "list" {
                let recent = SessionJournal.recent(in: SessionJournal.directory(), current: journal?.path)
                if recent.rowCount == 0 {
                    message("no journals yet in \(SessionJournal.directory()) · 尚无会话记录")
                } else {
                    show(recent)
                }
                return true
            }
            if let extra = words.positional.first {
                throw TallyError(.usage, "`.journal` takes nothing or `list`, got `\(extra)`", hint: "`.journal list` shows the recent journals")
            }
            if let journal {
                message(journal.path + (journal.exists ? "" : " (written from the first statement on · 从第一条语句起写入)"))
            } else {
                message("this session is not journalled: it runs a script, which is its own record · 运行脚本时不另写会话记录")
            }
        case "save":
            guard let path = words.positional.first, words.positional.count == 1 else {
                throw TallyError(.usage, "`.save` needs one file name",
                                 hint: "`.save report.tally` for a script, `.save notes.md` for a notebook with outputs")
            }
            try save(to: session.resolvePath(path))
        case "run":
            guard let path = words.positional.first, words.positional.count == 1 else {
                throw TallyError(.usage, "`.run` needs one script", hint: "e.g. `.run report.tally`")
            }
            try runFile(session.resolvePath(path))
        default:
            // Engine commands, under their full name.
            switch try session.runCommand(resolved) {
            case .table(let table) where command.name == "tables":
                // A table not read yet has no row count: a dash, not `null`.
                show(table, nullText: "—")
            case .table(let table): show(table)
            case .chart(let table, let spec): show(table, chart: spec)
            case .message(let text): message(text)
            case .none: break
            }
        }
        return true
    }

    /// `.maxwidth [N|auto|none]`: how wide box tables may be; without a value, says the setting.
    func setMaxWidth(_ value: String?) throws {
        switch value?.lowercased() {
        case nil:
            let now: String
            switch settings.tableWidth {
            case .auto: now = "auto (COLUMNS, else the terminal's width; no limit in a pipe or file)"
            case .cells(let n): now = "\(n)"
            case .unlimited: now = "none"
            }
            writeMessage("maxwidth: \(now)\n")
        case "auto": settings.tableWidth = .auto
        case "none", "0": settings.tableWidth = .unlimited
        case let text?:
            guard let n = Int(text), n >= 20, n <= 10_000 else {
                throw TallyError(.usage, "`.maxwidth` takes a number of cells from 20 to 10000, `auto` or `none`, got `\(text)`",
                                 hint: "e.g. `.maxwidth 200`; `.maxwidth none` never cuts a table")
            }
            settings.tableWidth = .cells(n)
        }
    }

    /// `.svg FILE [width:1200] [height:675]`: the last chart as an SVG file.
    func writeSVG(_ words: CommandWords) throws {
        message(try SVGFileCommand.run(words, chart: lastChart, resolve: session.resolvePath))
    }

    // MARK: - Saving and replaying

    /// `.save FILE.tally` (or `.prql`): the successful statements as a script. `.save FILE.md`: a
    /// notebook with each statement as a cell and its output below it. Written to a temporary file
    /// and renamed into place.
    public func save(to path: String) throws {
        let lower = path.lowercased()
        let text: String
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
            text = savedNotebook()
        } else if lower.hasSuffix(".tally") || lower.hasSuffix(".prql") {
            text = savedScript()
        } else {
            throw TallyError(.usage, "cannot tell what to save as from `\(path)`",
                             hint: "use a .tally file for a script or a .md file for a notebook")
        }
        try AtomicFile.write(text, to: path)
        let n = record.count
        message("saved \(n) statement\(n == 1 ? "" : "s") to \(path)")
    }

    /// The script `.save` writes: a comment saying how to replay it, then every statement that ran.
    public func savedScript() -> String {
        var out = "# tally script saved from a session · 由会话保存的脚本\n"
        let parameters = session.parameters.sorted { $0.key < $1.key }
        out += "# replay with: tally run FILE" + parameters.map { " --param \($0.key)=\($0.value)" }.joined() + "\n"
        for entry in record { out += entry.text + "\n" }
        return out
    }

    /// The notebook `.save FILE.md` writes: the session's parameters in the front matter, each
    /// statement a cell, its output below it (between output markers, so running the notebook again
    /// replaces them).
    public func savedNotebook() -> String {
        let parameters = session.parameters.sorted { $0.key < $1.key }
        var blocks: [NotebookRun.Block] = []
        for entry in record {
            let cell = Cell(source: entry.text, line: 0)
            blocks.append(.cell(CellResult(cell: cell, ran: true, outputs: entry.outputs)))
        }
        let front = "---\n" + Shell.frontMatter(title: "Tally session · 会话", parameters: parameters) + "---\n\n"
        let run = NotebookRun(notebook: Notebook(), blocks: blocks, parameters: [], stoppedBy: nil,
                              errorCount: 0, unexpectedErrorCount: 0)
        return front + "Saved from a tally session; run it again with `tally notebook FILE.md --to html`.\n"
            + "由 tally 会话保存；可用 `tally notebook FILE.md --to html` 重新运行。\n\n" + MarkdownReport().render(run)
    }

    /// YAML front matter written with Yams: `title`, then `params` in the order given, every value
    /// double-quoted so it reads back as the same string (`08123`, `yes`, `null`, newlines, `#`).
    static func frontMatter(title: String, parameters: [(key: String, value: String)]) -> String {
        func quoted(_ text: String) -> Node { Node(text, .implicit, .doubleQuoted) }
        var pairs: [(Node, Node)] = [(Node("title"), quoted(title))]
        if !parameters.isEmpty {
            pairs.append((Node("params"), Node.mapping(Node.Mapping(parameters.map { (Node($0.key), quoted($0.value)) }))))
        }
        // Serializing plain strings cannot fail; an empty map is a safe fallback all the same.
        return (try? Yams.serialize(node: Node.mapping(Node.Mapping(pairs)), width: -1, allowUnicode: true)) ?? "{}\n"
    }

    /// `.run FILE`: the script's statements in this session, stopping at the first that fails.
    func runFile(_ path: String) throws {
        guard runDepth < Shell.maxRunDepth else {
            throw TallyError(.usage, "`.run` is nested more than \(Shell.maxRunDepth) deep", hint: "does `\(path)` run itself?")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TallyError(.io, "cannot read script `\(path)`", hint: "check the path")
        }
        let text = String(decoding: data, as: UTF8.self)
        if let notebook = NotebookParser.notebookGivenAsScript(path: path, text: text) { throw notebook }
        runDepth += 1
        defer { runDepth -= 1 }
        if !runScript(text, file: path) {
            throw ScriptFailed()
        }
    }

    // MARK: - Scripts

    /// Runs a script's statements in order. Stops at the first failure unless `keepGoing`.
    /// Returns whether every statement succeeded.
    /// Relative paths in its statements are found from the script's folder.
    public func runScript(_ text: String, file: String?, keepGoing: Bool = false) -> Bool {
        let outer = session.baseDirectory
        if file != nil { session.baseDirectory = Session.folder(of: file) }
        defer { session.baseDirectory = outer }
        var ok = true
        for statement in StatementSplitter.split(text) {
            if quitRequested { break }
            if !execute(statement.text, origin: Origin(file: file, line: statement.line)) {
                ok = false
                if !keepGoing { break }
            }
        }
        return ok
    }

    /// A script run by `.run` failed; its error has been shown.
    struct ScriptFailed: Error {}

    // MARK: - REPL

    /// Reads statements from the terminal until Ctrl-D or `.quit`.
    public func runREPL() {
        installSignalHandlers()
        if session.passwordPrompt == nil, Terminal.stdinIsTerminal {
            session.passwordPrompt = { try Terminal.readPassword(prompt: $0) }
        }
        guard let editor = LineEditor(program: "tally") else {
            Terminal.writeError("error: cannot start the line editor; reading plain input\n")
            let data = FileHandle.standardInput.readDataToEndOfFile()
            _ = runScript(String(decoding: data, as: UTF8.self), file: "<stdin>", keepGoing: true)
            return
        }
        for entry in historyFile?.load() ?? [] { editor.addHistory(entry) }
        self.editor = editor
        defer { self.editor = nil }
        if let journal {
            SessionJournal.prune(in: (journal.path as NSString).deletingLastPathComponent, keeping: journal.path)
        }
        let completer = Completer(session: session)
        var buffer = ""
        // Completion sees the whole statement typed so far, earlier lines included.
        editor.completer = { completer.complete(buffer.isEmpty ? $0 : buffer + "\n" + $0) }
        Terminal.writeError(Help.banner(tables: session.catalog.names.count))
        switch editor.localeCheck {
        case .utf8: break
        case .replaced(let locale):
            Terminal.writeError("note: the locale \(locale) is not UTF-8; input is read as UTF-8 · 当前区域设置不是 UTF-8，输入按 UTF-8 读取\n")
        case .unavailable(let locale):
            Terminal.writeError("note: the locale \(locale) is not UTF-8 and no UTF-8 locale is installed; non-ASCII text may not display · 系统没有 UTF-8 区域设置，中文可能无法显示\n")
        }
        while !quitRequested {
            let prompt = buffer.isEmpty ? "tally> " : "  ...> "
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                if buffer.isEmpty {
                    Terminal.write("\n")
                    return
                }
                buffer = ""  // Ctrl-D inside a statement drops it
                Terminal.write("\n")
            case .interrupted:
                buffer = ""
            case .line(let line):
                buffer += buffer.isEmpty ? line : "\n" + line
                if buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    buffer = ""
                    continue
                }
                guard InputCompleteness.isComplete(buffer) else { continue }
                let statement = buffer
                buffer = ""
                // `.edit` goes to history as the statement it ran, not as itself.
                if !Shell.isEditCommand(statement) { remember(statement, editor: editor) }
                for part in StatementSplitter.split(statement) {
                    execute(part.text, origin: Origin(line: part.line))
                    if quitRequested { break }
                }
            }
        }
    }

    static func isEditCommand(_ statement: String) -> Bool {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("."), let words = try? CommandWords.parse(trimmed),
              case .success(let command) = ShellCommand.resolve(words.name) else { return false }
        return command.name == "edit"
    }

    /// `.edit`: the last statement (or an empty file) in `$VISUAL`, else `$EDITOR`, else `vi`;
    /// what is saved runs as if typed, and goes to history and the journal as run (psql's `\e`).
    func edit() throws {
        guard let editor, Terminal.stdinIsTerminal else {
            throw TallyError(.usage, "`.edit` needs the interactive shell", hint: "in a script, write the statement itself")
        }
        let last = entered.last { !Shell.isEditCommand($0) } ?? ""
        let path = NSTemporaryDirectory() + "tally-edit-\(getpid())-\(entered.count).prql"
        try AtomicFile.write(last.isEmpty ? "" : last + "\n", to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ProcessInfo.processInfo.environment
        let program = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        guard let status = ChildProcess.run(program + " \"$1\"", arguments: [path]) else {
            throw TallyError(.io, "cannot start the editor `\(program)`", hint: "set $VISUAL or $EDITOR")
        }
        _ = tally_take_interrupt()
        guard status == 0 else {
            throw TallyError(.usage, "the editor `\(program)` exited with status \(status); nothing was run")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TallyError(.io, "cannot read back `\(path)`")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            message("nothing to run: the file was left empty · 文件为空，未运行")
            return
        }
        writeOutput(text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset == 0 ? "tally> " : "  ...> ") + $0.element }.joined(separator: "\n") + "\n")
        remember(text, editor: editor)
        for part in StatementSplitter.split(text) {
            execute(part.text, origin: Origin(line: part.line))
            if quitRequested { break }
        }
    }

    private func remember(_ raw: String, editor: LineEditor) {
        let statement = ConnectionString.redactedStatement(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        editor.addHistory(statement)
        entered.append(statement)
        do {
            try historyFile?.append(statement)
        } catch {
            if !historyWarningShown {
                Terminal.writeError("warning: \(error) (history is kept for this session only)\n")
                historyWarningShown = true
            }
        }
    }

    private func installSignalHandlers() {
        tally_install_signal_handlers()
    }
}
