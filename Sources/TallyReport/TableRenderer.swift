import TallyEngine

/// Draws a table with box lines, sized to the terminal:
///
///     ┌────────┬──────┬────────────┐
///     │ county │ year │     amount │
///     ├────────┼──────┼────────────┤
///     │ 南宁市 │ 2021 │ 12,345,678 │
///     │ 兴宁区 │ 2022 │       null │
///     └────────┴──────┴────────────┘
///     2 rows × 3 columns
///
/// Numbers are right-aligned (headers too), everything else left; widths count terminal cells, so
/// Chinese text lines up. Long results show their first and last rows around a spanning
/// `… N more rows` line; wide ones drop middle columns for a `…` column and say so under the table.
/// Every line of the box has the same display width, never more than `options.width`.
public struct TableRenderer: Sendable {
    public var options: RenderOptions

    /// Text columns may shrink to this many cells (plus `…`) to make room for more columns.
    static let shrinkFloor = 8

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    public func render(_ table: Table) -> String {
        let footer = CellText.counted(table.rowCount, "row", "rows") + " × "
            + CellText.counted(table.columnCount, "column", "columns") + "\n"
        guard table.columnCount > 0 else { return "(no columns)\n" + footer }

        let selection = options.rowSelection(rowCount: table.rowCount)
        let rows = Array(selection.head) + Array(selection.tail)
        let maxWidth = max(1, options.maxColumnWidth)

        var columns = [DisplayColumn]()
        var headers = [(text: String, width: Int)]()
        var natural = [Int]()
        var minimum = [Int]()
        let displays = CellText.display(table, rows: rows, null: options.nullText)
        for (index, (name, column)) in zip(table.names, table.columns).enumerated() {
            let display = displays[index]
            let header = CellText.sanitized(name)
            let headerWidth = DisplayWidth.of(header)
            let valuesWidth = display.maxWidth
            // Only text is ever cut (headers too): a cut number or date would be a wrong one, and
            // their text is short anyway (at most 26 cells: -9,223,372,036,854,775,808).
            let isText = column.type == .text
            let naturalWidth = isText ? max(1, min(maxWidth, max(headerWidth, valuesWidth)))
                : max(1, valuesWidth, min(maxWidth, headerWidth))
            let floor = isText ? TableRenderer.shrinkFloor
                : max(valuesWidth, min(headerWidth, TableRenderer.shrinkFloor))
            columns.append(display)
            headers.append((header, headerWidth))
            natural.append(naturalWidth)
            minimum.append(min(naturalWidth, floor))
        }

        var layout = ColumnLayout.fit(natural: natural, minimum: minimum, width: options.width)

        // The spanning `… N more rows` line must fit inside the box: widen the last column for it
        // when the terminal has room (a one-column table of small numbers is narrower than the note).
        let moreRows = "… " + CellText.counted(selection.hidden, "more row", "more rows")
        let moreRowsWidth = DisplayWidth.of(moreRows)
        if selection.hidden > 0, let last = layout.widths.indices.last {
            let inner = ColumnLayout.lineWidth(layout.widths, ellipsis: layout.ellipsisAt != nil) - 2
            let missing = moreRowsWidth + 2 - inner
            if missing > 0 {
                let room = options.width - (inner + 2)
                layout.widths[last] += max(0, min(missing, room))
            }
        }

        let ellipsisCell = Cell(text: "…", width: 1, right: false, dim: false)

        func gridRow(_ cell: (Int) -> Cell) -> [Cell] {
            var line = [Cell]()
            for position in layout.shown.indices {
                if position == layout.ellipsisAt { line.append(ellipsisCell) }
                line.append(cell(position))
            }
            // Every column fitted from the left and none from the right: `…` closes the row.
            if layout.ellipsisAt == layout.shown.count { line.append(ellipsisCell) }
            return line
        }
        var widths = layout.widths
        if let at = layout.ellipsisAt { widths.insert(1, at: at) }

        let headerCells = gridRow { position in
            let index = layout.shown[position]
            let cut = CellText.truncated(headers[index].text, width: layout.widths[position],
                                         textWidth: headers[index].width)
            return Cell(text: cut.text, width: cut.width, right: columns[index].rightAligned, dim: false)
        }

        var out = ""
        // Box characters take three UTF-8 bytes each.
        out.reserveCapacity((rows.count + 6) * 3 * max(16, ColumnLayout.lineWidth(widths, ellipsis: false)))
        out += border("┌", "┬", "┐", widths)
        out += line(headerCells, widths)
        let rowsEmpty = rows.isEmpty && selection.hidden == 0
        if !rowsEmpty { out += border("├", "┼", "┤", widths) }

        for shownRow in rows.indices {
            if shownRow == selection.head.count && selection.hidden > 0 {
                out += spanning(moreRows, width: moreRowsWidth, widths)
            }
            out += line(gridRow { position in
                let column = columns[layout.shown[position]]
                let cut = CellText.truncated(column.cells[shownRow], width: layout.widths[position],
                                             textWidth: column.widths[shownRow])
                return Cell(text: cut.text, width: cut.width, right: column.rightAligned,
                            dim: column.nulls[shownRow])
            }, widths)
        }
        if rows.count == selection.head.count && selection.hidden > 0 {
            out += spanning(moreRows, width: moreRowsWidth, widths)
        }
        out += border("└", "┴", "┘", widths)
        out += footer
        if !layout.hidden.isEmpty { out += hiddenNote(layout.hidden.map { table.names[$0] }) }
        return out
    }

    /// A cell of the visible grid, measured and cut to its column.
    private struct Cell {
        var text: String
        var width: Int
        var right: Bool
        var dim: Bool
    }

    /// One row of cells: `│ a │   1 │`, nulls dimmed when colour is on.
    private func line(_ cells: [Cell], _ widths: [Int]) -> String {
        var text = "│"
        for (cell, width) in zip(cells, widths) {
            let padding = String(repeating: " ", count: max(0, width - cell.width))
            let body = Style.dimmed(cell.text, if: cell.dim && options.color)
            text += " " + (cell.right ? padding + body : body + padding) + " │"
        }
        return text + "\n"
    }

    /// A horizontal rule: `┌───┬───┐`.
    private func border(_ left: String, _ middle: String, _ right: String, _ widths: [Int]) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
    }

    /// One line across the whole box, `text` centred (the `… N more rows` line).
    private func spanning(_ text: String, width: Int, _ widths: [Int]) -> String {
        let inner = ColumnLayout.lineWidth(widths, ellipsis: false) - 2
        let cut = CellText.truncated(text, width: max(0, inner - 2), textWidth: width)
        let left = max(0, (inner - cut.width) / 2)
        let right = max(0, inner - cut.width - left)
        return "│" + String(repeating: " ", count: left) + Style.dimmed(cut.text, if: options.color)
            + String(repeating: " ", count: right) + "│\n"
    }

    /// `2 columns hidden: b, c (see them with .mode line or select)` — on two lines when one would
    /// not fit the terminal, with the list of names cut to the width.
    private func hiddenNote(_ names: [String]) -> String {
        let head = CellText.counted(names.count, "column", "columns") + " hidden: "
        let hint = "see them with .mode line or select"
        let list = names.map(CellText.sanitized).joined(separator: ", ")
        let oneLine = head + list + " (" + hint + ")"
        if DisplayWidth.of(oneLine) <= options.width { return oneLine + "\n" }
        let cut = CellText.truncated(list, width: max(1, options.width - DisplayWidth.of(head)))
        return head + cut.text + "\n" + hint + "\n"
    }
}
