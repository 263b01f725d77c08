import Testing
import TallyEngine
@testable import TallyReport

@Suite("notebook parsing")
struct NotebookParserTests {
    static let sample = """
    ---
    title: "学生资助 · Student aid"   # a comment
    lang: en
    params:
      year: 2023
      level: '小学'
    ---

    # Question

    Some *prose*.

    ```tally
    #| echo: false
    #| caption: Aid by level
    #| label: aid
    from aid
    filter year == $year
    ```

    ```python
    print("not a cell")
    ```

    ~~~~{tally}
    #| eval: false
    #| error: true
    #| rows: 5
    from aid | take 1

    ~~~~
    Closing words.
    """

    @Test func frontMatterProseAndCells() throws {
        let notebook = try NotebookParser.parse(NotebookParserTests.sample, file: "nb.md")
        #expect(notebook.title == "学生资助 · Student aid")
        #expect(notebook.lang == "en")
        #expect(notebook.params == [Notebook.Param(name: "year", defaultValue: "2023"),
                                    Notebook.Param(name: "level", defaultValue: "小学")])
        #expect(notebook.blocks.count == 5)
        guard case .prose(let first) = notebook.blocks[0] else { Issue.record("prose first"); return }
        #expect(first == "# Question\n\nSome *prose*.")
        let cells = notebook.cells
        #expect(cells.count == 2)
        #expect(cells[0].source == "from aid\nfilter year == $year")
        #expect(cells[0].line == 17)
        #expect(cells[0].options.echo == false)
        #expect(cells[0].options.caption == "Aid by level")
        #expect(cells[0].options.label == "aid")
        #expect(cells[0].options.eval && cells[0].options.output && !cells[0].options.error)
        #expect(cells[1].source == "from aid | take 1")
        #expect(cells[1].line == 29)
        #expect(!cells[1].options.eval && cells[1].options.error && cells[1].options.rows == 5)
        // A block in another language is prose, fence and all.
        guard case .prose(let middle) = notebook.blocks[2] else { Issue.record("prose middle"); return }
        #expect(middle == "```python\nprint(\"not a cell\")\n```")
        guard case .prose(let last) = notebook.blocks[4] else { Issue.record("prose last"); return }
        #expect(last == "Closing words.")
    }

    @Test func noFrontMatter() throws {
        let notebook = try NotebookParser.parse("Just text.\n\n```tally\nfrom a\n```\n")
        #expect(notebook.title == nil && notebook.params.isEmpty)
        #expect(notebook.cells.map(\.source) == ["from a"])
        #expect(notebook.cells[0].line == 4)
    }

    @Test func oldOutputsAreDropped() throws {
        let text = "```tally\nfrom a\n```\n\n<!-- tally:output -->\n| x |\n| - |\n<!-- /tally:output -->\n\nAfter.\n"
        let notebook = try NotebookParser.parse(text)
        #expect(notebook.blocks.count == 2)
        guard case .prose(let after) = notebook.blocks[1] else { Issue.record("prose"); return }
        #expect(after == "After.")
    }

    @Test func unknownCellOptionNamesFileAndLine() {
        let text = "Intro\n\n```tally\n#| echo: false\n#| ecko: true\nfrom a\n```\n"
        #expect {
            try NotebookParser.parse(text, file: "nb.md")
        } throws: { error in
            guard let error = error as? TallyError else { return false }
            return error.kind == .usage && error.message == "unknown cell option `ecko`" && error.file == "nb.md"
                && error.line == 5 && error.hint == "did you mean `echo`?"
                && error.rendered().contains("--> nb.md:5")
        }
    }

    @Test func badOptionValue() {
        #expect(throws: TallyError.self) { try NotebookParser.parse("```tally\n#| echo: maybe\nfrom a\n```\n") }
        #expect(throws: TallyError.self) { try NotebookParser.parse("```tally\n#| rows: -1\nfrom a\n```\n") }
    }

    @Test func badFrontMatter() {
        func error(_ text: String) -> TallyError? {
            do { _ = try NotebookParser.parse(text, file: "x.md"); return nil } catch { return error as? TallyError }
        }
        let unknown = error("---\ntitle: x\ntitel: y\n---\n")
        #expect(unknown?.line == 3)
        #expect(unknown?.message == "bad front matter: unknown key `titel`")
        #expect(unknown?.hint == "did you mean `title`?")
        #expect(error("---\ntitle: x\n")?.message.contains("never closed") == true)
        #expect(error("---\nparams: 2023\n---\n")?.line == 2)
        #expect(error("---\nthis is not yaml\n---\n")?.line == 2)
        #expect(error("---\n  year: 1\n---\n")?.hint?.contains("indentation") == true)
        #expect(error("---\nparams:\n  year: 1\n  year: 2\n---\n")?.line == 4)
        #expect(error("---\nparams:\n  9x: 1\n---\n")?.line == 3)
    }

    @Test func unterminatedQuotesInFrontMatterAreErrorsWithFileAndLine() throws {
        func error(_ text: String) -> TallyError? {
            do { _ = try NotebookParser.parse(text, file: "q.md"); return nil } catch { return error as? TallyError }
        }
        let open = error("---\nauthor: me\ntitle: \"unterminated\n---\n")
        #expect(open?.file == "q.md")
        #expect(open?.line == 3)
        #expect(open?.message.hasPrefix("bad front matter: while scanning a quoted scalar") == true)
        #expect(open?.rendered().contains("--> q.md:3") == true)
        #expect(error("---\ntitle: 'it''s\n---\n")?.line == 2)
        #expect(error("---\nparams:\n  who: \"a\\\"\n---\n")?.line == 3)  // the closing quote is escaped
        #expect(error("---\ntitle: \"a\" b\n---\n")?.line == 2)
        #expect(error("```tally\n#| caption: \"open\nfrom a\n```\n")?.line == 2)
        // Well-formed quoting still reads as before.
        let fine = try NotebookParser.parse("---\ntitle: \"a \\\"b\\\" # c\" # note\nauthor: 'it''s'\n---\n")
        #expect(fine.title == "a \"b\" # c")
        #expect(fine.author == "it's")
    }
}
