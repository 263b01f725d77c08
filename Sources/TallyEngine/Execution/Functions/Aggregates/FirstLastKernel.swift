/// `first x` / `last x`: the value of the group's first / last row, null included.
///
/// PRQL compiles them to FIRST_VALUE / LAST_VALUE, which are window functions: DuckDB refuses them
/// in a plain aggregate, and inside `window` (`group g (window (derive {fi = first i}))`) they take
/// the partition's first row even when its value is null. Tally follows that in aggregates too:
/// the first row's value, not the first non-null value. An empty group gives null.
enum FirstLastKernel {
    static func evaluate(_ context: AggregateContext, _ input: Column, last: Bool) -> Column {
        let groups = context.groupCount
        let rowOf: [Int] = context.reduce({ range in
            context.perGroup(-1) { rowOf in
                if last {
                    context.forEachRow(range, nil) { row, g in rowOf[g] = row }
                } else {
                    for r in range.reversed() {
                        rowOf[context.ids.map { Int($0[r]) } ?? 0] = r
                    }
                }
            }
        }, merge: { a, b in
            for g in 0..<a.count where b[g] >= 0 {
                if a[g] < 0 || last { a[g] = b[g] }
            }
        })
        guard input.count > 0 else { return Scalar.null.column(count: groups, type: input.type) }
        let picked = input.gather(rowOf.map { Swift.max($0, 0) })
        guard rowOf.contains(-1) else { return picked }
        var validity = picked.validity ?? Validity(count: groups, allValid: true)
        for g in 0..<groups where rowOf[g] < 0 { validity.clear(g) }
        return Column(picked.values, validity: validity)
    }
}
