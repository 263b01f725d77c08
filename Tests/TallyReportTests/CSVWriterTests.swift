import Testing
import TallyEngine

@Suite("CSV and TSV writer")
struct CSVWriterTests {
    @Test func headerAndPlainRows() {
        let table = makeTable([("county", Column(texts: ["南宁市", "兴宁区"])), ("n", Column(ints: [1, -2]))])
        #expect(CSVWriter.csv.string(table) == "county,n\n南宁市,1\n兴宁区,-2\n")
    }

    @Test func quotesDelimiterQuoteAndLineBreaks() {
        let table = makeTable([("note", Column(texts: ["a,b", "say \"hi\"", "two\nlines", "cr\rhere", "plain"]))])
        #expect(CSVWriter.csv.string(table)
            == "note\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n\"cr\rhere\"\nplain\n")
    }

    @Test func nullIsEmptyFieldButEmptyStringIsQuoted() {
        let table = makeTable([("t", Column(texts: ["", nil, "x"])), ("n", Column(ints: [nil, 2, nil]))])
        #expect(CSVWriter.csv.string(table) == "t,n\n\"\",\n,2\nx,\n")
    }

    @Test func booleansDatesAndFloats() {
        let table = makeTable([
            ("ok", Column(bools: [true, false])),
            ("day", Column(dates: [18_628, -1])),
            ("x", Column(floats: [0.1, 3])),
        ])
        #expect(CSVWriter.csv.string(table) == "ok,day,x\ntrue,2021-01-01,0.1\nfalse,1969-12-31,3.0\n")
    }

    @Test func nanAndInfinityUseCanonicalText() {
        let table = makeTable([("x", Column(floats: [.nan, .infinity, -.infinity, 1e20]))])
        #expect(CSVWriter.csv.string(table) == "x\nnan\ninf\n-inf\n1e+20\n")
    }

    @Test func timestampsMatchColumnText() {
        let micros: [Int64] = [0, 1_630_485_000_000_000, 1_630_485_000_123_456, -1, -86_400_000_000 * 365]
        let column = Column(.timestamp(micros))
        let expected = "ts\n" + micros.indices.map { (column.text(at: $0) ?? "") + "\n" }.joined()
        #expect(CSVWriter.csv.string(makeTable([("ts", column)])) == expected)
        #expect(expected.contains("2021-09-01 08:30:00.123456"))
        #expect(expected.contains("1969-12-31 23:59:59.999999"))
    }

    @Test func extremeIntegers() {
        let table = makeTable([("n", Column(ints: [Int64.min, Int64.max, 0]))])
        #expect(CSVWriter.csv.string(table) == "n\n-9223372036854775808\n9223372036854775807\n0\n")
    }

    @Test func headerNamesAreQuotedToo() {
        let table = makeTable([("a,b", Column(ints: [1])), ("c", Column(ints: [2]))])
        #expect(CSVWriter.csv.string(table) == "\"a,b\",c\n1,2\n")
    }

    @Test func withoutHeader() {
        let table = makeTable([("a", Column(ints: [1, 2]))])
        #expect(CSVWriter(header: false).string(table) == "1\n2\n")
    }

    @Test func otherDelimiterQuotesThatDelimiter() {
        let table = makeTable([("a", Column(texts: ["x;y", "x,y"]))])
        #expect(CSVWriter(delimiter: UInt8(ascii: ";")).string(table) == "a\n\"x;y\"\nx,y\n")
    }

    @Test func zeroRowsWritesHeaderOnly() {
        let table = makeTable([("a", Column(ints: [])), ("b", Column(texts: []))])
        #expect(CSVWriter.csv.string(table) == "a,b\n")
    }

    @Test func zeroColumnsWritesNothing() {
        #expect(CSVWriter.csv.string(Table.empty) == "")
    }

    @Test func tsvQuotesTabsAndLineBreaksAndKeepsBackslashes() {
        let table = makeTable([
            ("text", Column(texts: ["a\tb", "line\nbreak", "back\\slash", "cr\r", nil, "中文"])),
            ("n", Column(ints: [1, 2, 3, 4, 5, nil])),
        ])
        #expect(CSVWriter.tsv.string(table)
            == "text\tn\n\"a\tb\"\t1\n\"line\nbreak\"\t2\nback\\slash\t3\n\"cr\r\"\t4\n\t5\n中文\t\n")
    }

    @Test func tsvQuotesOnlyWhatTheReaderWouldMisread() {
        let table = makeTable([("a", Column(texts: ["say \"hi\", ok", "", "\"quoted\" first", nil]))])
        #expect(CSVWriter.tsv.string(table) == "a\nsay \"hi\", ok\n\"\"\n\"\"\"quoted\"\" first\"\n\n")
    }

    @Test func manyRowsCrossChunkBoundaries() {
        let count = 5_000
        let table = makeTable([
            ("i", Column(ints: (0..<count).map { Int64($0) })),
            ("t", Column(texts: (0..<count).map { $0 % 3 == 0 ? nil : "v\($0 % 7)" })),
        ])
        let text = CSVWriter.csv.string(table)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == count + 2)
        #expect(lines[1] == "0,")
        #expect(lines[4_097] == "4096,v1")
        #expect(lines[count] == "4999,v1")
    }

    @Test func slicedColumnWithBigDictionaryEncodesPerRow() {
        let column = Column(texts: (0..<100).map { "s\($0),x" }).gather([5, 50])
        #expect(CSVWriter.csv.string(makeTable([("s", column)])) == "s\n\"s5,x\"\n\"s50,x\"\n")
    }

    @Test func writesIntoExistingBuffer() {
        var bytes = Array("prefix\n".utf8)
        CSVWriter.csv.write(makeTable([("a", Column(ints: [7]))]), into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "prefix\na\n7\n")
    }
}
