import Foundation
import TallyEngine
import Yams

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

/// Notebooks' YAML front matter, read with Yams: any YAML a user writes (flow or block lists and
/// maps, quoted keys, `|` and `>` block strings, comments). The keys are `title`, `subtitle`,
/// `author`, `date`, `lang` (strings) and `params`, a map of names to default values. A parameter
/// may list the values it offers, as a flow map or as a nested block:
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
/// Values are kept as the text written (`08123`, `yes`, `1e3` and `null` stay those strings).
/// Anchors and aliases are refused, and so is nesting deeper than a front matter needs, so hostile
/// input cannot blow up. Every error names the line of the notebook file.
enum FrontMatter {
    static let keys = ["title", "subtitle", "author", "date", "lang", "params"]
    /// Deepest `[`/`{` nesting read; the front matter's own forms need two.
    static let maxFlowDepth = 16
    /// Largest front matter read, in bytes.
    static let maxBytes = 256 * 1024

    static func apply(_ lines: [Substring], firstLine: Int, to notebook: inout Notebook, file: String?) throws {
        func fail(_ message: String, hint: String? = nil, line: Int) -> TallyError {
            TallyError(.usage, "bad front matter: " + message, hint: hint, file: file, line: line)
        }
        /// The notebook file's line of a Yams mark (whose lines start at 1 on the front matter's first).
        func fileLine(_ mark: Mark?) -> Int { firstLine - 1 + max(1, mark?.line ?? 1) }
        func fileLine(_ node: Node) -> Int { fileLine(node.mark) }

        let text = lines.joined(separator: "\n") + "\n"
        guard text.utf8.count <= maxBytes else {
            throw fail("it is longer than \(maxBytes / 1024) KiB", hint: "keep the front matter to the title and parameters", line: firstLine)
        }
        for (offset, line) in lines.enumerated() where line.first == "\t" {
            throw fail("tabs are not allowed for indentation in YAML", hint: "indent with spaces", line: firstLine + offset)
        }
        try screen(lines, firstLine: firstLine, fail: fail)

        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw translate(error, text: text, lines: lines, firstLine: firstLine, fail: fail)
        }
        guard let root else { return }  // empty or only comments
        if case .scalar(let s) = root, s.string.isEmpty { return }
        guard case .mapping(let top) = root else {
            throw fail("expected `key: value`, got `\(describe(root))`",
                       hint: "e.g.\ntitle: Student aid\nparams:\n  year: 2023", line: fileLine(root))
        }
        for (keyNode, value) in top {
            guard case .scalar(let keyScalar) = keyNode else {
                throw fail("a key must be a name, got `\(describe(keyNode))`", line: fileLine(keyNode))
            }
            let key = keyScalar.string
            let line = fileLine(keyNode)
            func string() throws -> String {
                guard case .scalar(let s) = value else {
                    throw fail("`\(key)` takes one value, not a \(kind(value))",
                               hint: "e.g. `\(key): \"…\"`; quote a value that has `[`, `{` or `: ` in it", line: line)
                }
                return s.string
            }
            switch key {
            case "title": notebook.title = try string()
            case "subtitle": notebook.subtitle = try string()
            case "author": notebook.author = try string()
            case "date": notebook.date = try string()
            case "lang": notebook.lang = try string()
            case "params":
                switch value {
                case .scalar(let s) where s.string.isEmpty && s.style == .plain: continue
                case .mapping(let params):
                    for (nameNode, paramValue) in params {
                        notebook.params.append(try param(nameNode, paramValue, existing: notebook.params,
                                                         fileLine: fileLine, fail: fail))
                    }
                default:
                    throw fail("`params` takes a map, one parameter a line below it",
                               hint: "e.g.\nparams:\n  year: 2023", line: line)
                }
            default:
                let indented = (keyNode.mark?.column ?? 1) > 1 && isParameterName(key)
                throw fail("unknown key `\(key)`",
                           hint: indented ? "unexpected indentation before `\(key)`: parameters go under `params:`"
                            : Suggest.nearest(key, in: keys).map { "did you mean `\($0)`?" }
                            ?? "keys: " + keys.joined(separator: ", "),
                           line: line)
            }
        }
    }

    /// One parameter: `name: value`, or a map of `value` and `choices`.
    static func param(_ nameNode: Node, _ value: Node, existing: [Notebook.Param],
                      fileLine: (Node) -> Int, fail: (String, String?, Int) -> TallyError) throws -> Notebook.Param {
        let line = fileLine(nameNode)
        guard case .scalar(let nameScalar) = nameNode, isParameterName(nameScalar.string) else {
            throw fail("`\(describe(nameNode))` is not a parameter name", "use letters, digits and `_`, e.g. `year`", line)
        }
        let name = nameScalar.string
        if existing.contains(where: { $0.name == name }) { throw fail("parameter `\(name)` is given twice", nil, line) }
        var defaultValue: String?
        var choices: [String] = []
        var choicesGiven = false
        switch value {
        case .scalar(let s):
            guard !(s.string.isEmpty && s.style == .plain) else {
                throw fail("parameter `\(name)` has no value", "give it one: `\(name): 2023`, or `value:` below it", line)
            }
            return Notebook.Param(name: name, defaultValue: s.string)
        case .sequence(let items):
            let listed = items.compactMap(\.scalar?.string).joined(separator: ", ")
            throw fail("parameter `\(name)` needs one default value, not a list",
                       "to offer choices write `\(name): {value: …, choices: [\(listed)]}`", line)
        case .mapping(let fields):
            for (fieldNode, fieldValue) in fields {
                let field = fieldNode.scalar?.string ?? describe(fieldNode)
                let fieldLine = fileLine(fieldNode)
                switch field {
                case "value":
                    guard case .scalar(let s) = fieldValue else {
                        throw fail("`value` of `\(name)` takes one value", "e.g. `value: 2023`", fileLine(fieldValue))
                    }
                    defaultValue = s.string
                case "choices":
                    choicesGiven = true
                    switch fieldValue {
                    case .scalar(let s) where s.string.isEmpty && s.style == .plain: choices = []
                    case .sequence(let items):
                        for item in items {
                            guard case .scalar(let s) = item else {
                                throw fail("a choice of `\(name)` must be a single value, got a \(kind(item))",
                                           "e.g. `choices: [2022, 2023]`", fileLine(item))
                            }
                            choices.append(s.string)
                        }
                    default:
                        throw fail("`choices` of `\(name)` takes a list", "e.g. `choices: [2022, 2023]`", fieldLine)
                    }
                default:
                    throw fail("unknown field `\(field)` of parameter `\(name)`",
                               Suggest.nearest(field, in: ["value", "choices"]).map { "did you mean `\($0)`?" }
                                ?? "a parameter has `value` and `choices`", fieldLine)
                }
            }
        case .alias:
            throw fail("anchors and aliases are not supported", "write the value out", line)
        }
        if choicesGiven && choices.isEmpty {
            throw fail("the choices of `\(name)` are empty", "list them: `choices: [2022, 2023]`", line)
        }
        var seen = Set<String>()
        for choice in choices where !seen.insert(choice).inserted {
            throw fail("choice `\(choice)` of `\(name)` is listed twice", "list each choice once", line)
        }
        guard let chosen = defaultValue ?? choices.first else {
            throw fail("parameter `\(name)` has no value", "give it one: `\(name): 2023`, or `value:` below it", line)
        }
        if !choices.isEmpty && !choices.contains(chosen) {
            throw fail("the value `\(chosen)` of `\(name)` is not one of its choices",
                       "choices: " + choices.joined(separator: ", "), line)
        }
        return Notebook.Param(name: name, defaultValue: chosen, choices: choices)
    }

    /// A Yams error as a usage error on the notebook's line, with a hint.
    static func translate(_ error: YamlError, text: String, lines: [Substring], firstLine: Int,
                          fail: (String, String?, Int) -> TallyError) -> TallyError {
        func line(_ mark: Mark) -> Int { firstLine - 1 + max(1, min(mark.line, max(lines.count, 1))) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // An unclosed quote or bracket is reported at the end; the line it opened on says more.
            let unclosed = problem.contains("end of stream") || problem.contains("could not find expected")
                || (context?.text.contains("flow") ?? false)
            let at = (unclosed ? context?.mark : nil) ?? mark
            var message = problem
            if let context { message = context.text + ", " + problem }
            let hint: String
            if message.contains("quoted scalar") {
                hint = "close the quotes on the same value, e.g. `title: \"…\"`"
            } else if message.contains("mapping values are not allowed") || message.contains("block mapping") {
                hint = "indent each key of a map alike, with spaces; quote a value that has `: ` in it"
            } else if message.contains("flow") {
                hint = "close each `[` with `]` and each `{` with `}`"
            } else {
                hint = "the front matter is YAML: `key: value` lines, e.g.\ntitle: Student aid\nparams:\n  year: 2023"
            }
            return fail(message, hint, line(at))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            // Yams marks the first of the keys; the second one is the mistake.
            let again = lines.indices.filter { i in
                let t = lines[i].trimmingSpaces()
                return t.hasPrefix(key + ":") || t.hasPrefix("\"\(key)\":") || t.hasPrefix("'\(key)':")
            }.dropFirst().first.map { firstLine + $0 } ?? line(context.mark)
            let isParam = lines.contains { $0.trimmingSpaces().hasPrefix("params:") } && !keys.contains(key)
            return fail(isParam ? "parameter `\(key)` is given twice" : "`\(key)` is given twice", "give it once", again)
        case .reader(let problem, let offset, _, _):
            let before = offset.map { String(decoding: text.utf8.prefix($0), as: UTF8.self) } ?? ""
            return fail(problem, "the front matter must be text (UTF-8) without control characters",
                        firstLine + before.filter { $0 == "\n" }.count)
        default:
            return fail("\(error)", nil, firstLine)
        }
    }

    /// Refuses anchors and aliases (`&a`, `*a`: billion-laughs input) and nesting deeper than
    /// `maxFlowDepth` before Yams sees the text. A node starts at a line's first character, after
    /// `- `, `? ` or `: `, and inside `[…]`/`{…}` after `[`, `{` or `,`; quoted strings and block
    /// strings (`|`, `>`) are skipped.
    static func screen(_ lines: [Substring], firstLine: Int, fail: (String, String?, Int) -> TallyError) throws {
        var depth = 0
        var quote: Character?
        var blockIndent: Int?
        for (offset, raw) in lines.enumerated() {
            let lineNumber = firstLine + offset
            let chars = Array(raw)
            let indent = chars.prefix(while: { $0 == " " }).count
            if let b = blockIndent {
                if indent > b || chars.allSatisfy({ $0 == " " }) { continue }
                blockIndent = nil
            }
            var i = quote == nil ? indent : 0
            var nodeStart = quote == nil
            var nesting = 0
            while i < chars.count {
                let c = chars[i]
                if let q = quote {
                    if q == "\"" && c == "\\" { i += 2; continue }
                    if c == q {
                        if q == "'", i + 1 < chars.count, chars[i + 1] == "'" { i += 2; continue }
                        quote = nil
                    }
                    i += 1
                    continue
                }
                if c == " " { i += 1; continue }
                if c == "#", i == 0 || chars[i - 1] == " " { break }
                if nodeStart {
                    switch c {
                    case "&", "*":
                        throw fail("anchors and aliases (`\(c)…`) are not supported", "write each value out", lineNumber)
                    case "\"", "'":
                        quote = c
                        nodeStart = false
                        i += 1
                        continue
                    case "[", "{":
                        depth += 1
                        guard depth <= maxFlowDepth else {
                            throw fail("lists and maps nest deeper than \(maxFlowDepth)", "a parameter needs two: `{value: 1, choices: [1, 2]}`", lineNumber)
                        }
                        i += 1
                        continue
                    case "-", "?":
                        if i + 1 == chars.count || chars[i + 1] == " " {
                            nesting += 1
                            guard nesting <= maxFlowDepth else {
                                throw fail("lists nest deeper than \(maxFlowDepth)", "write one item a line", lineNumber)
                            }
                            i += 1
                            continue
                        }
                    case "|", ">":
                        if depth == 0 { blockIndent = indent; i = chars.count; continue }
                    default: break
                    }
                    nodeStart = false
                }
                switch c {
                case "[", "{":
                    if depth > 0 { depth += 1; nodeStart = true }
                    guard depth <= maxFlowDepth else {
                        throw fail("lists and maps nest deeper than \(maxFlowDepth)", "a parameter needs two: `{value: 1, choices: [1, 2]}`", lineNumber)
                    }
                case "]", "}":
                    if depth > 0 { depth -= 1 }
                case ",":
                    if depth > 0 { nodeStart = true }
                case ":":
                    if i + 1 == chars.count || chars[i + 1] == " " || (depth > 0 && ",]}".contains(chars[i + 1])) {
                        nodeStart = true
                    }
                default: break
                }
                i += 1
            }
        }
    }

    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "value"
        case .sequence: return "list"
        case .mapping: return "map"
        case .alias: return "alias"
        }
    }

    /// A node as the user wrote it, shortened, for messages.
    static func describe(_ node: Node) -> String {
        if case .scalar(let s) = node { return s.string }
        let text = ((try? Yams.serialize(node: node, width: -1, allowUnicode: true,
                                         sequenceStyle: .flow, mappingStyle: .flow)) ?? kind(node))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
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
