import Testing
import TallyEngine
@testable import TallyReport

@Suite("date ticks on calendar boundaries")
struct DateTicksTests {
    func day(_ y: Int, _ m: Int, _ d: Int) -> Double { Double(CivilDate.days(year: y, month: m, day: d)!) }

    @Test func yearsForLongSpans() {
        let t = DateTicks(min: day(2019, 1, 15), max: day(2025, 6, 30), count: 8)
        #expect(t.labels == ["2020", "2021", "2022", "2023", "2024", "2025"])
        #expect(t.values.map { CivilDate.civil(fromDays: Int32($0)) }.allSatisfy { $0.month == 1 && $0.day == 1 })
        #expect(t.lower == day(2019, 1, 15) && t.upper == day(2025, 6, 30))
        let decades = DateTicks(min: day(1951, 3, 1), max: day(2024, 1, 1), count: 8)
        #expect(decades.labels == ["1960", "1970", "1980", "1990", "2000", "2010", "2020"])
    }

    @Test func monthsForAYear() {
        let y = DateTicks(min: day(2021, 1, 1), max: day(2021, 12, 31), count: 8)
        #expect(y.labels == ["2021-01", "2021-03", "2021-05", "2021-07", "2021-09", "2021-11"])
        let monthly = DateTicks(min: day(2021, 1, 1), max: day(2021, 12, 31), count: 12)
        #expect(monthly.labels.count == 12 && monthly.labels.first == "2021-01" && monthly.labels.last == "2021-12")
        // A term: September to January, every month.
        let term = DateTicks(min: day(2023, 9, 1), max: day(2024, 1, 20), count: 8)
        #expect(term.labels == ["2023-09", "2023-10", "2023-11", "2023-12", "2024-01"])
    }

    @Test func daysWhenShorterThanTwoMonthBoundaries() {
        let t = DateTicks(min: day(2021, 3, 5), max: day(2021, 3, 20), count: 6)
        #expect(t.labels.allSatisfy { $0.hasPrefix("2021-03-") })
        #expect(t.values.count >= 2)
        let one = DateTicks(min: day(2021, 3, 5), max: day(2021, 3, 5), count: 6)
        #expect(!one.values.isEmpty)
    }

    @Test func chartsUseThem() {
        let dates = (0..<24).map { Int32(day(2022, 1, 1)) + Int32($0 * 30) }
        let table = makeTable([("day", Column(dates: dates)), ("n", Column(ints: dates.indices.map { Int64($0) }))])
        let spec = ChartSpec(kind: .line, x: "day", y: ["n"])
        let text = TerminalChart.render(table, spec, width: 100, height: 20, color: false)
        #expect(text.contains("2022-01") || text.contains("2022"))
        #expect(!text.contains("-01-"))
        let svg = SVGChart.render(table, spec)
        #expect(svg.contains(">2023<") || svg.contains(">2023-01<"))
    }
}
