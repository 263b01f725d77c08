import Foundation

/// What running one statement produced.
public enum StatementResult: Sendable {
    /// A query's result (also kept as `_`, the last result).
    case table(Table)
    /// A query ending in `chart`: its table (kept as `_` like any result) and how to draw it.
    /// Where a chart cannot be drawn (a pipe, a CSV export) the table is shown instead.
    case chart(Table, ChartSpec)
    /// A command's answer in words (`.load` says what it read).
    case message(String)
    /// A declaration or a command with nothing to say.
    case none

    /// The table of a query's result, charted or not.
    public var table: Table? {
        switch self {
        case .table(let table), .chart(let table, _): return table
        case .message, .none: return nil
        }
    }
}

/// A session: statements in, tables out.
///
/// It owns the catalog of tables, the `let` bindings, the parameters and the last result. The REPL,
/// `tally run`, notebooks and programs that embed Tally all drive one of these. A statement that fails
/// leaves the session as it was.
///
/// ```swift
/// import TallyEngine
/// let session = Session()
/// try session.register(name: "aid", path: "Datasets/student_aid.csv")
/// let result = try session.query("from aid | filter year == 2023 | aggregate {total = sum amount_yuan}")
/// let total = result[0, "total"]   // .int(…)
/// ```
///
/// A session may be shared between threads: statements run one at a time (a lock held for each
/// statement), and its settings are read and written under the same lock.
public final class Session: @unchecked Sendable {
    public let catalog: Catalog
    /// Held while a statement runs, and to read or write the state below; recursive, since a
    /// statement's commands call back into the session.
    let lock = NSRecursiveLock()

    private var _parameters: [String: String]
    private var _typedParameters: [String: Scalar] = [:]
    private var _cancellation: CancellationCheck = .never
    private var _lastResult: Table?
    private var _baseDirectory: String?
    private var _declarations = Declarations()
    private var _memoryBudget = MemoryBudget.standard
    private var _connections: [String: PostgresConnection] = [:]
    private var _passwordPrompt: (@Sendable (String) throws -> String?)?

    /// The connected databases by name (`.connect … as pg`).
    var connections: [String: PostgresConnection] {
        get { locked { _connections } }
        set { locked { _connections = newValue } }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    /// Values of `$name` parameters, as given on the command line (`--param year=2024`): each
    /// read as the narrowest literal it spells (int, float, bool, date, else text).
    public var parameters: [String: String] {
        get { locked { _parameters } }
        set { locked { _parameters = newValue } }
    }

    /// Sets `$name` to a typed value (an embedding program's `.date(…)` or `.text("08123")`, which
    /// the text form would read as a number).
    public func setParameter(_ name: String, _ value: Scalar) {
        locked { _typedParameters[name] = value }
    }

    /// Every parameter as the value a query sees.
    var parameterValues: [String: Scalar] {
        locked {
            var values = _parameters.mapValues { Binder.parameterValue($0) }
            for (name, value) in _typedParameters { values[name] = value }
            return values
        }
    }

    /// The memory a query may use before it stops with an error naming its step (`.memory_limit`);
    /// by default a share of physical memory.
    public var memoryBudget: MemoryBudget {
        get { locked { _memoryBudget } }
        set { locked { _memoryBudget = newValue } }
    }

    /// How `.connect` asks for a password the server wants and nothing gave: the interactive shell
    /// reads one from the terminal with echo off (the prompt is the argument; nil: none typed).
    /// Nil, the default, for scripts and pipes: `.connect` then fails saying how to give one.
    public var passwordPrompt: (@Sendable (String) throws -> String?)? {
        get { locked { _passwordPrompt } }
        set { locked { _passwordPrompt = newValue } }
    }

    /// Polled by long loads and queries; the shell wires it to Ctrl-C.
    public var cancellation: CancellationCheck {
        get { locked { _cancellation } }
        set { locked { _cancellation = newValue } }
    }
    /// The last query result, `_` in queries.
    public private(set) var lastResult: Table? {
        get { locked { _lastResult } }
        set { locked { _lastResult = newValue } }
    }
    /// Scalars and functions declared with `let`.
    var declarations: Declarations {
        get { locked { _declarations } }
        set { locked { _declarations = newValue } }
    }
    /// The folder of the script or notebook being run: relative paths in its statements (`.load`,
    /// `.export`, `.run`, `read_csv`) are found from there, so it runs the same from any working
    /// directory. Nil in the REPL and for `-c`: paths are relative to the working directory.
    public var baseDirectory: String? {
        get { locked { _baseDirectory } }
        set { locked { _baseDirectory = newValue } }
    }

    /// `path` as a statement run from `baseDirectory` means it.
    public func resolvePath(_ path: String) -> String { Session.resolve(path, from: baseDirectory) }

    static func resolve(_ path: String, from base: String?) -> String {
        guard let base, !base.isEmpty, !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~") else {
            return (path as NSString).expandingTildeInPath
        }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    /// The folder relative paths of `file` are found from: nil for stdin and for a file in the
    /// working directory.
    public static func folder(of file: String?) -> String? {
        guard let file, file != "<stdin>" else { return nil }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? nil : folder
    }

    public init(catalog: Catalog = Catalog(), parameters: [String: String] = [:]) {
        self.catalog = catalog
        self._parameters = parameters
    }

    // MARK: - Tables

    /// Registers a file to be read on first use.
    public func register(name: String, path: String, options: LoadOptions = LoadOptions()) throws {
        try Session.checkTableName(name)
        locked { catalog.register(name: name, path: path, options: options) }
    }

    /// Registers a table built in code.
    public func register(name: String, table: Table) throws {
        try Session.checkTableName(name)
        locked { catalog.register(name: name, table: table, source: "memory") }
    }

    /// A file of a data folder that was not registered, and why.
    public struct SkippedFile: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// Names of the plan datasets (registered with `asPlanDatasets`): `.load` and `--data` do not
    /// replace them unless asked (`.load FILE as NAME replace:true`), so a stray `counties.csv`
    /// cannot quietly change every answer about counties.
    public internal(set) var planDatasets: Set<String> {
        get { locked { _planDatasets } }
        set { locked { _planDatasets = newValue } }
    }
    private var _planDatasets: Set<String> = []

    /// Registers every `*.csv`, `*.tsv` and `*.json` file in `directory` under its file name, and
    /// each sheet of every `*.xlsx` workbook as `file_sheet`, without reading any of them yet.
    /// Returns the names registered, sorted.
    ///
    /// A file whose name is a plan dataset's, or a name an earlier file of the folder took (`aid.csv`
    /// and `aid.json`), is skipped and reported to `skipped`.
    @discardableResult
    public func registerDirectory(_ directory: String, asPlanDatasets: Bool = false,
                                  skipped: (SkippedFile) -> Void = { _ in }) throws -> [String] {
        lock.lock(); defer { lock.unlock() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TallyError(.io, "data directory `\(directory)` does not exist", hint: "give --data an existing folder")
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var names: [String] = []
        var taken: [String: String] = [:]
        for file in files.sorted() {
            let lower = file.lowercased()
            let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
            if lower.hasSuffix(".xlsx"), !file.hasPrefix("~$") {
                names += registerWorkbook(path, asPlanDatasets: asPlanDatasets, taken: &taken, skipped: skipped)
                continue
            }
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".json") else { continue }
            let name = TableReader.tableName(forPath: file)
            if planDatasets.contains(name) {
                skipped(SkippedFile(path: path, reason: "`\(name)` is a plan dataset; load the file under another name"
                                    + " (`.load \(path) as my_\(name)`) or replace it with `.load \(path) as \(name) replace:true`"))
                continue
            }
            if let first = taken[name] {
                skipped(SkippedFile(path: path, reason: "`\(first)` is already registered as `\(name)`"))
                continue
            }
            taken[name] = path
            catalog.register(name: name, path: path)
            if asPlanDatasets { planDatasets.insert(name) }
            names.append(name)
        }
        return names
    }

    /// The named table, loading it if needed.
    public func table(_ name: String) throws -> Table {
        try catalog.table(name, cancel: cancellation)
    }

    static func checkTableName(_ name: String) throws {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first),
              name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" })
        else {
            throw TallyError(.usage, "`\(name)` is not a valid table name",
                             hint: "use letters, digits and `_`, not starting with a digit, e.g. `aid_2023`")
        }
    }

    // MARK: - Statements

    /// Runs one statement: a dot-command or a query / declaration.
    public func run(_ statement: String) throws -> StatementResult {
        // Loads and queries on the same kept thread, so a query reuses the memory a load freed; the
        // lock is taken there, where the statement reads the session.
        try LargeStack.run {
            lock.lock(); defer { lock.unlock() }
            // Memory freed by the statement is kept for the next one, up to a limit.
            defer { MemoryReuse.releaseIfRetainingMuch() }
            return try runOnThisThread(statement)
        }
    }

    private func runOnThisThread(_ statement: String) throws -> StatementResult {
        let trimmed = statement.trimmingCharacters(in: " \t\r\n")
        if trimmed.isEmpty { return .none }
        if trimmed.hasPrefix(".") {
            return try runCommandHere(CommandWords.parse(trimmed))
        }
        let result = try runQuery(statement)
        if let table = result.table { lastResult = table }
        return result
    }

    /// Runs a query and returns its table.
    public func query(_ text: String) throws -> Table {
        guard let table = try run(text).table else {
            throw TallyError(.usage, "not a query: `\(text)`", hint: "a query starts with `from`")
        }
        return table
    }

    /// Commands the engine understands itself; others belong to the shell.
    public static let engineCommands = ["load", "tables", "schema", "export", "explain", "sheets", "memory_limit", "connect", "disconnect", "store"]
}
