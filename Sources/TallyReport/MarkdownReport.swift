import TallyEngine

/// A run notebook as a Markdown report: the title as a heading, prose as written, each shown cell as
/// a fenced `tally` block (without its `#|` options) and its outputs below it as Markdown tables.
///
/// Outputs sit between `<!-- tally:output -->` and `<!-- /tally:output -->` (invisible when the
/// Markdown is shown), so the report is itself a notebook: running it again replaces the outputs
/// rather than adding to them. Nothing in it depends on the clock: the same run gives the same bytes.
public struct MarkdownReport: Sendable {
    public init() {}

    public func render(_ run: NotebookRun) -> String {
        var parts: [String] = []
        let notebook = run.notebook
        if let title = notebook.title { parts.append("# " + title) }
        if let subtitle = notebook.subtitle { parts.append("*" + subtitle + "*") }
        let meta = [notebook.author, notebook.date].compactMap { $0 }
        if !meta.isEmpty { parts.append(meta.joined(separator: " · ")) }
        if !run.parameters.isEmpty {
            parts.append("Parameters · 参数: " + run.parameters.map { "`\($0.name) = \($0.value)`" }.joined(separator: ", "))
        }
        for block in run.blocks {
            switch block {
            case .prose(let text):
                parts.append(text)
            case .cell(let result):
                parts.append(contentsOf: MarkdownReport.cell(result))
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The code block and the output block of one cell (either may be left out by its options).
    static func cell(_ result: CellResult) -> [String] {
        var parts: [String] = []
        let options = result.cell.options
        if options.echo { parts.append(fenced(result.cell.source, info: "tally")) }
        guard result.ran, options.output || result.failed else { return parts }
        var body: [String] = []
        if let label = options.label { body.append("<a id=\"\(HTMLText.escape(label))\"></a>") }
        for output in result.outputs {
            switch output {
            case .table(let table, _, let maxRows):
                body.append(tableMarkdown(table, maxRows: maxRows))
            case .message(let text):
                if options.output { body.append(fenced(text, info: "text")) }
            case .error(let text):
                body.append(fenced(text, info: "text"))
            }
        }
        if let caption = options.caption { body.append("*" + caption + "*") }
        if result.synthetic { body.append("<small>" + HTMLText.escape(Provenance.syntheticFooter) + "</small>") }
        guard !body.isEmpty else { return parts }
        parts.append(NotebookParser.outputStart + "\n" + body.joined(separator: "\n\n") + "\n" + NotebookParser.outputEnd)
        return parts
    }

    /// The table's first `maxRows` rows as a Markdown table, and a line saying how many were left out.
    static func tableMarkdown(_ table: Table, maxRows: Int) -> String {
        if table.columnCount == 0 { return "*(no columns)*" }
        if table.rowCount <= maxRows {
            var text = MarkdownWriter().string(table)
            if text.hasSuffix("\n") { text.removeLast() }
            if table.rowCount == 0 { text += "\n\n*(no rows)*" }
            return text
        }
        var text = MarkdownWriter().string(table.gather(Array(0..<maxRows)))
        if text.hasSuffix("\n") { text.removeLast() }
        return text + "\n\n*" + ReportText.moreRows(shown: maxRows, total: table.rowCount) + "*"
    }

    /// `text` in a code fence long enough that no line of it can close the fence.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let run = line.drop(while: { $0 == " " }).prefix(while: { $0 == "`" }).count
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + text + "\n" + fence
    }
}

/// Words shared by the Markdown and HTML reports.
enum ReportText {
    static func moreRows(shown: Int, total: Int) -> String {
        let hidden = total - shown
        return "… \(NumberFormatting.format(Int64(hidden))) more row\(hidden == 1 ? "" : "s") "
            + "(\(NumberFormatting.format(Int64(total))) in all) · 另有 \(NumberFormatting.format(Int64(hidden))) 行"
    }
}
