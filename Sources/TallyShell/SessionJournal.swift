import Foundation
import TallyEngine
#if canImport(Glibc)
import Glibc
#endif

/// The session journal: every statement of an interactive session, appended to
/// `$XDG_STATE_HOME/tally/sessions/<timestamp>.tally` as soon as it has run, so a crash or a killed
/// terminal loses nothing. The journal is a script: `tally run` replays it. Statements that failed
/// are kept as comments (`# failed: …`), so the replay runs what worked and the record stays whole.
///
/// The file is created with the first statement, so a session that runs nothing leaves no file.
/// A statement is written after it has run (that is when success is known); one that crashes the
/// process is the only one that cannot be written, and it would crash a replay too.
public final class SessionJournal {
    public let path: String
    private var created = false

    public init(path: String) {
        self.path = path
    }

    /// `$XDG_STATE_HOME/tally/sessions/2026-11-29T16-33-01Z.tally` for the given moment (UTC).
    /// Another session that started in the same second gets `-2`, `-3`, ….
    public static func defaultPath(now: Date = Date()) -> String {
        let base = HistoryFile.stateDirectory() + "/sessions/" + timestamp(now)
        var path = base + ".tally"
        var n = 2
        while FileManager.default.fileExists(atPath: path) && n < 1000 {
            path = base + "-\(n).tally"
            n += 1
        }
        return path
    }

    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))-\(two(parts.tm_min))-\(two(parts.tm_sec))Z"
    }

    /// Appends a statement that ran.
    public func append(_ statement: String) throws {
        try write(statement.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
    }

    /// Appends a statement that failed, commented out.
    public func appendFailed(_ statement: String) throws {
        let lines = statement.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false)
        var text = ""
        for (i, line) in lines.enumerated() { text += (i == 0 ? "# failed: " : "#         ") + line + "\n" }
        try write(text)
    }

    private func write(_ text: String) throws {
        if !created {
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw TallyShellError("cannot create the journal folder \(directory): \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw TallyShellError("cannot write the session journal \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        if !created {
            created = true
            let header = "# tally session journal · 会话记录 — replay with: tally run \(path)\n"
            bytes = Array(header.utf8) + bytes
        }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw TallyShellError("cannot write the session journal \(path): \(String(cString: strerror(errno)))")
        }
        // Flushed to the kernel by write(2); fsync makes it survive a power cut too, and one
        // statement at a time is far below its cost.
        fsync(fd)
    }

    /// Whether anything has been written yet.
    public var exists: Bool { created }

    // MARK: - Old journals

    /// `$XDG_STATE_HOME/tally/sessions`.
    public static func directory() -> String { HistoryFile.stateDirectory() + "/sessions" }

    /// The journals in `directory`, newest first (by modification time, then name).
    static func journals(in directory: String) -> [(path: String, modified: Date)] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".tally") }.compactMap { name in
            let path = directory + "/" + name
            guard let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
            return (path, modified)
        }.sorted { $0.modified != $1.modified ? $0.modified > $1.modified : $0.path > $1.path }
    }

    /// Removes journals older than `maxAge` or beyond the newest `keepNewest`, never `current`.
    /// Returns how many were removed. Run at the REPL's start, so the folder does not grow without end.
    @discardableResult
    public static func prune(in directory: String, keeping current: String?, keepNewest: Int = 200,
                             maxAge: TimeInterval = 30 * 24 * 3600, now: Date = Date()) -> Int {
        var removed = 0
        for (index, journal) in journals(in: directory).enumerated() where journal.path != current {
            if index >= keepNewest || now.timeIntervalSince(journal.modified) > maxAge {
                if (try? FileManager.default.removeItem(atPath: journal.path)) != nil { removed += 1 }
            }
        }
        return removed
    }

    /// `.journal list`: the recent journals, newest first, with their statement count and first
    /// statement (what a session was about, at a glance).
    public static func recent(in directory: String, current: String?, limit: Int = 20) -> Table {
        var files: [String?] = [], currents: [Bool?] = [], counts: [Int64?] = [], firsts: [String?] = []
        for journal in journals(in: directory).prefix(limit) {
            let text = FileManager.default.contents(atPath: journal.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let statements = StatementSplitter.split(text).map(\.text).filter { !$0.hasPrefix("#") }
            let name = (journal.path as NSString).lastPathComponent
            files.append(name)
            currents.append(journal.path == current)
            counts.append(Int64(statements.count))
            let first = statements.first?.split(separator: "\n").first.map(String.init) ?? ""
            firsts.append(first)
        }
        return Table(uncheckedNames: ["journal", "this_session", "statements", "first_statement"],
                     columns: [Column(texts: files), Column(bools: currents), Column(ints: counts), Column(texts: firsts)],
                     rowCount: files.count)
    }
}
