/// Writes a table as a GitHub-flavoured Markdown table, padded so the source lines up too:
///
///     | county | year |  rate |
///     | ------ | ---: | ----: |
///     | 南宁市 | 2021 |   0.5 |
///     | 兴宁区 | 2022 |       |
///
/// Numbers (int and float) are right-aligned (`---:`) and padded on the left, everything else left.
/// Padding counts terminal cells (`DisplayWidth`), so Chinese names keep the columns straight in an
/// editor. Cells hold the canonical value text (`Column.text(at:)`); a null is an empty cell. A `|`
/// in a value is escaped as `\|`, and line breaks become `<br>` (a table row is a single line).
///
/// Markdown tables are read by people, so this writer measures every cell before writing (two
/// passes); it is meant for reports and notebooks, not for million-row exports.
public struct MarkdownWriter: Sendable {
    public init() {}

    public func string(_ table: Table) -> String {
        var out = [UInt8]()
        write(table, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(_ table: Table, into out: inout [UInt8]) {
        guard table.columnCount > 0 else { return }
        let rows = 0..<table.rowCount
        var cellColumns = [CellBuffer]()
        var widthColumns = [[Int]]()
        var columnWidths = [Int]()
        var rightAligned = [Bool]()
        var headers = [[UInt8]]()
        var headerWidths = [Int]()

        for (name, column) in zip(table.names, table.columns) {
            var header = [UInt8]()
            MarkdownWriter.appendEscaped(name, to: &header)
            let headerWidth = MarkdownWriter.displayWidth(header[...])
            var cells = CellBuffer()
            encode(column, rows: rows, into: &cells)
            var widths = [Int]()
            widths.reserveCapacity(cells.count)
            let isNumeric = column.type.isNumeric
            // The delimiter row needs three dashes, plus the colon on numeric columns.
            var width = max(headerWidth, isNumeric ? 4 : 3)
            for index in 0..<cells.count {
                // Canonical numbers, dates and booleans are ASCII: their width is their length.
                let cellWidth = column.type == .text ? MarkdownWriter.displayWidth(cells.cell(index))
                    : cells.cell(index).count
                widths.append(cellWidth)
                width = max(width, cellWidth)
            }
            headers.append(header)
            headerWidths.append(headerWidth)
            cellColumns.append(cells)
            widthColumns.append(widths)
            columnWidths.append(width)
            rightAligned.append(isNumeric)
        }

        func appendPadded(_ cell: ArraySlice<UInt8>, cellWidth: Int, column: Int) {
            let padding = columnWidths[column] - cellWidth
            out.append(UInt8(ascii: " "))
            if rightAligned[column] { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
            out.append(contentsOf: cell)
            if !rightAligned[column] { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding)) }
            WriterBytes.append(" |", to: &out)
        }

        out.append(UInt8(ascii: "|"))
        for column in headers.indices {
            appendPadded(headers[column][...], cellWidth: headerWidths[column], column: column)
        }
        out.append(WriterBytes.newline)
        out.append(UInt8(ascii: "|"))
        for column in headers.indices {
            out.append(UInt8(ascii: " "))
            let dashes = columnWidths[column] - (rightAligned[column] ? 1 : 0)
            out.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: dashes))
            if rightAligned[column] { out.append(UInt8(ascii: ":")) }
            WriterBytes.append(" |", to: &out)
        }
        out.append(WriterBytes.newline)
        for row in rows {
            out.append(UInt8(ascii: "|"))
            for column in cellColumns.indices {
                appendPadded(cellColumns[column].cell(row), cellWidth: widthColumns[column][row], column: column)
            }
            out.append(WriterBytes.newline)
        }
    }

    /// Escaped cell text for every row of `column`, one typed pass.
    private func encode(_ column: Column, rows: Range<Int>, into cells: inout CellBuffer) {
        switch column.values {
        case .int, .float, .bool, .date, .timestamp:
            WriterBytes.appendPlainCells(column, rows: rows, into: &cells)
        case .text(let codes, let dictionary):
            let encoded = EncodedDictionary(dictionary, rowCount: rows.count, encode: MarkdownWriter.appendEscaped)
            for row in rows {
                if !column.isNull(row) {
                    if let encoded {
                        encoded.append(code: codes[row], to: &cells.bytes)
                    } else {
                        MarkdownWriter.appendEscaped(dictionary[codes[row]], to: &cells.bytes)
                    }
                }
                cells.endCell()
            }
        }
    }

    /// `|` as `\|`; CR LF, LF or CR as `<br>`; other control characters (which would upset the
    /// table or the terminal) as a space.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        WriterBytes.withUTF8(text) { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "|"):
                    WriterBytes.append("\\|", to: &out)
                case WriterBytes.carriageReturn:
                    WriterBytes.append("<br>", to: &out)
                    if index + 1 < bytes.count && bytes[index + 1] == WriterBytes.newline { index += 1 }
                case WriterBytes.newline:
                    WriterBytes.append("<br>", to: &out)
                case 0x00..<0x20, 0x7F:
                    out.append(UInt8(ascii: " "))
                default:
                    out.append(byte)
                }
                index += 1
            }
        }
    }

    /// Terminal cells of UTF-8 `bytes`; pure ASCII (the common case) is counted without decoding.
    static func displayWidth(_ bytes: ArraySlice<UInt8>) -> Int {
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.count }
        return DisplayWidth.of(String(decoding: bytes, as: UTF8.self))
    }
}
