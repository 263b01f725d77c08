import Foundation

/// `median x` and `quantile p x` (Tally): DuckDB's MEDIAN / QUANTILE_CONT.
///
/// Numbers give a float interpolated linearly between the two nearest ranks: position
/// `(n - 1) × p`, value `lo + (hi - lo) × fraction`. Dates and timestamps give a timestamp the same
/// way (DuckDB: MEDIAN(DATE) is a TIMESTAMP, the midpoint of 2021-03-05 and 2022-12-31 is
/// 2022-02-01 00:00:00). Text has no midpoint: it takes the value at rank ⌈n × p⌉ (DuckDB's
/// QUANTILE_DISC; median of a, b, c, d is "b"). An empty group gives null.
/// Oracle: `SQL: select median(i), quantile_cont(i, 0.9) from t group by g` → 1.5 and 1.9 for (1, 2).
enum QuantileKernel {
    /// `p` of `quantile p x`: a number from 0 to 1.
    static func probability(_ parameters: [Scalar]) throws -> Double {
        let p: Double
        switch parameters.first {
        case .float(let v)?: p = v
        case .int(let v)?: p = Double(v)
        default:
            throw TallyError(.type, "`quantile` needs a probability first, as in `quantile 0.9 x`")
        }
        guard p >= 0 && p <= 1 else {
            throw TallyError(.runtime, "`quantile` takes a probability from 0 to 1, got \(Column.formatFloat(p))",
                             hint: "the 90th percentile is `quantile 0.9 x`")
        }
        return p
    }

    static func evaluate(_ context: AggregateContext, _ input: Column, probability q: Double, type: DataType) -> Column {
        let groups = context.groupCount
        var present = [Bool](repeating: false, count: groups)
        switch input.values {
        case .float(let v):
            var grouped = GroupedValues<Double>(context, validity: input.validity) { v[$0] }
            var out = [Double](repeating: 0, count: groups)
            out.withUnsafeMutableBufferPointer { out in
                present.withUnsafeMutableBufferPointer { present in
                    grouped.forEachGroup { g, slice in
                        guard let (lo, hi, d) = bracket(slice, q, less: floatLess) else { return }
                        out[g] = lo + (hi - lo) * d
                        present[g] = true
                    }
                }
            }
            return Column(.float(out), validity: context.validity(present))
        case .int(let v):
            var grouped = GroupedValues<Int64>(context, validity: input.validity) { v[$0] }
            var out = [Double](repeating: 0, count: groups)
            out.withUnsafeMutableBufferPointer { out in
                present.withUnsafeMutableBufferPointer { present in
                    grouped.forEachGroup { g, slice in
                        guard let (lo, hi, d) = bracket(slice, q, less: <) else { return }
                        out[g] = Double(lo) + (Double(hi) - Double(lo)) * d
                        present[g] = true
                    }
                }
            }
            return Column(.float(out), validity: context.validity(present))
        case .date(let v):
            var grouped = GroupedValues<Int64>(context, validity: input.validity) { Int64(v[$0]) * 86_400_000_000 }
            return timestamps(&grouped, q, context)
        case .timestamp(let v):
            var grouped = GroupedValues<Int64>(context, validity: input.validity) { v[$0] }
            return timestamps(&grouped, q, context)
        case .text(let codes, let dictionary):
            let ranking = TextRanking(codes, input.validity, dictionary)
            let ranks = ranking.rankPerRow(codes)
            var grouped = GroupedValues<UInt32>(context, validity: input.validity) { ranks[$0] }
            var out = [UInt32](repeating: 0, count: groups)
            out.withUnsafeMutableBufferPointer { out in
                present.withUnsafeMutableBufferPointer { present in
                    grouped.forEachGroup { g, slice in
                        guard !slice.isEmpty else { return }
                        let k = Swift.max(0, Int((Double(slice.count) * q).rounded(.up)) - 1)
                        Selection.select(slice, Swift.min(k, slice.count - 1), less: <)
                        out[g] = ranking.code(ofRank: slice[Swift.min(k, slice.count - 1)])
                        present[g] = true
                    }
                }
            }
            return Column(.text(codes: out, dictionary: dictionary), validity: context.validity(present))
        case .bool:
            return Scalar.null.column(count: groups, type: type)
        }
    }

    static func timestamps(_ grouped: inout GroupedValues<Int64>, _ q: Double, _ context: AggregateContext) -> Column {
        var out = [Int64](repeating: 0, count: context.groupCount)
        var present = [Bool](repeating: false, count: context.groupCount)
        out.withUnsafeMutableBufferPointer { out in
            present.withUnsafeMutableBufferPointer { present in
                grouped.forEachGroup { g, slice in
                    guard let (lo, hi, d) = bracket(slice, q, less: <) else { return }
                    let (span, overflow) = hi.subtractingReportingOverflow(lo)
                    let step = overflow ? (Double(hi) - Double(lo)) * d : Double(span) * d
                    out[g] = lo &+ SumKernel.roundedMicros(step)
                    present[g] = true
                }
            }
        }
        return Column(.timestamp(out), validity: context.validity(present))
    }

    static func floatLess(_ a: Double, _ b: Double) -> Bool { a < b || (b.isNaN && !a.isNaN) }

    /// The values at ranks ⌊(n-1)p⌋ and ⌈(n-1)p⌉ and the fraction between them; nil for no values.
    @inline(__always)
    static func bracket<T>(_ slice: UnsafeMutableBufferPointer<T>, _ q: Double,
                           less: (T, T) -> Bool) -> (T, T, Double)? {
        let n = slice.count
        guard n > 0 else { return nil }
        let position = Double(n - 1) * q
        let lowRank = Swift.min(Int(position.rounded(.down)), n - 1)
        let highRank = Swift.min(Int(position.rounded(.up)), n - 1)
        Selection.select(slice, lowRank, less: less)
        let lo = slice[lowRank]
        guard highRank > lowRank else { return (lo, lo, 0) }
        // After selection everything right of lowRank ranks at or above it: the next rank is their least.
        var hi = slice[lowRank + 1]
        for i in (lowRank + 2)..<n where less(slice[i], hi) { hi = slice[i] }
        return (lo, hi, position - Double(lowRank))
    }
}

/// Quickselect: puts the `k`-th smallest element at `k`, smaller-or-equal ones before it and
/// greater-or-equal ones after. Linear on average; falls back to sorting when partitions stay
/// unbalanced, so it is never quadratic.
enum Selection {
    static func select<T>(_ a: UnsafeMutableBufferPointer<T>, _ k: Int, less: (T, T) -> Bool) {
        var lo = 0, hi = a.count - 1
        var budget = 2 * (Int.bitWidth - a.count.leadingZeroBitCount) + 8
        while hi > lo {
            if hi - lo < 16 || budget == 0 {
                var part = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
                part.sort(by: less)
                return
            }
            budget -= 1
            // Median of three as pivot.
            let mid = lo + (hi - lo) / 2
            if less(a[mid], a[lo]) { a.swapAt(mid, lo) }
            if less(a[hi], a[lo]) { a.swapAt(hi, lo) }
            if less(a[hi], a[mid]) { a.swapAt(hi, mid) }
            let pivot = a[mid]
            // Hoare partition.
            var i = lo, j = hi
            while i <= j {
                while less(a[i], pivot) { i += 1 }
                while less(pivot, a[j]) { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return
            }
        }
    }
}
