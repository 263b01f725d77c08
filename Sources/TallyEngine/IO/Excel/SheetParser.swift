/// One cell's value as the sheet part stores it.
enum CellValue: Sendable, Equatable {
    case empty
    case number(Double)
    /// An index into the workbook's shared strings (checked against their count when parsed).
    case shared(Int32)
    case text(String)
    case bool(Bool)
    /// `#DIV/0!`, `#N/A`, …
    case error(String)
}

/// A cell: its column (0-based), its style index and its value.
struct SheetCell: Sendable {
    var column: Int32
    var style: Int32
    var value: CellValue
}

/// A row of a sheet: its number (1-based, as the sheet shows it) and its cells, in column order.
struct SheetRow: Sendable {
    var number: Int
    var cells: [SheetCell]

    /// The cell in `column`, or nil. Cells are sorted by column; most rows are dense, so the
    /// direct position is tried first.
    @inline(__always)
    func cell(_ column: Int) -> SheetCell? {
        if column < cells.count, cells[column].column == column { return cells[column] }
        var lo = 0, hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = Int(cells[mid].column)
            if c == column { return cells[mid] }
            if c < column { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}

/// A rectangle of cells, 0-based and inclusive.
public struct CellRange: Sendable, Equatable {
    public var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// `A3:H200` or `B2` (a single cell); nil when it is not a reference inside Excel's limits.
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let a = CellRange.reference(Array(parts[0].utf8)) else { return nil }
        let b = parts.count == 2 ? CellRange.reference(Array(parts[1].utf8)) : a
        guard let b else { return nil }
        self.init(firstRow: min(a.row, b.row), firstColumn: min(a.column, b.column),
                  lastRow: max(a.row, b.row), lastColumn: max(a.column, b.column))
    }

    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    /// `B12` as (row 11, column 1); `$` anchors are allowed. Nil beyond Excel's limits.
    static func reference(_ bytes: [UInt8]) -> (row: Int, column: Int)? {
        var i = 0
        var column = 0, row = 0, letters = 0, digits = 0
        if i < bytes.count, bytes[i] == 0x24 { i += 1 }
        while i < bytes.count, let l = letterValue(bytes[i]) {
            column = column * 26 + l
            letters += 1
            i += 1
            if letters > 3 { return nil }
        }
        if i < bytes.count, bytes[i] == 0x24 { i += 1 }
        while i < bytes.count, bytes[i] &- 0x30 < 10 {
            row = row * 10 + Int(bytes[i] &- 0x30)
            digits += 1
            i += 1
            if digits > 7 { return nil }
        }
        guard i == bytes.count, letters > 0, digits > 0, row >= 1, row <= maxRows, column >= 1, column <= maxColumns else { return nil }
        return (row - 1, column - 1)
    }

    @inline(__always)
    static func letterValue(_ b: UInt8) -> Int? {
        let u = b | 0x20
        return u >= 0x61 && u <= 0x7A ? Int(u - 0x60) : nil
    }

    /// `0` → `A`, `27` → `AB`.
    public static func columnName(_ column: Int) -> String {
        var n = column + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// `C5` for row 4, column 2 (0-based).
    public static func cellName(row: Int, column: Int) -> String { columnName(column) + String(row + 1) }

    public var description: String {
        CellRange.cellName(row: firstRow, column: firstColumn) + ":" + CellRange.cellName(row: lastRow, column: lastColumn)
    }
}

/// The cells of a sheet, its merged ranges and the used range its `<dimension>` claims.
struct SheetGrid: Sendable {
    var rows: [SheetRow] = []
    var merges: [CellRange] = []
    var dimension: CellRange?

    /// The range that holds a non-empty cell (trailing empty rows and columns left out), or nil.
    var usedRange: CellRange? {
        var firstRow = Int.max, lastRow = -1, firstColumn = Int.max, lastColumn = -1
        for row in rows {
            for cell in row.cells where cell.value != .empty && cell.value != .text("") {
                let r = row.number - 1, c = Int(cell.column)
                firstRow = min(firstRow, r); lastRow = max(lastRow, r)
                firstColumn = min(firstColumn, c); lastColumn = max(lastColumn, c)
            }
        }
        guard lastRow >= 0 else { return nil }
        return CellRange(firstRow: firstRow, firstColumn: firstColumn, lastRow: lastRow, lastColumn: lastColumn)
    }
}

/// Reads a worksheet part on its bytes: `<row>`, `<c r= s= t=>` with `<v>`, `<is>` inline strings,
/// formulas by their cached value, `<mergeCell>` and `<dimension>`.
struct SheetParser {
    let file: String
    let sheet: String
    let sharedStringCount: Int

    func corrupt(_ what: String, cell: String? = nil) -> TallyError {
        TallyError(.io, "`\(file)`, sheet `\(sheet)`\(cell.map { ", cell \($0)" } ?? ""): \(what)",
                   hint: "the sheet's XML is damaged; open and save the workbook again in a spreadsheet program")
    }

    func parse(_ bytes: [UInt8]) throws -> SheetGrid {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    private enum CellType { case number, shared, inline, string, bool, error, date }

    func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> SheetGrid {
        var grid = SheetGrid()
        var scanner = XMLScanner(buffer)
        var rowNumber = 0
        var cells: [SheetCell] = []
        var inRow = false
        var lastRowNumber = 0
        // The cell being read.
        var column = -1
        var style: Int32 = 0
        var type = CellType.number
        var inCell = false
        var inValue = false, inInline = false, inInlineText = false, inPhonetic = false
        var valueRange: Range<Int>? = nil
        var valueText = ""
        var inlineText = ""
        func cellName() -> String { CellRange.cellName(row: rowNumber - 1, column: max(column, 0)) }
        func finishRow() {
            if !cells.isEmpty {
                // Cells are normally in order; a writer that does not keep them so is sorted here.
                var sorted = true
                for k in cells.indices.dropFirst() where cells[k - 1].column >= cells[k].column { sorted = false; break }
                if !sorted {
                    cells.sort { $0.column < $1.column }
                    var unique: [SheetCell] = []
                    for c in cells { if let last = unique.last, last.column == c.column { unique[unique.count - 1] = c } else { unique.append(c) } }
                    cells = unique
                }
                grid.rows.append(SheetRow(number: rowNumber, cells: cells))
            }
            cells.removeAll(keepingCapacity: true)
        }
        loop: while true {
            switch scanner.next() {
            case .eof:
                break loop
            case .start:
                if scanner.nameIs("c") {
                    if !inRow { rowNumber = lastRowNumber + 1; lastRowNumber = rowNumber; inRow = true }
                    if let r = scanner.attribute("r") {
                        guard let ref = CellRange.reference(Array(UnsafeBufferPointer(rebasing: buffer[r]))) else {
                            throw corrupt("the cell reference `\(scanner.decoded(r))` is not a cell inside the sheet's limits")
                        }
                        guard ref.row == rowNumber - 1 else {
                            throw corrupt("cell \(scanner.decoded(r)) is inside row \(rowNumber)", cell: scanner.decoded(r))
                        }
                        column = ref.column
                    } else {
                        column += 1
                        guard column < CellRange.maxColumns else { throw corrupt("row \(rowNumber) has more than \(CellRange.maxColumns) columns") }
                    }
                    style = Int32(clamping: scanner.attribute("s").flatMap(scanner.integer) ?? 0)
                    type = .number
                    if let t = scanner.attribute("t") {
                        if scanner.equal(t, "s") { type = .shared }
                        else if scanner.equal(t, "inlineStr") { type = .inline }
                        else if scanner.equal(t, "str") { type = .string }
                        else if scanner.equal(t, "b") { type = .bool }
                        else if scanner.equal(t, "e") { type = .error }
                        else if scanner.equal(t, "d") { type = .date }
                    }
                    valueRange = nil
                    valueText = ""
                    inlineText = ""
                    inCell = !scanner.selfClosing
                    if scanner.selfClosing {
                        cells.append(SheetCell(column: Int32(column), style: style, value: .empty))
                    }
                } else if inCell, scanner.nameIs("v") {
                    inValue = !scanner.selfClosing
                } else if inCell, scanner.nameIs("is") {
                    inInline = !scanner.selfClosing
                } else if inInline, scanner.nameIs("t") {
                    inInlineText = !scanner.selfClosing
                } else if inInline, scanner.nameIs("rPh") {
                    inPhonetic = !scanner.selfClosing
                } else if inCell, scanner.nameIs("f") {
                    scanner.skipElement()  // the cached value in <v> is what is read
                } else if scanner.nameIs("row") {
                    if inRow { finishRow() }
                    if let r = scanner.attribute("r") {
                        guard let n = scanner.integer(r), n >= 1, n <= CellRange.maxRows else {
                            throw corrupt("the row number `\(scanner.decoded(r))` is not a row inside the sheet's limits")
                        }
                        guard n > lastRowNumber else { throw corrupt("row \(n) comes after row \(lastRowNumber)") }
                        rowNumber = n
                    } else {
                        rowNumber = lastRowNumber + 1
                        guard rowNumber <= CellRange.maxRows else { throw corrupt("more than \(CellRange.maxRows) rows") }
                    }
                    lastRowNumber = rowNumber
                    column = -1
                    inRow = !scanner.selfClosing
                } else if scanner.nameIs("mergeCell") {
                    if let ref = scanner.attributeString("ref"), let range = CellRange(ref) { grid.merges.append(range) }
                } else if scanner.nameIs("dimension") {
                    grid.dimension = scanner.attributeString("ref").flatMap(CellRange.init)
                }
            case .end:
                if inCell, scanner.nameIs("c") {
                    inCell = false
                    let value = try cellValue(type, buffer, valueRange, valueText, inlineText, &scanner, cellName)
                    cells.append(SheetCell(column: Int32(column), style: style, value: value))
                } else if scanner.nameIs("v") { inValue = false }
                else if scanner.nameIs("is") { inInline = false }
                else if scanner.nameIs("t") { inInlineText = false }
                else if scanner.nameIs("rPh") { inPhonetic = false }
                else if scanner.nameIs("row") { finishRow(); inRow = false }
            case .text:
                if inValue {
                    if valueRange == nil, valueText.isEmpty, !scanner.isCData { valueRange = scanner.text }
                    else { valueText = (valueRange.map { scanner.decoded($0) } ?? valueText) + scanner.decodedText(); valueRange = nil }
                } else if inInlineText, !inPhonetic {
                    inlineText += scanner.decodedText()
                }
            }
        }
        if scanner.malformed || inCell { throw corrupt("the XML ends inside a tag or a cell (row \(rowNumber))") }
        if inRow { finishRow() }
        return grid
    }

    private func cellValue(_ type: CellType, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?, _ text: String,
                           _ inline: String, _ scanner: inout XMLScanner, _ cellName: () -> String) throws -> CellValue {
        func raw() -> String { range.map { scanner.decoded($0) } ?? text }
        switch type {
        case .date:
            return .text(raw().trimmingSpaces)  // an ISO 8601 date, rare outside Excel's own Strict files
        case .number:
            if let range {
                if range.isEmpty { return .empty }
                guard let base = buffer.baseAddress,
                      let v = FieldParsing.parseDouble(base + range.lowerBound, range.count) else {
                    if buffer[range.lowerBound] == 0x23 { return .error(raw()) }  // `#N/A` without `t="e"`
                    throw corrupt("the number `\(raw())` is not a number", cell: cellName())
                }
                return v.isFinite ? .number(v) : .error(raw())
            }
            if text.isEmpty { return .empty }
            guard let v = Double(text.trimmingSpaces) else {
                throw corrupt("the number `\(text)` is not a number", cell: cellName())
            }
            return v.isFinite ? .number(v) : .error(text)
        case .shared:
            let s = raw().trimmingSpaces
            if s.isEmpty { return .empty }
            guard let index = Int(s), index >= 0, index < sharedStringCount else {
                throw corrupt("shared string \(s) does not exist (the workbook has \(sharedStringCount))", cell: cellName())
            }
            return .shared(Int32(index))
        case .inline:
            return .text(inline.decodingOOXMLEscapes)
        case .string:
            let s = raw()
            return .text((s.isEmpty ? inline : s).decodingOOXMLEscapes)
        case .bool:
            let s = raw().trimmingSpaces
            if s.isEmpty { return .empty }
            return .bool(s == "1" || s.lowercased() == "true")
        case .error:
            return .error(raw())
        }
    }
}
