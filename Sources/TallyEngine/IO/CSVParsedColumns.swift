#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The column buffers of one CSV parse and the per-chunk state that goes with them, from the first
/// pass to the finished table.
///
/// Buffers are sized for the chunks' row capacities (an upper bound) and zero-filled by `calloc`, which
/// costs nothing for large sizes (fresh pages) and makes the unwritten slots of null rows harmless.
struct ParsedColumns {
    let chunks: [CSVParse.Chunk]
    let columnCount: Int
    let capacity: Int
    /// What each column's buffer holds.
    private(set) var modes: [StoreMode]
    private var buffers: [UnsafeMutableRawPointer?]
    /// Buffers that point into the caller's `CSVColumnArray`s, not allocated here: never freed
    /// here, and finished in place.
    private var borrowed: [Bool]
    /// Per chunk, per column, after the last pass over that column.
    private var states: [[ChunkColumn]]
    private var rows: [Int]
    /// Modes of the next pass: the buffer mode, or `.skip` for columns already done.
    private var passModes: [StoreMode]
    /// Types the user gave, by column.
    let givenTypes: [DataType?]

    /// `arrays`, when given, are the first pass's buffers (one per column, nil where there is
    /// none), each for at least `capacity` values of its mode; the others are allocated.
    init(chunks: [CSVParse.Chunk], columnCount: Int, capacity: Int, modes: [StoreMode], givenTypes: [DataType?],
         arrays: [UnsafeMutableRawPointer?]? = nil) {
        self.chunks = chunks
        self.columnCount = columnCount
        self.capacity = capacity
        self.modes = modes
        self.givenTypes = givenTypes
        self.passModes = modes
        if let arrays, arrays.count == modes.count {
            self.buffers = zip(arrays, modes).map { array, mode in array ?? ParsedColumns.allocate(mode, capacity) }
            self.borrowed = arrays.map { $0 != nil }
        } else {
            self.buffers = modes.map { ParsedColumns.allocate($0, capacity) }
            self.borrowed = [Bool](repeating: false, count: modes.count)
        }
        self.states = []
        self.rows = []
    }

    static func width(_ mode: StoreMode) -> Int {
        switch mode {
        case .int, .float, .timestamp: return 8
        case .date, .text: return 4
        case .bool: return 1
        case .classify, .skip: return 0
        }
    }

    private static func allocate(_ mode: StoreMode, _ capacity: Int) -> UnsafeMutableRawPointer? {
        let width = width(mode)
        guard width > 0 else { return nil }
        return calloc(max(1, capacity), width)
    }

    func deallocate() {
        for (buffer, borrowed) in zip(buffers, borrowed) where !borrowed { free(buffer) }
    }

    /// Parses every chunk (in parallel) for the columns whose pass mode is not `.skip`.
    mutating func runPass(parser: CSVChunkParser, possible: [ValueKinds], cancel: CancellationCheck,
                          release: @escaping (Range<Int>) -> Void) -> [CSVChunkParser.Outcome] {
        let passModes = self.passModes
        let buffers = self.buffers
        let chunks = self.chunks
        let columnCount = self.columnCount
        let givenTypes = self.givenTypes
        let results: [(CSVChunkParser.Outcome, [ChunkColumn])] = Parallel.map(chunks.count) { k in
            let chunk = chunks[k]
            var columns = (0..<columnCount).map { c in
                ChunkColumn(mode: passModes[c],
                            buffer: buffers[c].map { $0 + chunk.rowBase * ParsedColumns.width(passModes[c]) },
                            possible: possible[c], forced: givenTypes[c] != nil)
            }
            let outcome = parser.parse(chunk.range, rowBase: chunk.rowBase, capacity: chunk.capacity,
                                       columns: &columns, cancel: cancel, release: release)
            return (outcome, columns)
        }
        if states.isEmpty {
            states = results.map { $0.1 }
            rows = results.map { $0.0.rows }
        } else {
            for k in 0..<chunks.count {
                for c in 0..<columnCount where passModes[c] != .skip { states[k][c] = results[k].1[c] }
            }
        }
        return results.map { $0.0 }
    }

    /// Each column's type from all its values: the narrowest type every chunk's values fit; text for a
    /// column with no value at all.
    func finalTypes() -> [DataType] {
        (0..<columnCount).map { c in
            if let given = givenTypes[c] { return given }
            var possible = ValueKinds.all
            var nulls = 0
            for k in 0..<chunks.count {
                possible.formIntersection(states[k][c].possible)
                nulls += states[k][c].nulls.count
            }
            if nulls == rows.reduce(0, +) { return .text }
            return possible.preferredType
        }
    }

    /// The first value (by row) after which column `c` could only be text, with its global row;
    /// without a reason when the column also holds plain text somewhere.
    func fallback(_ c: Int) -> (ChunkColumn.Fallback, row: Int)? {
        var base = 0
        var first: (ChunkColumn.Fallback, row: Int)?
        var plain = false
        for k in 0..<chunks.count {
            if let f = states[k][c].fallback {
                if first == nil { first = (f, base + f.row) }
                if f.reason == nil { plain = true }
            }
            base += rows[k]
        }
        if plain { first?.0.reason = nil }
        return first
    }

    /// The first value of a column with a given type that is not of that type, with its global row.
    func misfit(_ c: Int) -> (ChunkColumn.Fallback, row: Int)? {
        var base = 0
        for k in 0..<chunks.count {
            if let f = states[k][c].misfit { return (f, base + f.row) }
            base += rows[k]
        }
        return nil
    }

    /// Sets up a second pass over `columns`, with buffers for their final types.
    mutating func prepareReparse(columns: [Int], types: [DataType]) {
        passModes = [StoreMode](repeating: .skip, count: columnCount)
        for c in columns {
            if !borrowed[c] { free(buffers[c]) }
            borrowed[c] = false
            modes[c] = StoreMode(types[c])
            passModes[c] = modes[c]
            buffers[c] = ParsedColumns.allocate(modes[c], capacity)
        }
    }

    /// The columns of a finished parse. A column whose buffer was borrowed and holds its final
    /// type is not built here: its rows are packed to the front of the caller's array, and
    /// `columns[c]` is nil, with its type, validity and dictionary beside it.
    struct Finished {
        var columns: [Column?]
        var types: [DataType]
        var validity: [Validity?]
        var dictionaries: [TextDictionary?]
        var rows: Int
    }

    /// Finishes the columns: int buffers that met floats are converted, chunks are packed together,
    /// text dictionaries merged, nulls turned into validity bitmaps. A borrowed buffer of the
    /// column's final type is packed in place; any other is copied into an array and freed as soon
    /// as that is built, so the peak holds the finished columns plus one such buffer.
    mutating func finish(names: [String], report: inout LoadReport) throws -> Finished {
        let total = rows.reduce(0, +)
        var outBase = [Int]()
        var running = 0
        for r in rows { outBase.append(running); running += r }
        let types = finalTypes()
        var columns: [Column?] = []
        var validities: [Validity?] = []
        var dictionaries: [TextDictionary?] = []
        for c in 0..<columnCount {
            var validity: Validity?
            let nullCount = states.reduce(0) { $0 + $1[c].nulls.count }
            if nullCount > 0 {
                var v = Validity(count: total, allValid: true)
                for k in 0..<chunks.count { for r in states[k][c].nulls { v.clear(outBase[k] + r) } }
                validity = v
            }
            validities.append(validity)
            dictionaries.append(nil)
            defer {
                if !borrowed[c] { free(buffers[c]) }
                buffers[c] = nil
            }
            guard let buffer = buffers[c] else {
                columns.append(Column(.text(codes: [UInt32](repeating: 0, count: total), dictionary: TextDictionary([])),
                                      validity: validity))
                continue
            }
            switch modes[c] {
            case .int where types[c] == .float:
                let p = buffer.assumingMemoryBound(to: Int64.self)
                for k in 0..<chunks.count {
                    let base = chunks[k].rowBase
                    let upTo = states[k][c].floatFrom ?? rows[k]
                    let raw = UnsafeMutableRawPointer(p + base)
                    for r in 0..<upTo { raw.storeBytes(of: Double(p[base + r]), toByteOffset: r * 8, as: Double.self) }
                }
                columns.append(Column(.float(pack(buffer, as: Double.self)), validity: validity))
            case .int where borrowed[c], .float where borrowed[c], .timestamp where borrowed[c],
                 .date where borrowed[c], .bool where borrowed[c]:
                packInPlace(buffer, width: ParsedColumns.width(modes[c]))
                columns.append(nil)
            case .int: columns.append(Column(.int(pack(buffer, as: Int64.self)), validity: validity))
            case .float: columns.append(Column(.float(pack(buffer, as: Double.self)), validity: validity))
            case .timestamp: columns.append(Column(.timestamp(pack(buffer, as: Int64.self)), validity: validity))
            case .date: columns.append(Column(.date(pack(buffer, as: Int32.self)), validity: validity))
            case .bool: columns.append(Column(.bool(pack(buffer, as: Bool.self)), validity: validity))
            case .text:
                var global = ByteStringTable()
                var remaps: [[UInt32]] = []
                for k in 0..<chunks.count {
                    let local = states[k][c].dictionary
                    remaps.append((0..<local.count).map { code in local.withValue(code) { global.code($0, $1) } })
                }
                let strings = global.strings()
                for s in 0..<global.count {
                    let valid = global.withValue(s) { TextEncoding.isValidUTF8(UnsafeBufferPointer(start: $0, count: $1)) }
                    if !valid { throw CSVParse.InvalidUTF8(column: names[c]) }
                }
                let p = buffer.assumingMemoryBound(to: UInt32.self)
                /// Each chunk's codes, through its remap, to `out` from row 0: in place when `out`
                /// is `p` (row r of chunk k moves down to outBase[k] + r, never above a row still
                /// to be read).
                func remapCodes(into out: UnsafeMutablePointer<UInt32>) {
                    for k in 0..<chunks.count {
                        let remap = remaps[k]
                        let base = chunks[k].rowBase
                        for r in 0..<rows[k] {
                            let code = Int(p[base + r])
                            out[outBase[k] + r] = code < remap.count ? remap[code] : 0
                        }
                    }
                }
                let inPlace = (0..<chunks.count).allSatisfy { outBase[$0] == chunks[$0].rowBase }
                if borrowed[c], inPlace {
                    // No chunk moves: each is remapped where it is, a chunk per core, and a chunk
                    // whose codes are already the merged ones (the first, always) is left alone.
                    let target = UncheckedSendable(p)
                    let rows = self.rows
                    Parallel.forEach(chunks.count) { k in
                        let remap = remaps[k]
                        guard !remap.indices.allSatisfy({ remap[$0] == UInt32($0) }) else { return }
                        let q = target.value + outBase[k]
                        remap.withUnsafeBufferPointer { m in
                            for r in 0..<rows[k] {
                                let code = Int(q[r])
                                q[r] = code < m.count ? m[code] : 0
                            }
                        }
                    }
                    dictionaries[c] = TextDictionary(strings)
                    columns.append(nil)
                    continue
                }
                if borrowed[c] {
                    remapCodes(into: p)
                    dictionaries[c] = TextDictionary(strings)
                    columns.append(nil)
                    continue
                }
                let codes = [UInt32](unsafeUninitializedCapacity: total) { out, initialized in
                    if let base = out.baseAddress { remapCodes(into: base) }
                    initialized = total
                }
                columns.append(Column(.text(codes: codes, dictionary: TextDictionary(strings)), validity: validity))
            case .classify, .skip:
                columns.append(Column(.text(codes: [UInt32](repeating: 0, count: total), dictionary: TextDictionary([])),
                                      validity: validity))
            }
        }
        report.rows = total
        return Finished(columns: columns, types: types, validity: validities, dictionaries: dictionaries, rows: total)
    }

    /// Moves each chunk's rows down to follow the previous chunk's (a chunk starts at or after
    /// where its rows go, so each move is down, and `memmove` allows the overlap).
    private func packInPlace(_ buffer: UnsafeMutableRawPointer, width: Int) {
        var at = 0
        for k in 0..<chunks.count {
            let from = chunks[k].rowBase
            if from != at, rows[k] > 0 { memmove(buffer + at * width, buffer + from * width, rows[k] * width) }
            at += rows[k]
        }
    }

    /// Copies the chunks' filled slices of a buffer into one array.
    private func pack<T>(_ buffer: UnsafeMutableRawPointer, as: T.Type) -> [T] {
        let p = buffer.assumingMemoryBound(to: T.self)
        let total = rows.reduce(0, +)
        return [T](unsafeUninitializedCapacity: total) { out, initialized in
            var at = 0
            for k in 0..<chunks.count {
                if let dst = out.baseAddress { (dst + at).initialize(from: p + chunks[k].rowBase, count: rows[k]) }
                at += rows[k]
            }
            initialized = total
        }
    }
}
