import TallyReport

/// How results are shown; changed by `.mode`, `.rows`, `.timer` and the command-line flags.
public struct ShellSettings: Sendable {
    public var format: OutputFormat = .table
    /// Most rows a table shows before it elides the middle.
    public var maxRows: Int = 40
    public var timer = false
    /// nil: colour when stdout is a terminal.
    public var color: Bool?
    /// nil: `chart` draws when stdout is a terminal (else it prints the table).
    public var charts: Bool?
    /// Whether the REPL pages results taller than the window (`.pager on|off`). Scripts, `-c`,
    /// notebooks and output that is not a terminal are never paged.
    public var pager = true
    /// How wide a box table may be (`.maxwidth`).
    public var tableWidth: TableWidth = .auto

    /// `.maxwidth auto`: `COLUMNS` when set, else the terminal's width; no limit when stdout is not
    /// a terminal (a pipe or a file gets every column, uncut). `.maxwidth N`: N cells.
    /// `.maxwidth none`: no limit.
    public enum TableWidth: Sendable, Equatable {
        case auto, cells(Int), unlimited
    }

    public init(format: OutputFormat = .table) {
        self.format = format
    }
}
