/// A filter evaluated into a selection vector: the kept row numbers, found a block of rows at a
/// time, with each conjunct after the first tested only on the rows that passed the ones before.
///
/// `filter programme == "国家助学金" && year == 2023` over 10M rows otherwise makes two 10M-row
/// columns of flags, a third for their `&&`, and then reads that one to list the kept rows. Here
/// the first comparison lists the rows of a block that pass it, the second reads only those rows,
/// and the block's survivors are appended: one pass over the first conjunct's column, a fraction of
/// one over the others', no column of flags, and the blocks of each core stay in its cache.
///
/// Only conjuncts that cannot fail and read one row at a time take this path (`RowTest`): a column
/// compared with a constant, a bool column, `in` a range of constants, `== null`. Any other
/// conjunct is evaluated as before, over every row, and its flags are one more test: its errors
/// and its row numbers stay what they were.
enum RowSelection {
    /// Rows a block holds: its selection (8 bytes a row) stays in the core's L1/L2 cache.
    static let block = 8192

    /// The rows of `table` where `condition` holds, or nil when every row does (nothing to copy).
    /// `evaluate` evaluates an expression over the whole table, as the caller's evaluator would.
    static func rows(_ condition: BoundExpr, in table: Table, evaluate: (BoundExpr) throws -> Vector) throws -> [Int]? {
        var tests: [RowTest] = []
        var rest: [BoundExpr] = []
        for conjunct in condition.conjuncts {
            if let made = RowTest.make(conjunct, table) { tests += made } else { rest.append(conjunct) }
        }
        if tests.isEmpty { return Executor.rows(where: try evaluate(condition), count: table.rowCount) }
        if let first = rest.first {
            let others = rest.dropFirst().reduce(first) { .binary(.and, $0, $1, .bool) }
            switch try evaluate(others) {
            case .constant(.bool(true), _): break
            case .constant: return []
            case .column(let column):
                guard case .bool(let flags) = column.values else { return [] }
                tests.append(.flags(flags))
                if let validity = column.validity { tests.append(.validity(validity, keep: true)) }
            }
        }
        return select(tests, count: table.rowCount)
    }

    /// The rows that pass every test, in order; nil when all `count` rows do.
    static func select(_ tests: [RowTest], count: Int) -> [Int]? {
        guard let first = tests.first, count > 0 else { return nil }
        // A fixed number of pieces for large inputs (the result does not depend on the machine),
        // several per core so that a piece with more survivors does not leave a core idle.
        let pieces = count >= 16 * block ? Swift.min(Parallel.cores * 4, count / block) : 1
        let parts: [[Int]] = Parallel.map(pieces) { p in
            let lo = count / pieces * p + Swift.min(p, count % pieces)
            let hi = lo + count / pieces + (p < count % pieces ? 1 : 0)
            var kept: [Int] = []
            let scratch = UnsafeMutablePointer<Int>.allocate(capacity: block)
            defer { scratch.deallocate() }
            var start = lo
            while start < hi {
                let end = Swift.min(hi, start + block)
                var n = first.select(start..<end, into: scratch)
                var t = 1
                while n > 0, t < tests.count {
                    n = tests[t].refine(scratch, n)
                    t += 1
                }
                kept.append(contentsOf: UnsafeBufferPointer(start: scratch, count: n))
                start = end
            }
            return kept
        }
        let total = parts.reduce(0) { $0 + $1.count }
        if total == count { return nil }
        if parts.count == 1 { return parts[0] }
        var out: [Int] = []
        out.reserveCapacity(total)
        for part in parts { out.append(contentsOf: part) }
        return out
    }
}

extension Evaluator {
    /// The rows where a filter's condition holds (null counts as false), nil when every row does:
    /// through a selection vector (`RowSelection`) where the condition has conjuncts tested row
    /// by row, the condition's flags otherwise.
    func keptRows(_ condition: BoundExpr) throws -> [Int]? {
        // Where the output is one row per group, a column outside an aggregate is an error that
        // the evaluation reports.
        if case .groups = grouping { return Executor.rows(where: try evaluate(condition), count: table.rowCount) }
        return try RowSelection.rows(condition, in: table) { try evaluate($0) }
    }
}

extension BoundExpr {
    /// `a && b && c` as `[a, b, c]`; any other expression as itself.
    var conjuncts: [BoundExpr] {
        if case .binary(.and, let a, let b, _) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }
}
