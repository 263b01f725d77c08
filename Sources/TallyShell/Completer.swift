import Foundation
import TallyEngine

/// What Tab offers, by where the cursor is: command names after a leading `.`, file paths after
/// `.load`, table names after `from`/`join` and `.schema`, otherwise column names of the tables the
/// statement mentions, then table names, transforms and functions.
public struct Completer {
    public let session: Session
    public let commandNames: [String]

    public init(session: Session, commandNames: [String]) {
        self.session = session
        self.commandNames = commandNames
    }

    /// Transforms and functions of the language, offered where a name may stand.
    public static let keywords = [
        "from", "select", "derive", "filter", "sort", "take", "aggregate", "group", "join", "window", "append",
        "loop", "pivot", "unpivot", "describe", "chart", "let", "case", "side:", "this", "that", "true", "false",
        "null", "sum", "count", "count_distinct", "average", "avg", "min", "max", "stddev", "median", "quantile",
        "any", "all", "concat_array", "first", "last", "row_number", "rank", "rank_dense", "lag", "lead", "round",
        "share", "growth", "spark", "math.abs", "math.round", "math.sqrt", "text.length", "text.lower", "text.upper",
        "text.contains", "text.starts_with", "text.ends_with", "text.replace", "text.trim", "date.year",
        "date.month", "date.to_text", "read_csv",
    ]

    /// Completions for the text before the cursor.
    public func complete(_ before: String) -> LineEditor.Completion {
        let word = Completer.lastWord(before)
        let previous = before.dropLast(word.count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        let trimmed = before.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("."), previous.isEmpty {
            let names = commandNames.map { "." + $0 }.filter { $0.hasPrefix(word) }
            return .init(wordLength: word.count, candidates: names)
        }
        if trimmed.hasPrefix(".load") || trimmed.hasPrefix(".run") || trimmed.hasPrefix(".save")
            || trimmed.hasPrefix(".export") {
            if previous.count == 1 { return .init(wordLength: word.count, candidates: Completer.paths(word)) }
            return .init(wordLength: word.count, candidates: ["as"].filter { $0.hasPrefix(word) })
        }
        let tables = session.catalog.names
        if let last = previous.last, ["from", "join", ".schema"].contains(String(last)) || last.hasSuffix("=") && previous.count >= 2
            && ["from", "join"].contains(String(previous[previous.count - 2])) {
            return .init(wordLength: word.count, candidates: tables.filter { $0.hasPrefix(word) })
        }
        var candidates: [String] = []
        // Columns of the tables the statement names (loaded only if already loaded or small).
        let mentioned = Set(before.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init))
        for table in tables where mentioned.contains(table) {
            if let columns = columns(of: table) { candidates += columns }
        }
        candidates += tables + Completer.keywords
        var seen = Set<String>()
        let matches = candidates.filter { $0.hasPrefix(word) && $0 != word && seen.insert($0).inserted }
        return .init(wordLength: word.count, candidates: matches)
    }

    private func columns(of table: String) -> [String]? {
        guard let entry = session.catalog.entry(table) else { return nil }
        if let loaded = entry.table { return loaded.names }
        if case .file(let path, _) = entry.source,
           let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size < 64 << 20 {
            return (try? session.table(table))?.names
        }
        return nil
    }

    /// The word being typed: back to the last space or bracket.
    static func lastWord(_ text: String) -> String {
        var word = ""
        for ch in text.reversed() {
            if ch == " " || ch == "\t" || ch == "\n" || "({[,|=".contains(ch) { break }
            word.insert(ch, at: word.startIndex)
        }
        return word
    }

    /// File and folder names starting with `prefix` (folders end in `/`).
    static func paths(_ prefix: String) -> [String] {
        let expanded = prefix.hasPrefix("~/") ? NSHomeDirectory() + prefix.dropFirst(1) : prefix
        let directory: String, stem: String, shown: String
        if let slash = expanded.lastIndex(of: "/") {
            directory = String(expanded[...slash])
            stem = String(expanded[expanded.index(after: slash)...])
            shown = String(prefix[...(prefix.lastIndex(of: "/") ?? prefix.startIndex)])
        } else {
            directory = "./"
            stem = expanded
            shown = ""
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(stem) && (!$0.hasPrefix(".") || stem.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + name, isDirectory: &isDirectory)
            return shown + name + (isDirectory.boolValue ? "/" : "")
        }
    }
}
