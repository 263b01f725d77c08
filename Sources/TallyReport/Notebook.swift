import Foundation
import TallyEngine

/// A notebook: a Markdown file whose fenced code blocks tagged `tally` are cells and everything else
/// is prose, with optional YAML front matter (`title`, `params` with defaults) and cell options
/// written as leading `#| key: value` lines.
///
/// ````
/// ---
/// title: 学生资助 · Student aid
/// params:
///   year: 2023
/// ---
///
/// What does aid look like in $year?
///
/// ```tally
/// #| caption: Aid by level
/// from student_aid | filter year == $year | group level (aggregate {total = sum amount_yuan})
/// ```
/// ````
///
/// Output blocks written by Tally itself (between `<!-- tally:output -->` and
/// `<!-- /tally:output -->`) are dropped when a notebook is read, so a saved session or a Markdown
/// report can be run again without its old outputs piling up.
public struct Notebook: Sendable, Equatable {
    public var title: String?
    public var subtitle: String?
    public var author: String?
    public var date: String?
    /// The report's language (`lang` in the front matter), `zh-CN` when not given.
    public var lang: String?
    /// Parameters with their defaults, in the order the front matter lists them.
    public var params: [Param]
    public var blocks: [Block]

    public struct Param: Sendable, Equatable {
        public var name: String
        public var defaultValue: String
        public init(name: String, defaultValue: String) {
            self.name = name
            self.defaultValue = defaultValue
        }
    }

    public enum Block: Sendable, Equatable {
        /// Markdown text between cells, as written.
        case prose(String)
        case cell(Cell)
    }

    public init(title: String? = nil, params: [Param] = [], blocks: [Block] = []) {
        self.title = title
        self.params = params
        self.blocks = blocks
    }

    public var cells: [Cell] {
        blocks.compactMap { if case .cell(let cell) = $0 { return cell } else { return nil } }
    }
}

/// One `tally` code block.
public struct Cell: Sendable, Equatable {
    /// The code, without the fence and the `#|` option lines.
    public var source: String
    /// 1-based line of the notebook file on which `source` starts.
    public var line: Int
    public var options: CellOptions

    public init(source: String, line: Int, options: CellOptions = CellOptions()) {
        self.source = source
        self.line = line
        self.options = options
    }
}

/// The `#| key: value` options of a cell.
public struct CellOptions: Sendable, Equatable {
    /// Show the code (default true).
    public var echo = true
    /// Run the cell (default true); a cell that is not run shows its code only.
    public var eval = true
    /// Show what the cell gives (default true).
    public var output = true
    /// Keep going when a statement of this cell fails, showing the error (default false).
    public var error = false
    /// An anchor for the cell's output (`id` in HTML).
    public var label: String?
    /// A caption under the cell's output.
    public var caption: String?
    /// Most rows a table shows (default `NotebookRunner.defaultRows`).
    public var rows: Int?

    public init() {}

    public static let names = ["echo", "eval", "output", "error", "label", "caption", "rows"]
}

/// Reading notebooks.
public enum NotebookParser {
    public static let outputStart = "<!-- tally:output -->"
    public static let outputEnd = "<!-- /tally:output -->"

    /// Reads a notebook file. A missing file, bad front matter or an unknown cell option is a usage
    /// error naming the file and line.
    public static func read(path: String) throws -> Notebook {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TallyError(.usage, "cannot read notebook `\(path)`", hint: "check the path", file: path)
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Whether a file given as a script is a notebook: a Markdown name, or Markdown with front matter
    /// or `tally` cells. Running one as a script fails on its prose; this says what to run instead.
    public static func notebookGivenAsScript(path: String, text: String) -> TallyError? {
        let lower = path.lowercased()
        let markdownName = lower.hasSuffix(".md") || lower.hasSuffix(".markdown")
        let hasCells = text.hasPrefix("```tally") || text.contains("\n```tally")
        guard markdownName || (text.hasPrefix("---\n") && hasCells) else { return nil }
        return TallyError(.usage, "`\(path)` is a notebook, not a script",
                          hint: "run it with `tally notebook \(path) --to html` (or `--to md`); "
                            + "它是笔记本，请用 `tally notebook` 运行")
    }

    public static func parse(_ text: String, file: String? = nil) throws -> Notebook {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        if lines.last == "" { lines.removeLast() }
        var notebook = Notebook()
        var index = 0

        // Front matter: `---` on the very first line, closed by `---` (or `...`).
        if let first = lines.first, first.trimmingTrailingSpaces() == "---" {
            guard let close = lines.indices.dropFirst().first(where: {
                let l = lines[$0].trimmingTrailingSpaces()
                return l == "---" || l == "..."
            }) else {
                throw TallyError(.usage, "front matter opened on line 1 is never closed",
                                 hint: "end it with a line `---`", file: file, line: 1)
            }
            try FrontMatter.apply(Array(lines[1..<close]), firstLine: 2, to: &notebook, file: file)
            index = close + 1
        }

        var prose: [Substring] = []
        func flushProse() {
            // Blank lines around prose are layout, not content.
            while let f = prose.first, f.allSatisfy({ $0 == " " || $0 == "\t" }) { prose.removeFirst() }
            while let l = prose.last, l.allSatisfy({ $0 == " " || $0 == "\t" }) { prose.removeLast() }
            if !prose.isEmpty { notebook.blocks.append(.prose(prose.joined(separator: "\n"))) }
            prose = []
        }

        while index < lines.count {
            let line = lines[index]
            if line.trimmingTrailingSpaces() == outputStart {
                // An old output block: skip to its end.
                var end = index + 1
                while end < lines.count && lines[end].trimmingTrailingSpaces() != outputEnd { end += 1 }
                index = end + 1
                continue
            }
            if let fence = Fence(line) {
                // Find the closing fence; an unclosed one runs to the end of the file (CommonMark).
                var end = index + 1
                while end < lines.count && !fence.isClosed(by: lines[end]) { end += 1 }
                let body = Array(lines[(index + 1)..<min(end, lines.count)])
                if fence.isTally {
                    flushProse()
                    notebook.blocks.append(.cell(try cell(body, firstLine: index + 2, file: file)))
                } else {
                    prose.append(contentsOf: lines[index..<min(end + 1, lines.count)])
                }
                index = end + 1
                continue
            }
            prose.append(line)
            index += 1
        }
        flushProse()
        return notebook
    }

    static func cell(_ body: [Substring], firstLine: Int, file: String?) throws -> Cell {
        var options = CellOptions()
        var i = 0
        while i < body.count, body[i].hasPrefix("#|") {
            let lineNumber = firstLine + i
            let text = body[i].dropFirst(2).trimmingSpaces()
            i += 1
            if text.isEmpty { continue }
            guard let colon = text.firstIndex(of: ":") else {
                throw TallyError(.usage, "cell option `\(text)` needs a value",
                                 hint: "write `#| key: value`, e.g. `#| echo: false`", file: file, line: lineNumber)
            }
            let key = text[..<colon].trimmingSpaces()
            let value: String
            do {
                value = try FrontMatter.scalar(text[text.index(after: colon)...].trimmingSpaces(), key: key)
            } catch let error as FrontMatter.ScalarError {
                throw TallyError(.usage, "cell option: " + error.message, hint: error.hint, file: file, line: lineNumber)
            }
            func bool() throws -> Bool {
                switch value.lowercased() {
                case "true", "yes": return true
                case "false", "no": return false
                default:
                    throw TallyError(.usage, "cell option `\(key)` takes true or false, got `\(value)`",
                                     file: file, line: lineNumber)
                }
            }
            switch key {
            case "echo": options.echo = try bool()
            case "eval": options.eval = try bool()
            case "output": options.output = try bool()
            case "error": options.error = try bool()
            case "label": options.label = value
            case "caption": options.caption = value
            case "rows":
                guard let n = Int(value), n > 0 else {
                    throw TallyError(.usage, "cell option `rows` takes a positive number, got `\(value)`",
                                     file: file, line: lineNumber)
                }
                options.rows = n
            default:
                throw TallyError(.usage, "unknown cell option `\(key)`",
                                 hint: Suggest.nearest(String(key), in: CellOptions.names).map { "did you mean `\($0)`?" }
                                    ?? "options: " + CellOptions.names.joined(separator: ", "),
                                 file: file, line: lineNumber)
            }
        }
        var code = Array(body[i...])
        while let last = code.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { code.removeLast() }
        return Cell(source: code.joined(separator: "\n"), line: firstLine + i, options: options)
    }

    /// A code fence: three or more backticks or tildes, indented at most three spaces.
    struct Fence {
        var character: Character
        var length: Int
        var info: Substring

        init?(_ line: Substring) {
            var rest = line
            var indent = 0
            while rest.first == " " && indent < 4 { rest.removeFirst(); indent += 1 }
            guard indent < 4, let c = rest.first, c == "`" || c == "~" else { return nil }
            let run = rest.prefix(while: { $0 == c })
            guard run.count >= 3 else { return nil }
            let info = rest.dropFirst(run.count).trimmingSpaces()
            if c == "`" && info.contains("`") { return nil }
            character = c
            length = run.count
            self.info = info
        }

        /// `tally`, `{tally}` or `tally` followed by more words.
        var isTally: Bool {
            let word = info.split(separator: " ").first.map(String.init) ?? ""
            return word == "tally" || word == "{tally}"
        }

        func isClosed(by line: Substring) -> Bool {
            var rest = line
            var indent = 0
            while rest.first == " " && indent < 4 { rest.removeFirst(); indent += 1 }
            guard indent < 4 else { return false }
            let run = rest.prefix(while: { $0 == character })
            return run.count >= length && rest.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" }
        }
    }
}

/// The small YAML subset notebooks use in their front matter: `key: value` scalars (plain, `"double"`
/// or `'single'` quoted), and `params:` as a map of names to default values, indented below it. Our
/// own code rather than Yams: these few forms need no C library, and errors can name the exact line.
enum FrontMatter {
    static let keys = ["title", "subtitle", "author", "date", "lang", "params"]

    static func apply(_ lines: [Substring], firstLine: Int, to notebook: inout Notebook, file: String?) throws {
        var inParams = false
        for (offset, raw) in lines.enumerated() {
            let lineNumber = firstLine + offset
            let line = stripComment(raw)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let indented = line.first == " " || line.first == "\t"
            func fail(_ message: String, hint: String? = nil) -> TallyError {
                TallyError(.usage, "bad front matter: " + message, hint: hint, file: file, line: lineNumber)
            }
            if line.first == "\t" { throw fail("tabs are not allowed for indentation in YAML", hint: "indent with spaces") }
            guard let colon = keyColon(line) else {
                throw fail("expected `key: value`, got `\(line.trimmingSpaces())`")
            }
            let key = line[..<colon].trimmingSpaces()
            let value: String
            do {
                value = try scalar(line[line.index(after: colon)...].trimmingSpaces(), key: key)
            } catch let error as ScalarError {
                throw fail(error.message, hint: error.hint)
            }
            if indented {
                guard inParams else { throw fail("unexpected indentation before `\(key)`") }
                guard isParameterName(key) else {
                    throw fail("`\(key)` is not a parameter name", hint: "use letters, digits and `_`, e.g. `year`")
                }
                if notebook.params.contains(where: { $0.name == key }) { throw fail("parameter `\(key)` is given twice") }
                notebook.params.append(Notebook.Param(name: String(key), defaultValue: value))
                continue
            }
            inParams = false
            switch key {
            case "title": notebook.title = value
            case "subtitle": notebook.subtitle = value
            case "author": notebook.author = value
            case "date": notebook.date = value
            case "lang": notebook.lang = value
            case "params":
                guard value.isEmpty || value == "{}" else {
                    throw fail("`params` takes a map, one parameter a line below it",
                               hint: "e.g.\nparams:\n  year: 2023")
                }
                inParams = true
            default:
                throw fail("unknown key `\(key)`",
                           hint: Suggest.nearest(String(key), in: keys).map { "did you mean `\($0)`?" }
                            ?? "keys: " + keys.joined(separator: ", "))
            }
        }
    }

    /// The colon that ends a key (outside quotes), followed by a space or the end of the line.
    static func keyColon(_ line: Substring) -> Substring.Index? {
        var i = line.startIndex
        while i < line.endIndex {
            if line[i] == ":" {
                let next = line.index(after: i)
                if next == line.endIndex || line[next] == " " { return line[..<i].trimmingSpaces().isEmpty ? nil : i }
            }
            if line[i] == "\"" || line[i] == "'" { return nil }
            i = line.index(after: i)
        }
        return nil
    }

    /// The line without a ` # comment` (a `#` outside quotes, after a space or at the start).
    static func stripComment(_ line: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        var escaped = false
        for i in line.indices {
            let c = line[i]
            if let q = quote {
                if escaped {
                    escaped = false
                } else if q == "\"" && c == "\\" {
                    escaped = true
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "'" {
                if previous == " " || previous == ":" { quote = c }
            } else if c == "#" && (previous == " " || previous == "\t") {
                return line[..<i]
            }
            previous = c
        }
        return line
    }

    /// A scalar's value: plain text as it is, a `"double"` quoted one with its `\n`, `\t`, `\\` and
    /// `\"` escapes, a `'single'` quoted one with `''` for a quote. A quote that is not closed, or
    /// text after the closing quote, is an error (YAML refuses both).
    static func scalar(_ value: Substring, key: Substring) throws -> String {
        guard let q = value.first, q == "\"" || q == "'" else { return String(value) }
        var out = ""
        var i = value.index(after: value.startIndex)
        var closed: Substring.Index?
        while i < value.endIndex {
            let c = value[i]
            if q == "\"" && c == "\\" {
                let next = value.index(after: i)
                guard next < value.endIndex else { break }
                switch value[next] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(value[next])
                }
                i = value.index(after: next)
                continue
            }
            if c == q {
                let next = value.index(after: i)
                if q == "'", next < value.endIndex, value[next] == "'" {
                    out.append("'")
                    i = value.index(after: next)
                    continue
                }
                closed = next
                break
            }
            out.append(c)
            i = value.index(after: i)
        }
        guard let end = closed else {
            throw ScalarError(message: "the quoted value of `\(key)` is not closed: `\(value)`",
                              hint: "end it with \(q): `\(key): \(value)\(q)`")
        }
        let rest = value[end...].trimmingSpaces()
        guard rest.isEmpty || rest.hasPrefix("#") else {
            throw ScalarError(message: "unexpected `\(rest)` after the quoted value of `\(key)`",
                              hint: "put the whole value inside the quotes")
        }
        return out
    }

    struct ScalarError: Error {
        var message: String
        var hint: String
    }

    static func isParameterName<S: StringProtocol>(_ name: S) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }

    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }

}
