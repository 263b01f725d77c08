import Testing
import TallyReport
import TallyEngine

@Suite("Number formatting")
struct NumberFormattingTests {
    @Test func thousandsSeparators() {
        #expect(NumberFormatting.format(12_345_678) == "12,345,678")
        #expect(NumberFormatting.format(-1_234_567) == "-1,234,567")
        #expect(NumberFormatting.format(999) == "999")
        #expect(NumberFormatting.format(1_000) == "1,000")
        #expect(NumberFormatting.format(0) == "0")
        #expect(NumberFormatting.format(Int64.min) == "-9,223,372,036,854,775,808")
        #expect(NumberFormatting.format(12_345, grouping: false) == "12345")
    }

    @Test func groupingIsDecidedPerColumn() {
        #expect(!NumberFormatting.usesGrouping([2021, 2022, 9_999] as [Int64]))
        #expect(NumberFormatting.usesGrouping([1_234, 12_345] as [Int64]))
        #expect(NumberFormatting.usesGrouping([-10_000] as [Int64]))
        #expect(NumberFormatting.usesGrouping([Int64.min]))
    }

    @Test func decimalsComeFromTheColumnsValues() {
        let style = NumberFormatting.floatStyle(for: [0.5, 3.14159265])
        #expect(style == .init(decimals: 6, grouping: false))
        #expect(NumberFormatting.format(0.5, style: style) == "0.500000")
        #expect(NumberFormatting.format(3.14159265, style: style) == "3.141593")
    }

    @Test func wholeFloatsKeepOneDecimal() {
        #expect(NumberFormatting.floatStyle(for: [1.0, 2.0, -3.0]).decimals == 1)
        #expect(NumberFormatting.floatStyle(for: [0.25, 0.5]).decimals == 2)
    }

    @Test func largeFloatsKeepTheirDigitsAndGroup() {
        let style = NumberFormatting.floatStyle(for: [12_345.678, 2.5])
        #expect(style == .init(decimals: 3, grouping: true))
        #expect(NumberFormatting.format(12_345.678, style: style) == "12,345.678")
        #expect(NumberFormatting.format(2.5, style: style) == "2.500")
        #expect(NumberFormatting.format(1_234_567.891, style: .init(decimals: 2, grouping: true)) == "1,234,567.89")
    }

    @Test func tinyValuesGetMoreDecimals() {
        let style = NumberFormatting.floatStyle(for: [0.000123, 0.000456])
        #expect(style.decimals == 6)
        #expect(NumberFormatting.format(0.000123, style: style) == "0.000123")
        let mixed = NumberFormatting.floatStyle(for: [0.5, 0.000123])
        #expect(mixed.decimals == 6)
        #expect(NumberFormatting.format(0.000123, style: mixed) == "0.000123")
    }

    @Test func extremeMagnitudesFallBackToShortestForm() {
        let huge = NumberFormatting.floatStyle(for: [1e20, 5])
        #expect(huge.decimals == nil)
        #expect(NumberFormatting.format(1e20, style: huge) == "1e+20")
        #expect(NumberFormatting.format(5, style: huge) == "5.0")
        #expect(NumberFormatting.floatStyle(for: [1e-12]).decimals == nil)
    }

    @Test func nanAndInfinityAreShownAndIgnoredForTheStyle() {
        let style = NumberFormatting.floatStyle(for: [.nan, .infinity, 1.25])
        #expect(style == .init(decimals: 2, grouping: false))
        #expect(NumberFormatting.format(.nan, style: style) == "nan")
        #expect(NumberFormatting.format(.infinity, style: style) == "inf")
        #expect(NumberFormatting.format(-.infinity, style: style) == "-inf")
        #expect(NumberFormatting.floatStyle(for: [Double]()) == .init(decimals: 1, grouping: false))
    }

    @Test func roundingIsHalfAwayFromZeroOnTheShownDigits() {
        func fixed(_ value: Double, _ decimals: Int) -> String {
            NumberFormatting.format(value, style: .init(decimals: decimals, grouping: true))
        }
        #expect(fixed(2.675, 2) == "2.68")
        #expect(fixed(0.125, 2) == "0.13")
        #expect(fixed(-1.5, 0) == "-2")
        #expect(fixed(9.99995, 4) == "10.0000")
        #expect(fixed(999_999.96, 1) == "1,000,000.0")
        #expect(fixed(0.00006, 4) == "0.0001")
        #expect(fixed(0.00004, 4) == "0.0000")
        #expect(fixed(-0.00001, 4) == "0.0000")
        #expect(fixed(-0.0, 1) == "0.0")
        #expect(fixed(123.0, 3) == "123.000")
        #expect(fixed(1e-5, 6) == "0.000010")
    }
}

@Suite("Identifier columns")
struct IdentifierColumnTests {
    @Test func codesAndIdsAreNotGrouped() throws {
        let table = try Table(names: ["county_code", "students"], columns: [Column(ints: [450102]), Column(ints: [41000])])
        let text = render(table, format: .table, options: RenderOptions(width: 80))
        #expect(text.contains("450102"))
        #expect(text.contains("41,000"))
    }

    /// The screen rule: shortest round-trip digits up to 12 significant ones, cents always kept, at
    /// most 6 decimals; the binary noise of a sum is not shown as digits.
    @Test(arguments: [
        (177_620_309.14000243, "177,620,309.14"),
        (1_234_567.891, "1,234,567.891"),
        (0.1 + 0.2, "0.3"),
        (12_345_678_901.23, "12,345,678,901.23"),
        (0.9289250000000001, "0.928925"),
        (1.0 / 3.0, "0.333333"),
    ])
    func screenDigits(value: Double, shown: String) {
        #expect(NumberFormatting.format(value, style: NumberFormatting.floatStyle(for: [value])) == shown)
    }
}
