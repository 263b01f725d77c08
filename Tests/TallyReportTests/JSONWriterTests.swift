import Testing
import TallyEngine

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func arrayOfObjectsInColumnOrder() {
        let table = makeTable([("county", Column(texts: ["南宁市", "兴宁区"])), ("n", Column(ints: [1, 20_000]))])
        #expect(JSONWriter().string(table)
            == "[\n{\"county\":\"南宁市\",\"n\":1},\n{\"county\":\"兴宁区\",\"n\":20000}\n]\n")
    }

    @Test func nullsNaNAndInfinityAreNull() {
        let table = makeTable([("x", Column(floats: [nil, .nan, .infinity, -.infinity, 2.5, 3]))])
        #expect(JSONWriter(lines: true).string(table)
            == "{\"x\":null}\n{\"x\":null}\n{\"x\":null}\n{\"x\":null}\n{\"x\":2.5}\n{\"x\":3.0}\n")
    }

    @Test func typedNullsAreNull() {
        let table = makeTable([
            ("i", Column(ints: [nil])), ("b", Column(bools: [nil])), ("d", Column(dates: [nil])),
            ("t", Column(texts: [nil])),
        ])
        #expect(JSONWriter(lines: true).string(table) == "{\"i\":null,\"b\":null,\"d\":null,\"t\":null}\n")
    }

    @Test func datesTimestampsAndBooleans() {
        let table = makeTable([
            ("d", Column(dates: [18_871])),
            ("ts", Column(.timestamp([1_630_485_000_000_000]))),
            ("ok", Column(bools: [false])),
        ])
        #expect(JSONWriter(lines: true).string(table)
            == "{\"d\":\"2021-09-01\",\"ts\":\"2021-09-01 08:30:00\",\"ok\":false}\n")
    }

    @Test func stringEscaping() {
        let table = makeTable([("s", Column(texts: ["q\"b\\s/", "n\nr\rt\t", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}", "é中😀"]))])
        #expect(JSONWriter(lines: true).string(table) == """
            {"s":"q\\"b\\\\s/"}
            {"s":"n\\nr\\rt\\t"}
            {"s":"\\u0000\\u0001\\b\\f\\u001f\\u007f"}
            {"s":"é中😀"}

            """)
    }

    @Test func keysAreEscaped() {
        let table = makeTable([("a\"b", Column(ints: [1]))])
        #expect(JSONWriter(lines: true).string(table) == "{\"a\\\"b\":1}\n")
        #expect(JSONWriter.quoted("x\ny") == "\"x\\ny\"")
    }

    @Test func emptyResults() {
        let table = makeTable([("a", Column(ints: []))])
        #expect(JSONWriter().string(table) == "[]\n")
        #expect(JSONWriter(lines: true).string(table) == "")
    }

    @Test func rowsWithoutColumnsAreEmptyObjects() {
        let table = Table(uncheckedNames: [], columns: [], rowCount: 2)
        #expect(JSONWriter().string(table) == "[\n{},\n{}\n]\n")
        #expect(JSONWriter(lines: true).string(table) == "{}\n{}\n")
    }

    @Test func largeIntegersStayExact() {
        let table = makeTable([("n", Column(ints: [Int64.max, Int64.min]))])
        #expect(JSONWriter(lines: true).string(table)
            == "{\"n\":9223372036854775807}\n{\"n\":-9223372036854775808}\n")
    }

    @Test func ndjsonAcrossChunks() {
        let table = makeTable([("i", Column(ints: (0..<3_000).map { Int64($0) }))])
        let lines = JSONWriter(lines: true).string(table).split(separator: "\n")
        #expect(lines.count == 3_000)
        #expect(lines[2_999] == "{\"i\":2999}")
    }
}
