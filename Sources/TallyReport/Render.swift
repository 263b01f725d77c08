import TallyEngine

/// The output modes of `.mode`: a box table for people, or a format to copy into other tools.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, tsv, json, markdown, line
}

/// What the terminal-facing renderers need to know about where their text goes.
public struct RenderOptions: Sendable, Equatable {
    /// Terminal width in cells; tables never draw a line wider than this. 80 when unknown.
    public var width: Int
    /// Rows shown before the middle of a long result is elided (first half and last half are
    /// shown around a `… N more rows` line); nil shows every row.
    public var maxRows: Int?
    /// Whether ANSI styling is used (nulls dimmed). Off for pipes, files and `NO_COLOR`.
    public var color: Bool
    /// Widest a column gets, in cells; longer values are cut with `…`.
    public var maxColumnWidth: Int
    /// What a null cell shows in a box table: `null` for query results; a listing such as `.tables`
    /// shows `—` for what is not known yet.
    public var nullText: String = "null"

    /// A width no table reaches: for output that is not cut (a pipe, a file, `.maxwidth none`).
    public static let unlimitedWidth = 1_000_000

    public init(width: Int = 80, maxRows: Int? = 40, color: Bool = false, maxColumnWidth: Int = 40) {
        self.width = width
        self.maxRows = maxRows
        self.color = color
        self.maxColumnWidth = maxColumnWidth
    }

    /// Rows to show: all of them, or the first and last of a long table with the count left out
    /// between. A table is only cut when that hides at least two rows: hiding a single row behind
    /// a `… 1 more row` line would save nothing.
    func rowSelection(rowCount: Int) -> (head: Range<Int>, tail: Range<Int>, hidden: Int) {
        guard let maxRows, rowCount > max(0, maxRows) + 1 else { return (0..<rowCount, rowCount..<rowCount, 0) }
        let limit = max(0, maxRows)
        let headCount = (limit + 1) / 2
        let tailCount = limit / 2
        return (0..<headCount, (rowCount - tailCount)..<rowCount, rowCount - headCount - tailCount)
    }
}

/// ANSI styling, applied after widths are measured (escape codes take no cells).
enum Style {
    static let dim = "\u{1B}[2m"
    static let reset = "\u{1B}[0m"

    static func dimmed(_ text: String, if enabled: Bool) -> String {
        enabled ? dim + text + reset : text
    }
}

/// `table` in `format`: the box table and line mode are sized and limited by `options`; CSV, TSV,
/// JSON and Markdown are the engine's export writers and always hold every row (cutting rows out of
/// data meant for another tool would silently lose them). The text ends with a newline, except
/// that CSV, TSV and Markdown write nothing at all for a table without columns.
public func render(_ table: Table, format: OutputFormat, options: RenderOptions = RenderOptions()) -> String {
    switch format {
    case .table: return TableRenderer(options: options).render(table)
    case .line: return LineRenderer(options: options).render(table)
    case .csv: return CSVWriter.csv.string(table)
    case .tsv: return CSVWriter.tsv.string(table)
    case .json: return JSONWriter().string(table)
    case .markdown: return MarkdownWriter().string(table)
    }
}
