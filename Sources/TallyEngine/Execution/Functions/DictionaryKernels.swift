/// Text functions run once per distinct string, not once per row: a text column is codes into a
/// dictionary, so `text.upper` computes the upper case of each dictionary entry that a non-null row
/// uses and then maps the codes with an integer table lookup. Text results get a new, deduplicated
/// dictionary (`lower` of "A" and "a" share one entry).
enum DictionaryKernels {
    /// `true` for each dictionary entry that a non-null row refers to. Entries only null rows point
    /// at (their code is meaningless) are never computed, so a cast cannot fail on them.
    static func usedEntries(_ codes: [UInt32], _ validity: Validity?, entryCount: Int) -> [Bool] {
        var used = [Bool](repeating: false, count: entryCount)
        used.withUnsafeMutableBufferPointer { used in
            codes.withUnsafeBufferPointer { codes in
                withValidBits(validity) { bits in
                    if let bits {
                        for i in 0..<codes.count where bits.isValid(i) {
                            let c = Int(codes[i])
                            if c < entryCount { used[c] = true }
                        }
                    } else {
                        for i in 0..<codes.count {
                            let c = Int(codes[i])
                            if c < entryCount { used[c] = true }
                        }
                    }
                }
            }
        }
        return used
    }

    /// `f` of each used entry of a text column (nil for the others).
    static func perEntry(_ codes: [UInt32], _ validity: Validity?, _ dictionary: TextDictionary,
                         _ f: (String) throws -> Scalar) rethrows -> [Scalar?] {
        let used = usedEntries(codes, validity, entryCount: dictionary.count)
        var results = [Scalar?](repeating: nil, count: dictionary.count)
        for e in 0..<dictionary.count where used[e] { results[e] = try f(dictionary.strings[e]) }
        return results
    }

    /// A column of `type` whose row `i` is `results[slots[i]]`, null where `validity` says so or the
    /// slot's result is `.null`. `results` has one scalar per slot (a dictionary entry, or a distinct
    /// tuple of arguments); nil marks a slot no non-null row uses.
    static func expand(slots: [UInt32], validity: Validity?, results: [Scalar?], type: DataType) -> Column {
        let n = slots.count
        // Slots whose result is null make their rows null too.
        var validity = validity
        if results.contains(where: { $0 == .null }) {
            let nullSlot = results.map { $0 == .null }
            var mask = validity ?? Validity(count: n, allValid: true)
            slots.withUnsafeBufferPointer { slots in
                for i in 0..<n {
                    let s = Int(slots[i])
                    if s < nullSlot.count, nullSlot[s] { mask.clear(i) }
                }
            }
            validity = mask
        }

        @inline(__always)
        func lookup<T>(_ table: [T], fill: T) -> [T] {
            let count = table.count
            return table.withUnsafeBufferPointer { table in
                slots.withUnsafeBufferPointer { slots in
                    buildArray(n) { dst in
                        for i in 0..<n {
                            let s = Int(slots[i])
                            dst.initializeElement(at: i, to: s < count ? table[s] : fill)
                        }
                    }
                }
            }
        }

        switch type {
        case .int:
            let table = results.map { if case .some(.int(let v)) = $0 { return v } else { return 0 } }
            return Column(.int(lookup(table, fill: 0)), validity: validity)
        case .float:
            let table = results.map { if case .some(.float(let v)) = $0 { return v } else { return 0 } }
            return Column(.float(lookup(table, fill: 0)), validity: validity)
        case .bool:
            let table = results.map { if case .some(.bool(let v)) = $0 { return v } else { return false } }
            return Column(.bool(lookup(table, fill: false)), validity: validity)
        case .date:
            let table = results.map { if case .some(.date(let v)) = $0 { return v } else { return Int32(0) } }
            return Column(.date(lookup(table, fill: 0)), validity: validity)
        case .timestamp:
            let table = results.map { if case .some(.timestamp(let v)) = $0 { return v } else { return Int64(0) } }
            return Column(.timestamp(lookup(table, fill: 0)), validity: validity)
        case .text:
            var builder = TextDictionaryBuilder()
            let table = results.map { if case .some(.text(let s)) = $0 { return builder.code(for: s) } else { return UInt32(0) } }
            return Column(.text(codes: lookup(table, fill: 0), dictionary: builder.build()), validity: validity)
        }
    }

    /// `f` applied to a text column, once per used dictionary entry.
    static func map(_ column: Column, to type: DataType, _ f: (String) throws -> Scalar) rethrows -> Column {
        guard case .text(let codes, let dictionary) = column.values else {
            return Scalar.null.column(count: column.count, type: type)
        }
        let results = try perEntry(codes, column.validity, dictionary, f)
        return expand(slots: codes, validity: column.validity, results: results, type: type)
    }

    /// `f` of each row's arguments, computed once per distinct tuple of arguments: the general path
    /// for calls where more than one argument is a column (`text.contains pattern_col name`).
    static func mapTuples(_ args: [Vector], rows: Int, type: DataType,
                          _ f: ([Scalar]) throws -> Scalar) rethrows -> Column {
        let validity = Validity.intersect(args.map(\.nullMask))
        let readers = args.map(ArgumentReader.init)
        var slotOf: [TupleKey: UInt32] = [:]
        var results: [Scalar?] = []
        var slots = [UInt32](repeating: 0, count: rows)
        for row in 0..<rows {
            if let validity, !validity.isValid(row) { continue }
            var key = TupleKey()
            for (i, reader) in readers.enumerated() { key.set(i, reader.key(row)) }
            if let slot = slotOf[key] {
                slots[row] = slot
            } else {
                let slot = UInt32(truncatingIfNeeded: results.count)
                results.append(try f(readers.map { $0.scalar(row) }))
                slotOf[key] = slot
                slots[row] = slot
            }
        }
        return expand(slots: slots, validity: validity, results: results, type: type)
    }
}

/// Up to four argument keys of one row (codes for text, bit patterns for numbers).
struct TupleKey: Hashable {
    var k0: UInt64 = 0, k1: UInt64 = 0, k2: UInt64 = 0, k3: UInt64 = 0

    mutating func set(_ i: Int, _ value: UInt64) {
        switch i {
        case 0: k0 = value
        case 1: k1 = value
        case 2: k2 = value
        default: k3 = value
        }
    }
}

/// Reads one argument of a call row by row on the slow path: a hashable key per row, and the value
/// as a scalar (asked once per distinct key).
struct ArgumentReader {
    let vector: Vector

    init(_ vector: Vector) { self.vector = vector }

    func key(_ row: Int) -> UInt64 {
        guard case .column(let c) = vector else { return 0 }
        switch c.values {
        case .text(let codes, _): return UInt64(codes[row])
        case .int(let v): return UInt64(bitPattern: v[row])
        case .float(let v): return v[row].bitPattern
        case .bool(let v): return v[row] ? 1 : 0
        case .date(let v): return UInt64(UInt32(bitPattern: v[row]))
        case .timestamp(let v): return UInt64(bitPattern: v[row])
        }
    }

    func scalar(_ row: Int) -> Scalar {
        switch vector {
        case .constant(let s, _): return s
        case .column(let c): return c.scalar(at: row)
        }
    }
}
