/// An ordered list of named columns of equal length: the value every query produces.
public struct Table: Sendable {
    public let names: [String]
    public let columns: [Column]
    public let rowCount: Int
    /// Whether the figures come from synthetic or published tables: a query's result takes it from
    /// the tables it read (synthetic if any of them is), so a chart, an export or a report of it can
    /// say so. Nil for a table made in memory from nothing the data dictionary describes.
    public var provenance: Provenance? = nil

    /// Checks that the columns have equal length and distinct names.
    public init(names: [String], columns: [Column]) throws {
        guard names.count == columns.count else {
            throw TallyError(.runtime, "table has \(names.count) names for \(columns.count) columns")
        }
        let rows = columns.first?.count ?? 0
        for (name, column) in zip(names, columns) where column.count != rows {
            throw TallyError(.runtime, "column `\(name)` has \(column.count) rows, expected \(rows)")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw TallyError(.name, "duplicate column name `\(name)`",
                             hint: "give one of them another name, e.g. `\(name)_2 = ...`")
        }
        self.names = names
        self.columns = columns
        self.rowCount = rows
    }

    /// A table whose invariants the caller has already established (operators inside the engine).
    public init(uncheckedNames names: [String], columns: [Column], rowCount: Int) {
        self.names = names
        self.columns = columns
        self.rowCount = rowCount
    }

    public static let empty = Table(uncheckedNames: [], columns: [], rowCount: 0)

    public var columnCount: Int { columns.count }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    public func column(named name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The rows at `indices` as a new table.
    public func gather(_ indices: [Int]) -> Table {
        Table(uncheckedNames: names, columns: columns.map { $0.gather(indices) }, rowCount: indices.count)
    }

    /// Estimated bytes held by the column buffers (for `.tables` and memory benchmarks).
    public var byteSize: Int {
        columns.reduce(0) { total, column in
            var bytes = column.type.byteWidth * column.count + (column.validity.map { $0.words.count * 8 } ?? 0)
            if case .text(_, let dictionary) = column.values {
                bytes += dictionary.strings.reduce(0) { $0 + $1.utf8.count + 16 }
            }
            return total + bytes
        }
    }
}
