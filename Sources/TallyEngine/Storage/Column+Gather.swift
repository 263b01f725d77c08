import CRuntime

/// Building a new column from rows of an existing one, by position.
extension Column {
    /// Rows from which a gather is split among the cores.
    static let parallelGather = 1 << 17
    /// How many rows ahead a gather requests the value it will read.
    static let gatherLookahead = 16

    /// The rows at `indices`, in that order (a filter's selection, a sort's permutation, a head/tail).
    public func gather(_ indices: [Int]) -> Column {
        func pick<T>(_ source: [T]) -> [T] {
            let n = indices.count
            return source.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { rows in
                    [T](unsafeUninitializedCapacity: n) { dst, initialized in
                        guard let out = dst.baseAddress, let from = src.baseAddress, let at = rows.baseAddress else {
                            initialized = 0
                            return
                        }
                        // A permutation (a sort's, a group layout's) reads the source at random:
                        // each read a cache miss. The value a few rows on is requested ahead so the
                        // misses overlap, and large gathers are shared among the cores.
                        let pieces = n >= Column.parallelGather ? Parallel.cores * 2 : 1
                        let shared = UncheckedSendable(out)
                        Parallel.forEach(pieces) { p in
                            let out = shared.value
                            let lo = n / pieces * p, hi = p == pieces - 1 ? n : n / pieces * (p + 1)
                            var i = lo
                            while i < hi {
                                if i < hi - Column.gatherLookahead { tally_prefetch(from + at[i + Column.gatherLookahead]) }
                                (out + i).initialize(to: from[at[i]])
                                i += 1
                            }
                        }
                        initialized = n
                    }
                }
            }
        }
        let newValues: ColumnValues
        switch values {
        case .int(let v): newValues = .int(pick(v))
        case .float(let v): newValues = .float(pick(v))
        case .bool(let v): newValues = .bool(pick(v))
        case .date(let v): newValues = .date(pick(v))
        case .timestamp(let v): newValues = .timestamp(pick(v))
        case .text(let codes, let dictionary): newValues = .text(codes: pick(codes), dictionary: dictionary)
        }
        guard let validity else { return Column(newValues) }
        var newValidity = Validity(count: indices.count, allValid: false)
        for (i, index) in indices.enumerated() where validity.isValid(index) { newValidity.set(i) }
        return Column(newValues, validity: newValidity)
    }

    /// Row `rows[g]` repeated `counts[g]` times, for each `g` in order: a group's key spread over
    /// its rows, without a list of row numbers as long as the output.
    public func repeating(_ rows: [Int], counts: [Int]) -> Column {
        let total = counts.reduce(0, +)
        func spread<T>(_ source: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(total)
            for (row, count) in zip(rows, counts) where count > 0 { out.append(contentsOf: repeatElement(source[row], count: count)) }
            return out
        }
        let newValues: ColumnValues
        switch values {
        case .int(let v): newValues = .int(spread(v))
        case .float(let v): newValues = .float(spread(v))
        case .bool(let v): newValues = .bool(spread(v))
        case .date(let v): newValues = .date(spread(v))
        case .timestamp(let v): newValues = .timestamp(spread(v))
        case .text(let codes, let dictionary): newValues = .text(codes: spread(codes), dictionary: dictionary)
        }
        guard let validity else { return Column(newValues) }
        var newValidity = Validity(count: total, allValid: false)
        var at = 0
        for (row, count) in zip(rows, counts) {
            if validity.isValid(row) { for i in at..<(at + count) { newValidity.set(i) } }
            at += count
        }
        return Column(newValues, validity: newValidity)
    }

    /// Whether the two columns hold the same values and nulls because they share their storage
    /// (a column and a sort key that names it): what is gathered for one serves the other.
    func sharesStorage(with other: Column) -> Bool {
        func base<T>(_ a: [T]) -> UnsafeRawPointer? { a.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) } }
        let same: Bool
        switch (values, other.values) {
        case (.int(let a), .int(let b)), (.timestamp(let a), .timestamp(let b)): same = base(a) == base(b)
        case (.float(let a), .float(let b)): same = base(a) == base(b)
        case (.bool(let a), .bool(let b)): same = base(a) == base(b)
        case (.date(let a), .date(let b)): same = base(a) == base(b)
        case (.text(let a, let da), .text(let b, let db)): same = base(a) == base(b) && da.strings == db.strings
        default: same = false
        }
        return same && count == other.count && count > 0 && validity == other.validity
    }

    /// Rows `range` as a new column.
    public func slice(_ range: Range<Int>) -> Column {
        gather(Array(range))
    }
}
