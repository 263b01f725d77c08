import TallyEngine

/// `.mode line`: each row as `name = value` lines, names right-aligned, a blank line between rows.
///
///     county = 南宁市
///       year = 2021
///     amount = 12,345,678
///
///     county = 兴宁区
///       year = 2022
///     amount = null
///
/// This is the mode for tables too wide for the terminal, so values are never cut. Numbers are
/// formatted as in the box table (per column over the rows shown). Long results show their first
/// and last rows around a `… N more rows` line, like the box table.
public struct LineRenderer: Sendable {
    public var options: RenderOptions

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    public func render(_ table: Table) -> String {
        guard table.columnCount > 0 else {
            return "(no columns)\n" + CellText.counted(table.rowCount, "row", "rows") + " × 0 columns\n"
        }
        guard table.rowCount > 0 else { return "0 rows\n" }

        let selection = options.rowSelection(rowCount: table.rowCount)
        let rows = Array(selection.head) + Array(selection.tail)
        let columns = CellText.display(table, rows: rows)
        let names = table.names.map(CellText.sanitized)
        let nameWidths = names.map(DisplayWidth.of)
        let nameWidth = nameWidths.max() ?? 0
        let labels = zip(names, nameWidths).map { name, width in
            String(repeating: " ", count: nameWidth - width) + name + " = "
        }
        let moreRows = Style.dimmed("… " + CellText.counted(selection.hidden, "more row", "more rows"),
                                    if: options.color)

        var blocks = [String]()
        blocks.reserveCapacity(rows.count + 1)
        for shownRow in rows.indices {
            if shownRow == selection.head.count && selection.hidden > 0 { blocks.append(moreRows + "\n") }
            var block = ""
            for (column, label) in zip(columns, labels) {
                block += label + Style.dimmed(column.cells[shownRow], if: column.nulls[shownRow] && options.color)
                block += "\n"
            }
            blocks.append(block)
        }
        if rows.count == selection.head.count && selection.hidden > 0 { blocks.append(moreRows + "\n") }
        return blocks.joined(separator: "\n")
    }
}
