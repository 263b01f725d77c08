/// A relation of the SQL statement being built: the name of the common table expression that
/// gives it, and the shape of its columns.
///
/// Every relation names its columns by position (`c0`, `c1`, …), as the plan does, so qualifiers,
/// duplicate names and Chinese names never reach the SQL; the user's names appear only in the last
/// `SELECT`. Two kinds of hidden columns ride along: the keys of the current order (`o0`, …),
/// because SQL relations have no order and the plan's "current order" must still be there for
/// window functions, `take` and the final `ORDER BY`; and inside a `group` body the group's keys
/// (`p0`, …), which window functions partition by and per-group `take` counts within.
struct SQLRelation {
    /// CTE name (or a subquery in parentheses).
    var name: String
    /// Visible columns `c0..<width`.
    var width: Int
    var order: [SQLOrderKey] = []
    /// Hidden partition columns `p0..<partition`, inside a `group` body.
    var partition: Int = 0

    /// The hidden columns, as select items passed through from `alias` (or unqualified).
    func hidden(from alias: String? = nil) -> [String] {
        let prefix = alias.map { $0 + "." } ?? ""
        return (0..<partition).map { "\(prefix)p\($0) AS p\($0)" } + order.indices.map { "\(prefix)o\($0) AS o\($0)" }
    }

    /// The visible columns, passed through from `alias`.
    func visible(from alias: String? = nil) -> [String] {
        let prefix = alias.map { $0 + "." } ?? ""
        return (0..<width).map { "\(prefix)c\($0) AS c\($0)" }
    }

    /// `PARTITION BY p0, p1` (empty outside a group body).
    func partitionClause(_ alias: String? = nil) -> String {
        guard partition > 0 else { return "" }
        let prefix = alias.map { $0 + "." } ?? ""
        return "PARTITION BY " + (0..<partition).map { "\(prefix)p\($0)" }.joined(separator: ", ")
    }

    /// `ORDER BY o0 DESC NULLS LAST, …` (empty when unordered).
    func orderClause(_ alias: String? = nil) -> String {
        guard !order.isEmpty else { return "" }
        return "ORDER BY " + orderList(alias)
    }

    func orderList(_ alias: String? = nil) -> String {
        let prefix = alias.map { $0 + "." } ?? ""
        return order.enumerated().map { i, key in key.sql("\(prefix)o\(i)") }.joined(separator: ", ")
    }
}

/// One key of the current order: which way, and the type (text is ordered by code point, with
/// the C collation, whatever the database's default collation is).
struct SQLOrderKey {
    var descending: Bool
    var type: DataType

    /// The key in an `ORDER BY`: nulls last both ways, as Tally sorts.
    func sql(_ column: String) -> String {
        (type == .text ? column + " COLLATE \"C\"" : column) + (descending ? " DESC" : " ASC") + " NULLS LAST"
    }
}

/// Why a plan node has no SQL form here (it then runs in memory on what its inputs pull back).
struct NotLowerable: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
