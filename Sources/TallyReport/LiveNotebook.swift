import Foundation
import TallyEngine

/// Runs a notebook again and again as it is edited, re-running only from the first cell that
/// changed (`tally preview`).
///
/// The rule, chosen so that a result on the page is always the one a full run would give:
///
/// - A cell's **key** is its source, its options, the values of the parameters its source names
///   (`$year`; every parameter for a cell that runs a script with `.run`) and, when it shows an
///   error, its line (an error names the line). A cell is unchanged when its key is the one of the
///   run before, at the same position, and no data file it names changed since.
/// - The first cell that is not unchanged, and every cell after it, run and render anew.
/// - The cells before it keep their results from the run before (nothing is rendered or recounted
///   for them), but a session cannot be snapshotted and restored, so each run starts a **fresh
///   session** and re-executes their statements silently, outputs discarded, to rebuild the state
///   (`let`s, `.load`ed tables, `_`) the later cells see. The plan's data is small, so this costs
///   little; what it buys is that no result depends on an earlier run's leftovers.
/// - A data file (a `.load` or `.run` path, a dataset) counts as named by a cell whose source
///   contains its file name or its table name (the file name without extension), and by any cell
///   with `.run`.
///
/// Prose is substituted anew on every run: it is cheap and has no state.
public final class LiveNotebookRunner {
    /// A new session with the datasets registered, for each run.
    public let makeSession: () throws -> Session
    public let file: String?

    private var cache: [CachedCell] = []
    /// Data files that changed since the last run.
    private var changedFiles: Set<String> = []

    struct CachedCell {
        var key: CellKey
        var outcome: NotebookRunner.CellOutcome
    }

    struct CellKey: Equatable {
        var source: String
        var options: CellOptions
        var parameters: [String]
        /// The line, for cells whose output names it (an error).
        var line: Int?
    }

    /// What one run did.
    public struct Update: Sendable {
        public var run: NotebookRun
        /// Cells whose result was kept from the run before.
        public var keptCells: Int
        /// Cells that ran and rendered anew (all cells from the first changed one on).
        public var rerunCells: Int
    }

    public init(file: String?, makeSession: @escaping () throws -> Session) {
        self.file = file
        self.makeSession = makeSession
    }

    /// Says that these data files changed: the cells that name them run again next time.
    public func dataChanged(_ paths: some Sequence<String>) {
        changedFiles.formUnion(paths)
    }

    /// Forgets every kept result: the next run runs every cell.
    public func reset() {
        cache = []
        changedFiles = []
    }

    /// Runs `notebook` with the given parameter values (see the rule above). A failing statement is
    /// shown in its cell and the run goes on. Throws only for an unknown parameter.
    public func run(_ notebook: Notebook, overrides: [(String, String)] = []) throws -> Update {
        let parameters = try NotebookRunner.parameters(for: notebook, overrides: overrides, file: file)
        let session = try makeSession()
        let runner = NotebookRunner(session: session, file: file, keepGoing: true)
        let values = Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        let cells = notebook.cells
        let keys = cells.map { key(of: $0, parameters: parameters, values: values) }
        let changedNames = Set(changedFiles.flatMap { path -> [String] in
            let name = (path as NSString).lastPathComponent
            return [name, (name as NSString).deletingPathExtension]
        }.filter { !$0.isEmpty })

        var firstChanged = 0
        while firstChanged < cells.count, firstChanged < cache.count {
            let cached = cache[firstChanged]
            let cell = cells[firstChanged]
            var key = keys[firstChanged]
            if cached.outcome.result.failed { key.line = cell.line }
            guard cached.key == key, !names(cell, anyOf: changedNames) else { break }
            firstChanged += 1
        }

        var update = Update(run: NotebookRun(notebook: notebook, blocks: [], parameters: parameters), keptCells: 0, rerunCells: 0)
        var newCache: [CachedCell] = []
        runner.withNotebookContext(parameters) {
            var rows = NotebookRunner.defaultRows
            var index = 0
            for block in notebook.blocks {
                switch block {
                case .prose(let text):
                    update.run.blocks.append(.prose(NotebookRunner.substitute(parameters, in: text)))
                case .cell(let cell):
                    var outcome: NotebookRunner.CellOutcome
                    if index < firstChanged {
                        // Rebuild the state the later cells see; keep the result shown before.
                        _ = runner.runCell(cell, rows: rows)
                        outcome = cache[index].outcome
                        update.keptCells += 1
                    } else {
                        outcome = runner.runCell(cell, rows: rows)
                        update.rerunCells += 1
                    }
                    rows = outcome.rowsAfter
                    update.run.add(outcome)
                    update.run.blocks.append(.cell(outcome.result))
                    var key = keys[index]
                    if outcome.result.failed { key.line = cell.line }
                    newCache.append(CachedCell(key: key, outcome: outcome))
                    index += 1
                }
            }
        }
        cache = newCache
        changedFiles = []
        return update
    }

    private func key(of cell: Cell, parameters: [(name: String, value: String)], values: [String: String]) -> CellKey {
        let runsScript = cell.source.contains(".run")
        let named = parameters.filter { runsScript || LiveNotebookRunner.mentions(cell.source, parameter: $0.name) }
        return CellKey(source: cell.source, options: cell.options,
                       parameters: named.map { "\($0.name)=\(values[$0.name] ?? $0.value)" }, line: nil)
    }

    private func names(_ cell: Cell, anyOf names: Set<String>) -> Bool {
        guard !names.isEmpty else { return false }
        if cell.source.contains(".run") { return true }
        return names.contains { cell.source.contains($0) }
    }

    /// Whether `source` names `$name` (and not a longer name starting with it).
    static func mentions(_ source: String, parameter name: String) -> Bool {
        var rest = source[...]
        let token = "$" + name
        while let range = rest.range(of: token) {
            let after = range.upperBound
            if after == rest.endIndex { return true }
            let next = rest[after]
            if !(next.isLetter || next.isNumber || next == "_") { return true }
            rest = rest[after...]
        }
        return false
    }

    /// The files a notebook's cells read by path (`.load FILE`, `.run SCRIPT`), resolved from the
    /// notebook's folder as a run resolves them: what `tally preview` watches besides the notebook.
    public static func dataFiles(of notebook: Notebook, file: String?) -> [String] {
        var paths: [String] = []
        let resolver = Session()
        resolver.baseDirectory = Session.folder(of: file)
        for cell in notebook.cells {
            for statement in StatementSplitter.split(cell.source) {
                let trimmed = statement.text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasPrefix(".load") || trimmed.hasPrefix(".run"),
                      let words = try? CommandWords.parse(trimmed),
                      words.name == "load" || words.name == "run",
                      let path = words.positional.first else { continue }
                let resolved = resolver.resolvePath(path)
                if !paths.contains(resolved) { paths.append(resolved) }
            }
        }
        return paths
    }
}
