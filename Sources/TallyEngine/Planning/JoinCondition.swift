/// A join condition taken apart for a hash join.
///
/// The condition is bound against both sides at once (left columns first, `this`; then the joined
/// relation's, `that`). Its `&&` terms of the form `left expression == right expression` become hash
/// keys, each side evaluated against its own table; every other term (`that.key_county`,
/// `this.amount > 50000`, `this.a < that.b`) is kept as a residual filter over the candidate pairs.
/// Splitting this way lets `join c = counties (==county_code)` probe a table of 111 entries with
/// typed keys instead of testing every pair of rows.
struct JoinCondition {
    /// Hash keys: an expression over the left table and one over the right table (columns already
    /// renumbered to the right table's own positions).
    var keys: [(left: BoundExpr, right: BoundExpr)]
    /// Terms tested on each candidate pair, over the combined columns (left, then right); nil when
    /// the keys say it all.
    var residual: BoundExpr?

    init(_ condition: BoundExpr, leftCount: Int) {
        var keys: [(BoundExpr, BoundExpr)] = []
        var rest: [BoundExpr] = []
        for term in JoinCondition.terms(condition) {
            if case .binary(.eq, let a, let b, _) = term {
                let ca = a.columnsUsed, cb = b.columnsUsed
                let aLeft = !ca.isEmpty && ca.allSatisfy { $0 < leftCount }
                let aRight = !ca.isEmpty && ca.allSatisfy { $0 >= leftCount }
                let bLeft = !cb.isEmpty && cb.allSatisfy { $0 < leftCount }
                let bRight = !cb.isEmpty && cb.allSatisfy { $0 >= leftCount }
                if !a.containsAggregate && !b.containsAggregate && !a.containsWindow && !b.containsWindow {
                    if aLeft && bRight {
                        keys.append((a, b.remapColumns { $0 - leftCount }))
                        continue
                    }
                    if aRight && bLeft {
                        keys.append((b, a.remapColumns { $0 - leftCount }))
                        continue
                    }
                }
            }
            // `true` (a cross join) adds nothing to test.
            if case .constant(.bool(true), _) = term { continue }
            rest.append(term)
        }
        self.keys = keys
        self.residual = rest.dropFirst().reduce(rest.first) { acc, term in
            acc.map { .binary(.and, $0, term, .bool) }
        }
    }

    /// The `&&`-separated terms of a condition.
    static func terms(_ e: BoundExpr) -> [BoundExpr] {
        if case .binary(.and, let a, let b, _) = e { return terms(a) + terms(b) }
        return [e]
    }
}
