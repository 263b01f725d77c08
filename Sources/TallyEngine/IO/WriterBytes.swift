/// Byte-level building blocks shared by the table writers (CSV/TSV, JSON, Markdown).
///
/// The writers run over whole tables — an export can be millions of cells — so values go straight
/// into a `[UInt8]` buffer as UTF-8: integers and dates are written digit by digit instead of through
/// an intermediate `String`, and each column is encoded in one typed pass per chunk of rows.
enum WriterBytes {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
    static let comma = UInt8(ascii: ",")
    static let zero = UInt8(ascii: "0")
    static let minus = UInt8(ascii: "-")

    static func append(_ literal: StaticString, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// Decimal digits of `value`, with a leading `-` when negative (`Int64.min` included).
    static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(minus) }
        appendUnsigned(value.magnitude, to: &out)
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        var digitCount = 1
        var rest = value
        while rest >= 10 { rest /= 10; digitCount += 1 }
        let start = out.count
        out.append(contentsOf: repeatElement(zero, count: digitCount))
        var remaining = value
        var index = start + digitCount - 1
        repeat {
            out[index] = zero + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        } while remaining > 0
    }

    /// `value` zero-padded to `width` digits, sign in front — the same text as `CivilDate.pad`.
    static func appendPadded(_ value: Int, width: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(minus) }
        let magnitude = UInt64(value.magnitude)
        var digitCount = 1
        var rest = magnitude
        while rest >= 10 { rest /= 10; digitCount += 1 }
        if digitCount < width { out.append(contentsOf: repeatElement(zero, count: width - digitCount)) }
        appendUnsigned(magnitude, to: &out)
    }

    /// `YYYY-MM-DD`, byte for byte what `CivilDate.format(days:)` returns.
    static func appendDate(_ days: Int32, to out: inout [UInt8]) {
        let (year, month, day) = CivilDate.civil(fromDays: days)
        appendPadded(year, width: 4, to: &out)
        out.append(minus)
        appendPadded(month, width: 2, to: &out)
        out.append(minus)
        appendPadded(day, width: 2, to: &out)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]`, byte for byte what `CivilDate.format(micros:)` returns.
    static func appendTimestamp(_ micros: Int64, to out: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        var day = micros / perDay
        var remainder = micros % perDay
        if remainder < 0 { remainder += perDay; day -= 1 }
        let seconds = Int(remainder / 1_000_000), fraction = Int(remainder % 1_000_000)
        appendDate(Int32(clamping: day), to: &out)
        out.append(UInt8(ascii: " "))
        appendPadded(seconds / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, width: 2, to: &out)
        if fraction != 0 {
            out.append(UInt8(ascii: "."))
            appendPadded(fraction, width: 6, to: &out)
        }
    }

    /// The canonical float text (`Column.formatFloat`): shortest round-trip digits, `nan`, `inf`.
    /// Swift keeps strings this short inline, so this does not allocate.
    static func appendFloat(_ value: Double, to out: inout [UInt8]) {
        out.append(contentsOf: Column.formatFloat(value).utf8)
    }

    static func appendBool(_ value: Bool, to out: inout [UInt8]) {
        if value { append("true", to: &out) } else { append("false", to: &out) }
    }

    /// Calls `body` with the UTF-8 bytes of `string` (native strings are contiguous: no copy).
    @inline(__always)
    static func withUTF8<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var string = string
        return string.withUTF8(body)
    }
}

/// The encoded cells of one column for one chunk of rows: the bytes of all cells back to back, and
/// where each cell ends. Writers encode a whole column per chunk (one `switch` on its type), then
/// stitch the rows together from these buffers.
struct CellBuffer {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Closes the cell whose bytes were appended since the previous call.
    @inline(__always)
    mutating func endCell() { ends.append(bytes.count) }

    var count: Int { ends.count }

    @inline(__always)
    func append(cell index: Int, to out: inout [UInt8]) {
        let start = index == 0 ? 0 : ends[index - 1]
        out.append(contentsOf: bytes[start..<ends[index]])
    }

    /// The bytes of cell `index`, for writers that measure cells before writing them.
    func cell(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }
}

/// A text column's dictionary, each string encoded once, when the column has at least as many rows
/// as distinct strings (the usual case: counties, levels, years as text). A column sliced out of a
/// big table keeps the big dictionary, so then the writer encodes per row instead.
struct EncodedDictionary {
    let cells: CellBuffer

    init?(_ dictionary: TextDictionary, rowCount: Int, encode: (String, inout [UInt8]) -> Void) {
        guard dictionary.count <= rowCount else { return nil }
        var cells = CellBuffer()
        for string in dictionary.strings {
            encode(string, &cells.bytes)
            cells.endCell()
        }
        self.cells = cells
    }

    @inline(__always)
    func append(code: UInt32, to out: inout [UInt8]) {
        cells.append(cell: Int(code), to: &out)
    }
}

/// Walks a table in chunks of rows: every column's cells of the chunk are encoded first, a column at
/// a time, then `emitRow` joins them row by row. Chunks keep the buffers small and in cache.
enum ChunkedRows {
    static let chunkRows = 2048

    static func run(rowCount: Int, columnCount: Int,
                    encode: (_ column: Int, _ rows: Range<Int>, _ cells: inout CellBuffer) -> Void,
                    emitRow: (_ rowInChunk: Int, _ cells: [CellBuffer]) -> Void) {
        var buffers = [CellBuffer](repeating: CellBuffer(), count: columnCount)
        var start = 0
        while start < rowCount {
            let end = min(rowCount, start + chunkRows)
            for column in 0..<columnCount {
                buffers[column].removeAll()
                encode(column, start..<end, &buffers[column])
            }
            for row in 0..<(end - start) { emitRow(row, buffers) }
            start = end
        }
    }
}

extension WriterBytes {
    /// Cells of a non-text column, each value in its canonical text (a null is an empty cell).
    /// CSV, TSV and Markdown write numbers, booleans and dates the same way; only text differs.
    static func appendPlainCells(_ column: Column, rows: Range<Int>, into cells: inout CellBuffer) {
        switch column.values {
        case .int(let values):
            for row in rows {
                if !column.isNull(row) { WriterBytes.appendInt(values[row], to: &cells.bytes) }
                cells.endCell()
            }
        case .float(let values):
            for row in rows {
                if !column.isNull(row) { WriterBytes.appendFloat(values[row], to: &cells.bytes) }
                cells.endCell()
            }
        case .bool(let values):
            for row in rows {
                if !column.isNull(row) { WriterBytes.appendBool(values[row], to: &cells.bytes) }
                cells.endCell()
            }
        case .date(let values):
            for row in rows {
                if !column.isNull(row) { WriterBytes.appendDate(values[row], to: &cells.bytes) }
                cells.endCell()
            }
        case .timestamp(let values):
            for row in rows {
                if !column.isNull(row) { WriterBytes.appendTimestamp(values[row], to: &cells.bytes) }
                cells.endCell()
            }
        case .text:
            break
        }
    }
}
