/// Decodes the stream of `COPY … TO STDOUT (FORMAT binary)` into Tally's typed columns.
///
/// The stream is a signature and header, then per row a 16-bit field count and per field a 32-bit
/// length (−1 for null) and the value in PostgreSQL's binary send format, big-endian. Values go
/// straight into the typed buffers (text as one flat byte buffer, interned into a dictionary at the
/// end), so no row is ever a Swift string or an array of values.
struct BinaryCopyDecoder {
    let types: [DataType]
    private var builders: [BinaryColumnBuilder]
    /// Bytes of a row split across two messages (and the header before the first row).
    private var pending: [UInt8] = []
    private var headerRead = false
    private var finished = false
    private(set) var rowCount = 0

    /// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01, and the same in microseconds.
    static let epochDays: Int32 = 10_957
    static let epochMicros: Int64 = 946_684_800_000_000

    init(types: [DataType]) {
        self.types = types
        self.builders = types.map { BinaryColumnBuilder(type: $0) }
    }

    /// Takes the next bytes of the stream.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws {
        if pending.isEmpty {
            let used = try parse(chunk)
            if used < chunk.count { pending.append(contentsOf: chunk[used...]) }
        } else {
            pending.append(contentsOf: chunk)
            let buffer = pending
            let used = try buffer.withUnsafeBytes { try parse($0) }
            pending.removeFirst(used)
        }
    }

    /// Parses as many whole rows as `bytes` holds; returns how many bytes they took.
    private mutating func parse(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        var at = 0
        if !headerRead {
            // "PGCOPY\n\xff\r\n\0", 32-bit flags, 32-bit header extension length, the extension.
            guard bytes.count >= 19 else { return 0 }
            let extensionLength = Int(BinaryCopyDecoder.int32(bytes, 15))
            guard extensionLength >= 0 else { throw TallyError(.runtime, "the database sent a malformed COPY header") }
            guard bytes.count >= 19 + extensionLength else { return 0 }
            at = 19 + extensionLength
            headerRead = true
        }
        while !finished {
            guard at + 2 <= bytes.count else { return at }
            let fields = Int(BinaryCopyDecoder.int16(bytes, at))
            if fields == -1 {
                finished = true
                return at + 2
            }
            guard fields == types.count else {
                throw TallyError(.runtime, "the database sent rows of \(fields) columns where \(types.count) were expected")
            }
            // The whole row must be here before any of it is decoded.
            var end = at + 2
            for _ in 0..<fields {
                guard end + 4 <= bytes.count else { return at }
                let length = Int(BinaryCopyDecoder.int32(bytes, end))
                end += 4
                if length > 0 { end += length }
                guard end <= bytes.count else { return at }
            }
            var field = at + 2
            let row = rowCount
            try builders.withUnsafeMutableBufferPointer { columns in
                for c in 0..<fields {
                    let length = Int(BinaryCopyDecoder.int32(bytes, field))
                    field += 4
                    if length < 0 {
                        columns[c].appendNull()
                    } else {
                        try columns[c].append(UnsafeRawBufferPointer(rebasing: bytes[field..<(field + length)]), row: row)
                        field += length
                    }
                }
            }
            rowCount += 1
            at = end
        }
        return at
    }

    static func int16(_ b: UnsafeRawBufferPointer, _ at: Int) -> Int16 {
        Int16(bitPattern: UInt16(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
    }

    static func int32(_ b: UnsafeRawBufferPointer, _ at: Int) -> Int32 {
        Int32(bitPattern: UInt32(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
    }

    static func int64(_ b: UnsafeRawBufferPointer, _ at: Int) -> Int64 {
        Int64(bitPattern: UInt64(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
    }

    /// The decoded rows as a table.
    func table(names: [String]) throws -> Table {
        let columns = builders.map { $0.build() }
        return Table(uncheckedNames: names, columns: columns, rowCount: rowCount)
    }
}

/// One column's values as they are decoded: a typed buffer for its type (the others stay empty),
/// text interned as it arrives, so a value is never a `String` and no second pass over the bytes
/// is needed. Validity is kept only from the first null on.
struct BinaryColumnBuilder {
    let type: DataType
    /// int and timestamp values.
    private var words: [Int64] = []
    private var reals: [Double] = []
    private var days: [Int32] = []
    private var flags: [Bool] = []
    private var codes: [UInt32] = []
    private var texts = ByteStringTable()
    /// Nil until the first null; then one flag per row so far.
    private var valid: [Bool]?
    private var count = 0

    init(type: DataType) {
        self.type = type
    }

    mutating func appendNull() {
        if valid == nil { valid = [Bool](repeating: true, count: count) }
        valid?.append(false)
        count += 1
        switch type {
        case .int, .timestamp: words.append(0)
        case .float: reals.append(0)
        case .date: days.append(0)
        case .bool: flags.append(false)
        case .text: codes.append(0)  // code 0 of an empty dictionary is fixed up in build()
        }
    }

    /// Appends one value in PostgreSQL's binary send format of the column's SQL type (int8,
    /// float8, bool, text, date, timestamp: the lowering casts to exactly these).
    @inline(__always)
    mutating func append(_ value: UnsafeRawBufferPointer, row: Int) throws {
        switch type {
        case .int:
            guard value.count == 8 else { throw sizeError(value.count, row) }
            words.append(BinaryCopyDecoder.int64(value, 0))
        case .float:
            guard value.count == 8 else { throw sizeError(value.count, row) }
            reals.append(Double(bitPattern: UInt64(bitPattern: BinaryCopyDecoder.int64(value, 0))))
        case .bool:
            guard value.count == 1 else { throw sizeError(value.count, row) }
            flags.append(value[0] != 0)
        case .date:
            guard value.count == 4 else { throw sizeError(value.count, row) }
            let days = BinaryCopyDecoder.int32(value, 0)
            guard days != Int32.max, days != Int32.min else {
                throw TallyError(.runtime, "the database sent an infinite date (row \(row + 1)), which Tally cannot hold")
            }
            let (shifted, overflow) = days.addingReportingOverflow(BinaryCopyDecoder.epochDays)
            guard !overflow else { throw TallyError(.runtime, "a date out of Tally's range (row \(row + 1))") }
            self.days.append(shifted)
        case .timestamp:
            guard value.count == 8 else { throw sizeError(value.count, row) }
            let micros = BinaryCopyDecoder.int64(value, 0)
            guard micros != Int64.max, micros != Int64.min else {
                throw TallyError(.runtime, "the database sent an infinite timestamp (row \(row + 1)), which Tally cannot hold")
            }
            let (shifted, overflow) = micros.addingReportingOverflow(BinaryCopyDecoder.epochMicros)
            guard !overflow else { throw TallyError(.runtime, "a timestamp out of Tally's range (row \(row + 1))") }
            words.append(shifted)
        case .text:
            if let base = value.baseAddress, value.count > 0 {
                codes.append(texts.code(base.assumingMemoryBound(to: UInt8.self), value.count))
            } else {
                var empty: UInt8 = 0
                codes.append(texts.code(&empty, 0))
            }
        }
        valid?.append(true)
        count += 1
    }

    private func sizeError(_ size: Int, _ row: Int) -> TallyError {
        TallyError(.runtime, "the database sent a \(size)-byte value for a column of type \(type) (row \(row + 1))")
    }

    func build() -> Column {
        let validity = valid.map { Validity($0) }
        switch type {
        case .int: return Column(.int(words), validity: validity)
        case .float: return Column(.float(reals), validity: validity)
        case .bool: return Column(.bool(flags), validity: validity)
        case .date: return Column(.date(days), validity: validity)
        case .timestamp: return Column(.timestamp(words), validity: validity)
        case .text:
            var strings = texts.strings()
            // A null row's code 0 needs a value behind it when no text came at all.
            if strings.isEmpty, !codes.isEmpty { strings = [""] }
            return Column(.text(codes: codes, dictionary: TextDictionary(strings)), validity: validity)
        }
    }
}
