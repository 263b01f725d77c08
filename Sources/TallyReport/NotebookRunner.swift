import Foundation
import TallyEngine

/// What one statement of a cell gave.
public enum CellOutput: Sendable {
    /// A query's table, with the statement that made it (a chart renderer reads the statement).
    case table(Table, statement: String, maxRows: Int)
    /// A command's answer in words (`.load` says what it read).
    case message(String)
    /// A statement that failed: the error as the terminal shows it, with file and line.
    case error(String)
}

/// A cell and what running it gave.
public struct CellResult: Sendable {
    public var cell: Cell
    /// False for `eval: false` cells and for cells after a failure that stopped the run.
    public var ran: Bool
    public var outputs: [CellOutput]
    public init(cell: Cell, ran: Bool, outputs: [CellOutput]) {
        self.cell = cell
        self.ran = ran
        self.outputs = outputs
    }

    public var failed: Bool { outputs.contains { if case .error = $0 { return true } else { return false } } }

    /// Whether a table the cell shows was computed from a synthetic table: its report says so at
    /// the foot of the cell.
    public var synthetic: Bool {
        outputs.contains { if case .table(let table, _, _) = $0 { return table.provenance == .synthetic } else { return false } }
    }
}

/// A notebook after running: its blocks with each cell's outputs.
public struct NotebookRun: Sendable {
    public enum Block: Sendable {
        case prose(String)
        case cell(CellResult)
    }

    public var notebook: Notebook
    public var blocks: [Block]
    /// The parameter values the cells saw, in the front matter's order.
    public var parameters: [(name: String, value: String)]
    /// The error that stopped the run (a failing statement outside `#| error: true` cells, without
    /// keep-going), rendered with its location.
    public var stoppedBy: String?
    /// Statements that failed, whether or not the run went on.
    public var errorCount: Int
    /// Failures outside `#| error: true` cells: these make `tally notebook` exit with status 1.
    public var unexpectedErrorCount: Int

    public init(notebook: Notebook, blocks: [Block], parameters: [(name: String, value: String)] = [],
                stoppedBy: String? = nil, errorCount: Int = 0, unexpectedErrorCount: Int = 0) {
        self.notebook = notebook
        self.blocks = blocks
        self.parameters = parameters
        self.stoppedBy = stoppedBy
        self.errorCount = errorCount
        self.unexpectedErrorCount = unexpectedErrorCount
    }

    public var cells: [CellResult] {
        blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// Counts a cell's errors (and the stop it caused) into the run.
    mutating func add(_ outcome: NotebookRunner.CellOutcome) {
        errorCount += outcome.errors
        if !outcome.result.cell.options.error { unexpectedErrorCount += outcome.errors }
        if stoppedBy == nil, let stop = outcome.stoppedBy { stoppedBy = stop }
    }
}

/// Runs a notebook's cells in order, in one session.
public struct NotebookRunner {
    /// Rows a table shows in a report unless the cell says `#| rows: N` (or `.rows N` was run).
    public static let defaultRows = 20
    /// How deep `.run` may nest (a script that runs itself stops here).
    static let maxRunDepth = 8

    public let session: Session
    /// The notebook's path, for error locations.
    public var file: String?
    /// Run every cell even after one fails.
    public var keepGoing: Bool
    /// The last chart a cell drew, for `.svg`.
    private let charts = ChartMemory()

    final class ChartMemory {
        var last: (table: Table, spec: ChartSpec)?
    }

    public init(session: Session, file: String? = nil, keepGoing: Bool = false) {
        self.session = session
        self.file = file
        self.keepGoing = keepGoing
    }

    /// The parameters a run uses: the front matter's defaults, overridden by `overrides`. A
    /// parameter the notebook does not declare is a usage error (it is most likely a typo).
    public static func parameters(for notebook: Notebook, overrides: [(String, String)], file: String? = nil) throws
        -> [(name: String, value: String)] {
        var values = notebook.params.map { (name: $0.name, value: $0.defaultValue) }
        for (name, value) in overrides {
            guard let index = values.firstIndex(where: { $0.name == name }) else {
                let declared = notebook.params.map(\.name)
                throw TallyError(.usage, "the notebook has no parameter `\(name)`",
                                 hint: Suggest.nearest(name, in: declared).map { "did you mean `\($0)`?" }
                                    ?? (declared.isEmpty ? "declare it under `params:` in the front matter"
                                        : "it declares " + declared.map { "`\($0)`" }.joined(separator: ", ")),
                                 file: file)
            }
            values[index].value = value
        }
        return values
    }

    /// Runs every cell. Errors never escape: a failing statement becomes an `.error` output, and the
    /// run stops there unless `keepGoing` or the cell has `#| error: true`.
    public func run(_ notebook: Notebook, overrides: [(String, String)] = []) throws -> NotebookRun {
        let parameters = try NotebookRunner.parameters(for: notebook, overrides: overrides, file: file)
        // Relative paths in cells are found from the notebook's folder.
        return withNotebookContext(parameters) { runCells(notebook, parameters: parameters) }
    }

    private func runCells(_ notebook: Notebook, parameters: [(name: String, value: String)]) -> NotebookRun {
        var run = NotebookRun(notebook: notebook, blocks: [], parameters: parameters, stoppedBy: nil,
                              errorCount: 0, unexpectedErrorCount: 0)
        var rows = NotebookRunner.defaultRows
        for block in notebook.blocks {
            switch block {
            case .prose(let text):
                run.blocks.append(.prose(NotebookRunner.substitute(parameters, in: text)))
            case .cell(let cell):
                if run.stoppedBy != nil {
                    run.blocks.append(.cell(CellResult(cell: cell, ran: false, outputs: [])))
                    continue
                }
                let outcome = runCell(cell, rows: rows)
                rows = outcome.rowsAfter
                run.add(outcome)
                run.blocks.append(.cell(outcome.result))
            }
        }
        return run
    }

    /// What running one cell gave, and the state it leaves for the cells after it.
    public struct CellOutcome: Sendable {
        public var result: CellResult
        /// The table row limit in force after the cell (`.rows N` changes it).
        public var rowsAfter: Int
        public var errors: Int
        /// The first error, when it stopped the run (a failure without keep-going or `error: true`).
        public var stoppedBy: String?
    }

    /// Runs one cell in the session, with `rows` the row limit the cells before it left. The
    /// session's parameters and base directory must already be set (as `run` sets them); a cell
    /// with `eval: false` runs nothing.
    public func runCell(_ cell: Cell, rows: Int) -> CellOutcome {
        var result = CellResult(cell: cell, ran: false, outputs: [])
        guard cell.options.eval else { return CellOutcome(result: result, rowsAfter: rows, errors: 0, stoppedBy: nil) }
        result.ran = true
        var state = RunState(rows: cell.options.rows ?? rows, allowErrors: cell.options.error || keepGoing)
        runStatements(cell.source, file: file, firstLine: cell.line, state: &state, into: &result.outputs, depth: 0)
        return CellOutcome(result: result, rowsAfter: state.rowsChanged ? state.rows : rows, errors: state.errors,
                           stoppedBy: state.stopped ? state.firstError : nil)
    }

    /// Runs `body` with the session set up for `notebook`'s cells: the parameter values, and the
    /// notebook's folder for relative paths (restored afterwards).
    public func withNotebookContext<T>(_ parameters: [(name: String, value: String)], _ body: () throws -> T) rethrows -> T {
        for (name, value) in parameters { session.parameters[name] = value }
        let outer = session.baseDirectory
        session.baseDirectory = Session.folder(of: file)
        defer { session.baseDirectory = outer }
        return try body()
    }

    struct RunState {
        var rows: Int
        var allowErrors: Bool
        /// `.rows N` ran: the new limit holds for the cells after this one too.
        var rowsChanged = false
        var errors = 0
        var firstError: String?
        var stopped = false
    }

    private func runStatements(_ text: String, file: String?, firstLine: Int, state: inout RunState,
                               into outputs: inout [CellOutput], depth: Int) {
        for statement in StatementSplitter.split(text) {
            if state.stopped { return }
            let line = firstLine + statement.line - 1
            do {
                try runStatement(statement.text, file: file, line: line, state: &state, into: &outputs, depth: depth)
            } catch let error as TallyError {
                let rendered = NotebookRunner.render(error, file: file, line: line)
                outputs.append(.error(rendered))
                state.errors += 1
                if state.firstError == nil { state.firstError = rendered }
                if !state.allowErrors { state.stopped = true }
            } catch {
                let rendered = "error: \(error)" + (file.map { "\n  --> \($0):\(line)" } ?? "")
                outputs.append(.error(rendered))
                state.errors += 1
                if state.firstError == nil { state.firstError = rendered }
                if !state.allowErrors { state.stopped = true }
            }
        }
    }

    private func runStatement(_ text: String, file: String?, line: Int, state: inout RunState,
                              into outputs: inout [CellOutput], depth: Int) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(".") {
            let words = try CommandWords.parse(trimmed)
            switch words.name {
            case "rows":
                guard let n = words.positional.first.flatMap({ Int($0) }), n > 0 else {
                    throw TallyError(.usage, "`.rows` needs a positive number", hint: "e.g. `.rows 20`")
                }
                state.rows = n
                state.rowsChanged = true
                return
            case "mode", "timer", "maxwidth":
                // A report shows tables as tables, at their full width, and has no clock: nothing to do.
                return
            case "svg":
                outputs.append(.message(try SVGFileCommand.run(words, chart: charts.last, resolve: session.resolvePath)))
                return
            case "run":
                guard let given = words.positional.first, words.positional.count == 1 else {
                    throw TallyError(.usage, "`.run` needs one script", hint: "e.g. `.run report.tally`")
                }
                let path = session.resolvePath(given)
                guard depth < NotebookRunner.maxRunDepth else {
                    throw TallyError(.usage, "`.run` is nested more than \(NotebookRunner.maxRunDepth) deep",
                                     hint: "does `\(path)` run itself?")
                }
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw TallyError(.io, "cannot read script `\(path)`", hint: "check the path")
                }
                var inner = RunState(rows: state.rows, allowErrors: state.allowErrors)
                let outer = session.baseDirectory
                session.baseDirectory = Session.folder(of: path)
                runStatements(String(decoding: data, as: UTF8.self), file: path, firstLine: 1, state: &inner,
                              into: &outputs, depth: depth + 1)
                session.baseDirectory = outer
                if inner.rowsChanged {
                    state.rows = inner.rows
                    state.rowsChanged = true
                }
                state.errors += inner.errors
                if state.firstError == nil { state.firstError = inner.firstError }
                if inner.stopped { state.stopped = true }
                return
            default:
                break
            }
        }
        switch try session.run(text) {
        case .table(let table): outputs.append(.table(table, statement: text, maxRows: state.rows))
        case .chart(let table, let spec):
            charts.last = (table, spec)
            outputs.append(.table(table, statement: text, maxRows: state.rows))
        case .message(let message): outputs.append(.message(message))
        case .none: break
        }
    }

    /// Prose with each `$name` of a declared parameter replaced by its value (so a heading can say
    /// `$year`); other `$` signs stay as they are.
    public static func substitute(_ parameters: [(name: String, value: String)], in text: String) -> String {
        guard !parameters.isEmpty, text.contains("$") else { return text }
        let values = Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "$" {
                var j = text.index(after: i)
                while j < text.endIndex, text[j].isLetter || text[j].isNumber || text[j] == "_" { j = text.index(after: j) }
                if let value = values[String(text[text.index(after: i)..<j])] {
                    out += value
                    i = j
                    continue
                }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return out
    }

    /// An error as the terminal shows it, located in the notebook: `--> file:line:column` and the
    /// source line with a caret (the same rule as the shell's scripts).
    public static func render(_ error: TallyError, file: String?, line: Int) -> String {
        var error = error
        if error.file == nil, let file {
            error.file = file
            if error.source == nil { error.line = line }
        }
        return error.rendered(lineOffset: error.source != nil && file != nil ? line - 1 : 0)
    }
}
