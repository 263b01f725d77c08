import Testing
import TallyEngine
@testable import TallyReport

@Suite("presentations: steps and screens")
struct PresentationTests {
    static func session() throws -> Session {
        let session = Session()
        try session.register(name: "aid", table: makeTable([
            ("year", Column(ints: [2021, 2022, 2023, 2024])),
            ("county", Column(texts: ["兴宁区", "马山县", "兴宁区", "马山县"])),
            ("amount", Column(ints: [100, 250, 50, 400])),
        ]))
        return session
    }

    static let notebook = """
    ---
    title: 学生资助 · Student aid
    subtitle: A test
    params:
      year: 2022
    ---

    # Aid in $year

    Who received **how much**, and *where*? 各县的资助金额。

    ```tally
    #| caption: By county
    from aid | filter year >= $year | sort county
    ```

    ```tally
    #| echo: false
    from aid | chart line x:year y:amount title:"Aid"
    ```

    ```tally
    #| eval: false
    from aid | take 1
    ```

    ```tally
    #| output: false
    from aid
    ```

    ## Failing

    ```tally
    from aid | filter amout > 0
    ```

    That is all.
    """

    static func presentation() throws -> Presentation {
        let nb = try NotebookParser.parse(notebook, file: "nb.md")
        let run = try NotebookRunner(session: try session(), file: "nb.md", keepGoing: true).run(nb)
        return Presentation(run)
    }

    @Test func stepsInOrderWithOptionsRespected() throws {
        let p = try PresentationTests.presentation()
        #expect(p.title == "学生资助 · Student aid")
        #expect(p.steps.map(\.kind) == ["title", "text", "query 1", "result 1", "result 2", "query 3", "query 4",
                                        "text", "query 5", "result 5", "text"])
        guard case .prose(let first) = p.steps[1] else { Issue.record("no prose"); return }
        #expect(first.hasPrefix("# Aid in 2022"))
        guard case .result(let r1) = p.steps[3], case .table(let t, _) = r1.items.first else { Issue.record("no table"); return }
        #expect(t.rowCount == 3 && r1.caption == "By county")
        guard case .result(let r2) = p.steps[4], case .chart(_, let spec) = r2.items.first else { Issue.record("no chart"); return }
        #expect(spec.kind == .line && spec.title == "Aid")
        guard case .query(let q3) = p.steps[5] else { Issue.record("no query"); return }
        #expect(!q3.ran)
        guard case .result(let r5) = p.steps[9] else { Issue.record("no result"); return }
        #expect(r5.failed)
    }

    @Test func proseSplitsBeforeHeadings() {
        #expect(Presentation.sections(of: "Intro\n\n## A\n\ntext\n```\n## not a heading\n```\n# B") ==
                ["Intro", "## A\n\ntext\n```\n## not a heading\n```", "# B"])
        #expect(Presentation.sections(of: "## A\ntext") == ["## A\ntext"])
    }

    func check(_ screen: PresentationRenderer.Screen, width: Int, height: Int, step: Int, of count: Int) {
        #expect(screen.lines.count == height)
        for line in screen.lines {
            #expect(ScreenText.visibleWidth(line) <= width, "too wide: \(line)")
        }
        let status = screen.lines[height - 1]
        #expect(status.contains("学生资助"))
        #expect(status.contains("\(step + 1)/\(count)"))
        #expect(status.contains("q quit"))
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func proseStep(_ size: (Int, Int)) throws {
        let p = try PresentationTests.presentation()
        for color in [false, true] {
            let screen = PresentationRenderer(width: size.0, height: size.1, color: color).render(p, step: 1)
            check(screen, width: size.0, height: size.1, step: 1, of: p.steps.count)
            let text = screen.lines.joined(separator: "\n")
            #expect(text.contains("Aid in 2022"))
            #expect(text.contains("═══"))
            #expect(!text.contains("**") && !text.contains("*where*"))
            #expect(text.contains("how much") && text.contains("各县的资助金额"))
            #expect(color == text.contains("\u{1B}[0;1;38;5;75m"))
        }
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func chartStep(_ size: (Int, Int)) throws {
        let p = try PresentationTests.presentation()
        let renderer = PresentationRenderer(width: size.0, height: size.1)
        let screen = renderer.render(p, step: 4)
        check(screen, width: size.0, height: size.1, step: 4, of: p.steps.count)
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("Aid") && text.contains("2021") && text.contains("●"))
        // The chart uses the screen: its plot reaches near the right margin and the bottom.
        let braille = screen.lines.filter { $0.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) } }
        #expect(braille.count >= size.1 / 3)
        #expect(screen.lines.map(ScreenText.visibleWidth).max()! >= size.0 * 3 / 4)
    }

    @Test func tableAndQuerySteps() throws {
        let p = try PresentationTests.presentation()
        let screen = PresentationRenderer(width: 80, height: 24).render(p, step: 3)
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("By county") && text.contains("┌") && text.contains("马山县"))
        let query = PresentationRenderer(width: 80, height: 24).render(p, step: 2).lines.joined(separator: "\n")
        #expect(query.contains("from aid | filter year >= $year | sort county"))
        let notRun = PresentationRenderer(width: 80, height: 24).render(p, step: 5).lines.joined(separator: "\n")
        #expect(notRun.contains("not run"))
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func failingCellShowsItsError(_ size: (Int, Int)) throws {
        let p = try PresentationTests.presentation()
        let screen = PresentationRenderer(width: size.0, height: size.1).render(p, step: 9)
        check(screen, width: size.0, height: size.1, step: 9, of: p.steps.count)
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("unknown column `amout`"))
        #expect(text.contains("^"))
        #expect(text.contains("nb.md:"))
        // The steps after it are still there.
        #expect(PresentationRenderer(width: 80, height: 24).render(p, step: 10).lines.joined().contains("That is all."))
    }

    @Test func tallContentIsClippedWithAHintAndScrolls() throws {
        let long = (1...60).map { "- item \($0) " + String(repeating: "word ", count: 5) }.joined(separator: "\n")
        let p = Presentation(title: "T", steps: [.prose(long)])
        let renderer = PresentationRenderer(width: 80, height: 24)
        let top = renderer.render(p, step: 0)
        #expect(top.lines.count == 24 && top.maxScroll > 0 && top.scroll == 0)
        #expect(top.lines.contains { $0.contains("↓ more") })
        #expect(top.lines.contains { $0.contains("item 1 ") })
        let bottom = renderer.render(p, step: 0, scroll: 10_000)
        #expect(bottom.scroll == bottom.maxScroll)
        #expect(bottom.lines.contains { $0.contains("item 60 ") })
        #expect(!bottom.lines.contains { $0.contains("↓ more") })
    }

    @Test func wrappingByDisplayWidth() {
        let text = String(repeating: "巩固率达到目标，", count: 12) + " and some English words that wrap nicely"
        for width in [10, 23, 40, 77] {
            let lines = ScreenText.wrap(ProseLayout.inline(text), width: width)
            #expect(lines.allSatisfy { $0.reduce(0) { $0 + $1.width } <= width })
            #expect(lines.allSatisfy { $0.first.map { !ScreenText.isClosingPunctuation($0.character) } ?? true })
            #expect(lines.map { String($0.map(\.character)) }.joined().replacingOccurrences(of: " ", with: "")
                    == text.replacingOccurrences(of: " ", with: ""))
        }
    }

    @Test func chineseLinesJoinWithoutASpace() {
        #expect(ProseLayout.joinLines(["本项目生成的", "**合成数据**，不是", "official statistics."]) ==
                "本项目生成的**合成数据**，不是 official statistics.")
        #expect(ProseLayout.joinLines(["rates are", "**synthetic**"]) == "rates are **synthetic**")
    }

    @Test func clipKeepsEscapesWhole() {
        let line = ScreenLine("\u{1B}[1m粗体文字\u{1B}[0m and more")
        #expect(line.width == 17)
        let cut = ScreenText.clip(line, to: 5)
        #expect(cut.width == 4)
        #expect(cut.text == "\u{1B}[1m粗体\u{1B}[0m")
    }

    @Test func emptyPresentationStillDraws() {
        let screen = PresentationRenderer(width: 80, height: 24).render(Presentation(title: "Empty", steps: []), step: 3)
        #expect(screen.lines.count == 24 && screen.lines[23].contains("0/0"))
    }
}
