import Foundation

/// Reads a sheet of an .xlsx workbook into a table.
public enum ExcelReader {
    /// The sheets of a workbook with their used ranges (`.sheets`).
    public static func sheetList(path: String) throws -> Table {
        let workbook = try Workbook(path: path)
        var names: [String?] = [], positions: [Int64?] = [], ranges: [String?] = [], rows: [Int64?] = [], columns: [Int64?] = []
        for (i, sheet) in workbook.sheets.enumerated() {
            let grid = try workbook.grid(sheet)
            let used = grid.usedRange
            positions.append(Int64(i + 1))
            names.append(sheet.name)
            ranges.append(used?.description)
            rows.append(used.map { Int64($0.lastRow - $0.firstRow + 1) } ?? 0)
            columns.append(used.map { Int64($0.lastColumn - $0.firstColumn + 1) } ?? 0)
        }
        return try Table(names: ["sheet", "name", "used_range", "rows", "columns"],
                         columns: [Column(ints: positions), Column(texts: names), Column(texts: ranges), Column(ints: rows),
                                   Column(ints: columns)])
    }

    /// The sheet names of a workbook, read from its workbook part only (for `--data`).
    public static func sheetNames(path: String) throws -> [String] {
        try Workbook(path: path).sheets.map(\.name)
    }

    public static func read(path: String, options: LoadOptions = LoadOptions(),
                            cancel: CancellationCheck = .never) throws -> (Table, LoadReport) {
        var excel = options.excel ?? ExcelOptions()
        if options.header == false, excel.header == nil { excel.header = ExcelOptions.Header.none }
        let workbook = try Workbook(path: path)
        let sheet = try workbook.sheet(excel.sheet)
        let grid = try workbook.grid(sheet)
        try cancel.checkpoint()
        var report = LoadReport()
        report.sheet = sheet.name
        guard var range = grid.usedRange else {
            report.notes.append("sheet `\(sheet.name)` is empty")
            return (.empty, report)
        }
        if let given = excel.range {
            range = CellRange(firstRow: given.firstRow, firstColumn: given.firstColumn,
                              lastRow: min(given.lastRow, range.lastRow), lastColumn: min(given.lastColumn, range.lastColumn))
            guard range.firstRow <= range.lastRow, range.firstColumn <= range.lastColumn else {
                report.notes.append("no cells in range \(given.description) of sheet `\(sheet.name)`")
                return (.empty, report)
            }
        }
        let finder = SheetLayoutFinder(grid: grid, workbook: workbook, range: range, options: excel)
        let layout = try finder.find()
        report.header = layout.headerRows != nil
        report.notes.append("sheet `\(sheet.name)`: " + layout.summary(dropTotals: excel.dropTotals))
        var builder = ColumnBuilder(workbook: workbook, finder: finder, file: path, sheet: sheet.name)
        var columns: [Column] = []
        for (k, c) in (range.firstColumn...range.lastColumn).enumerated() {
            let name = layout.names[k]
            let given = options.types.first { $0.column == name }?.type
            columns.append(try builder.column(c, rows: layout.dataRows, name: name, given: given, report: &report))
            try cancel.checkpoint()
        }
        if let unknown = options.types.first(where: { t in !layout.names.contains(t.column) }) {
            throw TallyError(.usage, "`types:` names `\(unknown.column)`, which sheet `\(sheet.name)` of `\(path)` has no column of",
                             hint: "columns: " + layout.names.prefix(12).joined(separator: ", "))
        }
        report.rows = layout.dataRows.count
        return (try Table(names: layout.names, columns: columns), report)
    }
}

/// Builds one typed column from the cells of a sheet column.
struct ColumnBuilder {
    let workbook: Workbook
    let finder: SheetLayoutFinder
    let file: String
    let sheet: String

    private enum Kind { case number, date, dateTime, time, text, bool }

    mutating func column(_ c: Int, rows: [Int], name: String, given: DataType?, report: inout LoadReport) throws -> Column {
        var cells: [SheetCell?] = []
        cells.reserveCapacity(rows.count)
        var cursor = 0
        let gridRows = finder.grid.rows
        // Rows are in order: walk the grid once instead of searching for each row.
        for r in rows {
            while cursor < gridRows.count, gridRows[cursor].number - 1 < r { cursor += 1 }
            cells.append(cursor < gridRows.count && gridRows[cursor].number - 1 == r ? gridRows[cursor].cell(c) : nil)
        }
        var numbers = 0, numericTexts = 0, texts = 0, bools = 0, dates = 0, dateTimes = 0, times = 0, errors = 0
        var integral = true
        var keepText = false
        var firstError: (String, String)?
        for (k, cell) in cells.enumerated() {
            guard let cell else { continue }
            switch cell.value {
            case .empty: continue
            case .number(let v):
                switch workbook.kind(ofStyle: cell.style) {
                case .number: numbers += 1; if v != v.rounded() || abs(v) > 9_007_199_254_740_992 { integral = false }
                case .date: dates += 1; if v != v.rounded() { dateTimes += 1 }
                case .dateTime: dates += 1; dateTimes += 1
                case .time: times += 1
                }
            case .bool: bools += 1
            case .error(let e):
                errors += 1
                if firstError == nil { firstError = (CellRange.cellName(row: rows[k], column: c), e) }
            case .shared, .text:
                let s = text(cell.value)
                if s.trimmingSpaces.isEmpty { continue }
                if let v = ColumnBuilder.numberInText(s) {
                    numericTexts += 1
                    if v != v.rounded() || abs(v) > 9_007_199_254_740_992 { integral = false }
                } else {
                    texts += 1
                    if ColumnBuilder.keepsDigits(s) { keepText = true }
                }
            }
        }
        if let (cell, e) = firstError {
            report.notes.append("column `\(name)`: \(errors) error cell\(errors == 1 ? "" : "s") read as null (\(cell) is \(e))")
        }
        let valued = numbers + numericTexts + texts + bools + dates + times
        let kind: Kind
        if let given {
            switch given {
            case .int, .float: kind = .number
            case .date: kind = .date
            case .timestamp: kind = .dateTime
            case .bool: kind = .bool
            case .text: kind = .text
            }
        } else if valued == 0 {
            kind = .text
        } else if texts == 0 && !keepText && numbers + numericTexts == valued {
            kind = .number
            if numericTexts > 0 {
                report.notes.append("column `\(name)`: \(numericTexts) number\(numericTexts == 1 ? "" : "s") stored as text read as number\(numericTexts == 1 ? "" : "s")")
            }
        } else if bools == valued {
            kind = .bool
        } else if dates == valued {
            kind = dateTimes > 0 ? .dateTime : .date
        } else if dates + times == valued && times > 0 && dates == 0 {
            kind = .time
        } else {
            kind = .text
            if numbers + numericTexts > 0 && texts > 0 && !keepText {
                report.textFallbacks.append(.init(column: name, reason: "mixes numbers and text"))
            }
        }
        switch kind {
        case .number:
            if given == .float || !integral {
                var values = [Double](repeating: 0, count: cells.count)
                var valid = Validity(count: cells.count, allValid: false)
                for (k, cell) in cells.enumerated() {
                    guard let v = try number(cell, given: given, row: rows[k], column: c) else { continue }
                    values[k] = v
                    valid.set(k)
                }
                return Column(.float(values), validity: valid)
            }
            var values = [Int64](repeating: 0, count: cells.count)
            var valid = Validity(count: cells.count, allValid: false)
            for (k, cell) in cells.enumerated() {
                guard let v = try number(cell, given: given, row: rows[k], column: c) else { continue }
                guard v == v.rounded(), abs(v) <= 9_007_199_254_740_992 else {
                    throw TallyError(.type, "`\(file)`, sheet `\(sheet)`, cell \(CellRange.cellName(row: rows[k], column: c)): \(v) is not an int",
                                     hint: "read column `\(name)` as float: `types:\(name)=float`")
                }
                values[k] = Int64(v)
                valid.set(k)
            }
            return Column(.int(values), validity: valid)
        case .date, .dateTime:
            let asDate = kind == .date
            var days = [Int32](repeating: 0, count: asDate ? cells.count : 0)
            var micros = [Int64](repeating: 0, count: asDate ? 0 : cells.count)
            var valid = Validity(count: cells.count, allValid: false)
            for (k, cell) in cells.enumerated() {
                guard let cell else { continue }
                var serial: Double?
                switch cell.value {
                case .number(let v): serial = v
                case .empty, .error: continue
                default:
                    let s = text(cell.value)
                    if s.trimmingSpaces.isEmpty { continue }
                    var bytes = Array(s.utf8)
                    let parsed: Int64? = bytes.withUnsafeMutableBufferPointer { b in
                        guard let p = b.baseAddress else { return nil }
                        if let d = FieldParsing.parseDate(p, b.count) { return Int64(d) * 86_400_000_000 }
                        return FieldParsing.parseTimestamp(p, b.count)
                    }
                    guard let parsed else {
                        throw TallyError(.type, "`\(file)`, sheet `\(sheet)`, cell \(CellRange.cellName(row: rows[k], column: c)): `\(s)` is not a date",
                                         hint: "read column `\(name)` as text: `types:\(name)=text`")
                    }
                    if asDate { days[k] = Int32(clamping: parsed / 86_400_000_000) } else { micros[k] = parsed }
                    valid.set(k)
                    continue
                }
                guard let serial, let m = ExcelDates.micros(serial: serial, date1904: workbook.date1904) else {
                    throw TallyError(.type, "`\(file)`, sheet `\(sheet)`, cell \(CellRange.cellName(row: rows[k], column: c)): not a date Tally can hold")
                }
                if asDate { days[k] = Int32(clamping: m.dividedFloor(86_400_000_000)) } else { micros[k] = m }
                valid.set(k)
            }
            return asDate ? Column(.date(days), validity: valid) : Column(.timestamp(micros), validity: valid)
        case .bool:
            var values = [Bool](repeating: false, count: cells.count)
            var valid = Validity(count: cells.count, allValid: false)
            for (k, cell) in cells.enumerated() {
                guard let cell else { continue }
                switch cell.value {
                case .bool(let b): values[k] = b; valid.set(k)
                case .number(let v): values[k] = v != 0; valid.set(k)
                case .empty, .error: continue
                default:
                    let s = text(cell.value).trimmingSpaces.lowercased()
                    if s.isEmpty { continue }
                    guard let b = Bool(s) else {
                        throw TallyError(.type, "`\(file)`, sheet `\(sheet)`, cell \(CellRange.cellName(row: rows[k], column: c)): `\(s)` is not a bool")
                    }
                    values[k] = b; valid.set(k)
                }
            }
            return Column(.bool(values), validity: valid)
        case .time, .text:
            var out: [String?] = []
            out.reserveCapacity(cells.count)
            for cell in cells {
                guard let cell else { out.append(nil); continue }
                out.append(display(cell))
            }
            return Column(texts: out)
        }
    }

    func text(_ value: CellValue) -> String {
        switch value {
        case .shared(let i): return workbook.sharedString(i)
        case .text(let s): return s
        default: return ""
        }
    }

    /// A cell as text: numbers as written (an integer without `.0`), dates and times by their format.
    func display(_ cell: SheetCell) -> String? {
        switch cell.value {
        case .empty, .error: return nil
        case .shared, .text:
            let s = text(cell.value)
            return s.isEmpty ? nil : s
        case .bool(let b): return b ? "true" : "false"
        case .number(let v):
            switch workbook.kind(ofStyle: cell.style) {
            case .number:
                return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : Column.formatFloat(v)
            case .date, .dateTime:
                guard let m = ExcelDates.micros(serial: v, date1904: workbook.date1904) else { return Column.formatFloat(v) }
                return v == v.rounded() ? CivilDate.format(days: Int32(clamping: m.dividedFloor(86_400_000_000))) : CivilDate.format(micros: m)
            case .time:
                guard v.isFinite, v >= 0, v < 100 else { return Column.formatFloat(v) }
                let seconds = Int((v * 86_400).rounded())
                return CivilDate.pad(seconds / 3600, 2) + ":" + CivilDate.pad(seconds / 60 % 60, 2) + ":" + CivilDate.pad(seconds % 60, 2)
            }
        }
    }

    private func number(_ cell: SheetCell?, given: DataType?, row: Int, column: Int) throws -> Double? {
        guard let cell else { return nil }
        switch cell.value {
        case .number(let v): return v
        case .empty, .error: return nil
        case .bool(let b): return b ? 1 : 0
        case .shared, .text:
            let s = text(cell.value)
            if s.trimmingSpaces.isEmpty { return nil }
            guard let v = ColumnBuilder.numberInText(s, lenient: given != nil) else {
                throw TallyError(.type, "`\(file)`, sheet `\(sheet)`, cell \(CellRange.cellName(row: row, column: column)): `\(s)` is not a number",
                                 hint: "leave the column's type to Tally, or give `types:COLUMN=text`")
            }
            return v
        }
    }

    /// A number stored as text (`1,234`, ` 56 `), or nil; a code with a leading zero or an identity
    /// number is not one (unless `lenient`: the user asked for a number).
    static func numberInText(_ s: String, lenient: Bool = false) -> Double? {
        var bytes = Array(s.utf8.filter { $0 != 0x2C })
        guard !bytes.isEmpty, bytes.count < 40 else { return nil }
        return bytes.withUnsafeMutableBufferPointer { b -> Double? in
            guard let p = b.baseAddress else { return nil }
            let v = FieldParsing.parseDouble(UnsafePointer(p), b.count, keepingText: !lenient)
            if let v, !v.isFinite { return nil }
            return v
        }
    }

    /// Whether text that looks like a number must keep its digits (a leading zero, an identity number).
    static func keepsDigits(_ s: String) -> Bool {
        var bytes = Array(s.utf8)
        return bytes.withUnsafeMutableBufferPointer { b -> Bool in
            guard let p = b.baseAddress, b.count > 0 else { return false }
            return FieldParsing.textReason(UnsafePointer(p), b.count) != nil && FieldParsing.parseDouble(UnsafePointer(p), b.count) != nil
        }
    }
}

/// Excel's serial dates: days since 1899-12-30 (the 1900 system, which counts a 29 February 1900
/// that never was) or since 1904-01-01.
enum ExcelDates {
    static let unixDay1900 = 25_569.0
    static let unixDay1904 = 24_107.0

    /// Microseconds since 1970-01-01 for a serial, rounded to the millisecond; nil when out of range.
    static func micros(serial: Double, date1904: Bool) -> Int64? {
        guard serial.isFinite, serial > -1_000_000, serial < 3_000_000 else { return nil }
        var days = serial - (date1904 ? unixDay1904 : unixDay1900)
        if !date1904, serial < 61 { days += 1 }  // before Excel's 29 February 1900
        let ms = (days * 86_400_000).rounded()
        return Int64(ms) * 1000
    }

    /// The serial of a day count since 1970-01-01 (1900 system).
    static func serial(days: Int32) -> Double {
        let s = Double(days) + unixDay1900
        return s < 61 ? s - 1 : s
    }

    static func serial(micros: Int64) -> Double {
        let days = Double(micros) / 86_400_000_000
        let s = days + unixDay1900
        return s < 61 ? s - 1 : s
    }
}

extension Int64 {
    func dividedFloor(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
