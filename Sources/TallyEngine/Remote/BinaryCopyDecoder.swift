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
            for c in 0..<fields {
                let length = Int(BinaryCopyDecoder.int32(bytes, field))
                field += 4
                if length < 0 {
                    builders[c].appendNull()
                } else {
                    try builders[c].append(UnsafeRawBufferPointer(rebasing: bytes[field..<(field + length)]), row: rowCount)
                    field += length
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

/// One column's values as they are decoded.
struct BinaryColumnBuilder {
    enum Storage {
        case int([Int64]), float([Double]), bool([Bool]), date([Int32]), timestamp([Int64])
        case text(bytes: [UInt8], offsets: [Int])
    }
    let type: DataType
    private var storage: Storage
    private var valid: [Bool] = []
    private var nulls = 0

    init(type: DataType) {
        self.type = type
        switch type {
        case .int: storage = .int([])
        case .float: storage = .float([])
        case .bool: storage = .bool([])
        case .date: storage = .date([])
        case .timestamp: storage = .timestamp([])
        case .text: storage = .text(bytes: [], offsets: [0])
        }
    }

    mutating func appendNull() {
        valid.append(false)
        nulls += 1
        switch storage {
        case .int(var v): storage = .bool([]); v.append(0); storage = .int(v)
        case .float(var v): storage = .bool([]); v.append(0); storage = .float(v)
        case .bool(var v): storage = .int([]); v.append(false); storage = .bool(v)
        case .date(var v): storage = .bool([]); v.append(0); storage = .date(v)
        case .timestamp(var v): storage = .bool([]); v.append(0); storage = .timestamp(v)
        case .text(let bytes, var offsets):
            offsets.append(bytes.count)
            storage = .bool([])
            storage = .text(bytes: bytes, offsets: offsets)
        }
    }

    /// Appends one value in PostgreSQL's binary send format of the column's SQL type (int8,
    /// float8, bool, text, date, timestamp: the lowering casts to exactly these).
    mutating func append(_ value: UnsafeRawBufferPointer, row: Int) throws {
        valid.append(true)
        func expect(_ size: Int) throws {
            guard value.count == size else {
                throw TallyError(.runtime, "the database sent a \(value.count)-byte value for a \(type) column (row \(row + 1))")
            }
        }
        // Reassigning the enum payload in place keeps the array uniquely referenced (no copy).
        switch storage {
        case .int(var v):
            try expect(8)
            storage = .bool([])
            v.append(BinaryCopyDecoder.int64(value, 0))
            storage = .int(v)
        case .float(var v):
            try expect(8)
            storage = .bool([])
            v.append(Double(bitPattern: UInt64(bitPattern: BinaryCopyDecoder.int64(value, 0))))
            storage = .float(v)
        case .bool(var v):
            try expect(1)
            storage = .int([])
            v.append(value[0] != 0)
            storage = .bool(v)
        case .date(var v):
            try expect(4)
            storage = .bool([])
            let days = BinaryCopyDecoder.int32(value, 0)
            guard days != Int32.max, days != Int32.min else {
                throw TallyError(.runtime, "the database sent an infinite date (row \(row + 1)), which Tally cannot hold")
            }
            let (shifted, overflow) = days.addingReportingOverflow(BinaryCopyDecoder.epochDays)
            guard !overflow else { throw TallyError(.runtime, "a date out of Tally's range (row \(row + 1))") }
            v.append(shifted)
            storage = .date(v)
        case .timestamp(var v):
            try expect(8)
            storage = .bool([])
            let micros = BinaryCopyDecoder.int64(value, 0)
            guard micros != Int64.max, micros != Int64.min else {
                throw TallyError(.runtime, "the database sent an infinite timestamp (row \(row + 1)), which Tally cannot hold")
            }
            let (shifted, overflow) = micros.addingReportingOverflow(BinaryCopyDecoder.epochMicros)
            guard !overflow else { throw TallyError(.runtime, "a timestamp out of Tally's range (row \(row + 1))") }
            v.append(shifted)
            storage = .timestamp(v)
        case .text(var bytes, var offsets):
            storage = .bool([])
            bytes.append(contentsOf: value)
            offsets.append(bytes.count)
            storage = .text(bytes: bytes, offsets: offsets)
        }
    }

    func build() -> Column {
        let validity = nulls > 0 ? Validity(valid) : nil
        switch storage {
        case .int(let v): return Column(.int(v), validity: validity)
        case .float(let v): return Column(.float(v), validity: validity)
        case .bool(let v): return Column(.bool(v), validity: validity)
        case .date(let v): return Column(.date(v), validity: validity)
        case .timestamp(let v): return Column(.timestamp(v), validity: validity)
        case .text(let bytes, let offsets):
            let (codes, dictionary) = ByteInterner.intern(bytes, offsets: offsets)
            return Column(.text(codes: codes, dictionary: dictionary), validity: validity)
        }
    }
}
