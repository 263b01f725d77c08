import CEditLine
import TallyEngine
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

    /// A password typed at the terminal with echo off, after `prompt` (on stderr): nil for Ctrl-D
    /// or an empty line; Ctrl-C is `cancelled`. The terminal's settings come back on every path.
    /// Never kept beyond the caller: not in history, the journal or any message.
    public static func readPassword(prompt: String) throws -> String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        defer { for i in buffer.indices { buffer[i] = 0 } }
        let count = Int(prompt.withCString { tally_read_password(STDIN_FILENO, $0, &buffer, Int32(buffer.count)) })
        switch count {
        case -1: return nil
        case -2: throw TallyError.cancelled()
        case ..<0: throw TallyError(.io, "cannot read a password: standard input is not a terminal",
                                    hint: "set PGPASSWORD or ~/.pgpass")
        default:
            let text = buffer[0..<count].withUnsafeBufferPointer { String(decoding: UnsafeRawBufferPointer($0), as: UTF8.self) }
            return text.hasSuffix("\r") ? String(text.dropLast()) : text
        }
    }
}
