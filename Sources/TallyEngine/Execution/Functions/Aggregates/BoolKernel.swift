/// `any x` (BOOL_OR) and `all x` (BOOL_AND) over bools; nulls are skipped.
///
/// A group without values gives `any` false and `all` true: PRQL compiles them to
/// COALESCE(BOOL_OR(x), FALSE) and COALESCE(BOOL_AND(x), TRUE). Oracle:
/// `from t | filter i > 100 | aggregate {an = any b, al = all b}` → false, true.
enum BoolKernel {
    static func evaluate(_ context: AggregateContext, _ input: Column, all: Bool) -> Column {
        guard case .bool(let v) = input.values else {
            return Scalar.null.column(count: context.groupCount, type: .bool)
        }
        // any: is some value true?  all: is some value false?  (then negate)
        let target = !all
        let found: [Bool] = v.withUnsafeBufferPointer { values in
            withValidBits(input.validity) { bits in
                context.reduce({ range in
                    context.perGroup(false) { found in
                        context.forEachRow(range, bits) { row, g in
                            if values[row] == target { found[g] = true }
                        }
                    }
                }, merge: { a, b in for g in 0..<a.count where b[g] { a[g] = true } })
            }
        }
        return Column(.bool(all ? found.map { !$0 } : found))
    }
}
