import Ink
import TallyEngine

/// Draws a chart as SVG for a cell's table, or returns nil when the statement draws none.
///
/// This is the hook for the `chart` transform: when it lands, the report passes a renderer that
/// recognises a statement ending in `chart …` and returns its `<svg>` markup, which the report puts
/// inline above the table (so the HTML stays one self-contained file). Until then no renderer is set.
public typealias ChartSVGRenderer = @Sendable (_ table: Table, _ statement: String) -> String?

/// A run notebook as one self-contained HTML file: readable typography with a CJK font stack, the
/// prose through Ink, code and outputs styled, numbers right-aligned, errors shown in the cell that
/// failed. No scripts, no external files, no timestamps: the same run gives the same bytes.
public struct HTMLReport: Sendable {
    public var chartRenderer: ChartSVGRenderer?

    public init(chartRenderer: ChartSVGRenderer? = nil) {
        self.chartRenderer = chartRenderer
    }

    public func render(_ run: NotebookRun) -> String {
        let notebook = run.notebook
        let title = notebook.title ?? "Tally notebook"
        var out = """
        <!DOCTYPE html>
        <html lang="\(HTMLText.escape(notebook.lang ?? "zh-CN"))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tally">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(HTMLReport.css)</style>
        </head>
        <body>
        <main>

        """
        out += content(run)
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// What goes inside `<main>`: the header with the parameter values, the error that stopped the
    /// run, and every block. The preview page puts this into its own page and replaces it on update.
    public func content(_ run: NotebookRun, parametersInHeader: Bool = true) -> String {
        let notebook = run.notebook
        var out = ""
        if notebook.title != nil || notebook.subtitle != nil || (parametersInHeader && !run.parameters.isEmpty) {
            out += "<header>\n"
            if let t = notebook.title { out += "<h1>\(HTMLText.escape(t))</h1>\n" }
            if let s = notebook.subtitle { out += "<p class=\"subtitle\">\(HTMLText.escape(s))</p>\n" }
            let meta = [notebook.author, notebook.date].compactMap { $0 }
            if !meta.isEmpty { out += "<p class=\"meta\">\(HTMLText.escape(meta.joined(separator: " · ")))</p>\n" }
            if parametersInHeader && !run.parameters.isEmpty {
                out += "<p class=\"params\">Parameters · 参数: "
                    + run.parameters.map { "<code>\(HTMLText.escape($0.name)) = \(HTMLText.escape($0.value))</code>" }
                        .joined(separator: " ")
                    + "</p>\n"
            }
            out += "</header>\n"
        }
        if let stopped = run.stoppedBy {
            out += "<div class=\"stopped\"><strong>The run stopped at an error · 运行因错误停止</strong>"
                + "<pre>\(HTMLText.escape(stopped))</pre></div>\n"
        }
        let parser = MarkdownParser()
        // Parameters go into the prose after Markdown, as escaped text: a value is never markup.
        let escapedParameters = run.parameters.map { (name: $0.name, value: HTMLText.escape($0.value)) }
        let sameBlocks = run.notebook.blocks.count == run.blocks.count
        for (index, block) in run.blocks.enumerated() {
            switch block {
            case .prose(let substituted):
                var text = substituted
                var substitute = false
                if sameBlocks, case .prose(let original) = run.notebook.blocks[index] {
                    text = original
                    substitute = true
                }
                var html = parser.html(from: HTMLReport.joiningCJKLines(text))
                if substitute { html = NotebookRunner.substitute(escapedParameters, in: html) }
                out += "<section class=\"prose\">\n" + html + "\n</section>\n"
            case .cell(let result):
                out += cell(result)
            }
        }
        return out
    }

    func cell(_ result: CellResult) -> String {
        let options = result.cell.options
        let showOutput = result.ran && (options.output || result.failed)
        guard options.echo || showOutput else { return "" }
        var out = "<section class=\"cell\(result.failed ? " failed" : "")\""
            + (options.label.map { " id=\"\(HTMLText.escape($0))\"" } ?? "") + ">\n"
        if options.echo {
            out += "<pre class=\"code\"><code>\(TallyHighlighter.html(result.cell.source))</code></pre>\n"
        }
        if showOutput {
            var body = ""
            for output in result.outputs {
                switch output {
                case .table(let table, let statement, let maxRows):
                    if let svg = chartRenderer?(table, statement) {
                        body += "<figure class=\"chart\">\n\(svg)\n</figure>\n"
                    }
                    body += HTMLReport.table(table, maxRows: maxRows)
                case .message(let text):
                    if options.output { body += "<pre class=\"message\">\(HTMLText.escape(text))</pre>\n" }
                case .error(let text):
                    body += "<pre class=\"error\">\(HTMLText.escape(text))</pre>\n"
                }
            }
            if let caption = options.caption {
                body += "<p class=\"caption\">\(HTMLText.escape(caption))</p>\n"
            }
            if result.synthetic {
                body += "<p class=\"provenance\">\(HTMLText.escape(Provenance.syntheticFooter))</p>\n"
            }
            if !body.isEmpty { out += "<div class=\"output\">\n" + body + "</div>\n" }
        }
        return out + "</section>\n"
    }

    /// Markdown text with the line breaks between two Chinese characters removed: a browser shows a
    /// soft line break as a space, which is right between English words and wrong between Chinese
    /// ones. Lines inside code fences are left alone.
    public static func joiningCJKLines(_ text: String) -> String {
        var out: [String] = []
        var inFence = false
        var joinNext = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            let isFence = trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")
            if joinNext, !isFence, let first = trimmed.first, isCJK(first), let last = out.indices.last {
                out[last] += trimmed
            } else {
                out.append(String(line))
            }
            if isFence { inFence.toggle() }
            joinNext = !inFence && !isFence && (out.last?.last.map(isCJK) ?? false)
        }
        return out.joined(separator: "\n")
    }

    static func isCJK(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF: return true
        default: return false
        }
    }

    /// A table's first `maxRows` rows, cells formatted as in the terminal (thousands separators,
    /// consistent decimals per column), numbers right-aligned.
    public static func table(_ table: Table, maxRows: Int) -> String {
        guard table.columnCount > 0 else { return "<p class=\"more\">(no columns)</p>\n" }
        let shown = Array(0..<min(maxRows, table.rowCount))
        var out = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        let columns = zip(table.names, CellText.display(table, rows: shown)).map { name, display in
            (name: name, display: display)
        }
        for column in columns {
            out += "<th\(column.display.rightAligned ? " class=\"num\"" : "")>\(HTMLText.escape(column.name))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in shown.indices {
            out += "<tr>"
            for column in columns {
                let d = column.display
                var classes: [String] = []
                if d.rightAligned { classes.append("num") }
                if d.nulls[row] { classes.append("null") }
                out += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>"
                    + HTMLText.escape(d.cells[row]) + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        if table.rowCount == 0 {
            out += "<p class=\"more\">(no rows · 无数据)</p>\n"
        } else if table.rowCount > shown.count {
            out += "<p class=\"more\">\(HTMLText.escape(ReportText.moreRows(shown: shown.count, total: table.rowCount)))</p>\n"
        }
        return out
    }

    public static let css = """
    :root {
      --text: #1f2328; --muted: #5f6b7a; --rule: #d8dee4; --accent: #0b5cad;
      --code-bg: #f5f7f9; --row-alt: #f8fafc; --error: #b42318; --error-bg: #fef3f2;
    }
    * { box-sizing: border-box; }
    html { font-size: 16px; }
    body {
      margin: 0; color: var(--text); background: #fff;
      font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "Helvetica Neue", Arial,
        "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
        "WenQuanYi Micro Hei", sans-serif;
      line-height: 1.7; -webkit-text-size-adjust: 100%;
    }
    main { max-width: 54rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
    header { border-bottom: 1px solid var(--rule); margin-bottom: 1.5rem; padding-bottom: 0.75rem; }
    h1 { font-size: 2rem; line-height: 1.3; margin: 0 0 0.5rem; }
    h2 { font-size: 1.4rem; line-height: 1.35; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; }
    p, ul, ol { margin: 0.6rem 0; }
    a { color: var(--accent); }
    blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--rule); color: var(--muted); }
    .subtitle { font-size: 1.1rem; color: var(--muted); margin: 0; }
    .meta, .params { color: var(--muted); font-size: 0.9rem; margin: 0.3rem 0; }
    code, pre {
      font-family: "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC",
        monospace;
      font-size: 0.88rem;
    }
    :not(pre) > code { background: var(--code-bg); padding: 0.1rem 0.3rem; border-radius: 4px; }
    pre { overflow-x: auto; line-height: 1.5; }
    pre.code { white-space: pre-wrap; overflow-wrap: anywhere; }
    .cell { margin: 1.2rem 0 1.6rem; }
    pre.code { background: var(--code-bg); border: 1px solid var(--rule); border-left: 4px solid var(--accent);
      border-radius: 6px; padding: 0.75rem 1rem; margin: 0 0 0.6rem; }
    .code .kw { color: #8250df; font-weight: 600; }
    .code .str { color: #0a7a3d; }
    .code .com { color: #6e7781; font-style: italic; }
    .code .param { color: #b35900; }
    .output { margin: 0.4rem 0 0; }
    .table-wrap { overflow-x: auto; margin: 0.4rem 0; }
    table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.3rem 0.75rem; border-bottom: 1px solid var(--rule); text-align: left; white-space: nowrap; }
    thead th { border-bottom: 2px solid #9aa5b1; font-weight: 600; background: #fff; }
    tbody tr:nth-child(even) { background: var(--row-alt); }
    tbody tr:hover { background: #eef4fb; }
    .num { text-align: right; }
    td.null { color: #9aa5b1; }
    .more, .caption { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0 0; }
    .caption { font-style: italic; }
    .provenance { color: var(--muted); font-size: 0.8rem; margin: 0.3rem 0 0; }
    pre.message { color: var(--muted); background: none; margin: 0.3rem 0; white-space: pre-wrap; }
    pre.error { color: var(--error); background: var(--error-bg); border-left: 4px solid var(--error);
      border-radius: 4px; padding: 0.6rem 1rem; margin: 0.4rem 0; }
    .cell.failed pre.code { border-left-color: var(--error); }
    .stopped { background: var(--error-bg); border: 1px solid #fecdca; border-radius: 6px; padding: 0.6rem 1rem; margin: 1rem 0; }
    .stopped pre { color: var(--error); margin: 0.4rem 0 0; }
    /* Charts are drawn 960 wide with type for that size (ticks 20, titles 30): on a wide screen the
       figure leaves the text column to be shown at full size, so a projector shows ticks of 16 px
       or more; on a narrow one it fits the window. */
    figure.chart { margin: 1rem 0; width: min(960px, calc(100vw - 2rem)); position: relative; left: 50%;
      transform: translateX(-50%); }
    figure.chart svg { display: block; width: 100%; height: auto; }
    body { overflow-x: hidden; }
    @media print { main { max-width: none; } pre.code { break-inside: avoid; }
      figure.chart { width: 100%; left: 0; transform: none; } }

    """
}

/// HTML escaping for text and attribute values.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// A light highlighter for code in reports: transform keywords, strings, comments and `$params`.
/// It only colours; the text is escaped and otherwise unchanged.
public enum TallyHighlighter {
    static let keywords: Set<String> = ["from", "select", "derive", "filter", "sort", "take", "aggregate", "group",
                                        "join", "window", "append", "let", "prql", "pivot", "unpivot", "describe",
                                        "chart", "case", "true", "false", "null", "this", "that"]

    public static func html(_ code: String) -> String {
        var out = ""
        let chars = Array(code)
        var i = 0
        func span(_ cls: String, _ text: String) { out += "<span class=\"\(cls)\">\(HTMLText.escape(text))</span>" }
        while i < chars.count {
            let c = chars[i]
            if c == "#" {
                var j = i
                while j < chars.count && chars[j] != "\n" { j += 1 }
                span("com", String(chars[i..<j]))
                i = j
            } else if c == "\"" || c == "'" {
                var j = i + 1
                while j < chars.count && chars[j] != c && chars[j] != "\n" {
                    if chars[j] == "\\" { j += 1 }
                    j += 1
                }
                j = min(j + 1, chars.count)
                span("str", String(chars[i..<j]))
                i = j
            } else if c == "$" {
                var j = i + 1
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_") { j += 1 }
                span("param", String(chars[i..<j]))
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count && (chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == ".") { j += 1 }
                let word = String(chars[i..<j])
                let atLineStart = i == 0 || chars[i - 1] == "\n" || chars[i - 1] == " " || chars[i - 1] == "|" || chars[i - 1] == "("
                if keywords.contains(word) && atLineStart { span("kw", word) } else { out += HTMLText.escape(word) }
                i = j
            } else {
                out += HTMLText.escape(String(c))
                i += 1
            }
        }
        return out
    }
}
