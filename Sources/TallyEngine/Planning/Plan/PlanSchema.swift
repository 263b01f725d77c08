/// The columns a plan node gives: names, types, and the relation alias each came from. Known from
/// the catalog's schemas alone, before any row is read.
struct PlanSchema: Sendable, Equatable {
    var names: [String]
    var types: [DataType]
    var qualifiers: [String?]
    /// Columns of the null type (only nulls: a `null` literal's column, an empty CSV column), which
    /// the binder reads as the `null` literal.
    var nullTyped: Set<Int> = []
    /// Whether more columns may come than these: after `pivot`, whose columns are the data's values.
    var dynamic = false
    /// Whether the types come from a sample of a file's rows (so its full load may differ).
    var sampled = false
    /// Columns of a database table whose type Tally does not have (name → database type): left
    /// out of the columns, named in the error when a step uses one.
    var unavailable: [String: String] = [:]

    init(names: [String], types: [DataType], qualifiers: [String?], nullTyped: Set<Int> = []) {
        self.names = names
        self.types = types
        self.qualifiers = qualifiers
        self.nullTyped = nullTyped
    }

    /// The schema of a table, every column qualified by `qualifier`.
    init(table: Table, qualifier: String?) {
        self.init(names: table.names, types: table.columns.map(\.type),
                  qualifiers: [String?](repeating: qualifier, count: table.columnCount),
                  nullTyped: Set(table.columns.indices.filter { table.columns[$0].isNullTyped }))
    }

    var count: Int { names.count }

    var scope: Scope {
        var scope = Scope(names: names, types: types, qualifiers: qualifiers)
        scope.nullTyped = nullTyped
        scope.unavailable = unavailable
        return scope
    }

    /// The same columns under another relation alias (`from c = counties`).
    func requalified(_ alias: String) -> PlanSchema {
        var copy = self
        copy.qualifiers = qualifiers.map { _ in alias }
        return copy
    }

    /// The columns at `indices`, in that order.
    func picking(_ indices: [Int]) -> PlanSchema {
        var nulls = Set<Int>()
        for (k, i) in indices.enumerated() where nullTyped.contains(i) { nulls.insert(k) }
        return PlanSchema(names: indices.map { names[$0] }, types: indices.map { types[$0] },
                          qualifiers: indices.map { qualifiers[$0] }, nullTyped: nulls)
    }

    /// Appends one column.
    mutating func append(_ name: String, _ type: DataType, _ qualifier: String?, nullTyped isNull: Bool = false) {
        if isNull { nullTyped.insert(names.count) }
        names.append(name); types.append(type); qualifiers.append(qualifier)
    }

    /// Replaces column `index`.
    mutating func replace(_ index: Int, _ type: DataType, _ qualifier: String?, nullTyped isNull: Bool = false) {
        types[index] = type
        qualifiers[index] = qualifier
        if isNull { nullTyped.insert(index) } else { nullTyped.remove(index) }
    }

    /// An empty table of this schema (for checks written against a table, such as `chart`'s).
    var emptyTable: Table {
        Table(uncheckedNames: names, columns: types.map { Scalar.null.column(count: 0, type: $0) }, rowCount: 0)
    }
}
