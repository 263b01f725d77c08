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
    /// from its plan, so nothing is computed (a file not loaded yet gives its sampled schema). Nil
    /// when it does not resolve (a typo, an unknown table).
    public func columns(ofPipeline pipeline: String) -> [ColumnInfo]? {
        guard case .query(let expr)? = try? Parser.parse(statement: pipeline) else { return nil }
        var context = Session.resolverContext(snapshot, pipeline)
        context.lookup = { [self] name in
            let none = TableFetch { Table.empty }
            if name == "_" { return lastResult.map { .table(PlanSchema(table: $0, qualifier: nil), none) } }
            guard let entry = catalog.entry(name) else { return nil }
            if let table = entry.table { return .table(PlanSchema(table: table, qualifier: nil), none) }
            if let lazy = entry.lazy { return .plan(lazy) }
            return (try? catalog.schema(name)).flatMap { $0 }.map { .table($0, none) }
        }
        guard let plan = try? Resolver(context).resolve(expr) else { return nil }
        return zip(plan.schema.names, plan.schema.types).map { ColumnInfo(name: $0, type: $1) }
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
