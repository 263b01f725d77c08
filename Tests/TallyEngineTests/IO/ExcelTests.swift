import Foundation
import Testing
import ZIPFoundation
@testable import TallyEngine

/// Workbooks made from raw XML parts, as spreadsheet programs write them.
enum HandMadeWorkbook {
    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A workbook whose sheets are given as the inside of `<sheetData>` (and extra worksheet XML after it).
    static func write(name: String = "book.xlsx", sheets: [(name: String, data: String, extra: String)],
                      sharedStrings: [String] = [], styles: String? = nil, date1904: Bool = false) throws -> String {
        let path = TestFiles.directory + "/" + UUID().uuidString + "-" + name
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ part: String, _ text: String) throws {
            let bytes = Array(text.utf8)
            try archive.addEntry(with: part, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { pos, size in
                Data(bytes[Int(pos)..<min(bytes.count, Int(pos) + size)])
            }
        }
        try add("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
        var workbook = "<workbook xmlns=\"\(ns)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        if date1904 { workbook += "<workbookPr date1904=\"1\"/>" }
        workbook += "<sheets>"
        var rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for (i, sheet) in sheets.enumerated() {
            workbook += "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
            try add("xl/worksheets/sheet\(i + 1).xml",
                    "<?xml version=\"1.0\"?><worksheet xmlns=\"\(ns)\"><sheetData>\(sheet.data)</sheetData>\(sheet.extra)</worksheet>")
        }
        try add("xl/workbook.xml", workbook + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", rels + "</Relationships>")
        if !sharedStrings.isEmpty {
            try add("xl/sharedStrings.xml", "<sst xmlns=\"\(ns)\">" + sharedStrings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>")
        }
        if let styles { try add("xl/styles.xml", styles) }
        return path
    }

    /// Styles: 0 general, 1 built-in date 14, 2 custom `yyyy/m/d h:mm`, 3 built-in time 20.
    static let dateStyles = """
    <styleSheet xmlns="\(ns)"><numFmts count="1"><numFmt numFmtId="170" formatCode="yyyy/m/d h:mm"/></numFmts>\
    <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="170"/><xf numFmtId="20"/></cellXfs></styleSheet>
    """

    /// A county aid report as county bureaus send it: a merged title, a unit row, a two-row merged
    /// header, numbers stored as text, a code with a leading zero, a totals row and a note below.
    static func countyReport() throws -> String {
        let strings = ["2024年春季学期家庭经济困难学生资助统计表", "单位：人、万元", "学校", "代码", "资助金额", "人数",
                       "中职", "普通高中", "兴宁一中", "青秀中学", "合计", "注：数据为示例。"]
        func s(_ ref: String, _ i: Int) -> String { "<c r=\"\(ref)\" t=\"s\"><v>\(i)</v></c>" }
        let data = """
        <row r="1">\(s("A1", 0))</row>\
        <row r="2">\(s("A2", 1))</row>\
        <row r="3">\(s("A3", 2))\(s("B3", 3))\(s("C3", 4))\(s("E3", 5))</row>\
        <row r="4">\(s("C4", 6))\(s("D4", 7))</row>\
        <row r="5">\(s("A5", 8))<c r="B5" t="inlineStr"><is><t>007</t></is></c><c r="C5"><v>12.5</v></c><c r="D5" t="inlineStr"><is><t>30</t></is></c><c r="E5"><v>120</v></c></row>\
        <row r="6">\(s("A6", 9))<c r="B6" t="inlineStr"><is><t>012</t></is></c><c r="C6"><v>7.5</v></c><c r="D6"><v>20</v></c><c r="E6" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>\
        <row r="7">\(s("A7", 10))<c r="C7"><f>SUM(C5:C6)</f><v>20</v></c><c r="D7"><v>50</v></c><c r="E7"><v>120</v></c></row>\
        <row r="9">\(s("A9", 11))</row>
        """
        let merges = "<mergeCells count=\"5\"><mergeCell ref=\"A1:E1\"/><mergeCell ref=\"A3:A4\"/><mergeCell ref=\"B3:B4\"/>"
            + "<mergeCell ref=\"C3:D3\"/><mergeCell ref=\"E3:E4\"/></mergeCells>"
        return try write(name: "county.xlsx", sheets: [("资助", data, merges), ("说明", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>", "")],
                         sharedStrings: strings)
    }
}

@Suite("Excel workbooks")
struct ExcelTests {
    func load(_ path: String, _ excel: ExcelOptions = ExcelOptions(), types: [LoadOptions.ColumnType] = []) throws -> (Table, LoadReport) {
        var options = LoadOptions(format: .xlsx, types: types)
        options.excel = excel
        return try TableReader.read(path: path, options: options)
    }

    @Test func messyCountyReport() throws {
        let (table, report) = try load(try HandMadeWorkbook.countyReport())
        #expect(table.names == ["学校", "代码", "资助金额_中职", "资助金额_普通高中", "人数"])
        #expect(table.columns.map(\.type) == [.text, .text, .float, .int, .int])
        #expect(TestFiles.cells(table) == [["兴宁一中", "007", "12.5", "30", "120"],
                                           ["青秀中学", "012", "7.5", "20", "null"],
                                           ["合计", "null", "20.0", "50", "120"]])
        let notes = report.notes.joined(separator: "\n")
        #expect(notes.contains("header rows 3–4"))
        #expect(notes.contains("title row 1 skipped"))
        #expect(notes.contains("unit row 2 skipped (单位：人、万元)"))
        #expect(notes.contains("totals row 7 kept"))
        #expect(notes.contains("note row 9 skipped"))
        #expect(notes.contains("E6 is #DIV/0!"))
        #expect(notes.contains("column `资助金额_普通高中`: 1 number stored as text read as number"))
    }

    @Test func overridesEveryDecision() throws {
        let path = try HandMadeWorkbook.countyReport()
        let (dropped, report) = try load(path, ExcelOptions(dropTotals: true))
        #expect(dropped.rowCount == 2)
        #expect(report.notes.joined().contains("totals row 7 dropped"))
        let (one, _) = try load(path, ExcelOptions(header: .rows(3...3)))
        #expect(one.names == ["学校", "代码", "资助金额", "资助金额_2", "人数"])  // C3:D3 is merged
        #expect(one.rowCount == 4)  // row 4 is data now
        let (none, _) = try load(path, ExcelOptions(header: ExcelOptions.Header.none))
        #expect(none.names == ["A", "B", "C", "D", "E"])
        let (ranged, _) = try load(path, ExcelOptions(range: CellRange("A3:B6")))
        #expect(ranged.names == ["学校", "代码"])
        #expect(ranged.rowCount == 2)
        let (notes, _) = try load(path, ExcelOptions(keepNotes: true))
        #expect(notes.rowCount == 4)
        let (typed, _) = try load(path, types: [.init(column: "资助金额_普通高中", type: .text)])
        #expect(typed.column(named: "资助金额_普通高中")?.type == .text)
    }

    @Test func sheetsByNameAndPositionAndMissing() throws {
        let path = try HandMadeWorkbook.countyReport()
        let (second, _) = try load(path, ExcelOptions(sheet: .index(2)))
        #expect(second.names == ["x"])
        let (named, _) = try load(path, ExcelOptions(sheet: .name("说明"), header: ExcelOptions.Header.none))
        #expect(named.rowCount == 1)
        do {
            _ = try load(path, ExcelOptions(sheet: .name("汇总")))
            Issue.record("a missing sheet loaded")
        } catch let error as TallyError {
            #expect(error.message.contains("no sheet `汇总`"))
            #expect(error.hint?.contains("1. 资助, 2. 说明") == true)
        }
        let list = try ExcelReader.sheetList(path: path)
        #expect(TestFiles.cells(list) == [["1", "资助", "A1:E9", "9", "5"], ["2", "说明", "A1:A1", "1", "1"]])
    }

    @Test func datesIn1900And1904SystemsByFormat() throws {
        let data = """
        <row r="1"><c r="A1" t="inlineStr"><is><t>day</t></is></c><c r="B1" t="inlineStr"><is><t>at</t></is></c>\
        <c r="C1" t="inlineStr"><is><t>time</t></is></c><c r="D1" t="inlineStr"><is><t>n</t></is></c><c r="E1" t="inlineStr"><is><t>ok</t></is></c></row>\
        <row r="2"><c r="A2" s="1"><v>44197</v></c><c r="B2" s="2"><v>44197.5</v></c><c r="C2" s="3"><v>0.75</v></c><c r="D2"><v>44197</v></c><c r="E2" t="b"><v>1</v></c></row>\
        <row r="3"><c r="A3" s="1"><v>1</v></c><c r="B3" s="2"><v>61</v></c><c r="C3" s="3"><v>0.5</v></c><c r="D3"><v>2</v></c><c r="E3" t="b"><v>0</v></c></row>
        """
        let p1900 = try HandMadeWorkbook.write(sheets: [("s", data, "")], styles: HandMadeWorkbook.dateStyles)
        let (t1900, _) = try load(p1900)
        #expect(t1900.columns.map(\.type) == [.date, .timestamp, .text, .int, .bool])
        #expect(TestFiles.cells(t1900) == [["2021-01-01", "2021-01-01 12:00:00", "18:00:00", "44197", "true"],
                                           ["1900-01-01", "1900-03-01 00:00:00", "12:00:00", "2", "false"]])
        let p1904 = try HandMadeWorkbook.write(sheets: [("s", data, "")], styles: HandMadeWorkbook.dateStyles, date1904: true)
        let (t1904, _) = try load(p1904)
        #expect(t1904.columns[0].text(at: 0) == "2025-01-02")
        #expect(t1904.columns[0].text(at: 1) == "1904-01-02")
    }

    @Test func emptyTrailingRowsAndColumnsAreIgnored() throws {
        let data = """
        <row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c><c r="C1"/></row>\
        <row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2" t="inlineStr"><is><t></t></is></c></row>\
        <row r="3"><c r="A3"/></row><row r="40"/>
        """
        let (table, _) = try load(try HandMadeWorkbook.write(sheets: [("s", data, "<dimension ref=\"A1:Z99\"/>")]))
        #expect(table.names == ["a", "b"])
        #expect(TestFiles.cells(table) == [["1", "2"]])
    }

    @Test func roundTripThroughTheWriter() throws {
        let table = try Table(names: ["县区", "code", "n", "share", "ok", "day", "at"], columns: [
            Column(texts: ["兴宁区", "青秀区 & <x>", nil]),
            Column(texts: ["0450", "0451", "0452"]),
            Column(ints: [1, nil, -3]),
            Column(floats: [0.5, 2.25, nil]),
            Column(bools: [true, false, nil]),
            Column(dates: [0, 18628, nil]),
            Column(.timestamp([1_609_502_400_000_000, 0, 86_399_000_000]), validity: nil),
        ])
        let path = TestFiles.directory + "/round-\(UUID().uuidString).xlsx"
        try XLSXWriter.write([.init(name: "结果", table: table)], to: path)
        let (back, _) = try load(path)
        #expect(back.names == table.names)
        #expect(back.columns.map(\.type) == table.columns.map(\.type))
        #expect(TestFiles.cells(back) == TestFiles.cells(table))
        #expect(try ExcelReader.sheetNames(path: path) == ["结果"])
        // The sheet is a real workbook: bold frozen header, widths from the content.
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var xml = Data()
        if let entry = archive["xl/worksheets/sheet1.xml"] { _ = try archive.extract(entry) { xml.append($0) } }
        let sheet = String(decoding: xml, as: UTF8.self)
        #expect(sheet.contains("state=\"frozen\""))
        #expect(sheet.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\">"))
        #expect(sheet.contains("<col min=\"1\" max=\"1\" width=\"14\""))  // `青秀区 & <x>`: 12 columns wide, + 2
    }

    @Test func sheetNamesAreMadeValid() {
        #expect(XLSXWriter.uniqueSheetNames(["a/b", "A/B", "", String(repeating: "长", count: 40), "x[1]:*?"])
                == ["a_b", "A_B (2)", "Sheet3", String(repeating: "长", count: 31), "x_1____"])
    }

    func failure(_ bytes: [UInt8], _ name: String) -> TallyError? {
        let path = TestFiles.write(name, bytes: bytes)
        do { _ = try load(path); return nil } catch let e as TallyError { return e } catch { return nil }
    }

    @Test func badInputSaysWhatItIs() throws {
        #expect(failure(Array("a,b\n1,2\n".utf8), "x.xlsx")?.message.contains("not a zip file") == true)
        var ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512)
        let legacy = failure(ole, "old.xls")
        #expect(legacy?.message.contains("legacy Excel 97–2003 workbook (.xls)") == true)
        #expect(legacy?.hint?.contains("libreoffice --headless --convert-to xlsx") == true)
        ole += Array("EncryptedPackage".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(failure(ole, "secret.xlsx")?.message.contains("password-protected") == true)
        #expect(failure([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "broken.xlsx")?.message.contains("damaged") == true)
    }

    /// Where the compressed bytes of `part` lie in a zip written by ZIPFoundation (no data descriptors).
    func compressedRange(of part: String, in zip: [UInt8]) -> Range<Int>? {
        let name = Array(part.utf8)
        var header = 0
        while header + 30 + name.count <= zip.count {
            if zip[header] == 0x50, zip[header + 1] == 0x4B, zip[header + 2] == 3, zip[header + 3] == 4,
               Array(zip[(header + 30)..<(header + 30 + name.count)]) == name {
                let size = Int(zip[header + 18]) | Int(zip[header + 19]) << 8 | Int(zip[header + 20]) << 16 | Int(zip[header + 21]) << 24
                let start = header + 30 + name.count + (Int(zip[header + 28]) | Int(zip[header + 29]) << 8)
                return start..<(start + size)
            }
            header += 1
        }
        return nil
    }

    /// A part whose deflate stream ends before its header says (the xlsx fuzzer found one, which
    /// hung in the zip library's inflate loop): a clear error naming the part, at once.
    @Test func deflateStreamCutShortIsAnErrorNotAHang() throws {
        let xml = String(repeating: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", count: 1)
        let path = try HandMadeWorkbook.write(sheets: [("表", xml, "")])
        var bytes = try #require(FileManager.default.contents(atPath: path)).map { $0 }
        let range = try #require(compressedRange(of: "xl/worksheets/sheet1.xml", in: bytes))
        // The same number of bytes, as one stored block that is not the last: the stream never ends.
        let length = range.count - 5
        let low = UInt8(length & 0xFF), high = UInt8(length >> 8)
        let text: [UInt8] = Array("<?xml version=\"1.0\"?><worksheet>".utf8) + [UInt8](repeating: 0x20, count: length)
        let block: [UInt8] = [0x00, low, high, ~low, ~high] + text.prefix(length)
        bytes.replaceSubrange(range, with: block)
        let error = failure(bytes, "cut.xlsx")
        #expect(error?.message.contains("the workbook is damaged: the part `xl/worksheets/sheet1.xml` ends early") == true,
                "\(error?.message ?? "no error")")
        #expect(error?.message.contains("sheet `表`") == true)
        #expect(error?.hint?.contains("save the workbook again") == true)

        // The fuzzer's own input: several parts are damaged; the first one read is named.
        let input = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/xlsx/regression-deflate-past-end.xlsx")
        let found = try #require(FileManager.default.contents(atPath: input.path))
        let message = failure(Array(found), "fuzz.xlsx")?.message ?? "no error"
        #expect(message.contains("the workbook is damaged: the part `xl/"), "\(message)")
    }

    /// A part with any byte of its compressed data changed is an error naming the part (or loads,
    /// where the change is harmless), never a hang.
    @Test func damagedPartsAreErrorsNamingThePart() throws {
        let path = try HandMadeWorkbook.write(sheets: [("表", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", "")])
        let good = try #require(FileManager.default.contents(atPath: path)).map { $0 }
        #expect(failure(good, "good.xlsx") == nil)
        let range = try #require(compressedRange(of: "xl/worksheets/sheet1.xml", in: good))
        for offset in range {
            for value: UInt8 in [0x00, 0xFF, good[offset] ^ 0x01] where good[offset] != value {
                var bytes = good
                bytes[offset] = value
                guard let error = failure(bytes, "bad.xlsx") else { continue }
                #expect(error.message.contains("the part `xl/worksheets/sheet1.xml`"), "\(error.message)")
            }
        }
    }

    @Test func hostileCellsAreErrorsNotCrashes() throws {
        let cases = [
            "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row>",             // no such shared string
            "<row r=\"1\"><c r=\"ZZZZ1\"><v>1</v></c></row>",                   // beyond the columns
            "<row r=\"99999999\"><c><v>1</v></c></row>",                        // beyond the rows
            "<row r=\"2\"><c r=\"A1\"><v>1</v></c></row>",                      // a cell outside its row
            "<row r=\"1\"><c r=\"A1\"><v>12abc</v></c></row>",                  // not a number
            "<row r=\"1\"><c r=\"A1\" s=\"999999999999\"><v>1</v></c><c r=\"B1\" t=\"s\"><v>-1</v></c></row>",
            "<row r=\"1\"><c r=\"A1\"><v>1",                                     // cut short
            "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>inf</v></c><c r=\"B1\"><v>nan</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c></row>",
        ]
        for data in cases {
            let path = try HandMadeWorkbook.write(sheets: [("表", data, "")], sharedStrings: ["x"])
            do {
                _ = try load(path)
                Issue.record("loaded: \(data)")
            } catch let error as TallyError {
                #expect(error.message.contains("sheet `表`"), "\(error.message)")
            }
        }
    }

    @Test func sessionCommandsAndQueries() throws {
        let session = Session()
        let path = try HandMadeWorkbook.countyReport()
        guard case .message(let loaded) = try session.run(".load \(path) as aid totals:drop") else {
            Issue.record("no message"); return
        }
        #expect(loaded.contains("loaded aid: 2 rows × 5 columns"))
        #expect(loaded.contains("totals row 7 dropped"))
        let q = try session.query("from (read_excel \"\(path)\" sheet:1 totals:drop) | aggregate {n = sum 人数}")
        #expect(TestFiles.cells(q) == [["120"]])
        let s = try session.query("from (read_excel \"\(path)\" sheet:\"说明\" header:false)")
        #expect(s.names == ["A"])
        #expect(throws: TallyError.self) { try session.run(".load \(path) sheet:\"无\"") }
        // The session goes on after an error.
        _ = try session.run("from aid | take 1")
        let out = TestFiles.directory + "/export-\(UUID().uuidString).xlsx"
        _ = try session.run(".export \(out) sheet:\"第一\"")
        guard case .table(let sheets) = try session.run(".sheets \(out)") else { Issue.record("no table"); return }
        #expect(sheets.columns[1].text(at: 0) == "第一")
        let folder = TestFiles.directory + "/data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: folder + "/county.xlsx")
        let other = Session()
        #expect(try other.registerDirectory(folder) == ["county_资助", "county_说明"])
        #expect(try other.table("county_资助").rowCount == 3)
    }
}
