import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation
@testable import TallyEngine

/// Why the sheet parts are read on bytes: the same sheet through Foundation's XMLParser and through
/// `SheetParser`. Runs only with `TALLY_XLSX_SPEED=ROWS` set, e.g.
/// `TALLY_XLSX_SPEED=200000 swift test --skip-build --filter ExcelParseSpeed`.
@Suite("Excel parse speed")
struct ExcelParseSpeedTests {
    final class CellCollector: NSObject, XMLParserDelegate {
        var cells = 0
        var numbers = 0.0
        var inValue = false
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == "v" || name == "t" { inValue = true; text = "" }
            if name == "c" { cells += 1; _ = attributes["r"].map { CellRange($0) } }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { text += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "v" { numbers += Double(text) ?? 0 }
            inValue = false
        }
    }

    @Test func xmlParserAgainstBytes() throws {
        guard let rows = ProcessInfo.processInfo.environment["TALLY_XLSX_SPEED"].flatMap(Int.init) else { return }
        var columns: [Column] = []
        for c in 0..<10 {
            if c % 3 == 2 {
                columns.append(Column(texts: (0..<rows).map { "县\($0 % 111)" }))
            } else {
                columns.append(Column(floats: (0..<rows).map { Double($0 * (c + 1)) / 7 }))
            }
        }
        let table = try Table(names: (0..<10).map { "c\($0)" }, columns: columns)
        let path = TestFiles.directory + "/speed.xlsx"
        try XLSXWriter.write([.init(name: "s", table: table)], to: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var xml = Data()
        if let entry = archive["xl/worksheets/sheet1.xml"] { _ = try archive.extract(entry) { xml.append($0) } }
        let bytes = [UInt8](xml)

        var start = Date()
        let collector = CellCollector()
        let parser = XMLParser(data: xml)
        parser.delegate = collector
        let parsed = parser.parse()
        if !parsed { print("XMLParser stopped: \(String(describing: parser.parserError)) after \(collector.cells) cells") }
        let viaXMLParser = Date().timeIntervalSince(start)

        start = Date()
        let grid = try SheetParser(file: path, sheet: "s", sharedStringCount: 0).parse(bytes)
        let viaBytes = Date().timeIntervalSince(start)

        start = Date()
        let (loaded, _) = try TableReader.read(path: path)
        let whole = Date().timeIntervalSince(start)
        #expect(loaded.rowCount == rows)
        #expect(grid.rows.count == rows + 1)
        #expect(collector.cells == (rows + 1) * 10)
        print(String(format: "sheet XML %.1f MB, %d rows x 10: XMLParser %.3f s, bytes %.3f s, whole .load %.3f s",
                     Double(bytes.count) / 1e6, rows, viaXMLParser, viaBytes, whole))
    }
}
