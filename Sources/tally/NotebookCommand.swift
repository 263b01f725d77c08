import ArgumentParser
import Foundation
import TallyEngine
import TallyReport

/// `tally notebook FILE.md --to html|md [-o OUT]`: runs a notebook's cells in one session and writes
/// a report. Exit status 1 when a cell fails (and nothing is written unless `--keep-going`), 2 for a
/// usage error: a missing notebook, bad front matter, an unknown cell option or parameter.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run a Markdown notebook and write an HTML or Markdown report, or HTML slides.",
        discussion: """
        Fenced code blocks tagged `tally` are cells, everything else is prose; YAML front matter gives \
        `title` and `params` (defaults for $NAME, overridden with --param). Without -o the report goes \
        to stdout. A failing cell stops the run with exit status 1 and writes nothing, unless \
        --keep-going (then the report shows the error in the cell, and the status is still 1). \
        --to slides writes one self-contained HTML deck with the steps of `tally present` (a slide per \
        section and per result; arrow keys or a click move; printing gives a slide a page); a failing \
        cell shows its error on its slide, as in `tally present`.

        `tally notebook` 运行笔记本并生成 HTML 或 Markdown 报告；--to slides 生成一个独立的 HTML 幻灯片文件\
        （与 `tally present` 的步骤相同：每节文字、每个结果各一页；方向键或点击翻页；打印时每页一张幻灯片），\
        无需网络，也无需安装 Tally 即可放映。
        """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case html, md, slides, xlsx
    }

    @Argument(help: "The notebook (.md).")
    var file: String

    @Option(name: .long, help: ArgumentHelp("Report format: html, md, slides, or xlsx (one sheet per table cell; needs -o) (default: from -o, else html).", valueName: "FORMAT"))
    var to: Target?

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to OUT (through a temporary file).", valueName: "OUT"))
    var output: String?

    @Flag(name: .long, help: "Run every cell even after one fails; the report shows the errors (exit status still 1).")
    var keepGoing = false

    @OptionGroup var shared: SharedOptions

    func validate() throws { try shared.validateValues() }

    var target: Target {
        if let to { return to }
        if let output, output.lowercased().hasSuffix(".md") || output.lowercased().hasSuffix(".markdown") { return .md }
        if let output, output.lowercased().hasSuffix(".xlsx") { return .xlsx }
        return .html
    }

    func run() throws {
        let notebook: Notebook
        do {
            notebook = try NotebookParser.read(path: file)
            _ = try NotebookRunner.parameters(for: notebook, overrides: Launcher.parameterList(shared), file: file)
        } catch let error as TallyError {
            fail(error.rendered())
            throw ExitCode(2)
        }
        let session = try Launcher.makeSession(shared)
        // Slides go on past a failing cell and show its error on its slide, as `tally present` does.
        let runner = NotebookRunner(session: session, file: file, keepGoing: keepGoing || target == .slides)
        let result: NotebookRun
        do {
            result = try runner.run(notebook, overrides: Launcher.parameterList(shared))
        } catch let error as TallyError {
            fail(error.rendered())
            throw ExitCode(2)
        }
        if let stopped = result.stoppedBy {
            fail(stopped + "\nnotebook stopped; no report written (--keep-going runs every cell and shows the errors)")
            throw ExitCode(1)
        }
        // With --keep-going the errors are in the report; say them on stderr too.
        for cell in result.cells {
            for case .error(let message) in cell.outputs where !cell.cell.options.error { fail(message) }
        }
        if target == .xlsx {
            guard let output else {
                fail("error: `--to xlsx` writes a workbook; give it a file with -o, e.g. `-o report.xlsx`")
                throw ExitCode(2)
            }
            do {
                try XLSXWriter.write(NotebookWorkbook.sheets(result), to: output)
            } catch let error as TallyError {
                fail(error.rendered())
                throw ExitCode(1)
            }
            return
        }
        let text: String
        switch target {
        case .html: text = HTMLReport(chartRenderer: SVGChart.reportRenderer(parameters: session.parameters)).render(result)
        case .md: text = MarkdownReport().render(result)
        case .slides, .xlsx: text = SlidesReport().render(result)
        }
        if let output {
            do {
                try AtomicFile.write(text, to: output)
            } catch let error as TallyError {
                fail(error.rendered())
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if result.unexpectedErrorCount > 0 {
            fail("\(result.unexpectedErrorCount) statement\(result.unexpectedErrorCount == 1 ? "" : "s") failed; "
                 + "the report shows the error\(result.unexpectedErrorCount == 1 ? "" : "s") in the cell")
            throw ExitCode(1)
        }
    }

    private func fail(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// The sheets of a notebook's workbook: one per cell that shows a table, named by the cell's
/// caption or label (else `Table N`); a cell with several tables gives one sheet each.
enum NotebookWorkbook {
    static func sheets(_ run: NotebookRun) -> [XLSXWriter.Sheet] {
        var sheets: [XLSXWriter.Sheet] = []
        for cell in run.cells {
            let tables = cell.outputs.compactMap { output -> Table? in
                if case .table(let table, _, _) = output { return table }
                return nil
            }
            for (k, table) in tables.enumerated() {
                var name = cell.cell.options.caption ?? cell.cell.options.label ?? "Table \(sheets.count + 1)"
                if tables.count > 1 { name += " \(k + 1)" }
                sheets.append(.init(name: name, table: table))
            }
        }
        return sheets
    }
}
