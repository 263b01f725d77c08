import Testing
import TallyEngine

@Suite("Markdown writer")
struct MarkdownWriterTests {
    @Test func alignedTableWithNumbersRight() {
        let table = makeTable([
            ("county", Column(texts: ["南宁市", "Wuming"])),
            ("n", Column(ints: [1, 20_000])),
            ("rate", Column(floats: [0.5, nil])),
        ])
        #expect(MarkdownWriter().string(table) == """
            | county |     n | rate |
            | ------ | ----: | ---: |
            | 南宁市 |     1 |  0.5 |
            | Wuming | 20000 |      |

            """)
    }

    @Test func pipesAreEscapedAndLineBreaksBecomeBr() {
        let table = makeTable([("a|b", Column(texts: ["x|y", "one\ntwo", "crlf\r\nend", nil]))])
        #expect(MarkdownWriter().string(table) == """
            | a\\|b        |
            | ----------- |
            | x\\|y        |
            | one<br>two  |
            | crlf<br>end |
            |             |

            """)
    }

    @Test func booleansAndDatesLeftAligned() {
        let table = makeTable([("ok", Column(bools: [true, nil])), ("day", Column(dates: [0, 18_628]))])
        #expect(MarkdownWriter().string(table) == """
            | ok   | day        |
            | ---- | ---------- |
            | true | 1970-01-01 |
            |      | 2021-01-01 |

            """)
    }

    @Test func zeroRowsKeepsHeaderAndDelimiterRow() {
        let table = makeTable([("a", Column(texts: []))])
        #expect(MarkdownWriter().string(table) == "| a   |\n| --- |\n")
    }

    @Test func zeroColumnsWritesNothing() {
        #expect(MarkdownWriter().string(Table.empty) == "")
    }
}
