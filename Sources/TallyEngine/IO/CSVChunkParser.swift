import CRuntime

/// How a worker stores one column's fields.
enum StoreMode: UInt8, Sendable {
    case int, float, bool, date, timestamp, text
    /// The stored type could not hold a value: only narrow `possible` from here on, to learn the
    /// column's real type for a second pass.
    case classify
    /// Not parsed in this pass.
    case skip

    init(_ type: DataType) {
        switch type {
        case .int: self = .int
        case .float: self = .float
        case .bool: self = .bool
        case .date: self = .date
        case .timestamp: self = .timestamp
        case .text: self = .text
        }
    }
}

/// One column's state inside one chunk.
struct ChunkColumn {
    var mode: StoreMode
    /// Where this column's values go: a buffer for the whole file, indexed by global row.
    var buffer: UnsafeMutableRawPointer?
    /// Kinds every value seen so far fits (starts as what the sample found).
    var possible: ValueKinds
    /// First chunk-local row stored as a Double after the column switched from int to float.
    var floatFrom: Int?
    /// Chunk-local rows that are null.
    var nulls: [Int] = []
    /// Distinct texts of this chunk, for text columns.
    var dictionary = ByteStringTable()
    /// The type was given by the user: values are read as it (leading zeros and all), and a value
    /// that does not fit is an error rather than a reason to change the type.
    var forced = false
    /// The first value after which no type but text fits, with the reason when it looked like a
    /// number (for the load report).
    var fallback: Fallback?
    /// For a column with a given type: the first chunk-local row whose value is not of that type.
    var misfit: Fallback?

    struct Fallback {
        var reason: FieldParsing.TextReason?
        var row: Int
        /// The value's first bytes.
        var example: [UInt8]
    }
}

/// A problem found while parsing a chunk, located by chunk-local physical line.
struct ChunkProblem: Sendable {
    enum Kind: Sendable, Equatable {
        case fieldCount(found: Int, expected: Int)
        case unterminatedQuote
        case textAfterQuote
        case internalType(column: Int)
    }
    var kind: Kind
    /// 0-based physical line within the chunk where the record (or quoted field) began.
    var line: Int
}

/// Parses the records of one byte range of a CSV file into the column buffers.
///
/// The range starts at a record boundary. The hot loop works on raw bytes with unchecked pointer
/// reads; typed values go straight into the shared column buffers at `rowBase + row`, which no other
/// worker writes, so workers need no locks.
struct CSVChunkParser {
    let base: UnsafePointer<UInt8>
    let delimiter: UInt8
    let columnCount: Int
    let ignoreErrors: Bool

    struct Outcome {
        var rows = 0
        var skippedRows = 0
        var firstSkippedLine: Int?
        var problem: ChunkProblem?
        var cancelled = false
    }

    func parse(_ range: Range<Int>, rowBase: Int, capacity: Int, columns: inout [ChunkColumn],
               cancel: CancellationCheck, release: (Range<Int>) -> Void) -> Outcome {
        var outcome = Outcome()
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let delimiter = self.delimiter
        let end = range.upperBound
        var i = range.lowerBound
        var line = 0
        var row = 0
        var released = range.lowerBound
        var scratch = [UInt8]()
        let p = base

        // In a file of one column an empty line is a record whose one field is empty (a null), as
        // DuckDB reads it and as a null is written; with more columns it is blank, not a record.
        let blankIsRecord = columnCount == 1
        // The mask of delimiters and line feeds in the 64 bytes from `blockStart` (none yet).
        var blockStart = Int.min / 2
        var blockMask: UInt64 = 0
        columns.withUnsafeMutableBufferPointer { states in
            recordLoop: while i < end {
                if !blankIsRecord {
                    if p[i] == lf { i += 1; line += 1; continue }
                    if p[i] == cr, i + 1 < end, p[i + 1] == lf { i += 2; line += 1; continue }
                }
                // A last line of only CR is a blank line too, as a last line of only LF is.
                if p[i] == cr, i + 1 == end { i += 1; continue }
                if row >= capacity { break }
                let recordLine = line
                var column = 0
                var extra = false
                fieldLoop: while true {
                    var fieldStart = i
                    var fieldLength: Int
                    if i < end, p[i] == quote {
                        var j = i + 1
                        var escaped = false
                        let quoteLine = line
                        while true {
                            while j < end, p[j] != quote {
                                if p[j] == lf { line += 1 }
                                j += 1
                            }
                            if j >= end {
                                outcome.problem = ChunkProblem(kind: .unterminatedQuote, line: quoteLine)
                                break recordLoop
                            }
                            if j + 1 < end, p[j + 1] == quote { escaped = true; j += 2; continue }
                            break
                        }
                        fieldStart = i + 1
                        fieldLength = j - fieldStart
                        i = j + 1
                        if i < end, p[i] != delimiter, p[i] != lf, !(p[i] == cr && (i + 1 == end || p[i + 1] == lf)) {
                            outcome.problem = ChunkProblem(kind: .textAfterQuote, line: line)
                            break recordLoop
                        }
                        if column < columnCount {
                            if escaped {
                                scratch.removeAll(keepingCapacity: true)
                                var k = fieldStart
                                while k < fieldStart + fieldLength {
                                    scratch.append(p[k])
                                    k += p[k] == quote ? 2 : 1
                                }
                                scratch.withUnsafeBufferPointer { s in
                                    let sp = s.baseAddress ?? p
                                    store(states, column, sp, s.count, quoted: true, row: row)
                                }
                            } else {
                                store(states, column, p + fieldStart, fieldLength, quoted: true, row: row)
                            }
                        }
                    } else {
                        var j = i
                        // The field ends at the first delimiter or line feed: the lowest bit at or
                        // after `j` of the block's mask, taking the next block's mask when this
                        // one has none, while 64 bytes are left.
                        var found = false
                        while true {
                            let offset = j &- blockStart
                            if offset >= 0, offset < 64 {
                                let hits = blockMask & (~0 << UInt64(offset))
                                if hits != 0 {
                                    j = blockStart &+ hits.trailingZeroBitCount
                                    found = true
                                    break
                                }
                                j = blockStart &+ 64
                            }
                            guard j &+ 64 <= end else { break }
                            blockStart = j
                            blockMask = tally_byte_mask64(p + j, delimiter, lf)
                        }
                        if !found {
                            while j < end {
                                let b = p[j]
                                if b == delimiter || b == lf { break }
                                j += 1
                            }
                        }
                        fieldLength = j - i
                        if fieldLength > 0, p[j - 1] == cr, j == end || p[j] == lf { fieldLength -= 1 }
                        if column < columnCount, !storeCommon(states, column, p + fieldStart, fieldLength, row: row) {
                            store(states, column, p + fieldStart, fieldLength, quoted: false, row: row)
                        }
                        i = j
                    }
                    column += 1
                    if column > columnCount { extra = true }
                    if i < end, p[i] == delimiter { i += 1; continue fieldLoop }
                    // End of record: skip CR LF / LF.
                    if i < end, p[i] == cr { i += 1 }
                    if i < end, p[i] == lf { i += 1; line += 1 }
                    break fieldLoop
                }
                if column != columnCount || extra {
                    if ignoreErrors {
                        outcome.skippedRows += 1
                        if outcome.firstSkippedLine == nil { outcome.firstSkippedLine = recordLine }
                        for c in 0..<columnCount where states[c].nulls.last == row { states[c].nulls.removeLast() }
                        continue recordLoop
                    }
                    outcome.problem = ChunkProblem(kind: .fieldCount(found: column, expected: columnCount), line: recordLine)
                    break recordLoop
                }
                row += 1
                // Every 16k records (about 1 MB of a typical file): a cancel check, and the pages
                // read so far go back, so the file adds a few MB to the peak, not tens per core.
                if row & 0x3FFF == 0 {
                    if cancel.isCancelled { outcome.cancelled = true; break recordLoop }
                    if i - released >= 1 << 20 { release(released..<i); released = i }
                }
            }
        }
        release(released..<min(i, end))
        outcome.rows = row
        return outcome
    }

    /// Stores the common field and says whether it did: a non-empty value of a column stored as
    /// int, float or text that reads on the short path (`FieldParsing.plainInt`, `plainDecimal`).
    /// Small enough to be inlined into the field loop, unlike `store`, whose call cost a fifth of
    /// the parse's instructions; every other field goes to `store`.
    @inline(__always)
    private func storeCommon(_ states: UnsafeMutableBufferPointer<ChunkColumn>, _ column: Int,
                             _ p: UnsafePointer<UInt8>, _ n: Int, row: Int) -> Bool {
        guard n > 0, let state = states.baseAddress.map({ $0 + column }), let buffer = state.pointee.buffer else {
            return false
        }
        switch state.pointee.mode {
        case .int:
            // Beyond 2^53 a column that may still meet a float has more to note: `store` does.
            guard let v = FieldParsing.plainInt(p, n), !FieldParsing.exceedsDoublePrecision(v) else { return false }
            buffer.assumingMemoryBound(to: Int64.self)[row] = v
            return true
        case .float:
            guard let v = FieldParsing.plainDecimal(p, n) else { return false }
            buffer.assumingMemoryBound(to: Double.self)[row] = v
            return true
        case .text:
            buffer.assumingMemoryBound(to: UInt32.self)[row] = state.pointee.dictionary.code(p, n)
            return true
        default:
            return false
        }
    }

    @inline(never)
    private func store(_ states: UnsafeMutableBufferPointer<ChunkColumn>, _ column: Int,
                       _ p: UnsafePointer<UInt8>, _ n: Int, quoted: Bool, row: Int) {
        guard let state = states.baseAddress.map({ $0 + column }) else { return }
        let mode = state.pointee.mode
        if mode == .skip { return }
        if n == 0, !(quoted && mode == .text) {
            state.pointee.nulls.append(row)
            // The arrays are not cleared before the parse (see `CSVColumnArray.unfilled`): a null's
            // slot gets the zero a kernel reading past the validity mask expects.
            if let buffer = state.pointee.buffer {
                let width = ParsedColumns.width(mode)
                if width > 0 { (buffer + row * width).initializeMemory(as: UInt8.self, repeating: 0, count: width) }
            }
            return
        }
        // Every storing mode was given a buffer; a missing one (allocation failed) only classifies.
        guard let buffer = state.pointee.buffer else {
            if mode != .classify { state.pointee.mode = .classify }
            if !state.pointee.possible.isEmpty { state.pointee.possible.formIntersection(ValueKinds.of(p, n)) }
            return
        }
        switch mode {
        case .int:
            if case .value(let v) = FieldParsing.parseInt(p, n, keepingText: !state.pointee.forced) {
                buffer.assumingMemoryBound(to: Int64.self)[row] = v
                // A column that may still meet a float cannot become one without rounding this value.
                if FieldParsing.exceedsDoublePrecision(v) { state.pointee.possible.remove(.float) }
                return
            }
        case .float:
            if let v = FieldParsing.parseDouble(p, n, keepingText: !state.pointee.forced) {
                buffer.assumingMemoryBound(to: Double.self)[row] = v
                return
            }
        case .bool:
            if let v = FieldParsing.parseBool(p, n) {
                buffer.assumingMemoryBound(to: Bool.self)[row] = v
                return
            }
        case .date:
            if let v = FieldParsing.parseDate(p, n) {
                buffer.assumingMemoryBound(to: Int32.self)[row] = v
                return
            }
        case .timestamp:
            if let v = FieldParsing.parseTimestamp(p, n) {
                buffer.assumingMemoryBound(to: Int64.self)[row] = v
                return
            }
        case .text:
            buffer.assumingMemoryBound(to: UInt32.self)[row] = state.pointee.dictionary.code(p, n)
            return
        case .classify:
            if !state.pointee.possible.isEmpty {
                narrow(state, p, n, row: row)
            } else if state.pointee.fallback?.reason != nil {
                // Text for a reason of form (`08123`) so far: does plain text come too?
                if ValueKinds.of(p, n).isEmpty, FieldParsing.textReason(p, n) == nil { state.pointee.fallback?.reason = nil }
            }
            return
        case .skip:
            return
        }
        // The value does not fit the stored type.
        if state.pointee.forced {
            state.pointee.misfit = .init(reason: nil, row: row, example: CSVChunkParser.example(p, n))
            state.pointee.mode = .skip
            return
        }
        // Learn what it is.
        narrow(state, p, n, row: row)
        if mode == .int, state.pointee.possible.preferredType == .float, let v = FieldParsing.parseDouble(p, n) {
            state.pointee.mode = .float
            state.pointee.floatFrom = row
            buffer.assumingMemoryBound(to: Double.self)[row] = v
        } else {
            state.pointee.mode = .classify
        }
    }

    /// Narrows the kinds the column's values fit; remembers the value that leaves only text.
    @inline(never)
    private func narrow(_ state: UnsafeMutablePointer<ChunkColumn>, _ p: UnsafePointer<UInt8>, _ n: Int, row: Int) {
        let before = state.pointee.possible
        let kinds = ValueKinds.of(p, n)
        state.pointee.possible.formIntersection(kinds)
        guard state.pointee.possible.isEmpty, !before.isEmpty, state.pointee.fallback == nil else { return }
        var reason = FieldParsing.textReason(p, n)
        // An integer a float cannot hold exactly, in a column that also holds fractions.
        if reason == nil, (before == .int && kinds.contains(.float)) || (kinds == .int && !before.contains(.int)) {
            reason = .bigInteger
        }
        state.pointee.fallback = .init(reason: reason, row: row, example: CSVChunkParser.example(p, n))
    }

    /// The first bytes of a value, for messages (cut at a character boundary).
    static func example(_ p: UnsafePointer<UInt8>, _ n: Int) -> [UInt8] {
        var end = min(n, 40)
        while end < n, end > 0, p[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(UnsafeBufferPointer(start: p, count: end))
    }
}
