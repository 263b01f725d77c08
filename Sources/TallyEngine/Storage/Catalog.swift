import Foundation

/// Names mapped to tables. A registered file is parsed on first use, so start-up stays instant
/// with every plan dataset listed; a failed load leaves the entry registered and unloaded.
public final class Catalog: @unchecked Sendable {
    public enum Source: Sendable, Equatable {
        /// A file read with `options` the first time the table is used.
        case file(path: String, options: LoadOptions)
        /// A table built in memory (a query result bound with `let`, an embedding program's table).
        case memory(String)
        /// A table or view of a connected database: where it lives (connection, URL without
        /// password, schema and table).
        case remote(String)

        public var description: String {
            switch self {
            case .file(let path, _): return path
            case .memory(let what), .remote(let what): return what
            }
        }
    }

    public struct Entry: Sendable {
        public let name: String
        public let source: Source
        public fileprivate(set) var table: Table?
        public fileprivate(set) var report: LoadReport?
        /// A `let` relation not computed yet: its plan, run (and kept) on first use.
        var lazy: LazyRelation? = nil
        /// A table of a connected database: its rows stay there, queries on it are sent there.
        public fileprivate(set) var remote: RemoteTable? = nil
    }

    /// Called with the path of each file the catalog loads (tests watch what is read).
    var onLoad: (@Sendable (String) -> Void)?

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private let lock = NSLock()

    public init() {}

    /// Registers (or replaces) a table read lazily from a file.
    public func register(name: String, path: String, options: LoadOptions = LoadOptions()) {
        put(Entry(name: name, source: .file(path: path, options: options), table: nil, report: nil))
    }

    /// Registers (or replaces) a table that is already in memory.
    public func register(name: String, table: Table, source: String = "memory") {
        put(Entry(name: name, source: .memory(source), table: table, report: nil))
    }

    /// The rows of the file `name` was registered with: through the entry (loaded once, kept)
    /// while the name still means that file, else read again (the name was bound to something
    /// else after a statement that reads it was resolved).
    func fileTable(_ name: String, path: String, options: LoadOptions, cancel: CancellationCheck) throws -> Table {
        if let entry = entry(name), entry.lazy == nil, entry.source == .file(path: path, options: options) {
            return try table(name, cancel: cancel)
        }
        onLoad?(path)
        return try TableReader.read(path: path, options: options, cancel: cancel).0
    }

    /// Registers (or replaces) a `let` relation, computed when first used.
    func register(name: String, lazy: LazyRelation) {
        put(Entry(name: name, source: .memory("let"), table: nil, report: nil, lazy: lazy))
    }

    /// Keeps the rows of a `let` relation computed by a query, unless the name has been bound to
    /// something else since.
    func keep(_ table: Table, for name: String, lazy: LazyRelation) {
        lock.lock(); defer { lock.unlock() }
        guard var entry = entries[name], entry.lazy === lazy, entry.table == nil else { return }
        entry.table = table
        entries[name] = entry
    }

    /// Registers (or replaces) a table of a connected database.
    public func register(name: String, remote: RemoteTable) {
        let place = "\(remote.connection.name): \(remote.kind) \(remote.schemaName).\(remote.tableName) in \(remote.connection.connectionString.redacted)"
        put(Entry(name: name, source: .remote(place), table: nil, report: nil, remote: remote))
    }

    /// Forgets the tables of the connection `connection` (`.disconnect`, or before it is listed again).
    public func removeRemote(connection: String) {
        lock.lock(); defer { lock.unlock() }
        let gone = order.filter { entries[$0]?.remote?.connection.name == connection }
        for name in gone { entries[name] = nil }
        order.removeAll { gone.contains($0) }
    }

    /// Registers an already loaded file table with its load report.
    public func register(name: String, table: Table, path: String, options: LoadOptions, report: LoadReport) {
        put(Entry(name: name, source: .file(path: path, options: options), table: table, report: report))
    }

    private func put(_ entry: Entry) {
        lock.lock(); defer { lock.unlock() }
        if entries[entry.name] == nil { order.append(entry.name) }
        entries[entry.name] = entry
    }

    public func remove(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        entries[name] = nil
        order.removeAll { $0 == name }
    }

    /// Names in registration order.
    public var names: [String] {
        lock.lock(); defer { lock.unlock() }
        return order
    }

    public func entry(_ name: String) -> Entry? {
        lock.lock(); defer { lock.unlock() }
        return entries[name]
    }

    public func contains(_ name: String) -> Bool { entry(name) != nil }

    /// The table, loading it on first use. `cancel` is polled during a long load.
    public func table(_ name: String, cancel: CancellationCheck = .never) throws -> Table {
        guard let entry = entry(name) else {
            throw TallyError(.name, "unknown table `\(name)`",
                             hint: Suggest.nearest(name, in: names).map { "did you mean `\($0)`?" }
                                ?? "`.tables` lists the tables, `.load FILE as NAME` adds one")
        }
        if let table = entry.table { return table }
        if let remote = entry.remote { return try remote.fetchAll(cancel: cancel) }
        if let lazy = entry.lazy {
            let table = try lazy.compute()
            keep(table, for: name, lazy: lazy)
            return table
        }
        guard case .file(let path, let options) = entry.source else { return .empty }
        onLoad?(path)
        let (table, report) = try TableReader.read(path: path, options: options, cancel: cancel)
        lock.lock()
        if var current = entries[name], current.source == entry.source {
            current.table = table
            current.report = report
            entries[name] = current
        }
        lock.unlock()
        return table
    }

    /// A table's columns without reading its rows: exact for a table in memory, sampled for a file
    /// not loaded yet (a small file is loaded, which costs no more than its sample).
    func schema(_ name: String, cancel: CancellationCheck = .never) throws -> PlanSchema? {
        guard let entry = entry(name) else { return nil }
        if let table = entry.table { return PlanSchema(table: table, qualifier: nil) }
        if let remote = entry.remote { return remote.planSchema }
        if let lazy = entry.lazy { return lazy.schema }
        guard case .file(let path, let options) = entry.source else { return PlanSchema(table: .empty, qualifier: nil) }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        if size <= SchemaSniffer.sampleBytes {
            return PlanSchema(table: try table(name, cancel: cancel), qualifier: nil)
        }
        let schema = try SchemaSniffer.schema(path: path, options: options)
        var sampled = PlanSchema(names: schema.names, types: schema.types,
                                 qualifiers: [String?](repeating: nil, count: schema.names.count), nullTyped: schema.nullTyped)
        sampled.sampled = !schema.exact
        return sampled
    }
}

/// A `let` relation as its plan: the columns are known at once, the rows when first needed.
final class LazyRelation: @unchecked Sendable {
    /// Immutable after creation; the plan is only read.
    let schema: PlanSchema
    let plan: PlanNode
    let compute: () throws -> Table

    init(schema: PlanSchema, plan: PlanNode, compute: @escaping () throws -> Table) {
        self.schema = schema
        self.plan = plan
        self.compute = compute
    }
}
