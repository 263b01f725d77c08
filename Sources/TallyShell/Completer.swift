import Foundation
import TallyEngine
import TallyReport

/// What Tab offers, by where the cursor is in the grammar (`CursorContext`): commands after a
/// leading `.`, paths after `.load` and `.run`, tables after `from` and `join`, transforms after
/// `|` or at the start of a step, the columns of the relation at that point of the pipeline (then
/// functions) inside a step, parameters after `$`. The words of the language come from
/// `Vocabulary`, each shown with its form when there are several candidates.
public struct Completer {
    public let session: Session
    public let commands: [ShellCommand]

    public init(session: Session, commands: [ShellCommand] = ShellCommand.all) {
        self.session = session
        self.commands = commands
    }

    /// A candidate and what is shown beside it in a list (a type, a form, a summary).
    public struct Candidate: Equatable {
        public var text: String
        public var note: String
    }

    /// Completions for `before`, the statement up to the cursor (earlier lines of a multi-line
    /// statement included, joined by line ends).
    public func complete(_ before: String) -> LineEditor.Completion {
        let (wordLength, candidates) = candidates(before)
        return LineEditor.Completion(wordLength: wordLength, candidates: candidates.map(\.text), notes: candidates.map(\.note))
    }

    /// The word being completed (as a count of characters) and its candidates, in the order shown.
    public func candidates(_ before: String) -> (Int, [Candidate]) {
        let trimmed = before.drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        if trimmed.hasPrefix(".") { return commandCandidates(String(trimmed)) }
        let word = Completer.lastWord(before)
        let offered: [Candidate]
        switch CursorContext.at(endOf: before, wordLength: word.count) {
        case .statementStart:
            offered = ["from", "let"].compactMap { Vocabulary.entry($0) }.map(Completer.candidate)
        case .relation:
            offered = relationCandidates()
        case .transform:
            offered = Vocabulary.transforms.filter { $0.name != "from" }.map(Completer.candidate)
        case .parameter:
            offered = session.parameters.keys.sorted().map { Candidate(text: "$" + $0, note: session.parameters[$0] ?? "") }
        case .expression(let pipeline, let joined):
            var columns: [Candidate] = []
            if let pipeline, let found = session.columns(ofPipeline: pipeline) {
                columns += found.map { Candidate(text: Completer.quotedIfNeeded($0.name), note: $0.type.rawValue) }
            }
            if let joined, let found = session.columns(ofTable: joined) {
                columns += found.map { Candidate(text: Completer.quotedIfNeeded($0.name), note: "\($0.type.rawValue) · \(joined)") }
            }
            // `that.ci`, `c.ci`, `this.am`: the columns under the qualifier typed.
            if let dot = word.lastIndex(of: "."), !["math", "text", "date"].contains(String(word[..<dot])) {
                let qualifier = String(word[...dot])
                offered = columns.map { Candidate(text: qualifier + $0.text, note: $0.note) }
                break
            }
            let declared = session.declaredNames.map { Candidate(text: $0, note: "let") }
            // With nothing typed yet, the columns alone (all eighty functions would bury them).
            offered = word.isEmpty && !columns.isEmpty
                ? columns : columns + declared + Vocabulary.expressionWords.map(Completer.candidate)
        }
        var seen = Set<String>()
        let matches = offered.filter { $0.text.hasPrefix(word) && $0.text != word && seen.insert($0.text).inserted }
        return (word.count, matches)
    }

    static func candidate(_ entry: VocabularyEntry) -> Candidate {
        Candidate(text: entry.name, note: entry.signature)
    }

    private func relationCandidates() -> [Candidate] {
        session.catalog.names.map { name in
            let entry = session.catalog.entry(name)
            let rows = entry?.table.map { "\($0.rowCount.formatted(grouping: true)) rows" }
                ?? entry?.remote.map { "\($0.kind) in \($0.connection.name)" } ?? "table"
            return Candidate(text: name, note: rows)
        }
    }

    /// A dot-command line: the command names, then per command its arguments.
    private func commandCandidates(_ line: String) -> (Int, [Candidate]) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        let word = parts.last.map(String.init) ?? ""
        if parts.count == 1 {
            let names = commands.map { Candidate(text: "." + $0.name, note: $0.summary) }.filter { $0.text.hasPrefix(word) }
            return (word.count, names)
        }
        let name = String(parts[0].dropFirst())
        let command: String
        if case .success(let c) = ShellCommand.resolve(name) { command = c.name } else { command = name }
        let position = parts.count - 1   // 1: the first argument
        let offered: [Candidate]
        switch command {
        case "load":
            if position == 1 { offered = Completer.paths(word).map { Candidate(text: $0, note: "") } }
            else {
                offered = ["as", "delimiter:", "header:", "encoding:", "ignore_errors:", "types:", "replace:", "sheet:", "range:", "totals:", "notes:"].map { Candidate(text: $0, note: "") }
            }
        case "run", "save", "export", "svg", "edit", "sheets":
            offered = position == 1 ? Completer.paths(word).map { Candidate(text: $0, note: "") } : []
        case "schema":
            offered = position == 1 ? relationCandidates() : []
        case "store":
            switch position {
            case 1: offered = relationCandidates()
            case 2: offered = [Candidate(text: "into", note: "")]
            case 3: offered = session.connectionNames.map { Candidate(text: $0 + ".", note: "connected database") }
            default: offered = [Candidate(text: "replace:true", note: "replace an existing table")]
            }
        case "help":
            offered = position == 1 ? commands.map { Candidate(text: $0.name, note: $0.summary) } + [Candidate(text: "datasets", note: "")] : []
        case "mode":
            offered = position == 1 ? OutputFormat.allCases.map(\.rawValue).map { Candidate(text: $0, note: "") } : []
        case "timer", "pager":
            offered = position == 1 ? ["on", "off"].map { Candidate(text: $0, note: "") } : []
        case "journal":
            offered = position == 1 ? [Candidate(text: "list", note: "recent journals")] : []
        default:
            offered = []
        }
        return (word.count, offered.filter { $0.text.hasPrefix(word) && $0.text != word })
    }

    /// A name as it must be typed: backticks when it is not a plain identifier.
    static func quotedIfNeeded(_ name: String) -> String {
        guard let first = name.unicodeScalars.first else { return "``" }
        let plain = (first.properties.isAlphabetic || first == "_")
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
        return plain ? name : "`" + name + "`"
    }

    /// The word being typed: back to the last space, bracket or operator. `.` and `$` belong to it
    /// (`math.ab`, `t.coun`, `$ye`).
    static func lastWord(_ text: String) -> String {
        var word = ""
        for ch in text.reversed() {
            if ch == " " || ch == "\t" || ch == "\n" || "({[,|=<>+-*/%!&?:~}])\"".contains(ch) { break }
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
