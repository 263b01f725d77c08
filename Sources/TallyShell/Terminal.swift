import CEditLine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard streams and terminal, in one place.
public enum Terminal {
    public static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Width in cells for tables (80 when stdout is not a terminal); read anew for each table, so a
    /// resized window is picked up by the next one.
    public static var columns: Int {
        let c = Int(tally_terminal_columns())
        return c > 0 ? c : 80
    }

    /// `COLUMNS` from the environment, which sets the table width as it does for psql.
    public static var columnsVariable: String? {
        getenv("COLUMNS").map { String(cString: $0) }
    }

    public static var rows: Int {
        let r = Int(tally_terminal_rows())
        return r > 0 ? r : 24
    }

    /// Whether output may use ANSI colour: a terminal, and `NO_COLOR` unset.
    public static var colorEnabled: Bool {
        stdoutIsTerminal && getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) } != "dumb"
    }

    public static func write(_ text: String) {
        fputs(text, tally_stdout())
        fflush(tally_stdout())
    }

    public static func writeError(_ text: String) {
        fputs(text, tally_stderr())
        fflush(tally_stderr())
    }
}
