import Foundation
import Testing
import TallyEngine
@testable import TallyReport

/// A chart, a report cell or a slide whose figures come from a synthetic table says so, so a ranking
/// of real county names by synthetic counts is not read as an official ranking.
@Suite("synthetic marks in charts and reports")
struct ProvenanceMarkTests {
    static func ranking(_ provenance: Provenance?) -> Table {
        var table = makeTable([("county", Column(texts: ["马山县", "融水苗族自治县", "三江侗族自治县"])),
                               ("pupils", Column(ints: [30_000, 25_000, 20_000]))])
        table.provenance = provenance
        return table
    }

    static let spec = ChartSpec(kind: .bar, x: "county", y: ["pupils"], title: "在校生")

    @Test func aTerminalChartMarksItsTitle() {
        let marked = TerminalChart.render(ProvenanceMarkTests.ranking(.synthetic), ProvenanceMarkTests.spec,
                                          width: 60, height: 12, color: false)
        let titleLine = marked.split(separator: "\n").first.map(String.init) ?? ""
        #expect(titleLine.contains("在校生") && titleLine.contains("(合成数据 · synthetic)"))
        for line in marked.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 60) }
        let plain = TerminalChart.render(ProvenanceMarkTests.ranking(.published), ProvenanceMarkTests.spec,
                                         width: 60, height: 12, color: false)
        #expect(!plain.contains("合成"))
        // A long title gives way to the mark, which is never cut; without a title the mark has a line.
        var long = ProvenanceMarkTests.spec
        long.title = String(repeating: "很长的标题", count: 20)
        let cut = TerminalChart.render(ProvenanceMarkTests.ranking(.synthetic), long, width: 50, height: 12, color: false)
        let first = cut.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasSuffix("(合成数据 · synthetic)") && DisplayWidth.of(first) <= 50)
        var untitled = ProvenanceMarkTests.spec
        untitled.title = nil
        let bare = TerminalChart.render(ProvenanceMarkTests.ranking(.synthetic), untitled, width: 60, height: 12, color: false)
        #expect(bare.split(separator: "\n").first?.contains("合成数据 · synthetic") == true)
    }

    @Test func anSVGChartHasACaptionAndSaysItInItsTitle() {
        let svg = SVGChart.render(ProvenanceMarkTests.ranking(.synthetic), ProvenanceMarkTests.spec)
        #expect(svg.contains("class=\"provenance\">合成数据 · synthetic</text>"))
        #expect(svg.contains("<title>在校生 · 合成数据 · synthetic</title>"))
        let plain = SVGChart.render(ProvenanceMarkTests.ranking(nil), ProvenanceMarkTests.spec)
        #expect(!plain.contains("合成"))
    }

    func run(_ cells: String) throws -> NotebookRun {
        let session = Session()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try session.registerDirectory(root.appendingPathComponent("Datasets").path)
        return try NotebookRunner(session: session).run(try NotebookParser.parse(cells, file: "nb.md"))
    }

    static let notebook = """
        ---
        title: marks
        ---
        Aid by year.

        ```tally
        from student_aid | group year (aggregate {total = sum amount_yuan}) | chart line x:year y:total title:"资助"
        ```

        The key counties.

        ```tally
        from counties | filter key_county | select {county} | take 3
        ```
        """

    @Test func reportsMarkTheCellsThatUseSyntheticTables() throws {
        let run = try run(ProvenanceMarkTests.notebook)
        #expect(run.cells.map(\.synthetic) == [true, false])
        let footer = Provenance.syntheticFooter
        let html = HTMLReport(chartRenderer: SVGChart.reportRenderer()).render(run)
        let sections = html.components(separatedBy: "<section class=\"cell")
        #expect(sections.count == 3)
        #expect(sections[1].contains(HTMLText.escape(footer)) && sections[1].contains("class=\"provenance\">合成数据"))
        #expect(!sections[2].contains("合成"))
        let markdown = MarkdownReport().render(run)
        #expect(markdown.components(separatedBy: footer).count == 2)
        let slides = SlidesReport().render(run)
        // One result slide has the foot line (the chart's own caption is another mark).
        #expect(slides.components(separatedBy: "<p class=\"provenance\">").count == 2)
        // The terminal presentation: the table slide of a synthetic table says so under it.
        let steps = Presentation(run).steps
        let results = steps.compactMap { step -> PresentationStep.Result? in
            if case .result(let r) = step { return r } else { return nil }
        }
        #expect(results.map(\.synthetic) == [true, false])
    }
}
