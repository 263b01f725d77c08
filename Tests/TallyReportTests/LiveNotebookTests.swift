import Foundation
import Testing
import TallyEngine
@testable import TallyReport

@Suite("parameter choices in front matter")
struct ParameterChoicesTests {
    func params(_ front: String) throws -> [Notebook.Param] {
        try NotebookParser.parse("---\n" + front + "\n---\n\ntext\n", file: "nb.md").params
    }

    @Test func flowMap() throws {
        #expect(try params("params:\n  year: {value: 2025, choices: [2023, 2024, 2025]}\n  level: 小学")
                == [Notebook.Param(name: "year", defaultValue: "2025", choices: ["2023", "2024", "2025"]),
                    Notebook.Param(name: "level", defaultValue: "小学")])
        // Quoted choices may hold commas and brackets; the first choice is the default when none is given.
        #expect(try params("params:\n  county: {choices: [\"马山县\", 'a, b]'], value: 'a, b]'}")
                == [Notebook.Param(name: "county", defaultValue: "a, b]", choices: ["马山县", "a, b]"])])
        #expect(try params("params:\n  year: {choices: [2023, 2024]}")
                == [Notebook.Param(name: "year", defaultValue: "2023", choices: ["2023", "2024"])])
    }

    @Test func nestedBlock() throws {
        let front = """
        title: T
        params:
          year:
            value: 2024
            choices: [2023, 2024]
          level:
            value: 初中   # a comment
            choices:
              - 小学
              - "初中"
            # between
          plain: 7
        author: A
        """
        let notebook = try NotebookParser.parse("---\n" + front + "\n---\n", file: "nb.md")
        #expect(notebook.params == [Notebook.Param(name: "year", defaultValue: "2024", choices: ["2023", "2024"]),
                                    Notebook.Param(name: "level", defaultValue: "初中", choices: ["小学", "初中"]),
                                    Notebook.Param(name: "plain", defaultValue: "7")])
        #expect(notebook.author == "A" && notebook.title == "T")
    }

    @Test func plainValuesStillWork() throws {
        #expect(try params("params:\n  year: 2025") == [Notebook.Param(name: "year", defaultValue: "2025")])
    }

    func error(_ front: String) -> TallyError? {
        do {
            _ = try params(front)
            return nil
        } catch let error as TallyError {
            return error
        } catch {
            return nil
        }
    }

    @Test func mistakesAreNamedWithTheirLine() throws {
        let notChoice = try #require(error("params:\n  year: {value: 2026, choices: [2023, 2024]}"))
        #expect(notChoice.message.contains("the value `2026` of `year` is not one of its choices"))
        #expect(notChoice.line == 3)

        let unclosed = try #require(error("params:\n  year: {value: 2026, choices: [2023, 2024}"))
        #expect(unclosed.message.contains("did not find expected ',' or ']'"), "\(unclosed.message)")
        #expect(unclosed.line == 3)
        #expect(unclosed.hint == "close each `[` with `]` and each `{` with `}`")

        let field = try #require(error("params:\n  year:\n    valu: 2023"))
        #expect(field.message.contains("unknown field `valu`") && field.hint?.contains("`value`") == true)
        #expect(field.line == 4)

        let empty = try #require(error("params:\n  year: {value: 1, choices: []}"))
        #expect(empty.message.contains("choices of `year` are empty"))

        let missing = try #require(error("params:\n  year:\n  next: 1"))
        #expect(missing.message.contains("parameter `year` has no value"))

        let twice = try #require(error("params:\n  year: {choices: [1, 1]}"))
        #expect(twice.message.contains("listed twice"))

        let list = try #require(error("params:\n  year: [2023, 2024]"))
        #expect(list.hint?.contains("choices: [2023, 2024]") == true)

        let stray = try #require(error("title: x\n- item"))
        #expect(stray.message.contains("did not find expected key"), "\(stray.message)")
        #expect(stray.line == 3)
    }
}

@Suite("re-running a notebook from its first changed cell")
struct LiveNotebookTests {
    static func session() throws -> Session {
        let session = Session()
        try session.register(name: "aid", table: makeTable([
            ("year", Column(ints: [2021, 2022, 2022])), ("amount", Column(ints: [10, 20, 7])),
        ]))
        return session
    }

    static func notebook(_ second: String, third: String = "from aid | aggregate {n = count this}") throws -> Notebook {
        try NotebookParser.parse("""
        ---
        params:
          year: {value: 2022, choices: [2021, 2022]}
        ---

        ```tally
        let base = 100
        from aid | aggregate {t = sum amount + base}
        ```

        ```tally
        \(second)
        ```

        ```tally
        \(third)
        ```
        """, file: "nb.md")
    }

    func tables(_ run: NotebookRun) -> [String] {
        run.cells.map { cell in
            cell.outputs.map { output -> String in
                switch output {
                case .table(let table, _, _): return TableRenderer(options: RenderOptions(width: 80, color: false)).render(table)
                case .message(let m): return m
                case .error(let e): return e
                }
            }.joined()
        }
    }

    @Test func keepsTheCellsBeforeTheFirstChange() throws {
        var sessions = 0
        let runner = LiveNotebookRunner(file: "nb.md") {
            sessions += 1
            return try LiveNotebookTests.session()
        }
        let first = try runner.run(LiveNotebookTests.notebook("from aid | filter year == $year | aggregate {s = sum amount + base}"))
        #expect(first.keptCells == 0 && first.rerunCells == 3)
        #expect(tables(first.run)[1].contains("227"), "\(tables(first.run)[1])")

        // The second cell changes: the first is kept, the second and third run anew, and `base` from
        // the first cell is still there (its statements ran again in the fresh session).
        let second = try runner.run(LiveNotebookTests.notebook("from aid | filter year == $year | aggregate {s = max amount + base}"))
        #expect(second.keptCells == 1 && second.rerunCells == 2)
        #expect(tables(second.run)[1].contains("120"), "\(tables(second.run)[1])")
        #expect(tables(second.run)[0] == tables(first.run)[0])
        #expect(sessions == 2, "each run starts from a fresh session")

        // Nothing changed: every result is kept.
        let same = try runner.run(LiveNotebookTests.notebook("from aid | filter year == $year | aggregate {s = max amount + base}"))
        #expect(same.keptCells == 3 && same.rerunCells == 0)

        // A parameter change re-runs from the first cell that names it.
        let other = try runner.run(LiveNotebookTests.notebook("from aid | filter year == $year | aggregate {s = max amount + base}"),
                                   overrides: [("year", "2021")])
        #expect(other.keptCells == 1 && other.rerunCells == 2)
        #expect(tables(other.run)[1].contains("110"))
    }

    @Test func dataChangesReRunTheCellsThatNameThem() throws {
        let runner = LiveNotebookRunner(file: "nb.md") { try LiveNotebookTests.session() }
        let notebook = try LiveNotebookTests.notebook("from [{a = 1}]", third: "from aid | take 1")
        _ = try runner.run(notebook)
        runner.dataChanged(["/data/aid.csv"])
        let update = try runner.run(notebook)
        // The first cell names `aid`, so everything runs again.
        #expect(update.keptCells == 0 && update.rerunCells == 3)
        runner.dataChanged(["/data/other.csv"])
        #expect(try runner.run(notebook).keptCells == 3)
    }

    @Test func aFailingCellShowsItsErrorAndLaterCellsRun() throws {
        let runner = LiveNotebookRunner(file: "nb.md") { try LiveNotebookTests.session() }
        let update = try runner.run(LiveNotebookTests.notebook("from aid | filter amout > 1"))
        #expect(update.run.cells[1].failed)
        #expect(tables(update.run)[1].contains("nb.md:12:"), "\(tables(update.run)[1])")
        #expect(update.run.cells[2].ran && !update.run.cells[2].failed)
        #expect(update.run.stoppedBy == nil)
    }

    @Test func watchedFilesAreTheLoadedOnes() throws {
        let notebook = try NotebookParser.parse("```tally\n.load data/x.csv as x\nfrom x\n```\n\n```tally\n.run /abs/s.tally\n```\n")
        #expect(LiveNotebookRunner.dataFiles(of: notebook, file: "/n/nb.md") == ["/n/data/x.csv", "/abs/s.tally"])
    }

    @Test func parameterMentions() {
        #expect(LiveNotebookRunner.mentions("filter year == $year", parameter: "year"))
        #expect(!LiveNotebookRunner.mentions("filter year == $years", parameter: "year"))
        #expect(LiveNotebookRunner.mentions("$years + $year", parameter: "year"))
    }
}

@Suite("slides")
struct SlidesReportTests {
    @Test func oneSelfContainedDeckWithTheStepsOfPresent() throws {
        let notebook = try NotebookParser.parse("""
        ---
        title: 资助 · Aid
        params:
          year: 2022
          who: someone
        ---

        ## 每年 · Each year $year

        Made by $who.

        ```tally
        from aid | group year (aggregate {t = sum amount}) | sort year | chart line x:year y:t
        ```

        ## 表 · Table

        ```tally
        #| caption: 明细
        from aid | filter year == $year
        ```
        """, file: "nb.md")
        let session = try LiveNotebookTests.session()
        session.parameters["year"] = "2022"
        let run = try NotebookRunner(session: session, file: "nb.md", keepGoing: true)
            .run(notebook, overrides: [("who", "<i>x</i>")])
        let steps = SlidesReport().steps(run)
        let html = SlidesReport().render(run)
        // Title, two sections, two queries, two results.
        #expect(steps.count == 7)
        #expect(html.components(separatedBy: "<section class=\"slide").count - 1 == steps.count)
        #expect(html.contains("id=\"counter\">1 / 7</span>"))
        #expect(html.contains("<svg"), "the chart is inline SVG")
        let external = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!external.contains("http://") && !external.contains("https://"))
        #expect(!html.contains(" src=") && !html.contains("<link") && !html.contains("@import"))
        #expect(html.contains("Noto Sans CJK SC"))
        #expect(html.contains("@media print") && html.contains("page-break-after: always"))
        #expect(html.contains("ArrowRight") && html.contains("addEventListener('click'"))
        // A parameter value in prose is escaped text, not markup.
        #expect(html.contains("<h2>每年 · Each year 2022</h2>"))
        #expect(html.contains("Made by &lt;i&gt;x&lt;/i&gt;."))
        // Same run, same bytes.
        #expect(SlidesReport().render(run) == html)
    }
}
