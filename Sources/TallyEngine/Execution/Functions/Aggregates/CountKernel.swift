/// `count this` (rows) and `count x` (non-null values): ints, 0 for an empty group.
///
/// Note: prqlc compiles both forms to COUNT(*); LANGUAGE.md makes `count x` count non-null values,
/// and that is the rule here.
enum CountKernel {
    static func countRows(_ context: AggregateContext) -> Column {
        if context.ids == nil { return Column(.int([Int64(context.rows)])) }
        return Column(.int(count(context, validity: nil)))
    }

    static func countValues(_ context: AggregateContext, _ input: Column) -> Column {
        if context.ids == nil { return Column(.int([Int64(context.rows - input.nullCount)])) }
        return Column(.int(withValidBits(input.validity) { count(context, validity: $0) }))
    }

    static func count(_ context: AggregateContext, validity: ValidBits?) -> [Int64] {
        context.reduce({ range in
            context.perGroup(Int64(0)) { counts in
                context.forEachRow(range, validity) { _, g in counts[g] &+= 1 }
            }
        }, merge: addCounts)
    }

    static func addCounts(_ a: inout [Int64], _ b: [Int64]) {
        for g in 0..<a.count { a[g] &+= b[g] }
    }
}
