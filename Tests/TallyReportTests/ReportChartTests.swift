import Foundation
import Testing
import TallyEngine
@testable import TallyReport

/// Charts in HTML reports are drawn for the size they are shown at, readable on a projector.
@Suite("report charts")
struct ReportChartTests {
    static func fontSizes(_ svg: String) -> [Double] {
        svg.components(separatedBy: "font-size=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
    }

    @Test func reportChartsAreDrawnAtTheirDisplayWidthWithLargeType() throws {
        let table = makeTable([("year", Column(ints: [2021, 2022, 2023])), ("rate", Column(floats: [0.9, 0.92, 0.95]))])
        let svg = try #require(SVGChart.reportRenderer()(table, "from t | chart line x:year y:rate title:\"巩固率\""))
        #expect(svg.contains("width=\"960\"") && svg.contains("viewBox=\"0 0 960 600\""))
        let sizes = ReportChartTests.fontSizes(svg)
        // Shown 768–960 px wide: ticks of 20 units are 16–20 px, the 30-unit title 24–30 px.
        #expect(sizes.min() == 20)
        #expect(sizes.max() == 30)
        let css = HTMLReport.css
        #expect(css.contains("figure.chart { margin: 1rem 0; width: min(960px, calc(100vw - 2rem))"))
        // `.svg` files keep their 1200 × 675 drawing with the standard type.
        let file = SVGChart.render(table, ChartSpec(kind: .line, x: "year", y: ["rate"], title: "t"))
        #expect(file.contains("viewBox=\"0 0 1200 675\"") && ReportChartTests.fontSizes(file).min() == 16)
    }

    @Test func crowdedCategoriesAreSlantedNotDropped() {
        let names = ["桂林市", "南宁市", "百色市", "河池市", "柳州市", "梧州市", "玉林市", "崇左市", "来宾市", "贵港市",
                     "贺州市", "北海市", "防城港市", "钦州市"]
        let table = makeTable([("city", Column(texts: names)), ("n", Column(ints: names.indices.map { Int64(20 - $0) }))])
        let svg = SVGChart.render(table, ChartSpec(kind: .column, x: "city", y: ["n"]), width: 960, height: 600,
                                  typography: .report)
        for name in names { #expect(svg.contains(">\(name)<")) }
        #expect(svg.contains("rotate(-40"))
        // A few short labels stay level.
        let few = makeTable([("city", Column(texts: ["A", "B"])), ("n", Column(ints: [1, 2]))])
        let level = SVGChart.render(few, ChartSpec(kind: .column, x: "city", y: ["n"]))
        #expect(!level.contains("rotate(-40"), "\(level.components(separatedBy: "\n").filter { $0.contains("rotate(") })")
    }
}
