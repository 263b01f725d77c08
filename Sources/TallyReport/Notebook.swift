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
        /// The values offered when the notebook is previewed (`choices: [2023, 2024]`): a select
        /// instead of a text field. Empty when the parameter takes any value.
        public var choices: [String]
        public init(name: String, defaultValue: String, choices: [String] = []) {
            self.name = name
            self.defaultValue = defaultValue
            self.choices = choices
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
/// or `'single'` quoted), and `params:` as a map of names to default values, indented below it. A
/// parameter may list the values it offers, as a flow map or as a nested block:
///
/// ```yaml
/// params:
///   year: {value: 2025, choices: [2023, 2024, 2025]}
///   level:
///     value: 小学
///     choices:
///       - 小学
///       - 初中
/// ```
///
/// Our own code rather than Yams: these few forms need no C library, and errors can name the exact line.
enum FrontMatter {
    static let keys = ["title", "subtitle", "author", "date", "lang", "params"]

    static func apply(_ lines: [Substring], firstLine: Int, to notebook: inout Notebook, file: String?) throws {
        var inParams = false
        /// Indentation of the parameter names under `params:` (set by the first one).
        var paramIndent: Int?
        /// A parameter written as a nested block (`year:` alone on its line), still open.
        var open: OpenParam?
        func close() throws {
            guard let o = open else { return }
            open = nil
            notebook.params.append(try o.finish(file: file))
        }
        for (offset, raw) in lines.enumerated() {
            let lineNumber = firstLine + offset
            let line = stripComment(raw)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let indented = line.first == " " || line.first == "\t"
            func fail(_ message: String, hint: String? = nil) -> TallyError {
                TallyError(.usage, "bad front matter: " + message, hint: hint, file: file, line: lineNumber)
            }
            if line.first == "\t" { throw fail("tabs are not allowed for indentation in YAML", hint: "indent with spaces") }
            let indent = line.prefix(while: { $0 == " " }).count
            let body = line.trimmingSpaces()
            // `- item` below `choices:` in a nested parameter block.
            if body == "-" || body.hasPrefix("- ") {
                guard inParams, var o = open, o.listOpen, let keyIndent = o.keyIndent, indent >= keyIndent else {
                    throw fail("unexpected list item `\(body)`",
                               hint: "list items go under `choices:` of a parameter, e.g.\nparams:\n  year:\n    value: 2023\n    choices:\n      - 2022\n      - 2023")
                }
                do {
                    o.choices.append(try scalar(body.dropFirst().trimmingSpaces(), key: "choices"))
                } catch let error as ScalarError {
                    throw fail(error.message, hint: error.hint)
                }
                o.listUsed = true
                open = o
                continue
            }
            guard let colon = keyColon(line) else {
                throw fail("expected `key: value`, got `\(body)`")
            }
            let key = line[..<colon].trimmingSpaces()
            let rawValue = line[line.index(after: colon)...].trimmingSpaces()
            let value: String
            do {
                value = try scalar(rawValue, key: key)
            } catch let error as ScalarError {
                throw fail(error.message, hint: error.hint)
            }
            if indented {
                guard inParams else { throw fail("unexpected indentation before `\(key)`") }
                let level = paramIndent ?? indent
                paramIndent = level
                if indent > level {
                    // A field of the open nested parameter: `value:` or `choices:`.
                    guard var o = open else {
                        throw fail("unexpected indentation before `\(key)`",
                                   hint: "a parameter is either `name: value` or `name:` with `value:` and `choices:` indented below it")
                    }
                    if let keyIndent = o.keyIndent, keyIndent != indent {
                        throw fail("`\(key)` is not indented like `\(o.lastKey)` above it")
                    }
                    o.keyIndent = indent
                    o.lastKey = String(key)
                    o.listOpen = false
                    do {
                        try o.set(String(key), raw: rawValue, value: value)
                    } catch let error as ScalarError {
                        throw fail(error.message, hint: error.hint)
                    }
                    if key == "choices" && rawValue.isEmpty { o.listOpen = true }
                    open = o
                    continue
                }
                guard indent == level else {
                    throw fail("`\(key)` is not indented like the parameters above it")
                }
                try close()
                guard isParameterName(key) else {
                    throw fail("`\(key)` is not a parameter name", hint: "use letters, digits and `_`, e.g. `year`")
                }
                if notebook.params.contains(where: { $0.name == key }) { throw fail("parameter `\(key)` is given twice") }
                if rawValue.isEmpty {
                    open = OpenParam(name: String(key), line: lineNumber)
                } else if rawValue.first == "{" {
                    var o = OpenParam(name: String(key), line: lineNumber)
                    do {
                        for (field, fieldValue) in try FlowValue.map(rawValue, key: key) {
                            try o.set(field, flow: fieldValue)
                        }
                    } catch let error as ScalarError {
                        throw fail(error.message, hint: error.hint)
                    }
                    notebook.params.append(try o.finish(file: file))
                } else if rawValue.first == "[" {
                    throw fail("parameter `\(key)` needs one default value, not a list",
                               hint: "to offer choices write `\(key): {value: …, choices: [\(rawValue.dropFirst().dropLast())]}`")
                } else {
                    notebook.params.append(Notebook.Param(name: String(key), defaultValue: value))
                }
                continue
            }
            try close()
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
        try close()
    }

    /// A parameter being read from a flow map or a nested block: its default and its choices.
    struct OpenParam {
        var name: String
        /// Line of the parameter's name, for errors found when it is complete.
        var line: Int
        var value: String?
        var choices: [String] = []
        var choicesGiven = false
        /// Indentation of the fields of a nested block.
        var keyIndent: Int?
        var lastKey = ""
        /// `choices:` with nothing after it: `- item` lines follow.
        var listOpen = false
        var listUsed = false

        static let fields = ["value", "choices"]

        init(name: String, line: Int) {
            self.name = name
            self.line = line
        }

        mutating func set(_ field: String, raw: Substring, value: String) throws {
            if raw.first == "[" || raw.first == "{" {
                try set(field, flow: try FlowValue.parse(raw, key: Substring(field)))
            } else if field == "choices" && raw.isEmpty {
                try set(field, flow: .list([]))
            } else {
                try set(field, flow: .scalar(value))
            }
        }

        mutating func set(_ field: String, flow: FlowValue) throws {
            switch field {
            case "value":
                guard value == nil else { throw ScalarError(message: "`value` of `\(name)` is given twice", hint: "give it once") }
                guard case .scalar(let text) = flow else {
                    throw ScalarError(message: "`value` of `\(name)` takes one value", hint: "e.g. `value: 2023`")
                }
                value = text
            case "choices":
                guard !choicesGiven else { throw ScalarError(message: "`choices` of `\(name)` is given twice", hint: "give it once") }
                guard case .list(let items) = flow else {
                    throw ScalarError(message: "`choices` of `\(name)` takes a list",
                                      hint: "e.g. `choices: [2022, 2023]`")
                }
                choicesGiven = true
                choices = items
            default:
                throw ScalarError(message: "unknown field `\(field)` of parameter `\(name)`",
                                  hint: Suggest.nearest(field, in: OpenParam.fields).map { "did you mean `\($0)`?" }
                                    ?? "a parameter has `value` and `choices`")
            }
        }

        func finish(file: String?) throws -> Notebook.Param {
            func fail(_ message: String, hint: String) -> TallyError {
                TallyError(.usage, "bad front matter: " + message, hint: hint, file: file, line: line)
            }
            if choicesGiven && choices.isEmpty {
                throw fail("the choices of `\(name)` are empty", hint: "list them: `choices: [2022, 2023]`")
            }
            var seen = Set<String>()
            for choice in choices where !seen.insert(choice).inserted {
                throw fail("choice `\(choice)` of `\(name)` is listed twice", hint: "list each choice once")
            }
            guard let defaultValue = value ?? choices.first else {
                throw fail("parameter `\(name)` has no value", hint: "give it one: `\(name): 2023`, or `value:` below it")
            }
            if !choices.isEmpty && !choices.contains(defaultValue) {
                throw fail("the value `\(defaultValue)` of `\(name)` is not one of its choices",
                           hint: "choices: " + choices.joined(separator: ", "))
            }
            return Notebook.Param(name: name, defaultValue: defaultValue, choices: choices)
        }
    }

    /// A YAML flow value of the forms parameters use: a scalar, `[a, b, "c, d"]` or
    /// `{key: value, key: [a, b]}` (one level of nesting inside a map).
    enum FlowValue: Equatable {
        case scalar(String)
        case list([String])
        case map([(String, FlowValue)])

        static func == (a: FlowValue, b: FlowValue) -> Bool {
            switch (a, b) {
            case (.scalar(let x), .scalar(let y)): return x == y
            case (.list(let x), .list(let y)): return x == y
            case (.map(let x), .map(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
            default: return false
            }
        }

        static func parse(_ text: Substring, key: Substring) throws -> FlowValue {
            var reader = FlowReader(text: Array(text), key: String(key))
            let value = try reader.value(depth: 0)
            reader.skipSpaces()
            guard reader.atEnd else {
                throw ScalarError(message: "unexpected `\(String(reader.text[reader.index...]))` after the value of `\(key)`",
                                  hint: "close each `[` with `]` and each `{` with `}`")
            }
            return value
        }

        static func map(_ text: Substring, key: Substring) throws -> [(String, FlowValue)] {
            guard case .map(let entries) = try parse(text, key: key) else {
                throw ScalarError(message: "`\(key)` takes a map", hint: "e.g. `{value: 2023, choices: [2022, 2023]}`")
            }
            return entries
        }
    }

    struct FlowReader {
        var text: [Character]
        var key: String
        var index = 0

        var atEnd: Bool { index >= text.count }

        mutating func skipSpaces() {
            while index < text.count, text[index] == " " || text[index] == "\t" { index += 1 }
        }

        func error(_ message: String) -> ScalarError {
            ScalarError(message: message + " in the value of `\(key)`",
                        hint: "e.g. `\(key): {value: 2023, choices: [2022, 2023]}`")
        }

        mutating func value(depth: Int) throws -> FlowValue {
            skipSpaces()
            guard index < text.count else { throw error("a value is missing") }
            switch text[index] {
            case "[":
                guard depth < 2 else { throw error("lists nest too deep") }
                index += 1
                var items: [String] = []
                skipSpaces()
                if index < text.count, text[index] == "]" { index += 1; return .list(items) }
                while true {
                    guard case .scalar(let item) = try value(depth: depth + 1) else {
                        throw error("a choice must be a single value")
                    }
                    items.append(item)
                    skipSpaces()
                    guard index < text.count else { throw error("`[` is never closed") }
                    if text[index] == "]" { index += 1; return .list(items) }
                    guard text[index] == "," else { throw error("expected `,` or `]`") }
                    index += 1
                }
            case "{":
                guard depth < 1 else { throw error("maps nest too deep") }
                index += 1
                var entries: [(String, FlowValue)] = []
                skipSpaces()
                if index < text.count, text[index] == "}" { index += 1; return .map(entries) }
                while true {
                    skipSpaces()
                    let start = index
                    while index < text.count, text[index] != ":" && text[index] != "," && text[index] != "}" { index += 1 }
                    let name = String(text[start..<index]).trimmingCharacters(in: .whitespaces)
                    guard index < text.count, text[index] == ":", !name.isEmpty else {
                        throw error("expected `key: value`")
                    }
                    index += 1
                    entries.append((name, try value(depth: depth + 1)))
                    skipSpaces()
                    guard index < text.count else { throw error("`{` is never closed") }
                    if text[index] == "}" { index += 1; return .map(entries) }
                    guard text[index] == "," else { throw error("expected `,` or `}`") }
                    index += 1
                }
            case "\"", "'":
                let quote = text[index]
                let start = index
                index += 1
                while index < text.count {
                    if quote == "\"" && text[index] == "\\" { index += 2; continue }
                    if text[index] == quote {
                        if quote == "'", index + 1 < text.count, text[index + 1] == "'" { index += 2; continue }
                        break
                    }
                    index += 1
                }
                guard index < text.count else { throw error("a quoted value is not closed") }
                index += 1
                let quoted = String(text[start..<index])
                return .scalar(try FrontMatter.scalar(Substring(quoted), key: Substring(key)))
            default:
                let start = index
                while index < text.count, !",]}".contains(text[index]) { index += 1 }
                let plain = String(text[start..<index]).trimmingCharacters(in: .whitespaces)
                guard !plain.isEmpty else { throw error("a value is missing") }
                return .scalar(plain)
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
