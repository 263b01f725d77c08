import Foundation
import Testing
import TallyEngine
@testable import TallyReport

@Suite("notebook runs and reports")
struct NotebookReportTests {
    static func session() throws -> Session {
        let session = Session()
        try session.register(name: "aid", table: makeTable([
            ("year", Column(ints: [2021, 2022, 2022])),
            ("county", Column(texts: ["兴宁区", "马山县", "兴宁区"])),
            ("amount", Column(ints: [100, 250, 50])),
        ]))
        return session
    }

    static let notebook = """
    ---
    title: Aid
    params:
      year: 2022
    ---

    What went where in $year?

    ```tally
    #| caption: By county
    from aid
    filter year == $year
    sort county
    ```

    ```tally
    #| echo: false
    let total = (from aid | aggregate {n = count this})
    from total
    ```

    ```tally
    #| output: false
    from aid
    ```

    That is all.
    """

    func run(_ text: String, overrides: [(String, String)] = [], keepGoing: Bool = false) throws -> NotebookRun {
        let notebook = try NotebookParser.parse(text, file: "nb.md")
        return try NotebookRunner(session: try NotebookReportTests.session(), file: "nb.md", keepGoing: keepGoing)
            .run(notebook, overrides: overrides)
    }

    @Test func exactMarkdown() throws {
        let run = try run(NotebookReportTests.notebook)
        #expect(run.stoppedBy == nil && run.errorCount == 0)
        let expected = """
        # Aid

        Parameters · 参数: `year = 2022`

        What went where in 2022?

        ```tally
        from aid
        filter year == $year
        sort county
        ```

        <!-- tally:output -->
        | year | county | amount |
        | ---: | ------ | -----: |
        | 2022 | 兴宁区 |     50 |
        | 2022 | 马山县 |    250 |

        *By county*
        <!-- /tally:output -->

        <!-- tally:output -->
        |    n |
        | ---: |
        |    3 |
        <!-- /tally:output -->

        ```tally
        from aid
        ```

        That is all.

        """
        #expect(MarkdownReport().render(run) == expected)
    }

    @Test func oldOutputsDoNotPileUp() throws {
        let first = MarkdownReport().render(try run(NotebookReportTests.notebook))
        let session = try NotebookReportTests.session()
        session.parameters["year"] = "2022"
        let again = MarkdownReport().render(try NotebookRunner(session: session).run(try NotebookParser.parse(first)))
        // The report's cells (echoed ones) run again; each output block appears once.
        #expect(again.components(separatedBy: NotebookParser.outputStart).count == 3)
        #expect(again.contains("| 2022 | 马山县 |    250 |"))
    }

    @Test func html() throws {
        let html = HTMLReport().render(try run(NotebookReportTests.notebook))
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<title>Aid</title>"))
        #expect(html.contains("<h1>Aid</h1>"))
        #expect(html.contains("<code>year = 2022</code>"))
        #expect(html.contains("<p>What went where in 2022?</p>"))
        #expect(html.contains("<th class=\"num\">year</th><th>county</th><th class=\"num\">amount</th>"))
        #expect(html.contains("<tr><td class=\"num\">2022</td><td>马山县</td><td class=\"num\">250</td></tr>"))
        #expect(html.contains("<p class=\"caption\">By county</p>"))
        #expect(html.contains("Noto Sans CJK SC"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("let total"))  // echo: false
        #expect(html.hasSuffix("</html>\n"))
        #expect(html == HTMLReport().render(try run(NotebookReportTests.notebook)))
    }

    @Test func chineseLinesJoinWithoutASpace() {
        #expect(HTMLReport.joiningCJKLines("第一行\n  第二行\nEnglish\nwords") == "第一行第二行\nEnglish\nwords")
        #expect(HTMLReport.joiningCJKLines("```\n代码\n代码\n```") == "```\n代码\n代码\n```")
        #expect(NotebookRunner.substitute([("year", "2025")], in: "In $year, $5 and $other.") == "In 2025, $5 and $other.")
    }

    @Test func chartHookPutsSVGAboveTheTable() throws {
        let report = HTMLReport(chartRenderer: { table, statement in
            statement.contains("sort county") ? "<svg width=\"10\" height=\"10\"></svg>" : nil
        })
        let html = report.render(try run(NotebookReportTests.notebook))
        #expect(html.components(separatedBy: "<figure class=\"chart\">").count == 2)
        let chart = try #require(html.range(of: "<svg"))
        let table = try #require(html.range(of: "<table>"))
        #expect(chart.lowerBound < table.lowerBound)
    }

    @Test func parametersOverrideDefaults() throws {
        let run = try run(NotebookReportTests.notebook, overrides: [("year", "2021")])
        #expect(run.parameters.map(\.value) == ["2021"])
        guard case .table(let table, _, _) = run.cells[0].outputs[0] else { Issue.record("table"); return }
        #expect(table.rowCount == 1)
        #expect(throws: TallyError.self) { try self.run(NotebookReportTests.notebook, overrides: [("yaer", "2021")]) }
    }

    static let failing = """
    ```tally
    from aid | take 1
    ```

    ```tally
    from aid
    filter amout > 0
    ```

    ```tally
    from aid | aggregate {n = count this}
    ```
    """

    @Test func failingCellStopsTheRun() throws {
        let run = try run(NotebookReportTests.failing)
        let stopped = try #require(run.stoppedBy)
        #expect(stopped.contains("unknown column `amout`"))
        #expect(stopped.contains("--> nb.md:7:8"))
        #expect(run.cells.map(\.ran) == [true, true, false])
        #expect(run.unexpectedErrorCount == 1)
        let html = HTMLReport().render(run)
        #expect(html.contains("<pre class=\"error\">error: unknown column `amout`"))
    }

    @Test func keepGoingRunsEveryCell() throws {
        let run = try run(NotebookReportTests.failing, keepGoing: true)
        #expect(run.stoppedBy == nil)
        #expect(run.cells.map(\.ran) == [true, true, true])
        #expect(run.unexpectedErrorCount == 1)
        let markdown = MarkdownReport().render(run)
        #expect(markdown.contains("```text\nerror: unknown column `amout`"))
        #expect(markdown.contains("|    n |\n| ---: |\n|    3 |"))
    }

    @Test func errorOptionKeepsGoingForThatCell() throws {
        let text = NotebookReportTests.failing.replacingOccurrences(of: "from aid\nfilter amout", with: "#| error: true\nfrom aid\nfilter amout")
        let run = try run(text)
        #expect(run.stoppedBy == nil)
        #expect(run.errorCount == 1 && run.unexpectedErrorCount == 0)
        #expect(run.cells.map(\.ran) == [true, true, true])
        #expect(run.stoppedBy == nil)
    }

    @Test func longTablesShowTheirFirstRows() throws {
        let text = "```tally\n#| rows: 2\nfrom aid\n```\n"
        let markdown = MarkdownReport().render(try run(text))
        #expect(markdown.contains("| 2022 | 马山县 |    250 |\n\n*… 1 more row (3 in all) · 另有 1 行*"))
    }

    @Test func commandsInCells() throws {
        let dir = NSTemporaryDirectory() + "tally-nb-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "from aid | take 1\n".write(toFile: dir + "/one.tally", atomically: true, encoding: .utf8)
        let text = "```tally\n.mode csv\n.rows 1\n.run \(dir)/one.tally\n.export \(dir)/out.csv\n.schema aid\n```\n"
        let run = try run(text)
        #expect(run.errorCount == 0)
        #expect(run.cells[0].outputs.count == 3)
        #expect(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8) == "year,county,amount\n2021,兴宁区,100\n")
    }
}
