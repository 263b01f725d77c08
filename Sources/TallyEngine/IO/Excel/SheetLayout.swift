/// Where the table is on a sheet: the rows above the header (title, unit), the header rows, the
/// data rows, a totals row and notes below. Found by looking at the cells, or given by options.
struct SheetLayout {
    /// Rows are 0-based indices into the sheet; columns 0-based.
    var firstColumn: Int
    var lastColumn: Int
    var titleRows: [Int] = []
    var unitRows: [Int] = []
    /// The unit row's text, e.g. `单位：人、万元`.
    var unitText: String?
    var headerRows: ClosedRange<Int>?
    var names: [String] = []
    var dataRows: [Int] = []
    var totalsRows: [Int] = []
    var noteRows: [Int] = []
    var emptyRows = 0
    var headerGiven = false

    /// What was decided, in words: `header rows 3–4, title row 1 skipped, totals row 58 kept`.
    func summary(dropTotals: Bool) -> String {
        var parts: [String] = []
        if let h = headerRows {
            parts.append((h.count == 1 ? "header row \(h.lowerBound + 1)" : "header rows \(h.lowerBound + 1)–\(h.upperBound + 1)")
                         + (headerGiven ? " (as given)" : ""))
        } else {
            parts.append("no header row")
        }
        if !titleRows.isEmpty { parts.append("title \(SheetLayout.rowList(titleRows)) skipped") }
        if !unitRows.isEmpty { parts.append("unit \(SheetLayout.rowList(unitRows)) skipped" + (unitText.map { " (\($0))" } ?? "")) }
        if !totalsRows.isEmpty { parts.append("totals \(SheetLayout.rowList(totalsRows)) " + (dropTotals ? "dropped" : "kept")) }
        if !noteRows.isEmpty { parts.append("note \(SheetLayout.rowList(noteRows)) skipped") }
        if emptyRows > 0 { parts.append("\(emptyRows) empty row\(emptyRows == 1 ? "" : "s") skipped") }
        return parts.joined(separator: ", ")
    }

    /// `row 3`, `rows 3–4`, `rows 3, 7`.
    static func rowList(_ rows: [Int]) -> String {
        let shown = rows.map { $0 + 1 }
        guard let first = shown.first, let last = shown.last else { return "" }
        if shown.count == 1 { return "row \(first)" }
        if last - first == shown.count - 1 { return "rows \(first)–\(last)" }
        return "rows " + shown.prefix(6).map(String.init).joined(separator: ", ") + (shown.count > 6 ? ", …" : "")
    }
}

/// Finds the layout of a sheet.
struct SheetLayoutFinder {
    let grid: SheetGrid
    let workbook: Workbook
    let range: CellRange
    let options: ExcelOptions
    /// Merged ranges that start inside the top of the sheet, by their top-left cell.
    private var mergeAt: [Int: CellRange] = [:]

    init(grid: SheetGrid, workbook: Workbook, range: CellRange, options: ExcelOptions) {
        self.grid = grid
        self.workbook = workbook
        self.range = range
        self.options = options
        for m in grid.merges where m.firstRow <= range.firstRow + 40 {
            mergeAt[m.firstRow &* CellRange.maxColumns &+ m.firstColumn] = m
        }
    }

    /// The position in `grid.rows` of sheet row `row` (0-based), or nil.
    func rowIndex(_ row: Int) -> Int? {
        var lo = 0, hi = grid.rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let n = grid.rows[mid].number - 1
            if n == row { return mid }
            if n < row { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    func cell(_ row: Int, _ column: Int) -> CellValue {
        guard let i = rowIndex(row), let c = grid.rows[i].cell(column) else { return .empty }
        return c.value
    }

    /// A cell as header text: strings as they are, numbers as written.
    func text(_ value: CellValue) -> String? {
        switch value {
        case .empty: return nil
        case .shared(let i): return workbook.sharedString(i).normalizedHeader.nilIfEmpty
        case .text(let s): return s.normalizedHeader.nilIfEmpty
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : Column.formatFloat(v)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .error(let e): return e
        }
    }

    func isTextual(_ value: CellValue) -> Bool {
        switch value {
        case .shared, .text: return true
        default: return false
        }
    }

    /// The non-empty cells of a row inside the range.
    func filled(_ row: Int) -> [(column: Int, value: CellValue)] {
        guard let i = rowIndex(row) else { return [] }
        return grid.rows[i].cells.compactMap { c in
            let col = Int(c.column)
            guard col >= range.firstColumn, col <= range.lastColumn, c.value != .empty else { return nil }
            if case .text(let s) = c.value, s.normalizedHeader.isEmpty { return nil }
            if case .shared(let k) = c.value, workbook.sharedString(k).normalizedHeader.isEmpty { return nil }
            return (col, c.value)
        }
    }

    /// The merged range that covers (row, column), when it starts near the top.
    func merge(covering row: Int, _ column: Int) -> CellRange? {
        for m in grid.merges where m.firstRow <= row && row <= m.lastRow && m.firstColumn <= column && column <= m.lastColumn {
            return m
        }
        return nil
    }

    func find() throws -> SheetLayout {
        var layout = SheetLayout(firstColumn: range.firstColumn, lastColumn: range.lastColumn)
        let width = range.lastColumn - range.firstColumn + 1
        var row = range.firstRow
        switch options.header {
        case .none?:
            layout.headerRows = nil
        case .rows(let given)?:
            let rows = (given.lowerBound - 1)...(given.upperBound - 1)
            guard rows.lowerBound >= range.firstRow, rows.upperBound <= range.lastRow else {
                throw TallyError(.usage, "`header:` rows \(given.lowerBound)–\(given.upperBound) are outside the cells read (\(range.description))")
            }
            layout.headerRows = rows
            layout.headerGiven = true
            row = rows.lowerBound
            // Rows above a given header are skipped as titles.
            for r in range.firstRow..<rows.lowerBound where !filled(r).isEmpty { layout.titleRows.append(r) }
        case nil:
            // Title and unit rows: one text cell (often merged across), or a few `label：value` cells.
            let scanLimit = min(range.lastRow, range.firstRow + 20)
            var headerStart: Int?
            while row <= scanLimit {
                let cells = filled(row)
                if cells.isEmpty { row += 1; continue }
                let texts = cells.compactMap { text($0.value) }
                let oneCell = cells.count == 1 && width > 1 && isTextual(cells[0].value)
                let labels = cells.count < max(2, width / 2) && cells.allSatisfy { isTextual($0.value) }
                    && texts.allSatisfy { $0.contains("：") || $0.contains(":") }
                if oneCell || labels {
                    let joined = texts.joined(separator: " ")
                    if SheetLayoutFinder.isUnit(joined) {
                        layout.unitRows.append(row)
                        if layout.unitText == nil { layout.unitText = joined }
                    } else {
                        layout.titleRows.append(row)
                    }
                    row += 1
                    continue
                }
                headerStart = row
                break
            }
            guard let start = headerStart ?? (row <= range.lastRow ? row : nil) else {
                layout.titleRows = []
                layout.unitRows = []
                layout.headerRows = nil
                return layout
            }
            // A header is text; a first row with numbers in it means there is none.
            let first = filled(start)
            if first.contains(where: { !isTextual($0.value) }) && first.filter({ isTextual($0.value) }).count < first.count / 2 + 1 {
                layout.headerRows = nil
                row = start
            } else {
                var end = start
                while end < range.lastRow, end - start < 3, continuesHeader(from: start...end, next: end + 1) { end += 1 }
                layout.headerRows = start...end
            }
        }
        if let header = layout.headerRows {
            layout.names = names(header)
            row = header.upperBound + 1
        } else {
            layout.names = (range.firstColumn...range.lastColumn).map { CellRange.columnName($0) }
            if options.header == nil { layout.titleRows = []; layout.unitRows = []; row = range.firstRow }
        }
        // Data rows; empty ones skipped; notes at the bottom.
        var data: [Int] = []
        var i = rowIndex(row) ?? grid.rows.firstIndex(where: { $0.number - 1 >= row }) ?? grid.rows.count
        var lastFilled = row - 1
        while i < grid.rows.count {
            let r = grid.rows[i].number - 1
            if r > range.lastRow { break }
            if r >= row {
                if filled(r).isEmpty { } else { data.append(r); lastFilled = r }
            }
            i += 1
        }
        layout.emptyRows = max(0, lastFilled - row + 1 - data.count)
        if !options.keepNotes, width >= 3 {
            while let last = data.last, data.count > 1 {
                let cells = filled(last)
                guard cells.count == 1, isTextual(cells[0].value), let t = text(cells[0].value),
                      cells[0].column <= range.firstColumn + 1 || SheetLayoutFinder.isNote(t) else { break }
                layout.noteRows.insert(last, at: 0)
                data.removeLast()
            }
        }
        for r in data {
            let cells = filled(r).prefix(3)
            if cells.contains(where: { text($0.value).map(SheetLayoutFinder.isTotal) ?? false }) { layout.totalsRows.append(r) }
        }
        if options.dropTotals {
            let totals = Set(layout.totalsRows)
            data.removeAll { totals.contains($0) }
        }
        layout.dataRows = data
        return layout
    }

    /// Whether row `next` carries on a header of rows `rows`: it is all text, and a merged cell of
    /// the header spans down into it or across the columns it fills, or an upper header cell is
    /// empty where it has text (a group label written once over its columns).
    func continuesHeader(from rows: ClosedRange<Int>, next: Int) -> Bool {
        let cells = filled(next)
        guard cells.count >= 1, cells.allSatisfy({ isTextual($0.value) }) else { return false }
        if cells.contains(where: { text($0.value).map(SheetLayoutFinder.isTotal) ?? false }) { return false }
        for m in grid.merges where rows.contains(m.firstRow) && m.firstColumn <= range.lastColumn && m.lastColumn >= range.firstColumn {
            if m.lastRow >= next { return true }
            if m.lastColumn > m.firstColumn, m.lastRow == rows.upperBound,
               cells.contains(where: { $0.column >= m.firstColumn && $0.column <= m.lastColumn }) { return true }
        }
        // Without merges: an empty cell of the last header row over text, right of a filled one.
        let above = Set(filled(rows.upperBound).map(\.column))
        guard let firstAbove = above.min() else { return false }
        return cells.contains { !above.contains($0.column) && $0.column > firstAbove }
            && cells.count >= 2 && Double(cells.count) <= Double(range.lastColumn - range.firstColumn + 1)
    }

    /// One name per column: the header cells above it (a merged cell counting for each column it
    /// spans, a group label carried right over its empty neighbours), distinct parts joined by `_`.
    func names(_ header: ClosedRange<Int>) -> [String] {
        let columns = Array(range.firstColumn...range.lastColumn)
        var grid: [[String?]] = []
        for r in header {
            var line: [String?] = []
            var carry: String?
            for c in columns {
                var value = text(cell(r, c))
                if value == nil, let m = merge(covering: r, c) { value = text(cell(m.firstRow, m.firstColumn)) }
                if value != nil {
                    carry = value
                } else if r < header.upperBound, let carried = carry,
                          text(cell(r + 1, c)) != nil, c > range.firstColumn, text(cell(r + 1, c - 1)) != nil {
                    value = carried
                } else {
                    carry = nil
                }
                line.append(value)
            }
            grid.append(line)
        }
        var names: [String] = []
        var seen: [String: Int] = [:]
        for (k, c) in columns.enumerated() {
            var parts: [String] = []
            for line in grid { if let p = line[k], parts.last != p { parts.append(p) } }
            var name = parts.joined(separator: "_")
            if name.isEmpty { name = CellRange.columnName(c) }
            if let n = seen[name] {
                seen[name] = n + 1
                name += "_\(n + 1)"
            } else {
                seen[name] = 1
            }
            names.append(name)
        }
        return names
    }

    static func isUnit(_ text: String) -> Bool {
        let t = text.replacingOccurrences(of: " ", with: "").lowercased()
        return t.hasPrefix("单位") || t.contains("单位：") || t.contains("单位:") || t.hasPrefix("unit") || t.hasPrefix("(单位") || t.hasPrefix("（单位")
    }

    static func isTotal(_ text: String) -> Bool {
        let t = text.filter { !$0.isWhitespace && $0 != "\u{3000}" }.lowercased()
        return t.hasSuffix("合计") || t.hasSuffix("总计") || t == "小计" || t == "共计" || t == "total" || t == "totals" || t == "grandtotal"
    }

    static func isNote(_ text: String) -> Bool {
        let t = text.trimmingSpaces.lowercased()
        return ["注", "说明", "备注", "填表", "制表", "审核", "负责人", "资料来源", "数据来源", "note", "source"].contains { t.hasPrefix($0) }
    }
}

extension String {
    /// A header cell's text on one line: line breaks and runs of spaces become nothing between CJK
    /// characters and one space otherwise; trimmed.
    var normalizedHeader: String {
        let lines = split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { String($0).trimmingCharacters(in: " \t\u{3000}") }
        var out = ""
        for line in lines where !line.isEmpty {
            if let last = out.unicodeScalars.last, let first = line.unicodeScalars.first,
               !(DisplayWidth.of(last) == 2 || DisplayWidth.of(first) == 2) {
                out += " "
            }
            out += line
        }
        return out
    }

    var nilIfEmpty: String? { isEmpty ? nil : self }
}
