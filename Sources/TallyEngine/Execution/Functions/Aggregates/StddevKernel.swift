import Foundation

/// `stddev x`: the sample standard deviation (DuckDB's STDDEV = STDDEV_SAMP), a float; null for a
/// group with fewer than two values.
///
/// Welford's update per value and Chan's formula to merge row ranges, the same steps as DuckDB,
/// so results agree to the last digits. Oracle: `from t | group g (aggregate {sd = stddev f})` →
/// 2.8284271247461903 for (1.5, -2.5), null for one value.
enum StddevKernel {
    struct Moments {
        var count: [Int64]
        var mean: [Double]
        var m2: [Double]

        init(groups: Int) {
            count = [Int64](repeating: 0, count: groups)
            mean = [Double](repeating: 0, count: groups)
            m2 = [Double](repeating: 0, count: groups)
        }

        mutating func merge(_ other: Moments) {
            for g in 0..<count.count where other.count[g] > 0 {
                if count[g] == 0 {
                    count[g] = other.count[g]; mean[g] = other.mean[g]; m2[g] = other.m2[g]
                    continue
                }
                let na = Double(count[g]), nb = Double(other.count[g])
                let n = na + nb
                let delta = other.mean[g] - mean[g]
                mean[g] = (na * mean[g] + nb * other.mean[g]) / n
                m2[g] = m2[g] + other.m2[g] + delta * delta * na * nb / n
                count[g] += other.count[g]
            }
        }
    }

    static func evaluate(_ context: AggregateContext, _ input: Column) -> Column {
        let moments: Moments
        switch input.values {
        case .float(let v): moments = accumulate(context, v, input.validity) { $0 }
        case .int(let v): moments = accumulate(context, v, input.validity) { Double($0) }
        default: return Scalar.null.column(count: context.groupCount, type: .float)
        }
        let out = (0..<context.groupCount).map { g in
            moments.count[g] > 1 ? (moments.m2[g] / Double(moments.count[g] - 1)).squareRoot() : 0
        }
        return Column(.float(out), validity: context.validity(moments.count.map { $0 > 1 }))
    }

    @inline(__always)
    static func accumulate<T>(_ context: AggregateContext, _ values: [T], _ validity: Validity?,
                              _ toDouble: (T) -> Double) -> Moments {
        values.withUnsafeBufferPointer { values in
            withValidBits(validity) { bits in
                context.reduce({ range in
                    var m = Moments(groups: context.groupCount)
                    m.count.withUnsafeMutableBufferPointer { count in
                        m.mean.withUnsafeMutableBufferPointer { mean in
                            m.m2.withUnsafeMutableBufferPointer { m2 in
                                context.forEachRow(range, bits) { row, g in
                                    let x = toDouble(values[row])
                                    count[g] += 1
                                    let old = mean[g]
                                    let new = old + (x - old) / Double(count[g])
                                    mean[g] = new
                                    m2[g] += (x - new) * (x - old)
                                }
                            }
                        }
                    }
                    return m
                }, merge: { $0.merge($1) })
            }
        }
    }
}
