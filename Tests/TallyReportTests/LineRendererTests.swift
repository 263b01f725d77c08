import Testing
import TallyEngine
import TallyReport

@Suite("Line mode renderer")
struct LineRendererTests {
    @Test func rowsAsNameValueLines() {
        let table = makeTable([
            ("county", Column(texts: ["南宁市", "兴宁区"])),
            ("year", Column(ints: [2021, 2022])),
            ("amount", Column(ints: [12_345_678, nil])),
        ])
        #expect(LineRenderer().render(table) == """
            county = 南宁市
              year = 2021
            amount = 12,345,678

            county = 兴宁区
              year = 2022
            amount = null

            """)
    }

    @Test func chineseNamesAlignByDisplayWidth() {
        let table = makeTable([("县名", Column(texts: ["青秀区"])), ("n", Column(ints: [3])), ("rate", Column(floats: [0.25]))])
        #expect(LineRenderer().render(table) == """
            县名 = 青秀区
               n = 3
            rate = 0.25

            """)
    }

    @Test func valuesAreNeverCut() {
        let long = String(repeating: "长", count: 60)
        let table = makeTable([("s", Column(texts: [long]))])
        #expect(LineRenderer(options: RenderOptions(width: 20, maxColumnWidth: 5)).render(table) == "s = \(long)\n")
    }

    @Test func nullsDimmedWithColour() {
        let table = makeTable([("a", Column(ints: [nil]))])
        #expect(LineRenderer(options: RenderOptions(color: true)).render(table) == "a = \u{1B}[2mnull\u{1B}[0m\n")
    }

    @Test func longResultsShowFirstAndLastRows() {
        let table = makeTable([("i", Column(ints: (1...10).map { Int64($0) }))])
        #expect(LineRenderer(options: RenderOptions(maxRows: 2)).render(table) == """
            i = 1

            … 8 more rows

            i = 10

            """)
    }

    @Test func emptyResults() {
        #expect(LineRenderer().render(makeTable([("a", Column(ints: []))])) == "0 rows\n")
        #expect(LineRenderer().render(Table.empty) == "(no columns)\n0 rows × 0 columns\n")
    }
}
