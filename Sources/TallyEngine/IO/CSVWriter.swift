/// Writes a table as delimited text: CSV by RFC 4180, or TSV when the delimiter is a tab.
///
/// CSV: a header row of column names, then one line per row, LF line ends (also after the last row).
/// A field is quoted when it contains the delimiter, a quote, CR or LF, with quotes doubled inside,
/// or when it starts with U+FEFF: unquoted at the start of the file, that mark would be read as the
/// byte-order mark and dropped (a first column named `\u{FEFF}k` would come back as `k`).
/// A null is an empty field; an empty string is `""`, so the two survive a round trip. Booleans are
/// `true` / `false`, dates `YYYY-MM-DD`, floats their shortest round-trip form (`Column.text(at:)`).
///
/// TSV is written so that Tally's reader (and DuckDB's, pandas', Python's `excel-tab`) reads back
/// the same values: a field is as is, except that one holding a tab, CR or LF, or starting with a
/// quote or U+FEFF, is quoted as in CSV, and the empty string is `""` (a null is an empty field).
/// Backslashes are data, never escapes, so `C:\data` stays `C:\data` through a load and an export.
public struct CSVWriter: Sendable {
    /// The field separator: `,` for CSV, a tab for TSV, or e.g. `;`.
    public var delimiter: UInt8
    /// Whether the first line names the columns.
    public var header: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true) {
        self.delimiter = delimiter
        self.header = header
    }

    public static var csv: CSVWriter { CSVWriter() }
    public static var tsv: CSVWriter { CSVWriter(delimiter: UInt8(ascii: "\t")) }

    /// Tab-separated output quotes only what needs it (see the type's comment).
    public var isTabSeparated: Bool { delimiter == WriterBytes.tab }

    /// The whole table as text.
    public func string(_ table: Table) -> String {
        var out = [UInt8]()
        write(table, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the table's text to `out`. A table without columns writes nothing (there is no line
    /// to write: an empty header would read back as a blank line).
    public func write(_ table: Table, into out: inout [UInt8]) {
        guard table.columnCount > 0 else { return }
        let delimiter = self.delimiter
        let tabs = isTabSeparated
        func appendText(_ text: String, _ out: inout [UInt8]) {
            if tabs {
                CSVWriter.appendTabField(text, to: &out)
            } else {
                CSVWriter.appendQuoted(text, delimiter: delimiter, to: &out)
            }
        }

        if header {
            for (index, name) in table.names.enumerated() {
                if index > 0 { out.append(delimiter) }
                appendText(name, &out)
            }
            out.append(WriterBytes.newline)
        }

        let dictionaries: [EncodedDictionary?] = table.columns.map { column in
            guard case .text(_, let dictionary) = column.values else { return nil }
            return EncodedDictionary(dictionary, rowCount: table.rowCount, encode: appendText)
        }
        let columns = table.columns
        out.reserveCapacity(out.count + table.rowCount * columns.count * 8)

        ChunkedRows.run(rowCount: table.rowCount, columnCount: columns.count) { index, rows, cells in
            let column = columns[index]
            // One switch per column and chunk; the loops below are over typed arrays.
            switch column.values {
            case .int, .float, .bool, .date, .timestamp:
                WriterBytes.appendPlainCells(column, rows: rows, into: &cells)
            case .text(let codes, let dictionary):
                let encoded = dictionaries[index]
                for row in rows {
                    if !column.isNull(row) {
                        if let encoded {
                            encoded.append(code: codes[row], to: &cells.bytes)
                        } else {
                            appendText(dictionary[codes[row]], &cells.bytes)
                        }
                    }
                    cells.endCell()
                }
            }
        } emitRow: { row, cells in
            for column in cells.indices {
                if column > 0 { out.append(delimiter) }
                cells[column].append(cell: row, to: &out)
            }
            out.append(WriterBytes.newline)
        }
    }

    /// RFC 4180 field: as is, or in quotes with inner quotes doubled when it holds the delimiter, a
    /// quote, CR or LF, or starts with U+FEFF. The empty string is written `""` so that it differs
    /// from a null.
    static func appendQuoted(_ text: String, delimiter: UInt8, to out: inout [UInt8]) {
        WriterBytes.withUTF8(text) { bytes in
            if bytes.isEmpty {
                out.append(WriterBytes.quote)
                out.append(WriterBytes.quote)
                return
            }
            var needsQuotes = startsWithByteOrderMark(bytes)
            if !needsQuotes {
                for byte in bytes where byte == delimiter || byte == WriterBytes.quote
                    || byte == WriterBytes.newline || byte == WriterBytes.carriageReturn {
                    needsQuotes = true
                    break
                }
            }
            guard needsQuotes else {
                out.append(contentsOf: bytes)
                return
            }
            appendQuoted(bytes, to: &out)
        }
    }

    /// A field between quotes, inner quotes doubled (RFC 4180).
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(WriterBytes.quote)
        for byte in bytes {
            if byte == WriterBytes.quote { out.append(WriterBytes.quote) }
            out.append(byte)
        }
        out.append(WriterBytes.quote)
    }

    /// Whether the field's UTF-8 starts with U+FEFF (EF BB BF), which a reader takes for a BOM at the
    /// start of a file.
    static func startsWithByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// TSV field: as is, unless it holds a tab, CR or LF or starts with a quote or U+FEFF, then quoted
    /// with inner quotes doubled; the empty string is `""`.
    static func appendTabField(_ text: String, to out: inout [UInt8]) {
        WriterBytes.withUTF8(text) { bytes in
            guard let first = bytes.first else {
                out.append(WriterBytes.quote)
                out.append(WriterBytes.quote)
                return
            }
            var needsQuotes = first == WriterBytes.quote || startsWithByteOrderMark(bytes)
            if !needsQuotes {
                for byte in bytes where byte == WriterBytes.tab || byte == WriterBytes.newline
                    || byte == WriterBytes.carriageReturn {
                    needsQuotes = true
                    break
                }
            }
            guard needsQuotes else {
                out.append(contentsOf: bytes)
                return
            }
            appendQuoted(bytes, to: &out)
        }
    }
}
