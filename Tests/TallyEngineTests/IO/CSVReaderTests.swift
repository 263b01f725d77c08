import Foundation
import Testing
@testable import TallyEngine

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func readsHeaderAndInfersTypes() throws {
        let (table, report) = try TestFiles.load("year,county,amount,ok,day\n2021,兴宁区,12.5,true,2021-09-01\n2022,青秀区,7,false,2022-01-31\n")
        #expect(table.names == ["year", "county", "amount", "ok", "day"])
        #expect(table.columns.map(\.type) == [.int, .text, .float, .bool, .date])
        #expect(TestFiles.cells(table) == [["2021", "兴宁区", "12.5", "true", "2021-09-01"],
                                           ["2022", "青秀区", "7.0", "false", "2022-01-31"]])
        #expect(report.rows == 2)
        #expect(report.header)
        #expect(report.delimiter == UInt8(ascii: ","))
    }

    @Test func emptyCellsAreNull() throws {
        let (table, _) = try TestFiles.load("a,b,c\n1,,x\n,2.5,\n")
        #expect(table.columns.map(\.type) == [.int, .float, .text])
        #expect(TestFiles.cells(table) == [["1", "null", "x"], ["null", "2.5", "null"]])
        #expect(table.columns[0].nullCount == 1)
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let (table, _) = try TestFiles.load("name,note\n\"a, b\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\n")
        #expect(TestFiles.cells(table) == [["a, b", "say \"hi\""], ["multi\nline", "x"]])
    }

    @Test func crlfLineEnds() throws {
        let (table, _) = try TestFiles.load("a,b\r\n1,x\r\n2,y\r\n")
        #expect(TestFiles.cells(table) == [["1", "x"], ["2", "y"]])
        #expect(table.columns[0].type == .int)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let path = TestFiles.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("县,n\n兴宁区,3\n".utf8))
        let (table, _) = try TableReader.read(path: path)
        #expect(table.names == ["县", "n"])
        #expect(TestFiles.cells(table) == [["兴宁区", "3"]])
    }

    /// Only the first mark is a BOM (as DuckDB reads it): a second stays in the first name, and the
    /// writer quotes a field that starts with U+FEFF, so the name survives an export and a load.
    @Test func secondByteOrderMarkStaysInTheNameThroughARoundTrip() throws {
        for (delimiter, name) in [(UInt8(ascii: ","), "boms.csv"), (UInt8(ascii: "\t"), "boms.tsv")] {
            let separator = String(UnicodeScalar(delimiter))
            let path = TestFiles.write(name, bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("k\(separator)v\n\u{FEFF}x\(separator)1\n".utf8))
            let (table, _) = try TableReader.read(path: path)
            #expect(table.names == ["\u{FEFF}k", "v"])
            let writer = CSVWriter(delimiter: delimiter)
            let text = writer.string(table)
            #expect(text.hasPrefix("\"\u{FEFF}k\"\(separator)v\n\"\u{FEFF}x\"\(separator)1\n"), "\(text.debugDescription)")
            let (again, _) = try TableReader.read(path: TestFiles.write(name, text))
            #expect(again.names == table.names)
            #expect(TestFiles.cells(again) == TestFiles.cells(table))
        }
    }

    @Test func lastLineWithoutNewline() throws {
        let (table, _) = try TestFiles.load("a,b\n1,2\n3,4")
        #expect(TestFiles.cells(table) == [["1", "2"], ["3", "4"]])
    }

    @Test func blankLinesAreSkipped() throws {
        let (table, _) = try TestFiles.load("a,b\n1,2\n\n3,4\n\n")
        #expect(table.rowCount == 2)
    }

    /// With one column an empty line is a null row, as DuckDB reads it (checked with prqlc +
    /// DuckDB: `x\n1\n\n2\n` gives 1, null, 2 and `x\n1\n2\n\n` gives 1, 2, null), and as the
    /// writer writes a null; so a one-column table with nulls round-trips.
    @Test func emptyLinesInAOneColumnFileAreNullRows() throws {
        let (middle, _) = try TestFiles.load("x\n1\n\n2\n")
        #expect(TestFiles.cells(middle) == [["1"], ["null"], ["2"]])
        #expect(middle.columns[0].type == .int)
        let (trailing, _) = try TestFiles.load("x\r\n1\r\n2\r\n\r\n")
        #expect(TestFiles.cells(trailing) == [["1"], ["2"], ["null"]])
        let table = Table(uncheckedNames: ["县"], columns: [Column(texts: ["兴宁区", nil, "青秀区", nil])], rowCount: 4)
        var written = [UInt8]()
        CSVWriter.csv.write(table, into: &written)
        #expect(String(decoding: written, as: UTF8.self) == "县\n兴宁区\n\n青秀区\n\n")
        let again = try TableReader.read(bytes: written, format: .csv, options: LoadOptions()).0
        #expect(TestFiles.cells(again) == [["兴宁区"], ["null"], ["青秀区"], ["null"]])
    }

    @Test func wrongFieldCountNamesTheLine() throws {
        let text = "a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,2,3,4\n"
        #expect(throws: TallyError.self) { try TestFiles.load(text) }
        do {
            _ = try TestFiles.load(text)
        } catch let error as TallyError {
            #expect(error.message == "line 5: 4 fields, header has 3")
            #expect(error.line == 5)
            #expect(error.hint?.contains("ignore_errors:true") == true)
        }
    }

    @Test func tooFewFieldsNamesTheLine() throws {
        do {
            _ = try TestFiles.load("a,b,c\n1,2,3\n4,5\n")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "line 3: 2 fields, header has 3")
        }
    }

    @Test func ignoreErrorsSkipsAndCounts() throws {
        let (table, report) = try TestFiles.load("a,b,c\n1,2,3\n4,5\n6,7,8\n9\n", options: LoadOptions(ignoreErrors: true))
        #expect(TestFiles.cells(table) == [["1", "2", "3"], ["6", "7", "8"]])
        #expect(report.skippedRows == 2)
        #expect(report.firstSkippedLine == 3)
    }

    @Test func unterminatedQuoteNamesWhereTheFieldStarted() throws {
        do {
            _ = try TestFiles.load("a,b\n1,x\n2,\"open\n3,y\n4,z\n")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "line 3: quoted field is never closed")
        }
    }

    @Test func emptyFileHasItsOwnMessage() throws {
        do {
            _ = try TestFiles.load("")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message.contains("is empty"))
        }
    }

    @Test func missingFile() throws {
        do {
            _ = try TableReader.read(path: "/nonexistent/aid.csv")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "cannot open `/nonexistent/aid.csv`: no such file")
        }
    }

    @Test func directoryIsRefused() throws {
        do {
            _ = try TableReader.read(path: TestFiles.directory)
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message.contains("is a directory"))
        }
    }

    @Test func binaryFileIsRefused() throws {
        let path = TestFiles.write("x.csv", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        do {
            _ = try TableReader.read(path: path)
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message.contains("binary file"))
        }
    }

    @Test func gb18030IsDetectedAndDecoded() throws {
        // "县,人数\n马山县,12\n" in GB18030.
        let gbk: [UInt8] = [0xCF, 0xD8, 0x2C, 0xC8, 0xCB, 0xCA, 0xFD, 0x0A, 0xC2, 0xED, 0xC9, 0xBD, 0xCF, 0xD8, 0x2C, 0x31, 0x32, 0x0A]
        let (table, report) = try TableReader.read(path: TestFiles.write("gbk.csv", bytes: gbk))
        #expect(report.encoding == .gb18030)
        #expect(table.names == ["县", "人数"])
        #expect(TestFiles.cells(table) == [["马山县", "12"]])
    }

    @Test func encodingOverride() throws {
        let path = TestFiles.write("u.csv", "a\n兴宁区\n")
        let (table, _) = try TableReader.read(path: path, options: LoadOptions(encoding: .utf8))
        #expect(TestFiles.cells(table) == [["兴宁区"]])
    }

    @Test func wideIntegersStayTextNotRoundedFloats() throws {
        let (table, report) = try TestFiles.load("id\n1\n99999999999999999999\n")
        #expect(table.columns[0].type == .text)
        #expect(TestFiles.cells(table)[1] == ["99999999999999999999"])
        #expect(report.textFallbacks.map(\.column) == ["id"])
    }

    @Test func int64ExtremesStayInt() throws {
        let (table, _) = try TestFiles.load("id\n9223372036854775807\n-9223372036854775808\n")
        #expect(table.columns[0].type == .int)
        #expect(TestFiles.cells(table) == [["9223372036854775807"], ["-9223372036854775808"]])
    }

    @Test func mixedColumnFallsBackToTextAndSaysWhy() throws {
        var text = "code,n\n"
        for i in 0..<1500 { text += "\(i),\(i)\n" }
        text += "A12,1\n"
        let (table, report) = try TestFiles.load(text)
        #expect(table.columns[0].type == .text)
        #expect(table.columns[1].type == .int)
        #expect(table.columns[0].text(at: 1500) == "A12")
        #expect(table.columns[0].text(at: 7) == "7")
        #expect(report.textFallbacks.map(\.column) == ["code"])
    }

    @Test func intColumnMeetingAFloatLateBecomesFloat() throws {
        var text = "x\n"
        for i in 0..<2000 { text += "\(i)\n" }
        text += "2.5\n"
        let (table, _) = try TestFiles.load(text)
        #expect(table.columns[0].type == .float)
        #expect(table.columns[0].text(at: 3) == "3.0")
        #expect(table.columns[0].text(at: 2000) == "2.5")
    }

    @Test func timestampsInIsoForms() throws {
        let (table, _) = try TestFiles.load("t\n2009-01-01 00:00:00\n2009-01-01T12:30:05.5\n2009-01-01T00:00:00.000000000\n")
        #expect(table.columns[0].type == .timestamp)
        #expect(TestFiles.cells(table) == [["2009-01-01 00:00:00"], ["2009-01-01 12:30:05.500000"], ["2009-01-01 00:00:00"]])
    }

    @Test func datesAndTimestampsMixToTimestamp() throws {
        let (table, _) = try TestFiles.load("t\n2021-09-01\n2021-09-02 08:00:00\n")
        #expect(table.columns[0].type == .timestamp)
    }

    @Test func invalidDateIsText() throws {
        let (table, _) = try TestFiles.load("d\n2021-02-30\n")
        #expect(table.columns[0].type == .text)
    }

    @Test(arguments: [(";", "a;b\n1;2\n"), ("\t", "a\tb\n1\t2\n"), ("|", "a|b\n1|2\n"), (",", "a,b\n1,2\n")])
    func sniffsDelimiter(expected: String, text: String) throws {
        let (table, report) = try TestFiles.load(text)
        #expect(report.delimiter == UInt8(ascii: Unicode.Scalar(expected)!))
        #expect(table.names == ["a", "b"])
    }

    @Test func semicolonFileWithDecimalCommas() throws {
        let (table, report) = try TestFiles.load("city;rate\n南宁市;0,95\n柳州市;0,97\n")
        #expect(report.delimiter == UInt8(ascii: ";"))
        #expect(table.columns[1].type == .text)
    }

    @Test func delimiterOverride() throws {
        let (table, _) = try TestFiles.load("a;b,c\n1;2,3\n", options: LoadOptions(delimiter: UInt8(ascii: ";")))
        #expect(table.names == ["a", "b,c"])
    }

    @Test func headerSniffedAbsentForNumericFirstRow() throws {
        let (table, report) = try TestFiles.load("1,2\n3,4\n")
        #expect(!report.header)
        #expect(table.names == ["column0", "column1"])
        #expect(table.rowCount == 2)
    }

    @Test func headerOverride() throws {
        let (table, _) = try TestFiles.load("name,city\nx,y\n", options: LoadOptions(header: false))
        #expect(table.names == ["column0", "column1"])
        #expect(table.rowCount == 2)
    }

    @Test func duplicateAndEmptyHeaderNamesAreMadeUnique() throws {
        let (table, _) = try TestFiles.load("a,a,\n1,2,3\n")
        #expect(table.names == ["a", "a_1", "column2"])
    }

    @Test func quotedEmptyStringIsNotNullInText() throws {
        let (table, _) = try TestFiles.load("a,b\n\"\",x\n,y\n")
        #expect(table.columns[0].text(at: 0) == "")
        #expect(table.columns[0].isNull(1))
    }

    @Test func tsvByExtension() throws {
        let (table, _) = try TestFiles.load("a\tb\n1\tx,y\n", name: "t.tsv")
        #expect(TestFiles.cells(table) == [["1", "x,y"]])
    }

    @Test func allNullColumnIsText() throws {
        let (table, _) = try TestFiles.load("a,b\n1,\n2,\n")
        #expect(table.columns[1].type == .text)
        #expect(table.columns[1].nullCount == 2)
    }

    @Test func textAfterClosingQuoteIsAnError() throws {
        do {
            _ = try TestFiles.load("a,b\n\"x\"y,1\n")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "line 2: text after the closing quote of a field")
        }
    }

    /// A file large enough to be cut into chunks parsed on several cores must read exactly like
    /// the same rows parsed on one: quoted line breaks near the cuts included.
    @Test func parallelParseMatchesSequential() throws {
        var text = "id,name,amount,note\n"
        var expected: [[String]] = []
        var i = 0
        while text.utf8.count < 6 << 20 {
            let note = i % 7 == 0 ? "\"line\nbreak, \"\"q\"\"\"" : (i % 5 == 0 ? "" : "plain")
            let shownNote = i % 7 == 0 ? "line\nbreak, \"q\"" : (i % 5 == 0 ? "null" : "plain")
            text += "\(i),县\(i % 111),\(i % 3 == 0 ? "\(i).5" : "\(i)"),\(note)\n"
            expected.append([String(i), "县\(i % 111)", i % 3 == 0 ? "\(i).5" : "\(Double(i))", shownNote])
            i += 1
        }
        let (table, report) = try TestFiles.load(text)
        #expect(report.rows == expected.count)
        #expect(table.columns.map(\.type) == [.int, .text, .float, .text])
        let cells = TestFiles.cells(table)
        #expect(cells.count == expected.count)
        #expect(cells == expected)
    }

    @Test func parallelParseReportsTheRightLine() throws {
        var text = "a,b\n"
        for k in 0..<400_000 { text += "\(k),x\(k % 10)\n" }
        text += "1,2,3\n"
        do {
            _ = try TestFiles.load(text)
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "line 400002: 3 fields, header has 2")
        }
    }

    /// Fields of every length from 0 to 20 bytes in every column, so delimiters and line ends fall
    /// at every position of the eight-byte words the field scan reads, and the last record ends
    /// within a word of the end of the file (with and without a final line end, LF and CRLF).
    @Test func fieldsOfEveryLengthSplitAtEveryByte() throws {
        for lineEnd in ["\n", "\r\n"] {
            for finalEnd in [true, false] {
                var text = "a,b,c" + lineEnd
                var expected: [[String]] = []
                for r in 0..<63 {
                    let lengths = [r % 21, (r * 5 + 3) % 21, (r * 11 + 7) % 21]
                    // Text of the given length (empty is null); 中 is three bytes, so a multi-byte
                    // character straddles words too.
                    let fields = lengths.enumerated().map { (c, n) -> String in
                        var f = ""
                        while f.utf8.count < n { f += (f.utf8.count + 3 <= n && (r + c) % 3 == 0) ? "中" : "x" }
                        return f
                    }
                    expected.append(fields.map { $0.isEmpty ? "null" : $0 })
                    text += fields.joined(separator: ",")
                    if r < 62 || finalEnd { text += lineEnd }
                }
                let (table, _) = try TestFiles.load(text)
                #expect(table.rowCount == 63)
                #expect(TestFiles.cells(table) == expected, "\(lineEnd.debugDescription) final \(finalEnd)")
            }
        }
    }

    /// Fields longer than the 64-byte blocks the field scan takes a mask of, and quoted fields
    /// whose commas and line ends lie in a block the scan already holds: each field must end at
    /// its own delimiter, not at one inside a quoted field before it or a block past it.
    @Test func longAndQuotedFieldsAcrossScanBlocks() throws {
        var text = "a,b,c\n"
        var expected: [[String]] = []
        for r in 0..<120 {
            let long = String(repeating: r % 2 == 0 ? "x" : "中", count: (r * 37) % 150)
            let quoted = String(repeating: "q,\n", count: r % 9)
            let plain = String(r)
            let fields: [String]
            switch r % 3 {
            case 0: fields = [long, quoted, plain]
            case 1: fields = [plain, long, quoted]
            default: fields = [quoted, plain, long]
            }
            expected.append(fields.map { $0.isEmpty ? "null" : $0 })
            text += fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        }
        let (table, _) = try TestFiles.load(text)
        #expect(table.rowCount == 120)
        #expect(TestFiles.cells(table) == expected)
    }

    /// A file big enough to be cut into chunks, parsed in place into the arrays that become the
    /// columns: blank lines leave each chunk fewer rows than its capacity, so every chunk's rows
    /// move down to close the gaps. Every type, nulls included, must come out in file order.
    @Test func chunksParsedInPlaceComeOutInOrder() throws {
        var text = "i,f,t,b,d\n"
        let rows = 200_000
        for r in 0..<rows {
            if r % 1_000 == 7 { text += "\n" }
            let i = r % 17 == 0 ? "" : String(r)
            text += "\(i),\(r).5,t\(r % 300),\(r % 2 == 0),2024-01-\(10 + r % 20)\n"
        }
        let (table, report) = try TestFiles.load(text)
        #expect(report.rows == rows)
        #expect(table.rowCount == rows)
        #expect(table.columns.map(\.type) == [.int, .float, .text, .bool, .date])
        for r in stride(from: 0, to: rows, by: 997) + [rows - 1] {
            #expect(table[r, "i"] == (r % 17 == 0 ? .null : .int(Int64(r))), "row \(r)")
            #expect(table[r, "f"] == .float(Double(r) + 0.5), "row \(r)")
            #expect(table[r, "t"] == .text("t\(r % 300)"), "row \(r)")
            #expect(table[r, "b"] == .bool(r % 2 == 0), "row \(r)")
            #expect(table.columns[4].text(at: r) == "2024-01-\(10 + r % 20)", "row \(r)")
        }
    }

    /// The column arrays are not cleared before the parse, so a null's slot is written as zero by
    /// the parse itself: kernels that read values under a validity mask (sums, hashes) see 0,
    /// never what the memory held before. Freed blocks filled with ones come first, so the
    /// allocator has dirty memory to hand back.
    @Test func nullSlotsHoldZeroInReusedMemory() throws {
        for _ in 0..<4 {
            let size = 3 << 20
            if let block = malloc(size) { memset(block, 0xFF, size); free(block) }
        }
        var text = "i,f,d,b,t\n"
        let rows = 300_000
        for r in 0..<rows {
            text += r % 3 == 0 ? ",,,,\n" : "\(r),\(r).25,2024-02-\(10 + r % 9),\(r % 2 == 0),t\(r % 50)\n"
        }
        let (table, _) = try TestFiles.load(text)
        #expect(table.rowCount == rows)
        guard case .int(let ints) = table.columns[0].values, case .float(let floats) = table.columns[1].values,
              case .date(let dates) = table.columns[2].values, case .bool(let bools) = table.columns[3].values else {
            Issue.record("types: \(table.columns.map(\.type))")
            return
        }
        for r in stride(from: 0, to: rows, by: 3) {
            #expect(ints[r] == 0 && floats[r].bitPattern == 0 && dates[r] == 0 && !bools[r], "row \(r)")
            if ints[r] != 0 || floats[r].bitPattern != 0 || dates[r] != 0 || bools[r] { break }
        }
        #expect(table[1, "i"] == .int(1) && table[3, "t"] == .null && table[4, "t"] == .text("t4"))
    }
}
