import Testing
import TallyEngine
@testable import TallyReport

@Suite("Box table renderer")
struct TableRendererTests {
    let plain = RenderOptions(width: 80, maxRows: 40, color: false)

    func box(_ table: Table, _ options: RenderOptions = RenderOptions()) -> String {
        TableRenderer(options: options).render(table)
    }

    @Test func chineseTextLinesUpWithASCII() {
        let table = makeTable([
            ("county", Column(texts: ["南宁市", "兴宁区", "Wuming"])),
            ("n", Column(ints: [1, 22, 333])),
        ])
        let text = box(table)
        #expect(text == """
            ┌────────┬─────┐
            │ county │   n │
            ├────────┼─────┤
            │ 南宁市 │   1 │
            │ 兴宁区 │  22 │
            │ Wuming │ 333 │
            └────────┴─────┘
            3 rows × 2 columns

            """)
        #expect(Set(boxLineWidths(text)).count == 1)
    }

    @Test func chineseWiderThanItsHeader() {
        let table = makeTable([("县", Column(texts: ["青秀区", "A"])), ("x", Column(texts: ["b", "西乡塘区"]))])
        let text = box(table)
        #expect(text == """
            ┌────────┬──────────┐
            │ 县     │ x        │
            ├────────┼──────────┤
            │ 青秀区 │ b        │
            │ A      │ 西乡塘区 │
            └────────┴──────────┘
            2 rows × 2 columns

            """)
        #expect(Set(boxLineWidths(text)).count == 1)
    }

    @Test func thousandsSeparatorsButNotForYears() {
        let table = makeTable([
            ("year", Column(ints: [2021, 2022, 2023])),
            ("amount", Column(ints: [12_345_678, 1_234, -98_765])),
        ])
        #expect(box(table) == """
            ┌──────┬────────────┐
            │ year │     amount │
            ├──────┼────────────┤
            │ 2021 │ 12,345,678 │
            │ 2022 │      1,234 │
            │ 2023 │    -98,765 │
            └──────┴────────────┘
            3 rows × 2 columns

            """)
    }

    @Test func floatsShareDecimalsWithinAColumn() {
        let table = makeTable([
            ("rate", Column(floats: [0.5, 3.14159265, 12_345.6789])),
            ("share", Column(floats: [0.25, 0.5, 1])),
        ])
        #expect(box(table) == """
            ┌───────────────┬───────┐
            │          rate │ share │
            ├───────────────┼───────┤
            │      0.500000 │  0.25 │
            │      3.141593 │  0.50 │
            │ 12,345.678900 │  1.00 │
            └───────────────┴───────┘
            3 rows × 2 columns

            """)
    }

    @Test func nanAndInfinityAreShown() {
        let table = makeTable([("x", Column(floats: [.nan, .infinity, -.infinity, 1.5]))])
        #expect(box(table) == """
            ┌──────┐
            │    x │
            ├──────┤
            │  nan │
            │  inf │
            │ -inf │
            │  1.5 │
            └──────┘
            4 rows × 1 column

            """)
    }

    @Test func nullsPlainWithoutColour() {
        let table = makeTable([("name", Column(texts: ["a", nil])), ("n", Column(ints: [nil, 5]))])
        #expect(box(table, plain) == """
            ┌──────┬──────┐
            │ name │    n │
            ├──────┼──────┤
            │ a    │ null │
            │ null │    5 │
            └──────┴──────┘
            2 rows × 2 columns

            """)
    }

    @Test func nullsDimmedWithColour() {
        let table = makeTable([("name", Column(texts: ["a", nil])), ("n", Column(ints: [nil, 5]))])
        let text = box(table, RenderOptions(color: true))
        #expect(text == """
            ┌──────┬──────┐
            │ name │    n │
            ├──────┼──────┤
            │ a    │ \u{1B}[2mnull\u{1B}[0m │
            │ \u{1B}[2mnull\u{1B}[0m │    5 │
            └──────┴──────┘
            2 rows × 2 columns

            """)
    }

    @Test func colourDoesNotTouchTheTextNull() {
        let table = makeTable([("s", Column(texts: ["null"]))])
        #expect(!box(table, RenderOptions(color: true)).contains("\u{1B}"))
    }

    @Test func longResultShowsFirstAndLastRows() {
        let table = makeTable([
            ("i", Column(ints: (1...10).map { Int64($0) })),
            ("word", Column(texts: (1...10).map { "w\($0)" })),
        ])
        #expect(box(table, RenderOptions(maxRows: 4)) == """
            ┌────┬──────────┐
            │  i │ word     │
            ├────┼──────────┤
            │  1 │ w1       │
            │  2 │ w2       │
            │ … 6 more rows │
            │  9 │ w9       │
            │ 10 │ w10      │
            └────┴──────────┘
            10 rows × 2 columns

            """)
    }

    @Test func oneHiddenRowIsShownInstead() {
        let table = makeTable([("i", Column(ints: (1...5).map { Int64($0) }))])
        let text = box(table, RenderOptions(maxRows: 4))
        #expect(!text.contains("more row"))
        #expect(text.contains("│ 5 │"))
    }

    @Test func oddLimitShowsOneMoreAtTheTop() {
        let table = makeTable([("i", Column(ints: (1...100).map { Int64($0) }))])
        let text = box(table, RenderOptions(maxRows: 3))
        #expect(text == """
            ┌────────────────┐
            │              i │
            ├────────────────┤
            │              1 │
            │              2 │
            │ … 97 more rows │
            │            100 │
            └────────────────┘
            100 rows × 1 column

            """)
    }

    @Test func noLimitShowsEveryRow() {
        let table = makeTable([("i", Column(ints: (1...100).map { Int64($0) }))])
        let text = box(table, RenderOptions(maxRows: nil))
        #expect(text.split(separator: "\n").count == 100 + 5)
    }

    @Test func moreRowsLineIsDimmedWithColour() {
        let table = makeTable([("i", Column(ints: (1...50).map { Int64($0) }))])
        #expect(box(table, RenderOptions(maxRows: 2, color: true)).contains("\u{1B}[2m… 48 more rows\u{1B}[0m"))
    }

    @Test func rowCountsGetSeparators() {
        let table = makeTable([("i", Column(ints: (0..<12_345).map { Int64($0) }))])
        let text = box(table, RenderOptions(maxRows: 2))
        #expect(text.hasSuffix("12,345 rows × 1 column\n"))
        #expect(text.contains("… 12,343 more rows"))
    }

    @Test func narrowTerminalDropsMiddleColumns() {
        let names = ["id", "alpha", "beta", "gamma", "delta", "last"]
        let table = makeTable(names.enumerated().map { index, name in
            (name, Column(ints: [Int64(index) * 1_000_000]))
        })
        let text = box(table, RenderOptions(width: 40))
        #expect(text == """
            ┌────┬───────────┬───┬───────────┐
            │ id │     alpha │ … │      last │
            ├────┼───────────┼───┼───────────┤
            │  0 │ 1,000,000 │ … │ 5,000,000 │
            └────┴───────────┴───┴───────────┘
            1 row × 6 columns
            3 columns hidden: beta, gamma, delta
            see them with .mode line or select

            """)
        #expect(boxLineWidths(text).allSatisfy { $0 <= 40 })
    }

    @Test func hiddenNoteFitsOnOneLineWhenItCan() {
        let table = makeTable((0..<8).map { ("c\($0)", Column(ints: [1_000_000_000])) })
        let text = box(table)
        #expect(text.hasSuffix("""
            1 row × 8 columns
            4 columns hidden: c2, c3, c4, c5 (see them with .mode line or select)

            """))
        let note = text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(note.hasSuffix("(see them with .mode line or select)"))
        #expect(DisplayWidth.of(note) <= 80)
        #expect(boxLineWidths(text).allSatisfy { $0 <= 80 })
    }

    @Test func textColumnsShrinkBeforeColumnsAreDropped() {
        let table = makeTable([
            ("name", Column(texts: ["a fairly long piece of text"])),
            ("n", Column(ints: [1])),
        ])
        let text = box(table, RenderOptions(width: 24))
        #expect(text == """
            ┌──────────────────┬───┐
            │ name             │ n │
            ├──────────────────┼───┤
            │ a fairly long p… │ 1 │
            └──────────────────┴───┘
            1 row × 2 columns

            """)
        #expect(boxLineWidths(text) == [24, 24, 24, 24, 24])
    }

    @Test func longCellsAreCutAtTheMaximumColumnWidth() {
        let table = makeTable([("s", Column(texts: [String(repeating: "x", count: 50), "short"]))])
        let text = box(table, RenderOptions(maxColumnWidth: 10))
        #expect(text.contains("│ xxxxxxxxx… │"))
        #expect(text.contains("│ short      │"))
    }

    @Test func wideCharactersAreCutWhole() {
        let table = makeTable([("s", Column(texts: ["广西壮族自治区南宁市", "ab"]))])
        let text = box(table, RenderOptions(maxColumnWidth: 8))
        #expect(text == """
            ┌──────────┐
            │ s        │
            ├──────────┤
            │ 广西壮…  │
            │ ab       │
            └──────────┘
            2 rows × 1 column

            """)
        #expect(Set(boxLineWidths(text)).count == 1)
    }

    @Test func numbersAreNeverCut() {
        let table = makeTable([("amount", Column(ints: [12_345_678])), ("d", Column(dates: [0]))])
        #expect(box(table, RenderOptions(maxColumnWidth: 4)) == """
            ┌────────────┬────────────┐
            │     amount │ d          │
            ├────────────┼────────────┤
            │ 12,345,678 │ 1970-01-01 │
            └────────────┴────────────┘
            1 row × 2 columns

            """)
    }

    @Test func ellipsisAtTheRightEdgeWhenTheLastColumnCannotFit() {
        let table = makeTable([
            ("a", Column(ints: [1])), ("b", Column(ints: [2])), ("c", Column(ints: [3])),
            ("d", Column(ints: [Int64.min])),
        ])
        #expect(box(table, RenderOptions(width: 30)) == """
            ┌───┬───┬───┬───┐
            │ a │ b │ c │ … │
            ├───┼───┼───┼───┤
            │ 1 │ 2 │ 3 │ … │
            └───┴───┴───┴───┘
            1 row × 4 columns
            1 column hidden: d
            see them with .mode line or select

            """)
    }

    @Test func tinyTerminalsAndOddOptionsDoNotCrash() {
        let table = makeTable([
            ("county", Column(texts: ["南宁市", nil, "x"])),
            ("amount", Column(ints: [12_345_678, 2, nil])),
            ("note", Column(texts: ["广西壮族自治区", "b", "c"])),
        ])
        for width in -2...15 {
            for maxRows in [0, 1, 2, nil] as [Int?] {
                for maxColumnWidth in [0, 1, 3] {
                    let text = box(table, RenderOptions(width: width, maxRows: maxRows, maxColumnWidth: maxColumnWidth))
                    #expect(Set(boxLineWidths(text)).count == 1, "width \(width) rows \(String(describing: maxRows))")
                }
            }
        }
    }

    @Test func maxRowsZeroShowsOnlyTheCount() {
        let table = makeTable([("n", Column(ints: [1, 2, 3]))])
        #expect(box(table, RenderOptions(maxRows: 0)) == """
            ┌───────────────┐
            │             n │
            ├───────────────┤
            │ … 3 more rows │
            └───────────────┘
            3 rows × 1 column

            """)
    }

    @Test func longHeadersAreCutToo() {
        let table = makeTable([("a_very_long_column_name", Column(texts: ["x"]))])
        #expect(box(table, RenderOptions(maxColumnWidth: 6)).contains("│ a_ver… │"))
    }

    @Test func zeroRowsShowsHeader() {
        let table = makeTable([("county", Column(texts: [])), ("n", Column(ints: []))])
        #expect(box(table) == """
            ┌────────┬───┐
            │ county │ n │
            └────────┴───┘
            0 rows × 2 columns

            """)
    }

    @Test func zeroColumns() {
        #expect(box(Table.empty) == "(no columns)\n0 rows × 0 columns\n")
        #expect(box(Table(uncheckedNames: [], columns: [], rowCount: 3)) == "(no columns)\n3 rows × 0 columns\n")
    }

    @Test func booleansDatesAndTimestamps() {
        let table = makeTable([
            ("ok", Column(bools: [true, false])),
            ("day", Column(dates: [18_871, nil])),
            ("at", Column(.timestamp([1_630_485_000_000_000, 0]))),
        ])
        #expect(box(table) == """
            ┌───────┬────────────┬─────────────────────┐
            │ ok    │ day        │ at                  │
            ├───────┼────────────┼─────────────────────┤
            │ true  │ 2021-09-01 │ 2021-09-01 08:30:00 │
            │ false │ null       │ 1970-01-01 00:00:00 │
            └───────┴────────────┴─────────────────────┘
            2 rows × 3 columns

            """)
    }

    @Test func controlCharactersCannotBreakTheBox() {
        let table = makeTable([("s", Column(texts: ["a\nb", "tab\there", "esc\u{1B}[31m"]))])
        #expect(box(table) == """
            ┌─────────────┐
            │ s           │
            ├─────────────┤
            │ a\\nb        │
            │ tab\\there   │
            │ esc\\x1b[31m │
            └─────────────┘
            3 rows × 1 column

            """)
    }

    @Test func namesCutInTheNoteWhenThereAreMany() {
        let table = makeTable((0..<30).map { ("column_\($0)", Column(ints: [1_000_000_000])) })
        let lines = box(table).split(separator: "\n").map(String.init)
        #expect(lines.suffix(2).allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(lines.suffix(2).first?.hasPrefix("26 columns hidden: column_2, column_3, ") == true)
        #expect(lines.suffix(2).first?.hasSuffix("…") == true)
        #expect(lines.last == "see them with .mode line or select")
    }

    @Test func everyLineFitsAtAnyWidth() {
        let table = makeTable([
            ("county", Column(texts: ["南宁市", "广西壮族自治区", nil, "Wuming County"])),
            ("year", Column(ints: [2021, 2022, nil, 2024])),
            ("amount", Column(ints: [12_345_678, nil, 3, -4])),
            ("rate", Column(floats: [0.5, .nan, nil, 1e-3])),
            ("ok", Column(bools: [true, nil, false, true])),
            ("note", Column(texts: ["一二三四五六七八九十", "x", "y", nil])),
        ])
        for width in 16...120 {
            for maxRows in [nil, 2] as [Int?] {
                let text = box(table, RenderOptions(width: width, maxRows: maxRows))
                let widths = boxLineWidths(text)
                #expect(Set(widths).count == 1, "width \(width): \(widths)")
                #expect((widths.first ?? 0) <= width, "width \(width)")
            }
        }
    }

    @Test func thousandsSeparatorsAreOneRuleForTheTable() {
        let table = makeTable([
            ("year", Column(ints: [2021, 2022])),
            ("pupils", Column(ints: [10_796, 9_001])),
            ("teachers", Column(ints: [8_595, 612])),
            ("yuan", Column(floats: [1_234.5, 20])),
        ])
        #expect(box(table) == """
            ┌──────┬────────┬──────────┬─────────┐
            │ year │ pupils │ teachers │    yuan │
            ├──────┼────────┼──────────┼─────────┤
            │ 2021 │ 10,796 │    8,595 │ 1,234.5 │
            │ 2022 │  9,001 │      612 │    20.0 │
            └──────┴────────┴──────────┴─────────┘
            2 rows × 4 columns

            """)
        let html = HTMLReport.table(table, maxRows: 20)
        #expect(html.contains("<td class=\"num\">8,595</td>"))
        #expect(html.contains("<td class=\"num\">2021</td>"))
    }
}
