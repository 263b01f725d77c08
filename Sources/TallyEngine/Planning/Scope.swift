/// The columns a step can see: their names, types, and the relation alias each came from
/// (`from a = aid` makes `a.amount` valid).
package struct Scope: Sendable {
    package var names: [String]
    package var types: [DataType]
    package var qualifiers: [String?]
    /// Columns of the null type: text columns holding no value at all (a `null` literal's column,
    /// an empty CSV column). As in DuckDB, such a column takes the type of what it meets
    /// (`n ?? 7` is an int), so the binder reads it as the `null` literal.
    package var nullTyped: Set<Int> = []
    /// Columns of a database table that Tally has no type for (name → the database's type).
    package var unavailable: [String: String] = [:]

    package init(names: [String], types: [DataType], qualifiers: [String?]) {
        self.names = names
        self.types = types
        self.qualifiers = qualifiers
    }

    package init(table: Table, qualifier: String? = nil) {
        self.init(names: table.names, types: table.columns.map(\.type),
                  qualifiers: [String?](repeating: qualifier, count: table.columnCount))
    }

    /// In a join condition, the columns `0..<leftCount` are `this` (the left relation) and the rest
    /// are `that` (the relation being joined); nil elsewhere, where `this.x` is just `x`.
    package var leftCount: Int?

    /// The column a name refers to: `amount`, `a.amount`, `this.amount`. With several candidates
    /// (both sides of a join have `amount`) the first; `matches` tells the binder it is ambiguous.
    func lookup(_ path: [String]) -> Int? {
        matches(path).first
    }

    /// Every column a name can refer to.
    func matches(_ path: [String]) -> [Int] {
        switch path.count {
        case 1:
            return names.indices.filter { names[$0] == path[0] }
        case 2:
            if path[0] == "this" || path[0] == "that" {
                let range: Range<Int>
                if let leftCount {
                    range = path[0] == "this" ? 0..<leftCount : leftCount..<names.count
                } else {
                    if path[0] == "that" { return [] }
                    range = names.indices
                }
                return range.filter { names[$0] == path[1] }
            }
            return names.indices.filter { names[$0] == path[1] && qualifiers[$0] == path[0] }
        default:
            return []
        }
    }

    /// How to name column `index` unambiguously: `aid.county_code`.
    func qualifiedName(_ index: Int) -> String {
        qualifiers[index].map { "\($0).\(names[index])" } ?? names[index]
    }
}
