import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TallyEngine
@testable import TallyReport

func yearRates() -> Table {
    makeTable([
        ("year", Column(ints: [2021, 2022, 2023, 2021, 2022, 2023])),
        ("city", Column(texts: ["南宁市", "南宁市", "南宁市", "柳州市", "柳州市", "柳州市"])),
        ("rate", Column(floats: [0.90, 0.95, 1.00, 0.80, 0.85, nil])),
    ])
}

func levels() -> Table {
    makeTable([
        ("level", Column(texts: ["小学", "初中", "高中"])),
        ("total", Column(ints: [100, 50, 25])),
    ])
}

@Suite struct ChartGeometryTests {
    @Test func niceTicks() {
        #expect(NiceTicks(min: 0, max: 93.1e8, count: 5, includeZero: true).values == [0, 2e9, 4e9, 6e9, 8e9, 1e10])
        #expect(NiceTicks(min: 0, max: 93.1e8, count: 5).labels(units: .chinese) == ["0", "20亿", "40亿", "60亿", "80亿", "100亿"])
        #expect(NiceTicks(min: 0, max: 180_000, count: 6).labels(units: .western) == ["0", "50k", "100k", "150k", "200k"])
        #expect(NiceTicks(min: 0, max: 35_000, count: 4).labels(units: .western) == ["0", "10,000", "20,000", "30,000", "40,000"])
        #expect(NiceTicks(min: 2019, max: 2025, count: 8, integer: true).values.count == 7)
        #expect(NiceTicks(min: 0.1, max: 0.3, count: 2).values == [0.1, 0.2, 0.3])
        #expect(NiceTicks(min: 5, max: 5, count: 4).values.first! < 5)
        #expect(NiceTicks(min: 0, max: 3, count: 10, integer: true).step == 1)
    }

    @Test func unitsFormatValues() {
        #expect(NumberUnits.chinese.format(554_000_000) == "5.54亿")
        #expect(NumberUnits.chinese.format(125_000) == "12.5万")
        #expect(NumberUnits.western.format(3_400_000) == "3.4M")
        #expect(NumberUnits.western.format(1234) == "1,234")
        #expect(NumberUnits.western.format(0.953) == "0.953")
    }

    @Test func scales() {
        let s = LinearScale(domain: 0, 10, range: 100, 0)
        #expect(s(0) == 100 && s(5) == 50 && s(10) == 0)
        let b = BandScale(count: 4, start: 0, length: 100)
        #expect(b.width == 25 && b.center(1) == 37.5)
    }

    @Test func seriesByValue() {
        let data = ChartData(table: yearRates(), spec: ChartSpec(kind: .line, x: "year", y: ["rate"], by: "city"))
        #expect(data.series.map(\.name) == ["南宁市", "柳州市"])
        #expect(data.series[1].points.map(\.y) == [0.80, 0.85, nil])
        #expect(data.axis == .numbers(.plain(integer: true, identifier: true)))
        #expect(data.units == .chinese)
    }

    @Test func barLengthsInEighths() {
        // total 100 → the full bar; 50 → half; 25 → a quarter; on 8 × 5 = 40 cells…
        let text = TerminalChart.render(levels(), ChartSpec(kind: .bar, x: "level", y: ["total"]), width: 40, height: 10, color: false)
        let bars = text.split(separator: "\n").filter { $0.contains("│") && !$0.contains("└") }
        let lengths = bars.map { line in line.filter { "▏▎▍▌▋▊▉█".contains($0) }.count }
        #expect(lengths.count == 3)
        #expect(lengths[0] > lengths[1] && lengths[1] > lengths[2])
        let fullCells = bars.map { $0.filter { $0 == "█" }.count }
        #expect(abs(fullCells[0] - 2 * fullCells[1]) <= 1)
    }

    @Test func everyLineFitsTheWidth() {
        for kind in ChartSpec.Kind.allCases {
            let spec = ChartSpec(kind: kind, x: kind == .scatter ? "year" : "city", y: ["rate"], by: kind == .pie || kind == .scatter ? nil : nil)
            let text = TerminalChart.render(yearRates(), spec, width: 60, height: 16, color: false)
            for line in text.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 60, "\(kind): \(line)") }
            #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count <= 17, "\(kind)")
        }
    }

    @Test func deterministicAndColoured() {
        let spec = ChartSpec(kind: .line, x: "year", y: ["rate"], by: "city")
        let a = TerminalChart.render(yearRates(), spec, width: 50, height: 14, color: true)
        #expect(a == TerminalChart.render(yearRates(), spec, width: 50, height: 14, color: true))
        #expect(a.contains("\u{1B}[38;5;67m") && a.contains("\u{1B}[38;5;208m"))
        #expect(!TerminalChart.render(yearRates(), spec, width: 50, height: 14, color: false).contains("\u{1B}"))
    }
}

@Suite struct TerminalChartSnapshotTests {
    @Test func barSnapshot() {
        // 100 fills 29 cells; 50 is 14½ (`▌`), 25 is 7¼ (`▎`).
        let text = TerminalChart.render(levels(), ChartSpec(kind: .bar, x: "level", y: ["total"], title: "资助"),
                                        width: 40, height: 10, color: false)
        #expect(text == """
                          资助
        level
        小学 │█████████████████████████████ 100
        初中 │██████████████▌ 50
        高中 │███████▎ 25
             └┬─────────────┬─────────────┬
              0             50           100
                          total

        """)
    }

    @Test func lineSnapshot() {
        let table = makeTable([("year", Column(ints: [2021, 2022, 2023])), ("n", Column(ints: [1, 3, 2]))])
        let text = TerminalChart.render(table, ChartSpec(kind: .line, x: "year", y: ["n"]), width: 30, height: 9, color: false)
        #expect(text == """
        n
        3 ┤           ⡠⠔●⠒⠤⣀⡀
          │        ⢀⠤⠊      ⠈⠑⠢⢄⣀
        2 ┤      ⡠⠒⠁             ⠉⠒●
          │   ⢀⠔⠊
        1 ┤ ●⠒⠁
          └─┬───────────┬──────────┬─
           2021        2022       2023
                      year

        """)
    }

    @Test func sparkSnapshot() {
        let text = TerminalChart.render(yearRates(), ChartSpec(kind: .spark, x: "year", y: ["rate"], by: "city"),
                                        width: 40, height: 6, color: false)
        #expect(text == "南宁市  ▁▄█  0.9 → 1\n柳州市  ▁█   0.8 → 0.85\n")
    }

    @Test func pieLegendShares() {
        let text = TerminalChart.render(levels(), ChartSpec(kind: .pie, x: "level", y: ["total"]), width: 60, height: 10, color: false)
        #expect(text.contains("57.1%") && text.contains("28.6%") && text.contains("14.3%"))
        #expect(text.contains("▓") && text.contains("▒"))
    }
}

@Suite struct SVGChartTests {
    final class Counter: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var strokes = Set<String>()
        var fills = Set<String>()
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
            if name == "path", attributes["fill"] == "none", let s = attributes["stroke"] { strokes.insert(s) }
            if name == "rect", let f = attributes["fill"], f != "#FFFFFF" { fills.insert(f) }
        }
    }

    func parse(_ svg: String) -> Counter? {
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = Counter()
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }

    @Test func everyKindIsWellFormed() {
        for kind in ChartSpec.Kind.allCases {
            let spec = ChartSpec(kind: kind, x: kind == .scatter || kind == .line ? "year" : "city", y: ["rate"],
                                 title: "巩固率 <&> \"2021\"")
            let svg = SVGChart.render(yearRates(), spec)
            #expect(parse(svg) != nil, "\(kind)")
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(!svg.contains("<script") && !svg.contains("href"))
        }
    }

    @Test func oneLinePerSeries() throws {
        let svg = SVGChart.render(yearRates(), ChartSpec(kind: .line, x: "year", y: ["rate"], by: "city"))
        let counter = try #require(parse(svg))
        #expect(counter.strokes.count == 2)
        #expect(svg.contains("南宁市") && svg.contains("柳州市"))
        #expect(svg == SVGChart.render(yearRates(), ChartSpec(kind: .line, x: "year", y: ["rate"], by: "city")))
    }

    @Test func columnsPerSeries() throws {
        let table = makeTable([("k", Column(texts: ["a", "b"])), ("x", Column(ints: [1, 2])), ("y", Column(ints: [3, 4]))])
        let counter = try #require(parse(SVGChart.render(table, ChartSpec(kind: .column, x: "k", y: ["x", "y"]))))
        // Two series of two bars, plus two legend swatches.
        #expect(counter.fills.count == 2)
        #expect(counter.elements["rect", default: 0] == 1 + 4 + 2)
    }

    @Test func numbersHaveAFixedForm() {
        #expect(SVGBuilder.number(12) == "12")
        #expect(SVGBuilder.number(1.0 / 3) == "0.33")
        #expect(SVGBuilder.number(-0.001) == "0")
        #expect(SVGBuilder.number(1e-7) == "0")
    }
}
