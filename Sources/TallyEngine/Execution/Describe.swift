/// Tally's `describe`: one row per column of the input, for a first look at a table.
extension QueryRunner {
    /// Columns: `column`, `type`, `count` (values present), `nulls`, `distinct` (distinct non-null
    /// values), `min`, `max` (as text, so one column holds every type), `mean`, `median` (numbers
    /// only; null for other types). The same figures as DuckDB's SUMMARIZE, with exact distinct
    /// counts instead of its estimate.
    func describe(_ relation: Relation) throws -> Relation {
        let table = relation.table
        var names: [String] = [], types: [String] = []
        var counts: [Int64?] = [], nulls: [Int64?] = [], distincts: [Int64?] = []
        var mins: [String?] = [], maxes: [String?] = [], means: [Double?] = [], medians: [Double?] = []
        for (name, column) in zip(table.names, table.columns) {
            try cancel.checkpoint()
            names.append(name)
            types.append(column.type.rawValue)
            counts.append(Int64(column.count - column.nullCount))
            nulls.append(Int64(column.nullCount))
            let distinct = try AggregateFunctions.compute("count_distinct", input: column, rowCount: column.count,
                                                          groups: nil, groupCount: 1, parameter: nil)
            distincts.append(distinct.scalar(at: 0).doubleValue.map { Int64($0) })
            if column.type == .bool {
                // min / max of booleans: false before true.
                let any = try AggregateFunctions.compute("any", input: column, rowCount: column.count, groups: nil, groupCount: 1, parameter: nil)
                let all = try AggregateFunctions.compute("all", input: column, rowCount: column.count, groups: nil, groupCount: 1, parameter: nil)
                let present = column.count > column.nullCount
                mins.append(present ? (all.scalar(at: 0) == .bool(true) ? "true" : "false") : nil)
                maxes.append(present ? (any.scalar(at: 0) == .bool(true) ? "true" : "false") : nil)
            } else {
                let lo = try AggregateFunctions.compute("min", input: column, rowCount: column.count, groups: nil, groupCount: 1, parameter: nil)
                let hi = try AggregateFunctions.compute("max", input: column, rowCount: column.count, groups: nil, groupCount: 1, parameter: nil)
                mins.append(lo.text(at: 0))
                maxes.append(hi.text(at: 0))
            }
            if column.type.isNumeric {
                let mean = try AggregateFunctions.compute("average", input: column, rowCount: column.count, groups: nil, groupCount: 1, parameter: nil)
                let median = try AggregateFunctions.compute("median", input: column, rowCount: column.count, groups: nil, groupCount: 1, parameter: nil)
                means.append(mean.scalar(at: 0).doubleValue)
                medians.append(median.scalar(at: 0).doubleValue)
            } else {
                means.append(nil)
                medians.append(nil)
            }
        }
        let columns = [Column(texts: names), Column(texts: types), Column(ints: counts), Column(ints: nulls),
                       Column(ints: distincts), Column(texts: mins), Column(texts: maxes), Column(floats: means),
                       Column(floats: medians)]
        return Relation(table: try Table(names: ["column", "type", "count", "nulls", "distinct", "min", "max", "mean", "median"],
                                         columns: columns), qualifier: nil)
    }
}

extension Scalar {
    var doubleValue: Double? {
        switch self {
        case .float(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }
}
