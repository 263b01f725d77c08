import TallyEngine
import TallyReport

/// Builds a table from (name, column) pairs; test tables are well-formed by construction.
func makeTable(_ pairs: [(String, Column)]) -> Table {
    Table(uncheckedNames: pairs.map(\.0), columns: pairs.map(\.1), rowCount: pairs.first?.1.count ?? 0)
}

/// Display widths of the lines of a rendered box (the lines starting with a box character).
func boxLineWidths(_ text: String) -> [Int] {
    text.split(separator: "\n").map(String.init)
        .filter { $0.hasPrefix("┌") || $0.hasPrefix("│") || $0.hasPrefix("├") || $0.hasPrefix("└") }
        .map(DisplayWidth.of)
}
