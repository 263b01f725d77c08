/// The columns a step can see: their names, types, and the relation alias each came from
/// (`from a = aid` makes `a.amount` valid).
public struct Scope: Sendable {
    public var names: [String]
    public var types: [DataType]
    public var qualifiers: [String?]

    public init(names: [String], types: [DataType], qualifiers: [String?]) {
        self.names = names
        self.types = types
        self.qualifiers = qualifiers
    }

    public init(table: Table, qualifier: String? = nil) {
        self.init(names: table.names, types: table.columns.map(\.type),
                  qualifiers: [String?](repeating: qualifier, count: table.columnCount))
    }

    /// The column a name refers to: `amount`, `a.amount`, `this.amount`.
    func lookup(_ path: [String]) -> Int? {
        switch path.count {
        case 1:
            return names.firstIndex(of: path[0])
        case 2:
            if path[0] == "this" || path[0] == "that" { return names.firstIndex(of: path[1]) }
            return names.indices.first { names[$0] == path[1] && qualifiers[$0] == path[0] }
        default:
            return nil
        }
    }
}
