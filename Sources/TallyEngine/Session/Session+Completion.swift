import Foundation

/// What completion needs from a session: the columns a pipeline gives, without computing it.
extension Session {
    /// A column of a relation: its name and type.
    public struct ColumnInfo: Sendable, Equatable {
        public var name: String
        public var type: DataType
        public init(name: String, type: DataType) {
            self.name = name
            self.type = type
        }
    }

    /// The largest file whose columns completion reads by loading it (a bigger one that is not
    /// loaded yet offers no columns, so Tab never starts a long load).
    public static let completionLoadLimit = 64 << 20

    /// The columns `pipeline` (complete steps, e.g. `from aid | derive r = a / b`) would give,
    /// found by running it over empty copies of its tables, so nothing is computed. Nil when it does
    /// not run (a typo, an unknown table) or a table it needs is a large file not read yet.
    public func columns(ofPipeline pipeline: String) -> [ColumnInfo]? {
        guard case .query(let expr)? = try? Parser.parse(statement: pipeline) else { return nil }
        let runner = QueryRunner(source: pipeline, environment: environment,
                                 resolveTable: { [self] name in
                                     if name == "_" { return lastResult?.gather([]) }
                                     guard let table = tableForCompletion(name) else { return nil }
                                     return table.gather([])
                                 },
                                 tableNames: { [self] in catalog.names },
                                 cancel: cancellation)
        guard let relation = try? runner.run(expr) else { return nil }
        return zip(relation.table.names, relation.table.columns).map { ColumnInfo(name: $0, type: $1.type) }
    }

    /// The columns of a table or `let` relation, read only when already loaded or small.
    public func columns(ofTable name: String) -> [ColumnInfo]? {
        guard let table = tableForCompletion(name) else { return nil }
        return zip(table.names, table.columns).map { ColumnInfo(name: $0, type: $1.type) }
    }

    /// Scalars and functions declared with `let`, sorted.
    public var declaredNames: [String] {
        (Array(declarations.scalars.keys) + Array(declarations.functions.keys)).sorted()
    }

    private func tableForCompletion(_ name: String) -> Table? {
        guard let entry = catalog.entry(name) else { return nil }
        if let loaded = entry.table { return loaded }
        if case .file(let path, _) = entry.source,
           let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int,
           size < Session.completionLoadLimit {
            return try? table(name)
        }
        return nil
    }
}
