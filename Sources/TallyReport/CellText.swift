import TallyEngine

/// The displayed cells of one column for the rows a renderer shows.
struct DisplayColumn {
    /// Cell texts, ready to print: numbers formatted, control characters escaped, not yet truncated.
    var cells: [String]
    /// Terminal cells of each text.
    var widths: [Int]
    /// Which cells are null (printed `null`, dimmed when colour is on).
    var nulls: [Bool]
    /// Numbers are right-aligned, everything else left.
    var rightAligned: Bool

    var maxWidth: Int { widths.max() ?? 0 }
}

/// How cell values become display text, shared by the box-table and line renderers.
enum CellText {
    static let null = "null"

    /// Formats `rows` of `column` — one typed pass, with the number style chosen from exactly these
    /// rows, so the decimals of a float column are consistent among the values on screen (and the
    /// renderer never scans a million-row column to print forty of them).
    ///
    /// `grouping` says whether numbers get thousands separators; nil decides from this column alone.
    static func display(_ column: Column, rows: [Int], name: String = "", grouping: Bool? = nil,
                        null: String = CellText.null) -> DisplayColumn {
        var cells = [String]()
        cells.reserveCapacity(rows.count)
        let nulls = rows.map { column.isNull($0) }
        let present = rows.indices.lazy.filter { !nulls[$0] }.map { rows[$0] }

        func fill(_ text: (Int) -> String) {
            for (index, row) in rows.enumerated() { cells.append(nulls[index] ? null : text(row)) }
        }

        switch column.values {
        case .int(let values):
            let grouping = !NumberFormatting.namesAnIdentifier(name)
                && (grouping ?? NumberFormatting.usesGrouping(present.map { values[$0] }))
            fill { NumberFormatting.format(values[$0], grouping: grouping) }
        case .float(let values):
            var style = NumberFormatting.floatStyle(for: present.map { values[$0] })
            if let grouping, style.decimals != nil { style.grouping = grouping }
            fill { NumberFormatting.format(values[$0], style: style) }
        case .bool(let values):
            fill { values[$0] ? "true" : "false" }
        case .date(let values):
            fill { CivilDate.format(days: values[$0]) }
        case .timestamp(let values):
            fill { CivilDate.format(micros: values[$0]) }
        case .text(let codes, let dictionary):
            fill { sanitized(dictionary[codes[$0]]) }
        }
        return DisplayColumn(cells: cells, widths: cells.map(DisplayWidth.of), nulls: nulls,
                             rightAligned: column.type.isNumeric)
    }

    /// Every column of a table for `rows`, with one rule for thousands separators: when any number
    /// column needs them (a value of 10,000 or more), every number column has them, so `10,796`
    /// never stands beside `8595`. Identifier columns (`year`, `county_code`) never do.
    static func display(_ table: Table, rows: [Int], null: String = CellText.null) -> [DisplayColumn] {
        let grouping = zip(table.names, table.columns).contains { name, column in
            wantsGrouping(column, rows: rows, name: name)
        }
        return zip(table.names, table.columns).map { name, column in
            display(column, rows: rows, name: name, grouping: grouping, null: null)
        }
    }

    static func wantsGrouping(_ column: Column, rows: [Int], name: String) -> Bool {
        switch column.values {
        case .int(let values):
            return !NumberFormatting.namesAnIdentifier(name)
                && NumberFormatting.usesGrouping(rows.lazy.filter { !column.isNull($0) }.map { values[$0] })
        case .float(let values):
            let style = NumberFormatting.floatStyle(for: rows.lazy.filter { !column.isNull($0) }.map { values[$0] })
            return style.grouping
        default:
            return false
        }
    }

    /// `text` with control characters made visible (`\n`, `\t`, `\r`, `\x1b`…), so a value can
    /// never break a table line or send escape codes to the terminal.
    static func sanitized(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 4)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x00..<0x20, 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` cut to at most `width` terminal cells, ending in `…` when anything was cut.
    /// Cuts between characters (grapheme clusters), so accents and emoji stay whole; a wide
    /// character that would straddle the limit is left out, making the result one cell shorter.
    static func truncated(_ text: String, width: Int, textWidth: Int? = nil) -> (text: String, width: Int) {
        let full = textWidth ?? DisplayWidth.of(text)
        if full <= width { return (text, full) }
        guard width >= 1 else { return ("", 0) }
        var out = ""
        var used = 0
        for character in text {
            let characterWidth = character.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
            if used + characterWidth > width - 1 { break }
            out.append(character)
            used += characterWidth
        }
        return (out + "…", used + 1)
    }

    /// `text` padded with spaces to `width` cells, on the left when `right` is true.
    static func padded(_ text: String, textWidth: Int, to width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - textWidth))
        return right ? padding + text : text + padding
    }

    /// `count` with separators, and the noun in singular or plural: `1 row`, `12,345 rows`.
    static func counted(_ count: Int, _ singular: String, _ plural: String) -> String {
        NumberFormatting.format(Int64(count), grouping: true) + " " + (count == 1 ? singular : plural)
    }
}
