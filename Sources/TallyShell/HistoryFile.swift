import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The REPL history on disk: one statement per line (a multi-line statement has its line breaks
/// written as `\n` and backslashes as `\\`), appended as each statement is entered so a crash loses
/// nothing.
public struct HistoryFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/tally/history`, or `~/.local/state/tally/history`.
    public static func defaultPath() -> String {
        stateDirectory() + "/history"
    }

    public static func stateDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        let base: String
        if let xdg = env["XDG_STATE_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = (env["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        return base + "/tally"
    }

    public func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { HistoryFile.decode(String($0)) }
    }

    /// Appends one entry; errors are reported once by the caller and never stop the session.
    public func append(_ entry: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw TallyShellError("cannot write history to \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let line = Array((HistoryFile.encode(entry) + "\n").utf8)
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written != line.count {
            throw TallyShellError("cannot write history to \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func encode(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func decode(_ line: String) -> String {
        var out = ""
        var escape = false
        for ch in line {
            if escape {
                out.append(ch == "n" ? "\n" : ch)
                escape = false
            } else if ch == "\\" {
                escape = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

/// A shell-level failure (the terminal, files of the shell's own).
public struct TallyShellError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
