import CEditLine
import Foundation
import TallyEngine
import TallyReport

/// The interactive shell and the script runner: statements in, rendered results out.
///
/// Results go to stdout, messages and errors to stderr. A failing statement prints its error and
/// leaves the session as it was; the REPL never exits on an error or on Ctrl-C.
public final class Shell {
    public let session: Session
    public var settings: ShellSettings
    /// Statements entered in this process, for `.history`.
    public private(set) var entered: [String] = []
    private var historyFile: HistoryFile?
    private var historyWarningShown = false
    private var quitRequested = false
    /// The last chart a query asked for, for `.svg`.
    public private(set) var lastChart: (table: Table, spec: ChartSpec)?

    public init(session: Session, settings: ShellSettings = ShellSettings(), historyFile: HistoryFile? = nil) {
        self.session = session
        self.settings = settings
        self.historyFile = historyFile
        session.cancellation = CancellationCheck { tally_peek_interrupt() != 0 }
    }

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
                Terminal.writeError(String(format: "time: %.3f s\n", seconds))
            }
        }
        _ = tally_take_interrupt()
        do {
            let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix(".") {
                let words = try CommandWords.parse(trimmed)
                if try runShellCommand(words) { return true }
            }
            switch try session.run(statement) {
            case .table(let table): show(table)
            case .chart(let table, let spec): show(table, chart: spec)
            case .message(let text): Terminal.writeError(text + "\n")
            case .none: break
            }
            return true
        } catch let error as TallyError {
            if error.kind == .cancelled {
                Terminal.writeError("cancelled\n")
            } else {
                report(error, origin: origin)
            }
            return false
        } catch {
            Terminal.writeError("error: \(error)\n")
            return false
        }
    }

    func report(_ error: TallyError, origin: Origin) {
        var error = error
        if error.file == nil, let file = origin.file {
            error.file = file
            if error.source == nil { error.line = origin.line }
        }
        Terminal.writeError(error.rendered(lineOffset: error.source != nil && origin.file != nil ? origin.line - 1 : 0) + "\n")
    }

    /// Renders a table in the current mode.
    public func show(_ table: Table) {
        Terminal.write(format(table))
    }

    /// Draws a chart when stdout is a terminal and the mode is `table`; prints the table otherwise
    /// (a pipe, a file or an export format gets the data, not a drawing).
    public func show(_ table: Table, chart spec: ChartSpec) {
        lastChart = (table, spec)
        guard settings.format == .table, settings.charts ?? Terminal.stdoutIsTerminal else {
            show(table)
            return
        }
        Terminal.write(formatChart(table, spec))
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

    public func format(_ table: Table) -> String {
        let options = RenderOptions(width: Terminal.columns, maxRows: settings.format == .table ? settings.maxRows : nil,
                                    color: settings.color ?? Terminal.colorEnabled)
        var text = render(table, format: settings.format, options: options)
        if !text.hasSuffix("\n") { text += "\n" }
        return text
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
            Terminal.write(Help.text(for: words.positional.first))
        case "mode":
            guard let name = words.positional.first else {
                Terminal.writeError("mode: \(settings.format.rawValue)\n")
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
            Terminal.write(out)
        case "svg":
            try writeSVG(words)
        case "quit", "exit":
            quitRequested = true
        default:
            // Engine commands, under their full name.
            switch try session.runCommand(resolved) {
            case .table(let table): show(table)
            case .chart(let table, let spec): show(table, chart: spec)
            case .message(let text): Terminal.writeError(text + "\n")
            case .none: break
            }
        }
        return true
    }

    /// `.svg FILE [width:1200] [height:675]`: the last chart as an SVG file (written to a temporary
    /// file and renamed into place).
    func writeSVG(_ words: CommandWords) throws {
        guard let path = words.positional.first else {
            throw TallyError(.usage, "`.svg` needs a file name", hint: "e.g. `.svg trend.svg`")
        }
        guard let chart = lastChart else {
            throw TallyError(.usage, "no chart yet", hint: "run a query ending in `chart`, e.g. `… | chart line x:year y:rate`")
        }
        func size(_ key: String, _ fallback: Int) throws -> Int {
            guard let text = words.option(key) else { return fallback }
            guard let n = Int(text), (100...10_000).contains(n) else {
                throw TallyError(.usage, "`\(key):` takes a number of pixels from 100 to 10000, got `\(text)`")
            }
            return n
        }
        let svg = SVGChart.render(chart.table, chart.spec, width: try size("width", 1200), height: try size("height", 675))
        do {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TallyError(.io, "cannot write `\(path)`: \(error.localizedDescription)")
        }
        Terminal.writeError("wrote \(path)\n")
    }

    // MARK: - Scripts

    /// Runs a script's statements in order. Stops at the first failure unless `keepGoing`.
    /// Returns whether every statement succeeded.
    public func runScript(_ text: String, file: String?, keepGoing: Bool = false) -> Bool {
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

    // MARK: - REPL

    /// Reads statements from the terminal until Ctrl-D or `.quit`.
    public func runREPL() {
        installSignalHandlers()
        guard let editor = LineEditor(program: "tally") else {
            Terminal.writeError("error: cannot start the line editor; reading plain input\n")
            let data = FileHandle.standardInput.readDataToEndOfFile()
            _ = runScript(String(decoding: data, as: UTF8.self), file: nil, keepGoing: true)
            return
        }
        for entry in historyFile?.load() ?? [] { editor.addHistory(entry) }
        let completer = Completer(session: session, commandNames: ShellCommand.names)
        editor.completer = { completer.complete($0) }
        Terminal.writeError(Help.banner(tables: session.catalog.names.count))
        var buffer = ""
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
                remember(statement, editor: editor)
                for part in StatementSplitter.split(statement) {
                    execute(part.text, origin: Origin(line: part.line))
                    if quitRequested { break }
                }
            }
        }
    }

    private func remember(_ raw: String, editor: LineEditor) {
        let statement = raw.trimmingCharacters(in: .whitespacesAndNewlines)
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
