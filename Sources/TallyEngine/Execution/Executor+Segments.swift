/// A `group` body with `sort` or window functions, run for all groups at once.
///
/// The rows are laid out group by group (groups in order of first appearance, a group's rows in
/// input order), so each group is one segment `starts[g]..<starts[g + 1]`. A `sort` sorts each
/// segment on its own; window functions and frames see the segments as their partitions;
/// aggregates are per group, spread back over its rows; `take` counts within each segment. The
/// result is already in the order the per-group runs would concatenate to.
///
/// Rows move as a permutation (`pending`) for as long as the steps allow: the layout and a `sort`
/// or `take` right after it only reorder row numbers, and the columns are gathered once, when a
/// step has to read them in the new order.
extension Executor {
    func segmented(_ chain: [PlanNode], keyColumns: [Column], ids: [Int32], count: Int, firstRows: [Int],
                   _ relation: Relation, _ node: PlanNode) throws -> Relation {
        var segments = Segments(layout: ids, count: count)
        var current = relation
        // Row numbers of `current` in their new order, not gathered yet; ascending within each
        // segment while `ascending` holds, so ties in a sort still break by the earlier order.
        var pending: [Int]? = segments.layout
        var ascending = true

        func gather() {
            guard let rows = pending else { return }
            let table = current.table
            var moved = Relation(table: Table(uncheckedNames: table.names,
                                              columns: Parallel.map(table.columnCount) { table.columns[$0].gather(rows) },
                                              rowCount: rows.count),
                                 qualifiers: current.qualifiers)
            moved.order = current.order.map { .init(column: $0.column.gather(rows), descending: $0.descending) }
            current = moved
            pending = nil
            ascending = true
        }

        for step in chain {
            try cancel.checkpoint()
            switch step.op {
            case .project(_, let projection):
                gather()
                current = try project(projection, current, step, grouping: segments.grouping, partitions: segments.starts)
            case .filter(_, let predicate):
                gather()
                let kept: [Int]?
                do {
                    kept = try Evaluator(table: current.table, grouping: segments.grouping, source: step.source,
                                         order: current.order, frame: predicate.frame, partitions: segments.starts)
                        .keptRows(predicate.condition)
                } catch let e as TallyError {
                    throw located(e, step, predicate.span)
                }
                if let rows = kept {
                    segments.keep(rows)
                    pending = rows
                    gather()
                }
            case .sort(_, let keys, let limit):
                if !ascending { gather() }
                let rows = pending ?? Array(0..<current.table.rowCount)
                let columns = try sortKeys(keys, current.table, step)
                let sorted = SortPermutation.sortSegments(rows, starts: segments.starts, keys: columns, limit: limit)
                segments.starts = sorted.starts
                pending = sorted.rows
                ascending = false
                current.order = columns
            case .take(_, let range):
                var kept: [Int] = []
                for g in 0..<segments.count {
                    let start = segments.starts[g], end = segments.starts[g + 1]
                    let lower = start + min(end - start, max(0, range.start))
                    let upper = min(end, range.end.map { start + max(0, $0) } ?? end)
                    if lower < upper { kept.append(contentsOf: lower..<upper) }
                }
                segments.keep(kept)
                if let rows = pending {
                    pending = kept.map { rows[$0] }
                } else {
                    pending = kept
                }
            case .keep(_, let columns):
                var kept = Relation(table: Table(uncheckedNames: columns.map { current.table.names[$0] },
                                                 columns: columns.map { current.table.columns[$0] }, rowCount: current.table.rowCount),
                                    qualifiers: columns.map { current.qualifiers[$0] })
                kept.order = current.order
                current = kept
            case .alias:
                current.qualifiers = step.schema.qualifiers
            default:
                break
            }
        }
        gather()
        // Each segment's rows take their group's keys.
        var keyRows = [Int]()
        keyRows.reserveCapacity(current.table.rowCount)
        for g in 0..<segments.count {
            keyRows.append(contentsOf: repeatElement(firstRows[g], count: segments.starts[g + 1] - segments.starts[g]))
        }
        let table = current.table
        let columns = Parallel.map(keyColumns.count) { keyColumns[$0].gather(keyRows) } + table.columns
        return Relation(table: Table(uncheckedNames: node.schema.names, columns: columns, rowCount: table.rowCount),
                        qualifiers: node.schema.qualifiers)
    }
}

/// Rows laid out group by group: where each group's segment starts, and each row's group.
struct Segments {
    let count: Int
    /// `starts[g]..<starts[g + 1]` are group `g`'s rows; `count + 1` entries.
    var starts: [Int]
    /// The input rows in layout order (a stable counting sort by group).
    let layout: [Int]

    init(layout ids: [Int32], count: Int) {
        self.count = count
        var starts = [Int](repeating: 0, count: count + 1)
        for id in ids { starts[Int(id) + 1] += 1 }
        for g in 0..<count { starts[g + 1] += starts[g] }
        var next = starts
        var layout = [Int](repeating: 0, count: ids.count)
        for (row, id) in ids.enumerated() {
            layout[next[Int(id)]] = row
            next[Int(id)] += 1
        }
        self.starts = starts
        self.layout = layout
    }

    /// The rows kept (positions in layout order, ascending): each segment shrinks to its survivors.
    mutating func keep(_ rows: [Int]) {
        var newStarts = [Int](repeating: 0, count: count + 1)
        var k = 0
        for g in 0..<count {
            newStarts[g] = k
            while k < rows.count, rows[k] < starts[g + 1] { k += 1 }
        }
        newStarts[count] = k
        starts = newStarts
    }

    /// Each row's group, for aggregates spread over their group's rows.
    var ids: [Int32] {
        var ids = [Int32](repeating: 0, count: starts[count])
        for g in 0..<count {
            for i in starts[g]..<starts[g + 1] { ids[i] = Int32(truncatingIfNeeded: g) }
        }
        return ids
    }

    var grouping: Evaluator.Grouping { .rows(ids: ids, count: count) }
}
