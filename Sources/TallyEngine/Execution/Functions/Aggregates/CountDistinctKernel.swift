/// `count_distinct x`: the number of distinct non-null values per group (an int, 0 for an empty group).
///
/// Text counts dictionary codes (each distinct string has one code), with a bitmap of
/// group × code when that is small, so no string is hashed or compared; ints over a small range
/// (student ids, codes) use the same bitmap on their offset from the minimum. Other types gather each
/// group's values as 64-bit keys and count them in a hash set (groups under 32k values) or sorted
/// (larger ones). Floats count -0.0 as 0.0 and every NaN as one value.
enum CountDistinctKernel {
    /// Largest group × dictionary bitmap, in bits (8 MiB).
    static let bitmapLimit = 1 << 26

    static func evaluate(_ context: AggregateContext, _ input: Column) -> Column {
        switch input.values {
        case .text(let codes, let dictionary):
            let entries = max(dictionary.count, 1)
            if context.groupCount * entries <= bitmapLimit {
                return Column(.int(bitmapCount(context, codes, input.validity, entries: entries)))
            }
            return Column(.int(sortedCount(context, input.validity) { UInt64(codes[$0]) }))
        case .int(let v):
            if let counts = rangeBitmapCount(context, v, input.validity) { return Column(.int(counts)) }
            return Column(.int(sortedCount(context, input.validity) { UInt64(bitPattern: v[$0]) }))
        case .timestamp(let v):
            return Column(.int(sortedCount(context, input.validity) { UInt64(bitPattern: v[$0]) }))
        case .date(let v):
            return Column(.int(sortedCount(context, input.validity) { UInt64(UInt32(bitPattern: v[$0])) }))
        case .bool(let v):
            return Column(.int(sortedCount(context, input.validity) { v[$0] ? 1 : 0 }))
        case .float(let v):
            return Column(.int(sortedCount(context, input.validity) { row in
                let x = v[row]
                if x.isNaN { return Double.nan.bitPattern }
                return x == 0 ? 0 : x.bitPattern
            }))
        }
    }

    /// Ints whose values span a small range (ids, codes, years): a bitmap of group × (value − min),
    /// as for text codes, in one pass with no sort. Nil when the range times the groups is too big.
    static func rangeBitmapCount(_ context: AggregateContext, _ values: [Int64], _ validity: Validity?) -> [Int64]? {
        var lo = Int64.max, hi = Int64.min
        values.withUnsafeBufferPointer { v in
            if let validity {
                for i in 0..<v.count where validity.isValid(i) {
                    lo = min(lo, v[i])
                    hi = max(hi, v[i])
                }
            } else {
                for x in v {
                    lo = min(lo, x)
                    hi = max(hi, x)
                }
            }
        }
        guard lo <= hi else { return [Int64](repeating: 0, count: context.groupCount) }
        let span = hi.subtractingReportingOverflow(lo)
        guard !span.overflow, span.partialValue < Int64(bitmapLimit) else { return nil }
        let entries = Int(span.partialValue) + 1
        let (cells, overflow) = context.groupCount.multipliedReportingOverflow(by: entries)
        guard !overflow, cells <= bitmapLimit else { return nil }
        // Offsets from the minimum, as the codes of a dictionary of `entries` values.
        let codes = values.map { UInt32(truncatingIfNeeded: $0 &- lo) }
        return bitmapCount(context, codes, validity, entries: entries)
    }

    static func bitmapCount(_ context: AggregateContext, _ codes: [UInt32], _ validity: Validity?,
                            entries: Int) -> [Int64] {
        let wordsPerGroup = (entries + 63) >> 6
        var seen = [UInt64](repeating: 0, count: context.groupCount * wordsPerGroup)
        seen.withUnsafeMutableBufferPointer { seen in
            codes.withUnsafeBufferPointer { codes in
                withValidBits(validity) { bits in
                    context.forEachRow(0..<context.rows, bits) { row, g in
                        let c = Int(codes[row])
                        if c < entries { seen[g * wordsPerGroup + (c >> 6)] |= 1 << UInt64(c & 63) }
                    }
                }
            }
        }
        return (0..<context.groupCount).map { g in
            var n = 0
            for w in (g * wordsPerGroup)..<((g + 1) * wordsPerGroup) { n += seen[w].nonzeroBitCount }
            return Int64(n)
        }
    }

    static func sortedCount(_ context: AggregateContext, _ validity: Validity?, _ key: (Int) -> UInt64) -> [Int64] {
        var grouped = GroupedValues<UInt64>(context, validity: validity, key)
        var counts = [Int64](repeating: 0, count: context.groupCount)
        counts.withUnsafeMutableBufferPointer { counts in
            grouped.forEachGroup { g, slice in
                guard !slice.isEmpty else { return }
                if slice.count >= 1 << 20, Parallel.cores > 1 {
                    counts[g] = parallelDistinct(slice)
                    return
                }
                if slice.count < 1 << 15 {
                    counts[g] = hashedDistinct(slice)
                    return
                }
                radixSort(slice)
                var n: Int64 = 1
                for i in 1..<slice.count where slice[i] != slice[i - 1] { n += 1 }
                counts[g] = n
            }
        }
        return counts
    }

    /// The distinct values of a small slice, by inserting them into an open-addressing set of at
    /// least twice as many slots: one probe for most values, and the set fits in cache. (A
    /// comparison sort of each group's values took three times as long for groups of thousands.)
    static func hashedDistinct(_ slice: UnsafeMutableBufferPointer<UInt64>) -> Int64 {
        guard slice.count > 1 else { return Int64(slice.count) }
        var bits = 1
        while 1 << bits < 2 * slice.count { bits += 1 }
        let size = 1 << bits, mask = size - 1
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        let used = UnsafeMutablePointer<Bool>.allocate(capacity: size)
        used.initialize(repeating: false, count: size)
        defer {
            keys.deallocate()
            used.deallocate()
        }
        var distinct: Int64 = 0
        for value in slice {
            // Fibonacci hashing: the high bits of the product mix every bit of the value.
            var at = Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
            while used[at] {
                if keys[at] == value { break }
                at = (at &+ 1) & mask
            }
            if !used[at] {
                used[at] = true
                keys[at] = value
                distinct += 1
            }
        }
        return distinct
    }

    /// The distinct values of a big slice: a piece per core radix-sorted at the same time, then
    /// the sorted pieces walked together, each value counted once however many pieces hold it.
    static func parallelDistinct(_ slice: UnsafeMutableBufferPointer<UInt64>) -> Int64 {
        let pieces = Parallel.cores
        let size = (slice.count + pieces - 1) / pieces
        let runs = (0..<pieces).map { p in
            UnsafeMutableBufferPointer(rebasing: slice[min(slice.count, p * size)..<min(slice.count, p * size + size)])
        }
        let shared = UncheckedSendable(runs)
        Parallel.forEach(pieces) { p in radixSort(shared.value[p]) }
        return distinctInSortedRuns(runs)
    }

    /// How many distinct values sorted runs hold together: the smallest head of the runs is
    /// counted once, and every run steps past it.
    static func distinctInSortedRuns(_ runs: [UnsafeMutableBufferPointer<UInt64>]) -> Int64 {
        var at = [Int](repeating: 0, count: runs.count)
        var distinct: Int64 = 0
        while true {
            var smallest = UInt64.max
            var any = false
            for r in 0..<runs.count where at[r] < runs[r].count {
                let head = runs[r][at[r]]
                if !any || head < smallest { smallest = head; any = true }
            }
            guard any else { return distinct }
            distinct += 1
            for r in 0..<runs.count {
                let run = runs[r]
                var i = at[r]
                while i < run.count, run[i] == smallest { i += 1 }
                at[r] = i
            }
        }
    }

    /// LSD radix sort on 16-bit digits; passes where every key has the same digit are skipped
    /// (small ints touch one or two passes). For the large groups of `count_distinct`.
    static func radixSort(_ a: UnsafeMutableBufferPointer<UInt64>) {
        let n = a.count
        guard n > 1, let base = a.baseAddress else { return }
        let temp = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        defer { temp.deallocate() }
        var counts = [Int](repeating: 0, count: 1 << 16)
        guard let spare = temp.baseAddress else { return }
        var src = base, dst = spare
        counts.withUnsafeMutableBufferPointer { counts in
            for pass in 0..<4 {
                let shift = UInt64(pass * 16)
                for d in 0..<counts.count { counts[d] = 0 }
                for i in 0..<n { counts[Int(truncatingIfNeeded: (src[i] >> shift) & 0xFFFF)] += 1 }
                if counts[Int(truncatingIfNeeded: (src[0] >> shift) & 0xFFFF)] == n { continue }
                var total = 0
                for d in 0..<counts.count {
                    let c = counts[d]
                    counts[d] = total
                    total += c
                }
                for i in 0..<n {
                    let v = src[i]
                    let d = Int(truncatingIfNeeded: (v >> shift) & 0xFFFF)
                    dst[counts[d]] = v
                    counts[d] += 1
                }
                swap(&src, &dst)
            }
        }
        if src != base { base.update(from: src, count: n) }
    }
}
