import Foundation
import Testing
@testable import TallyEngine

/// Loading never changes a value: awkward files load, export in the same dialect and load again
/// with the same values (and, for files already in the writer's form, the same bytes).
@Suite("Data fidelity")
struct FidelityTests {
    static let corpus: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus").path
    }()

    static func path(_ name: String) -> String { corpus + "/" + name }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Loads `path`, exports it with the delimiter the load found, loads the export: the two tables
    /// must hold the same names, types and cells. Returns the first table and the exported bytes.
    static func roundTrip(_ path: String, options: LoadOptions = LoadOptions()) throws -> (Table, LoadReport, [UInt8]) {
        let (table, report) = try TableReader.read(path: path, options: options)
        let delimiter = report.delimiter ?? UInt8(ascii: ",")
        var out = [UInt8]()
        CSVWriter(delimiter: delimiter, header: true).write(table, into: &out)
        var again = options
        again.delimiter = delimiter
        again.header = true
        again.encoding = .utf8
        let ext = path.hasSuffix(".tsv") ? "tsv" : "csv"
        let (reloaded, _) = try TableReader.read(path: TestFiles.write("again.\(ext)", bytes: out), options: again)
        #expect(reloaded.names == table.names)
        #expect(reloaded.columns.map(\.type) == table.columns.map(\.type))
        #expect(TestFiles.cells(reloaded) == TestFiles.cells(table))
        return (table, report, out)
    }

    // MARK: - Files in the writer's own form: the same bytes back

    @Test(arguments: ["quotes.csv", "newlines-lf.csv", "leading-zeros.csv", "empty-fields.csv", "chinese.csv",
                      "semicolon.csv", "codes.tsv"])
    func exportGivesTheSameBytes(_ name: String) throws {
        let file = FidelityTests.path(name)
        let (_, _, out) = try FidelityTests.roundTrip(file)
        let original = try FidelityTests.bytes(file)
        #expect(out == original, "\(name): export differs:\n\(String(decoding: out, as: UTF8.self))")
    }

    @Test func singleColumnWithoutFinalNewline() throws {
        let file = FidelityTests.path("single-column-no-newline.csv")
        let (table, _, out) = try FidelityTests.roundTrip(file)
        #expect(table.names == ["code"])
        #expect(TestFiles.cells(table) == [["0012"], ["0034"]])
        // The writer ends every line, the last one too.
        #expect(out == (try FidelityTests.bytes(file)) + [0x0A])
    }

    // MARK: - Files in other forms: the same values back

    @Test func crlfInsideQuotesIsKept() throws {
        let (table, _, out) = try FidelityTests.roundTrip(FidelityTests.path("newlines-crlf.csv"))
        #expect(TestFiles.cells(table) == [["1", "line one\r\nline two"], ["2", "mixed\nends\r\n"], ["3", "plain"]])
        #expect(String(decoding: out, as: UTF8.self) == "id,note\n1,\"line one\r\nline two\"\n2,\"mixed\nends\r\n\"\n3,plain\n")
    }

    @Test func byteOrderMark() throws {
        let (table, _, out) = try FidelityTests.roundTrip(FidelityTests.path("bom.csv"))
        #expect(table.names == ["code", "county"])
        #expect(TestFiles.cells(table) == [["0450102", "兴宁区"], ["0450103", "青秀区"]])
        #expect(String(decoding: out, as: UTF8.self) == "code,county\n0450102,兴宁区\n0450103,青秀区\n")
    }

    @Test func gb18030() throws {
        let (table, report, _) = try FidelityTests.roundTrip(FidelityTests.path("gb18030.csv"))
        #expect(report.encoding == .gb18030)
        #expect(table.names == ["学校代码", "县名", "备注"])
        #expect(TestFiles.cells(table) == [["0450102", "马山县", "含,逗号"], ["0450103", "上林县", "null"]])
    }

    @Test func tsvWithBackslashesQuotesTabsAndEmptyStrings() throws {
        // Tab-separated: a tab or line break inside a field needs quotes, a backslash is data.
        let text = "path\tnote\tn\nC:\\data\\new\t\"a\tb\"\t1\n\\\\server\\x\t\"\"\"quoted\"\" first\"\t2\n"
            + "D:\\\t\"\"\t3\nE:\\t\t\"two\r\nlines\"\t\n"
        let path = TestFiles.write("paths.tsv", text)
        let (table, report, out) = try FidelityTests.roundTrip(path)
        #expect(report.delimiter == UInt8(ascii: "\t"))
        #expect(TestFiles.cells(table) == [["C:\\data\\new", "a\tb", "1"], ["\\\\server\\x", "\"quoted\" first", "2"],
                                           ["D:\\", "", "3"], ["E:\\t", "two\r\nlines", "null"]])
        #expect(out == Array(text.utf8))
    }

    // MARK: - Generated files too large to commit

    @Test func veryLongFields() throws {
        var field = ""
        let piece = "南宁,\"quoted\"\r\nline\n"
        while field.utf8.count < 4 << 20 { field += piece }
        let quoted = "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let plain = String(repeating: "x", count: 1 << 20)
        let text = "id,long,plain\n1,\(quoted),\(plain)\n2,short,0012\n"
        let path = TestFiles.write("long.csv", text)
        let (table, _, out) = try FidelityTests.roundTrip(path)
        #expect(table.columns[1].text(at: 0) == field)
        #expect(table.columns[2].text(at: 0) == plain)
        #expect(table.columns[2].text(at: 1) == "0012")
        #expect(out == Array(text.utf8))
    }

    @Test func hundredThousandColumns() throws {
        let count = 100_000
        var header = [String](), first = [String](), second = [String]()
        for c in 0..<count {
            header.append("c\(c)")
            switch c % 4 {
            case 0: first.append("\(c)"); second.append("\(c + 1)")
            case 1: first.append("0\(c % 100)"); second.append("7")
            case 2: first.append("\"a,\(c)\""); second.append("")
            default: first.append("\(c).5"); second.append("-0.25")
            }
        }
        let text = [header, first, second].map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let path = TestFiles.write("wide.csv", text)
        let (table, _, out) = try FidelityTests.roundTrip(path)
        #expect(table.columnCount == count)
        #expect(table.rowCount == 2)
        #expect(table.columns[1].type == .text)
        #expect(table.columns[1].text(at: 0) == "01")
        #expect(table.columns[0].type == .int)
        #expect(out == Array(text.utf8))
    }

    // MARK: - Numbers that must stay as written

    @Test func leadingZerosIdentityNumbersAndBigIntegersStayText() throws {
        let (table, report) = try TableReader.read(path: FidelityTests.path("leading-zeros.csv"))
        #expect(table.columns.map(\.type) == [.text, .text, .text, .text, .text, .int, .float, .float])
        #expect(TestFiles.cells(table)[0] == ["08123", "0012", "450102199001011234", "45010219900101123X",
                                              "123456789012345678901234567890", "0", "0.5", "-0.25"])
        #expect(TestFiles.cells(table)[2][4] == "9223372036854775808")
        let reasons = Dictionary(report.textFallbacks.map { ($0.column, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons["zip"]?.contains("leading zeros (`08123`)") == true)
        #expect(reasons["student_code"]?.contains("leading zeros") == true)
        #expect(reasons["id_number"]?.contains("identity numbers") == true)
        #expect(reasons["id_x"]?.contains("identity numbers") == true)
        #expect(reasons["big"]?.contains("cannot keep exactly") == true)
        #expect(reasons["amount"] == nil && reasons["rate"] == nil)
        let message = Session.describe(load: report, name: "t", table: table)
        #expect(message.contains("column `zip` read as text: it has values with leading zeros (`08123`)"))
    }

    @Test func aTextColumnWithSomeLeadingZerosIsPlainText() throws {
        // Plain text in the column: leading zeros are not why it is text.
        let (sampled, sampledReport) = try TestFiles.load("code,n\n0012,1\nA12,2\n")
        #expect(sampled.columns[0].type == .text)
        #expect(sampledReport.textFallbacks.isEmpty)
        var text = "code\n"
        for i in 0..<300_000 { text += "\(i % 1000)\n" }
        text += "0012\n"
        for i in 0..<1000 { text += "\(i)\n" }
        text += "A12\n"
        let (late, lateReport) = try TestFiles.load(text)
        #expect(late.columns[0].type == .text)
        #expect(lateReport.textFallbacks.map(\.reason) == ["mixes int values with text"])
    }

    @Test func zerosThatAreNumbers() throws {
        let (table, report) = try TestFiles.load("a,b,c,d\n0,0.5,-0.25,-0\n10,0.0,+0.75,1e3\n")
        #expect(table.columns.map(\.type) == [.int, .float, .float, .float])
        #expect(report.textFallbacks.isEmpty)
    }

    @Test(arguments: ["0123", "-007", "00.5", "450102199001011234", "45010219900101123X", "99999999999999999999999"])
    func aLateValueTurnsAColumnToTextAndTheReportSaysWhy(_ late: String) throws {
        // Past the sample and in a later chunk than the first: found by the typed pass, not the sniffer.
        var text = "n,other\n"
        for i in 0..<300_000 { text += "\(i % 1000),x\n" }
        text += "\(late),y\n"
        let (table, report) = try TestFiles.load(text)
        #expect(table.columns[0].type == .text)
        #expect(table.columns[0].text(at: 300_000) == late)
        #expect(table.columns[0].text(at: 5) == "5")
        let reason = report.textFallbacks.first { $0.column == "n" }?.reason ?? ""
        #expect(reason.contains("`\(late)`"), "\(reason)")
    }

    @Test func integerBeyondDoublePrecisionIsNotRoundedIntoAFloatColumn() throws {
        // 2^53 + 1 is the first integer a Double cannot hold.
        let (ints, _) = try TestFiles.load("x\n1\n9007199254740993\n2.5\n")
        #expect(ints.columns[0].type == .text)
        #expect(TestFiles.cells(ints) == [["1"], ["9007199254740993"], ["2.5"]])
        var text = "x\n"
        for i in 0..<3000 { text += "\(i).5\n" }
        text += "9007199254740993\n"
        let (floats, report) = try TestFiles.load(text)
        #expect(floats.columns[0].type == .text)
        #expect(floats.columns[0].text(at: 3000) == "9007199254740993")
        #expect(report.textFallbacks.first?.reason.contains("cannot keep exactly") == true)
        // Within the int range and without fractions, the column stays int.
        let (big, _) = try TestFiles.load("x\n1\n9007199254740993\n")
        #expect(big.columns[0].type == .int)
    }

    // MARK: - Types given by the user

    @Test func givenTypeReadsLeadingZerosAsNumbers() throws {
        let options = LoadOptions(types: [.init(column: "zip", type: .int), .init(column: "amount", type: .text)])
        let (table, report) = try TestFiles.load("zip,amount,n\n08123,12,0012\n00456,7,3\n", options: options)
        #expect(table.columns.map(\.type) == [.int, .text, .text])
        #expect(TestFiles.cells(table) == [["8123", "12", "0012"], ["456", "7", "3"]])
        #expect(report.textFallbacks.map(\.column) == ["n"])
    }

    @Test func givenTypeKeepsAnAllNullColumn() throws {
        let (table, _) = try TestFiles.load("a,b\n1,\n2,\n", options: LoadOptions(types: [.init(column: "b", type: .float)]))
        #expect(table.columns[1].type == .float)
        #expect(table.columns[1].nullCount == 2)
    }

    @Test func aValueNotOfTheGivenTypeIsAnErrorNamingTheRow() throws {
        let options = LoadOptions(types: [.init(column: "zip", type: .int)])
        do {
            _ = try TestFiles.load("zip\n1\n2\nA12\n", options: options)
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "column `zip` was given type int, but row 3 holds `A12`")
            #expect(error.hint?.contains("types:") == true)
        }
    }

    @Test func givenTypeForAMissingColumnSuggestsTheName() throws {
        do {
            _ = try TestFiles.load("zip_code\n1\n", options: LoadOptions(types: [.init(column: "zip_cod", type: .int)]))
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message.contains("`zip_cod`"))
            #expect(error.hint == "did you mean `zip_code`?")
        }
    }

    @Test func loadCommandTakesTypes() throws {
        let session = Session()
        let path = TestFiles.write("zip.csv", "zip,code\n08123,0012\n")
        let result = try session.run(".load \(path) as z types:zip=int,code=text")
        if case .message(let text) = result { #expect(text.contains("loaded z")) } else { Issue.record("no message") }
        let table = try session.table("z")
        #expect(table.columns.map(\.type) == [.int, .text])
        #expect(throws: TallyError.self) { _ = try session.run(".load \(path) as z2 types:zip=integer") }
        #expect(throws: TallyError.self) { _ = try session.run(".load \(path) as z3 types:zip") }
    }

    // MARK: - JSON

    @Test func typesAreRefusedForJSON() throws {
        let path = TestFiles.write("t.json", #"[{"a": 1}]"#)
        #expect(throws: TallyError.self) {
            _ = try TableReader.read(path: path, options: LoadOptions(types: [.init(column: "a", type: .text)]))
        }
    }

    @Test func jsonBigIntegersStayText() throws {
        let path = TestFiles.write("big.json", #"[{"id": 123456789012345678901234567890, "n": 1}, {"id": 5, "n": 2}]"#)
        let (table, report) = try TableReader.read(path: path)
        #expect(table.columns[0].type == .text)
        #expect(TestFiles.cells(table) == [["123456789012345678901234567890", "1"], ["5", "2"]])
        #expect(report.textFallbacks.map(\.column) == ["id"])
    }

    @Test func jsonIntegersBeyondDoublePrecisionAreNotRoundedByAFloatColumn() throws {
        let path = TestFiles.write("mix.json", #"[{"x": 9007199254740993}, {"x": 2.5}]"#)
        let (table, _) = try TableReader.read(path: path)
        #expect(TestFiles.cells(table) == [["9007199254740993"], ["2.5"]])
        let (ints, _) = try TableReader.read(path: TestFiles.write("ints.json", #"[{"x": 9007199254740993}, {"x": 2}]"#))
        #expect(ints.columns[0].type == .int)
        #expect(TestFiles.cells(ints) == [["9007199254740993"], ["2"]])
    }
}
