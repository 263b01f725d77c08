import CRuntime

/// Dense ids for many 64-bit keys on every core, the same ids `DenseKeyTable` gives (first
/// appearance order), for group-bys with hundreds of thousands of groups or more.
///
/// One table for a million keys is 32 MB: every probe misses the caches, and one core does them
/// all. Here the rows are first split by the top bits of their key's hash into 64 partitions
/// (a histogram, then a scatter of key and row, each a piece of the rows per core); each
/// partition is then numbered on its own with a `DenseKeyTable` small enough for the core's cache,
/// the partitions shared out among the cores. The partitions' groups are put in the order of their
/// first rows (a radix sort of the first rows), which gives each group its global id; each
/// partition turns its ids into global ones, and a last pass over the rows, replaying the scatter,
/// writes each row's id in row order.
enum PartitionedKeys {
    static let partitionBits = 6
    /// Fewer rows than this are numbered faster by one table than by four passes.
    static let minimumRows = 1 << 18

    /// Each row's id, the number of ids and each id's first row; nil when the input is too small
    /// to gain from this or there is one core.
    static func assign(_ keys: UnsafeBufferPointer<UInt64>) -> (ids: [Int32], count: Int, firstRows: [Int])? {
        let n = keys.count
        guard n >= minimumRows, n < Int(Int32.max), Parallel.cores > 1, let base = keys.baseAddress else { return nil }
        let partitions = 1 << partitionBits
        let chunks = Parallel.cores * 4
        func rows(_ c: Int) -> Range<Int> { (n / chunks * c)..<(c == chunks - 1 ? n : n / chunks * (c + 1)) }
        @inline(__always) func partition(_ key: UInt64) -> Int {
            // The top bits of a product by another constant than `DenseKeyTable`'s, whose slot
            // is the top bits of its own product: within a partition the slots still spread.
            Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - partitionBits))
        }

        // 1. Each row's partition, noted (a byte a row, so the last pass reads neither the key nor
        // the hash again), and how many rows of each piece fall in each partition.
        let partitionOf = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        defer { partitionOf.deallocate() }
        _ = tally_populate(partitionOf, n)
        let sharedPartitions = UncheckedSendable(partitionOf)
        let histograms: [[Int]] = Parallel.map(chunks) { c in
            let partitionOf = sharedPartitions.value
            var counts = [Int](repeating: 0, count: partitions)
            counts.withUnsafeMutableBufferPointer { counts in
                for row in rows(c) {
                    let p = partition(base[row])
                    partitionOf[row] = UInt8(truncatingIfNeeded: p)
                    counts[p] &+= 1
                }
            }
            return counts
        }
        // Partition after partition, and within one the pieces in order, so a partition's rows
        // stay in row order.
        var partitionStart = [Int](repeating: 0, count: partitions + 1)
        var cursors = [[Int]](repeating: [Int](repeating: 0, count: partitions), count: chunks)
        var total = 0
        for p in 0..<partitions {
            partitionStart[p] = total
            for c in 0..<chunks {
                cursors[c][p] = total
                total += histograms[c][p]
            }
        }
        partitionStart[partitions] = total

        // 2. Scatter key and row to their partition.
        let scattered = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        let scatteredRows = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let local = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer {
            scattered.deallocate()
            scatteredRows.deallocate()
            local.deallocate()
        }
        // Mapped in a few calls rather than a page fault per 4 KB as the scatter writes them.
        _ = tally_populate(scattered, n * 8)
        _ = tally_populate(scatteredRows, n * 4)
        _ = tally_populate(local, n * 4)
        let shared = UncheckedSendable((scattered, scatteredRows, local))
        Parallel.forEach(chunks) { c in
            let (scattered, scatteredRows, _) = shared.value
            var cursor = cursors[c]
            cursor.withUnsafeMutableBufferPointer { cursor in
                let partitionOf = sharedPartitions.value
                for row in rows(c) {
                    let key = base[row]
                    let p = Int(partitionOf[row])
                    let at = cursor[p]
                    scattered[at] = key
                    scatteredRows[at] = Int32(truncatingIfNeeded: row)
                    cursor[p] = at &+ 1
                }
            }
        }

        // 3. Each partition numbered on its own; its groups' first rows, in row order.
        let numbered: [(count: Int, firstRows: [Int])] = Parallel.map(partitions) { p in
            let (scattered, scatteredRows, local) = shared.value
            let start = partitionStart[p], count = partitionStart[p + 1] - start
            guard count > 0 else { return (0, []) }
            var table = DenseKeyTable(expected: min(count, 1 << 12))
            table.recordsFirstRows = true
            var noNulls: Int32 = -1
            table.assign(UnsafeBufferPointer(start: scattered + start, count: count),
                         into: UnsafeMutableBufferPointer(start: local + start, count: count), nullID: &noNulls)
            return (Int(table.count), table.firstRows.map { Int(scatteredRows[start + $0]) })
        }

        // 4. Global ids in order of first rows: each group's first row above its index, sorted.
        // The index takes only the bits it needs, so 10M rows and 1M groups sort in three
        // 16-bit passes (the radix sort skips the top digit, zero in every entry).
        var groupStart = [Int](repeating: 0, count: partitions + 1)
        for p in 0..<partitions { groupStart[p + 1] = groupStart[p] + numbered[p].count }
        let groups = groupStart[partitions]
        var indexBits = 1
        while 1 << indexBits < groups { indexBits += 1 }
        let indexMask = UInt64(1) << UInt64(indexBits) - 1
        var byFirstRow = [UInt64](repeating: 0, count: groups)
        for p in 0..<partitions {
            for (l, row) in numbered[p].firstRows.enumerated() {
                byFirstRow[groupStart[p] + l] = UInt64(row) << UInt64(indexBits) | UInt64(groupStart[p] + l)
            }
        }
        byFirstRow.withUnsafeMutableBufferPointer { CountDistinctKernel.radixSort($0) }
        var global = [Int32](repeating: 0, count: groups)
        var firstRows = [Int](repeating: 0, count: groups)
        for (id, entry) in byFirstRow.enumerated() {
            global[Int(truncatingIfNeeded: entry & indexMask)] = Int32(truncatingIfNeeded: id)
            firstRows[id] = Int(truncatingIfNeeded: entry >> UInt64(indexBits))
        }
        // The local ids become global ones, partition by partition: each reads only its own
        // groups' stretch of `global`, which stays in cache.
        global.withUnsafeBufferPointer { global in
            let sharedGlobal = UncheckedSendable(global)
            Parallel.forEach(partitions) { p in
                let local = shared.value.2, global = sharedGlobal.value
                let offset = groupStart[p]
                for at in partitionStart[p]..<partitionStart[p + 1] {
                    local[at] = global[offset &+ Int(local[at])]
                }
            }
        }

        // 5. Each row's id, in row order: the scatter replayed finds where its id went.
        let ids = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            let out = UncheckedSendable(buffer)
            Parallel.forEach(chunks) { c in
                let local = shared.value.2, partitionOf = sharedPartitions.value
                var cursor = cursors[c]
                cursor.withUnsafeMutableBufferPointer { cursor in
                    for row in rows(c) {
                        let p = Int(partitionOf[row])
                        let at = cursor[p]
                        cursor[p] = at &+ 1
                        out.value[row] = local[at]
                    }
                }
            }
            initialized = n
        }
        return (ids, groups, firstRows)
    }
}
