import Testing
@testable import TallyDatagen

@Suite struct CSVFormatTests {
    @Test func quotesOnlyWhenNeeded() {
        var t = CSVTable(name: "t", columns: ["a", "b"])
        t.append(["plain", "has,comma"])
        t.append(["say \"hi\"", "line\nbreak"])
        let text = String(decoding: t.csvBytes(), as: UTF8.self)
        #expect(text == "a,b\nplain,\"has,comma\"\n\"say \"\"hi\"\"\",\"line\nbreak\"\n")
        let back = CSVSplitter.split(text)
        #expect(back == [["a", "b"], ["plain", "has,comma"], ["say \"hi\"", "line\nbreak"]])
    }

    @Test func fixedFormatting() {
        #expect(Cell.rate(0.9) == "0.9000")
        #expect(Cell.rate(0.85675) == "0.8568")
        #expect(Cell.fixed(-1.005, 1) == "-1.0")
        #expect(Cell.fixed(12, 0) == "12")
        #expect(Cell.fixed(-0.25, 2) == "-0.25")
    }

    @Test func everyFileIsLFOnlyUTF8WithHeader() {
        for t in DatasetGenerator().tables() {
            let bytes = t.csvBytes()
            #expect(!bytes.contains(0x0D), "\(t.name) has CR")
            #expect(bytes.last == 0x0A, "\(t.name) does not end with LF")
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            let parsed = ParsedTable(name: t.name, bytes: bytes)
            #expect(parsed.header == t.columns)
            #expect(parsed.rows.allSatisfy { $0.count == t.columns.count }, "\(t.name) has ragged rows")
            #expect(t.columns.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } },
                    "\(t.name): column names are snake_case")
        }
    }
}
