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
            // A column that is a group key (not a float: -0.0 and 0.0 share a group) holds its
            // group's key on every row of the segment: it is spread, not gathered at random.
            let counts = (0..<segments.count).map { segments.starts[$0 + 1] - segments.starts[$0] }
            let gathered = Parallel.map(table.columnCount) { c -> Column in
                let column = table.columns[c]
                if column.type != .float, let key = keyColumns.first(where: { $0.sharesStorage(with: column) }) {
                    return key.repeating(firstRows, counts: counts)
                }
                return column.gather(rows)
            }
            var moved = Relation(table: Table(uncheckedNames: table.names, columns: gathered, rowCount: rows.count),
                                 qualifiers: current.qualifiers)
            // A sort key that is one of the columns (`sort amount`) is that column, gathered once.
            moved.order = current.order.map { key in
                let same = table.columns.firstIndex { $0.sharesStorage(with: key.column) }
                return .init(column: same.map { gathered[$0] } ?? key.column.gather(rows), descending: key.descending)
            }
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
        let counts = (0..<segments.count).map { segments.starts[$0 + 1] - segments.starts[$0] }
        let table = current.table
        let columns = Parallel.map(keyColumns.count) { keyColumns[$0].repeating(firstRows, counts: counts) } + table.columns
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
        let n = ids.count
        // Large inputs: a piece of the rows per core counts its rows per group, and each piece
        // then places its rows after those of the pieces before it in every group, so the layout
        // is the same stable one. Only when the per-piece counts stay small beside the rows.
        let pieces = n >= 1 << 18 && Parallel.cores > 1 && count <= n / 8 ? Parallel.cores : 1
        func rows(_ p: Int) -> Range<Int> { (n / pieces * p)..<(p == pieces - 1 ? n : n / pieces * (p + 1)) }
        var counts: [[Int]] = ids.withUnsafeBufferPointer { ids in
            Parallel.map(pieces) { p in
                var counts = [Int](repeating: 0, count: count)
                counts.withUnsafeMutableBufferPointer { counts in
                    for row in rows(p) { counts[Int(ids[row])] &+= 1 }
                }
                return counts
            }
        }
        // Each piece's cursor in each group: where its first row of that group goes.
        var starts = [Int](repeating: 0, count: count + 1)
        var total = 0
        for g in 0..<count {
            starts[g] = total
            for p in 0..<pieces {
                let c = counts[p][g]
                counts[p][g] = total
                total += c
            }
        }
        starts[count] = total
        let layout = [Int](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = UncheckedSendable(buffer)
            let cursors = counts
            ids.withUnsafeBufferPointer { ids in
                Parallel.forEach(pieces) { p in
                    var next = cursors[p]
                    next.withUnsafeMutableBufferPointer { next in
                        for row in rows(p) {
                            let g = Int(ids[row])
                            out.value[next[g]] = row
                            next[g] &+= 1
                        }
                    }
                }
            }
            initialized = n
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
