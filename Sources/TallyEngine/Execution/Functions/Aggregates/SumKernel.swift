/// `sum` and `average`.
///
/// Ints add into a 128-bit accumulator per group (as DuckDB's HUGEINT sum), so the order rows are
/// added in never matters and a total that leaves the int range is one clear error at the end.
/// `sum` of an empty group is 0 (PRQL: COALESCE(SUM(x), 0)); `average` of an empty group is null.
/// `sum` of bools counts the trues (DuckDB: SUM(BOOLEAN) is allowed). `average` of dates and
/// timestamps is a timestamp (DuckDB: AVG(DATE) → TIMESTAMP, e.g. 2021-05-02 06:00:00 for
/// 2021-03-05, 2022-12-31, 2020-02-29, 2021-01-01).
enum SumKernel {
    /// Per-group 128-bit sums (high and low words) and value counts.
    struct WideSums {
        var high: [Int64]
        var low: [UInt64]
        var counts: [Int64]

        init(groups: Int) {
            high = [Int64](repeating: 0, count: groups)
            low = [UInt64](repeating: 0, count: groups)
            counts = [Int64](repeating: 0, count: groups)
        }

        mutating func merge(_ other: WideSums) {
            for g in 0..<high.count {
                let (l, carry) = low[g].addingReportingOverflow(other.low[g])
                low[g] = l
                high[g] = high[g] &+ other.high[g] &+ (carry ? 1 : 0)
                counts[g] &+= other.counts[g]
            }
        }

        /// The sum of group `g` if it fits in an Int64.
        func exact(_ g: Int) -> Int64? {
            let l = Int64(bitPattern: low[g])
            return high[g] == (l < 0 ? -1 : 0) ? l : nil
        }

        func double(_ g: Int) -> Double {
            if let e = exact(g) { return Double(e) }
            return Double(high[g]) * 18_446_744_073_709_551_616.0 + Double(low[g])
        }
    }

    static func wideSums<T: FixedWidthInteger & SignedInteger>(_ context: AggregateContext, _ values: [T],
                                                               _ validity: Validity?) -> WideSums {
        values.withUnsafeBufferPointer { values in
            withValidBits(validity) { bits in
                context.reduce({ range in
                    var sums = WideSums(groups: context.groupCount)
                    sums.high.withUnsafeMutableBufferPointer { high in
                        sums.low.withUnsafeMutableBufferPointer { low in
                            sums.counts.withUnsafeMutableBufferPointer { counts in
                                context.forEachRow(range, bits) { row, g in
                                    let v = Int64(values[row])
                                    let (l, carry) = low[g].addingReportingOverflow(UInt64(bitPattern: v))
                                    low[g] = l
                                    high[g] = high[g] &+ (v >> 63) &+ (carry ? 1 : 0)
                                    counts[g] &+= 1
                                }
                            }
                        }
                    }
                    return sums
                }, merge: { $0.merge($1) })
            }
        }
    }

    /// Per-group float sums and counts.
    static func floatSums(_ context: AggregateContext, _ values: [Double], _ validity: Validity?) -> (sums: [Double], counts: [Int64]) {
        values.withUnsafeBufferPointer { values in
            withValidBits(validity) { bits in
                context.reduce({ range in
                    var sums = [Double](repeating: 0, count: context.groupCount)
                    var counts = [Int64](repeating: 0, count: context.groupCount)
                    sums.withUnsafeMutableBufferPointer { sums in
                        counts.withUnsafeMutableBufferPointer { counts in
                            context.forEachRow(range, bits) { row, g in
                                sums[g] += values[row]
                                counts[g] &+= 1
                            }
                        }
                    }
                    return (sums, counts)
                }, merge: { a, b in
                    for g in 0..<a.sums.count {
                        a.sums[g] += b.sums[g]
                        a.counts[g] &+= b.counts[g]
                    }
                })
            }
        }
    }

    /// Per-group float sums without counts (what `sum` needs): one store per row instead of two.
    ///
    /// With few groups, consecutive rows often add to the same total, and each addition waits for
    /// the one before it. Long ranges without nulls over at most `laneGroups` groups therefore add
    /// into four sets of totals by row position, merged at the end: the order of additions is still
    /// fixed by the row count alone.
    static func floatTotals(_ context: AggregateContext, _ values: [Double], _ validity: Validity?) -> [Double] {
        values.withUnsafeBufferPointer { values in
            withValidBits(validity) { bits in
                context.reduce({ range in
                    if bits == nil, let ids = context.ids, context.groupCount <= laneGroups, range.count >= laneRows {
                        return laneTotals(values, ids, context.groupCount, range)
                    }
                    return context.perGroup(0.0) { sums in
                        context.forEachRow(range, bits) { row, g in sums[g] += values[row] }
                    }
                }, merge: { a, b in
                    for g in 0..<a.count { a[g] += b[g] }
                })
            }
        }
    }

    /// Four sets of this many totals stay in the first two cache levels (64 KiB).
    static let laneGroups = 2048
    static let laneRows = 1 << 16

    /// `floatTotals` over one range, in four interleaved sets of totals.
    static func laneTotals(_ values: UnsafeBufferPointer<Double>, _ ids: UnsafeBufferPointer<Int32>, _ groups: Int,
                           _ range: Range<Int>) -> [Double] {
        var lanes = [Double](repeating: 0, count: 4 * groups)
        lanes.withUnsafeMutableBufferPointer { lanes in
            var r = range.lowerBound
            while r + 4 <= range.upperBound {
                lanes[Int(ids[r])] += values[r]
                lanes[groups + Int(ids[r + 1])] += values[r + 1]
                lanes[2 * groups + Int(ids[r + 2])] += values[r + 2]
                lanes[3 * groups + Int(ids[r + 3])] += values[r + 3]
                r += 4
            }
            while r < range.upperBound {
                lanes[Int(ids[r])] += values[r]
                r += 1
            }
        }
        return (0..<groups).map { g in ((lanes[g] + lanes[groups + g]) + lanes[2 * groups + g]) + lanes[3 * groups + g] }
    }

    static func sum(_ context: AggregateContext, _ input: Column) throws -> Column {
        switch input.values {
        case .int(let v):
            let sums = wideSums(context, v, input.validity)
            var out = [Int64](repeating: 0, count: context.groupCount)
            for g in 0..<context.groupCount {
                guard let e = sums.exact(g) else {
                    throw TallyError(.runtime, "integer overflow in `sum`: a total is beyond the int range (±9.2e18)",
                                     hint: "sum floats instead: `sum (x | as float)`")
                }
                out[g] = e
            }
            return Column(.int(out))
        case .bool(let v):
            let trues = v.withUnsafeBufferPointer { values in
                withValidBits(input.validity) { bits in
                    context.reduce({ range in
                        context.perGroup(Int64(0)) { counts in
                            context.forEachRow(range, bits) { row, g in if values[row] { counts[g] &+= 1 } }
                        }
                    }, merge: CountKernel.addCounts)
                }
            }
            return Column(.int(trues))
        case .float(let v):
            return Column(.float(floatTotals(context, v, input.validity)))
        default:
            return Scalar.null.column(count: context.groupCount, type: .float)
        }
    }

    static func average(_ context: AggregateContext, _ input: Column) -> Column {
        switch input.values {
        case .int(let v):
            let sums = wideSums(context, v, input.validity)
            let means = (0..<context.groupCount).map { g in sums.counts[g] == 0 ? 0 : sums.double(g) / Double(sums.counts[g]) }
            return Column(.float(means), validity: context.validity(sums.counts.map { $0 > 0 }))
        case .float(let v):
            let (s, counts) = floatSums(context, v, input.validity)
            let means = (0..<context.groupCount).map { g in counts[g] == 0 ? 0 : s[g] / Double(counts[g]) }
            return Column(.float(means), validity: context.validity(counts.map { $0 > 0 }))
        case .date(let v):
            let sums = wideSums(context, v, input.validity)
            let micros = (0..<context.groupCount).map { g -> Int64 in
                guard sums.counts[g] > 0 else { return 0 }
                return (roundedMicros(sums.double(g) / Double(sums.counts[g]) * 86_400_000_000))
            }
            return Column(.timestamp(micros), validity: context.validity(sums.counts.map { $0 > 0 }))
        case .timestamp(let v):
            let sums = wideSums(context, v, input.validity)
            let micros = (0..<context.groupCount).map { g -> Int64 in
                guard sums.counts[g] > 0 else { return 0 }
                return (roundedMicros(sums.double(g) / Double(sums.counts[g])))
            }
            return Column(.timestamp(micros), validity: context.validity(sums.counts.map { $0 > 0 }))
        default:
            return Scalar.null.column(count: context.groupCount, type: .float)
        }
    }

    static func roundedMicros(_ x: Double) -> Int64 {
        let r = x.rounded()
        guard r.isFinite else { return 0 }
        if r >= 9.2e18 { return .max }
        if r <= -9.2e18 { return .min }
        return Int64(r)
    }
}
