/// Tally's `pivot` and `unpivot`: long to wide and back.
extension QueryRunner {
    /// `pivot year (sum amount)`: one output column per distinct value of `year`, in sorted order
    /// (null last), each cell the aggregate over the rows with that value; the row keys are the
    /// other columns (neither the pivot column nor read by the aggregate), as DuckDB's
    /// `PIVOT … ON year USING sum(amount)` groups by them. Rows come in order of first appearance;
    /// a cell without rows is null. With several aggregates, columns are named `2021_total`, ….
    func pivot(_ args: [CallArgument], _ step: Expr, _ relation: Relation) throws -> Relation {
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 2, args.count == 2 else {
            throw error(.parse, "`pivot` takes a column and an aggregate", step.span,
                        hint: "e.g. `pivot year (sum amount)` or `pivot year {total = sum amount, n = count this}`")
        }
        let binder = binder(relation)
        let on = try binder.bind(positional[0])
        guard case .column(let pivotIndex, _) = on else {
            throw error(.type, "`pivot` spreads a column, not an expression", positional[0].span,
                        hint: "derive it first: `derive {y = …} | pivot y (…)`")
        }
        let fields = QueryRunner.fields(positional[1])
        let bound = try fields.map { try binder.bind($0) }
        var used: Set<Int> = [pivotIndex]
        for (b, field) in zip(bound, fields) {
            guard b.containsAggregate else {
                throw error(.type, "a `pivot` cell is an aggregate such as `sum amount`", field.span)
            }
            used.formUnion(b.columnsUsed)
        }
        let n = relation.table.rowCount
        let keyIndices = (0..<relation.table.columnCount).filter { !used.contains($0) }
        let (rowIDs, rowCount, firstRows) = GroupIDs.compute(keyIndices.map { relation.table.columns[$0] }, rowCount: n)
        // Pivot values: dense ids, then their sorted rank.
        let pivotColumn = relation.table.columns[pivotIndex]
        let (valueIDs, valueCount) = GroupIDs.dense(pivotColumn)
        var firstOfValue = [Int](repeating: -1, count: valueCount)
        for i in 0..<n where firstOfValue[Int(valueIDs[i])] < 0 { firstOfValue[Int(valueIDs[i])] = i }
        let distinct = pivotColumn.gather(firstOfValue)
        let sorted = SortPermutation.compute([.init(column: distinct, descending: false)], rowCount: valueCount)
        var rankOf = [Int](repeating: 0, count: valueCount)
        for (rank, id) in sorted.enumerated() { rankOf[id] = rank }
        let (cells, overflow) = rowCount.multipliedReportingOverflow(by: max(1, valueCount))
        guard !overflow, cells <= 100_000_000 else {
            throw error(.runtime, "`pivot` would make \(rowCount) rows × \(valueCount) columns", step.span,
                        hint: "pivot a column with fewer distinct values, or select fewer row keys")
        }
        var cellIDs = [Int32](repeating: 0, count: n)
        var cellRows = [Int](repeating: 0, count: cells)
        for i in 0..<n {
            let cell = Int(rowIDs[i]) * valueCount + rankOf[Int(valueIDs[i])]
            cellIDs[i] = Int32(truncatingIfNeeded: cell)
            cellRows[cell] += 1
        }
        let evaluator = Evaluator(table: relation.table, grouping: .groups(ids: cellIDs, count: cells), source: source)
        var names = keyIndices.map { relation.table.names[$0] }
        var columns = keyIndices.map { relation.table.columns[$0].gather(firstRows) }
        var qualifiers = keyIndices.map { relation.qualifiers[$0] }
        var values: [Column] = []
        for (b, field) in zip(bound, fields) {
            do {
                values.append(try evaluator.evaluate(b).materialize(count: cells))
            } catch var e as TallyError {
                if e.span == nil { e.source = source; e.span = field.span }
                throw e
            }
        }
        for rank in 0..<valueCount {
            let label = distinct.text(at: sorted[rank]) ?? "null"
            for (value, field) in zip(values, fields) {
                let picks: [Int32] = (0..<rowCount).map { r in
                    let cell = r * valueCount + rank
                    return cellRows[cell] > 0 ? Int32(truncatingIfNeeded: cell) : -1
                }
                let name = fields.count == 1 ? label : "\(label)_\(ColumnNaming.name(for: field, in: source))"
                if names.contains(name) {
                    throw error(.name, "`pivot` makes a column `\(name)` that is already a row key", positional[0].span,
                                hint: "rename the row key first: `derive {\(name)_key = \(name)} | select !{\(name)}`")
                }
                names.append(name); columns.append(value.gather(nullable: picks)); qualifiers.append(nil)
            }
        }
        return Relation(table: Table(uncheckedNames: names, columns: columns, rowCount: rowCount), qualifiers: qualifiers)
    }

    /// `unpivot {y2021, y2022} name:year value:amount`: each row becomes one row per listed column,
    /// with the column's name in `name` and its value in `value` (defaults: `name`, `value`); the
    /// other columns repeat. As DuckDB's UNPIVOT, a null value makes no row.
    func unpivot(_ args: [CallArgument], _ step: Expr, _ relation: Relation) throws -> Relation {
        var nameColumn = "name", valueColumn = "value"
        for arg in args where arg.name != nil {
            let text: String
            switch arg.value.kind {
            case .ident(let path) where path.count == 1: text = path[0]
            case .literal(.string(let s)): text = s
            default: throw error(.type, "`\(arg.name ?? "")` takes a column name", arg.value.span, hint: "e.g. `name:year`")
            }
            switch arg.name {
            case "name": nameColumn = text
            case "value": valueColumn = text
            default:
                throw error(.parse, "`unpivot` has no option `\(arg.name ?? "")`", arg.span, hint: "options: name:…, value:…")
            }
        }
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1 else {
            throw error(.parse, "`unpivot` takes the columns to turn into rows", step.span,
                        hint: "e.g. `unpivot {y2021, y2022} name:year value:amount`")
        }
        let binder = binder(relation)
        var spread: [Int] = []
        var type: DataType?
        for field in QueryRunner.fields(positional[0]) {
            guard case .column(let index, let t) = try binder.bind(field) else {
                throw error(.type, "`unpivot` lists columns, not expressions", field.span)
            }
            guard let common = try Binder.commonType(type, t) else {
                throw error(.type, "`unpivot` columns must share a type: \(type.map { "\($0)" } ?? "") and \(t)", field.span,
                            hint: "convert first, e.g. `derive {\(relation.table.names[index]) = \(relation.table.names[index]) | as text}`")
            }
            type = common
            spread.append(index)
        }
        guard let valueType = type else { throw error(.parse, "`unpivot` needs at least one column", positional[0].span) }
        let keep = (0..<relation.table.columnCount).filter { !spread.contains($0) }
        let keptNames = keep.map { relation.table.names[$0] }
        for name in [nameColumn, valueColumn] where keptNames.contains(name) {
            throw error(.name, "`unpivot` would make a second column `\(name)`", step.span,
                        hint: "choose another name with `name:` / `value:`")
        }
        let values = try spread.map { index -> Column in
            let c = relation.table.columns[index]
            return c.type == valueType ? c : try Casts.cast(.column(c), to: valueType, rowCount: c.count).materialize(count: c.count)
        }
        // Concatenated, the listed columns' values sit column-major: column k's row r at k × rows + r.
        let stacked = Column.concat(values, type: valueType)
        let rows = relation.table.rowCount
        var sourceRows: [Int] = []
        var which: [UInt32] = []
        var picks: [Int32] = []
        for r in 0..<rows {
            for (k, value) in values.enumerated() where !value.isNull(r) {
                sourceRows.append(r)
                which.append(UInt32(k))
                picks.append(Int32(truncatingIfNeeded: k * rows + r))
            }
        }
        let labels = Column(.text(codes: which,
                                  dictionary: TextDictionary(spread.map { relation.table.names[$0] })))
        let names = keptNames + [nameColumn, valueColumn]
        let columns = keep.map { relation.table.columns[$0].gather(sourceRows) } + [labels, stacked.gather(nullable: picks)]
        return Relation(table: Table(uncheckedNames: names, columns: columns, rowCount: sourceRows.count),
                        qualifiers: keep.map { relation.qualifiers[$0] } + [nil, nil])
    }
}
