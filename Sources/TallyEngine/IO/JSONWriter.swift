/// Writes a table as JSON: an array of objects, one per row, keys in column order.
///
///     [
///     {"county":"南宁市","year":2021,"rate":0.5},
///     {"county":"兴宁区","year":2022,"rate":null}
///     ]
///
/// One object per line keeps big exports diff-able and greppable without a pretty-printer's bulk.
/// With `lines: true` the output is NDJSON (JSON Lines): the objects alone, each ended by LF.
///
/// Numbers are JSON numbers (ints exactly, floats in their shortest round-trip form); NaN and
/// infinities, which JSON cannot express, become `null` like real nulls. Booleans are `true`/`false`,
/// dates `"YYYY-MM-DD"`, timestamps `"YYYY-MM-DD HH:MM:SS"` — the same text as `Column.text(at:)`.
/// Strings escape `"`, `\` and every control character; other characters stay UTF-8.
public struct JSONWriter: Sendable {
    /// NDJSON: one object per line, no surrounding array.
    public var lines: Bool

    public init(lines: Bool = false) {
        self.lines = lines
    }

    public func string(_ table: Table) -> String {
        var out = [UInt8]()
        write(table, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(_ table: Table, into out: inout [UInt8]) {
        let columns = table.columns
        // `"name":` for every column, escaped once.
        let keys: [[UInt8]] = table.names.map { name in
            var key = [UInt8]()
            JSONWriter.appendString(name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        let dictionaries: [EncodedDictionary?] = columns.map { column in
            guard case .text(_, let dictionary) = column.values else { return nil }
            return EncodedDictionary(dictionary, rowCount: table.rowCount, encode: JSONWriter.appendString)
        }
        let lines = self.lines

        if !lines {
            if table.rowCount == 0 {
                WriterBytes.append("[]\n", to: &out)
                return
            }
            WriterBytes.append("[\n", to: &out)
        }
        out.reserveCapacity(out.count + table.rowCount * (keys.reduce(2) { $0 + $1.count + 8 }))

        // A table without columns still has rows: each is `{}`.
        var emitted = 0
        ChunkedRows.run(rowCount: table.rowCount, columnCount: columns.count) { index, rows, cells in
            let column = columns[index]
            switch column.values {
            case .int(let values):
                for row in rows {
                    if column.isNull(row) {
                        WriterBytes.append("null", to: &cells.bytes)
                    } else {
                        WriterBytes.appendInt(values[row], to: &cells.bytes)
                    }
                    cells.endCell()
                }
            case .float(let values):
                for row in rows {
                    let value = values[row]
                    if column.isNull(row) || !value.isFinite {
                        WriterBytes.append("null", to: &cells.bytes)
                    } else {
                        WriterBytes.appendFloat(value, to: &cells.bytes)
                    }
                    cells.endCell()
                }
            case .bool(let values):
                for row in rows {
                    if column.isNull(row) {
                        WriterBytes.append("null", to: &cells.bytes)
                    } else {
                        WriterBytes.appendBool(values[row], to: &cells.bytes)
                    }
                    cells.endCell()
                }
            case .date(let values):
                for row in rows {
                    if column.isNull(row) {
                        WriterBytes.append("null", to: &cells.bytes)
                    } else {
                        cells.bytes.append(WriterBytes.quote)
                        WriterBytes.appendDate(values[row], to: &cells.bytes)
                        cells.bytes.append(WriterBytes.quote)
                    }
                    cells.endCell()
                }
            case .timestamp(let values):
                for row in rows {
                    if column.isNull(row) {
                        WriterBytes.append("null", to: &cells.bytes)
                    } else {
                        cells.bytes.append(WriterBytes.quote)
                        WriterBytes.appendTimestamp(values[row], to: &cells.bytes)
                        cells.bytes.append(WriterBytes.quote)
                    }
                    cells.endCell()
                }
            case .text(let codes, let dictionary):
                let encoded = dictionaries[index]
                for row in rows {
                    if column.isNull(row) {
                        WriterBytes.append("null", to: &cells.bytes)
                    } else if let encoded {
                        encoded.append(code: codes[row], to: &cells.bytes)
                    } else {
                        JSONWriter.appendString(dictionary[codes[row]], to: &cells.bytes)
                    }
                    cells.endCell()
                }
            }
        } emitRow: { row, cells in
            if !lines && emitted > 0 { WriterBytes.append(",\n", to: &out) }
            out.append(UInt8(ascii: "{"))
            for column in cells.indices {
                if column > 0 { out.append(WriterBytes.comma) }
                out.append(contentsOf: keys[column])
                cells[column].append(cell: row, to: &out)
            }
            out.append(UInt8(ascii: "}"))
            if lines { out.append(WriterBytes.newline) }
            emitted += 1
        }
        if !lines { WriterBytes.append("\n]\n", to: &out) }
    }

    /// A JSON string literal: quotes, `"` and `\` escaped, `\n \r \t \b \f` in short form, every
    /// other control character (U+0000–U+001F, U+007F) as `\u00XX`.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(WriterBytes.quote)
        WriterBytes.withUTF8(text) { bytes in
            for byte in bytes {
                switch byte {
                case WriterBytes.quote: WriterBytes.append("\\\"", to: &out)
                case WriterBytes.backslash: WriterBytes.append("\\\\", to: &out)
                case WriterBytes.newline: WriterBytes.append("\\n", to: &out)
                case WriterBytes.carriageReturn: WriterBytes.append("\\r", to: &out)
                case WriterBytes.tab: WriterBytes.append("\\t", to: &out)
                case 0x08: WriterBytes.append("\\b", to: &out)
                case 0x0C: WriterBytes.append("\\f", to: &out)
                case 0x00..<0x20, 0x7F:
                    WriterBytes.append("\\u00", to: &out)
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0x0F))
                default:
                    out.append(byte)
                }
            }
        }
        out.append(WriterBytes.quote)
    }

    /// A JSON string literal for `text` (for callers outside the writer: keys, single values).
    public static func quoted(_ text: String) -> String {
        var out = [UInt8]()
        appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
