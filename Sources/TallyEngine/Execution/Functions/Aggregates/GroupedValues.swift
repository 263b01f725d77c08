/// The non-null values of a column laid out group after group (a counting sort by group id), for
/// aggregates that need all of a group's values at once: `median`, `quantile`, `count_distinct`.
struct GroupedValues<T> {
    /// Values of group `g` are `values[offsets[g]..<offsets[g + 1]]`, in row order.
    var values: [T]
    let offsets: [Int]

    var groupCount: Int { offsets.count - 1 }

    func range(_ g: Int) -> Range<Int> { offsets[g]..<offsets[g + 1] }

    /// Gathers `key(row)` of every non-null row.
    init(_ context: AggregateContext, validity: Validity?, _ key: (Int) -> T) {
        let groupCount = context.groupCount
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        withValidBits(validity) { bits in
            offsets.withUnsafeMutableBufferPointer { offsets in
                context.forEachRow(0..<context.rows, bits) { _, g in offsets[g + 1] += 1 }
                for g in 0..<groupCount { offsets[g + 1] += offsets[g] }
            }
        }
        let total = offsets[groupCount]
        var cursor = Array(offsets.dropLast())
        let values: [T] = withValidBits(validity) { bits in
            [T](unsafeUninitializedCapacity: total) { buffer, initialized in
                cursor.withUnsafeMutableBufferPointer { cursor in
                    context.forEachRow(0..<context.rows, bits) { row, g in
                        buffer.baseAddress!.advanced(by: cursor[g]).initialize(to: key(row))
                        cursor[g] += 1
                    }
                }
                initialized = total
            }
        }
        self.values = values
        self.offsets = offsets
    }

    /// `body(g, slice)` for every group, spread over cores when there are several groups and many values.
    mutating func forEachGroup(_ body: (Int, UnsafeMutableBufferPointer<T>) -> Void) {
        let offsets = self.offsets
        let groupCount = self.groupCount
        values.withUnsafeMutableBufferPointer { all in
            let base = all.baseAddress
            func run(_ g: Int) {
                let r = offsets[g]..<offsets[g + 1]
                body(g, UnsafeMutableBufferPointer(start: base.map { $0 + r.lowerBound }, count: r.count))
            }
            if groupCount > 1 && all.count >= 1 << 16 {
                let pieces = Swift.min(groupCount, Parallel.cores * 4)
                Parallel.forEach(pieces) { p in
                    var g = p
                    while g < groupCount { run(g); g += pieces }
                }
            } else {
                for g in 0..<groupCount { run(g) }
            }
        }
    }
}
