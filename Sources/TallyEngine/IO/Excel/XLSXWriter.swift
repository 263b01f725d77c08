import Foundation
import ZIPFoundation

/// Writes tables as an .xlsx workbook, one sheet each: numbers as numbers, dates as dates (with a
/// date format), a bold header row frozen at the top, columns as wide as their content (CJK
/// characters counted double).
public enum XLSXWriter {
    /// A sheet to write.
    public struct Sheet: Sendable {
        public var name: String
        public var table: Table
        public init(name: String, table: Table) {
            self.name = name
            self.table = table
        }
    }

    /// Writes `sheets` to `path` through a temporary file in the same folder that is renamed into
    /// place, so a failed write never leaves half a workbook where a good one was.
    public static func write(_ sheets: [Sheet], to path: String, cancel: CancellationCheck = .never) throws {
        // A workbook needs a sheet; an empty one stands in when there is nothing to write.
        let sheets = sheets.isEmpty ? [Sheet(name: "Sheet1", table: .empty)] : sheets
        let names = uniqueSheetNames(sheets.map(\.name))
        var parts: [(String, [UInt8])] = []
        parts.append(("[Content_Types].xml", contentTypes(count: sheets.count)))
        parts.append(("_rels/.rels", Array(rootRels.utf8)))
        parts.append(("xl/workbook.xml", workbook(names)))
        parts.append(("xl/_rels/workbook.xml.rels", workbookRels(count: sheets.count)))
        parts.append(("xl/styles.xml", Array(styles.utf8)))
        for (i, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(i + 1).xml", worksheet(sheet.table)))
            try cancel.checkpoint()
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(at: temp)
        do {
            let archive = try Archive(url: temp, accessMode: .create)
            for (name, bytes) in parts {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: Date(timeIntervalSince1970: 1_609_459_200),
                                     compressionMethod: .deflate) { position, size in
                    let start = Int(position)
                    let end = min(bytes.count, start + size)
                    return start < end ? Data(bytes[start..<end]) : Data()
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw AtomicFile.writeFailure(path, error)
        }
        try AtomicFile.replace(path, with: temp.path)
    }

    /// Sheet names Excel accepts: at most 31 characters, none of `[]:*?/\`, not empty, unique
    /// (without regard to case), not starting or ending with `'`.
    public static func uniqueSheetNames(_ wanted: [String]) -> [String] {
        var used = Set<String>()
        var out: [String] = []
        for (i, raw) in wanted.enumerated() {
            var name = String(raw.map { "[]:*?/\\".contains($0) || $0.isNewline ? "_" : $0 })
                .trimmingCharacters(in: " '")
            if name.isEmpty || name.lowercased() == "history" { name = "Sheet\(i + 1)" }
            name = String(name.prefix(31))
            var candidate = name
            var n = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(n))"
                candidate = String(name.prefix(31 - suffix.count)) + suffix
                n += 1
            }
            used.insert(candidate.lowercased())
            out.append(candidate)
        }
        return out
    }

    // MARK: - Parts

    static let rootRels = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    </Relationships>
    """

    /// Styles: 0 plain, 1 bold (the header), 2 a date, 3 a date and time.
    static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>\
    <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """

    static func contentTypes(count: Int) -> [UInt8] {
        var s = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
        """
        for i in 1...max(count, 1) where i <= count {
            s += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        s += "</Types>"
        return Array(s.utf8)
    }

    static func workbook(_ names: [String]) -> [UInt8] {
        var s = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
        """
        for (i, name) in names.enumerated() {
            var escaped: [UInt8] = []
            appendEscaped(name, into: &escaped)
            s += "<sheet name=\"\(String(decoding: escaped, as: UTF8.self))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        s += "</sheets></workbook>"
        return Array(s.utf8)
    }

    static func workbookRels(count: Int) -> [UInt8] {
        var s = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        """
        for i in 0..<count {
            s += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        s += "</Relationships>"
        return Array(s.utf8)
    }

    /// The column widths, in characters: the widest of the header and the first 10,000 values.
    static func widths(_ table: Table) -> [Int] {
        table.columns.enumerated().map { k, column in
            var w = DisplayWidth.of(table.names[k])
            for row in 0..<min(column.count, 10_000) {
                if let t = column.text(at: row) { w = max(w, DisplayWidth.of(t)) }
            }
            if column.type == .date { w = max(w, 10) }
            if column.type == .timestamp { w = max(w, 19) }
            return min(max(w + 2, 6), 80)
        }
    }

    static func worksheet(_ table: Table) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + table.rowCount * table.columnCount * 16)
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        put("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        put("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">")
        if table.columnCount > 0 {
            let last = CellRange.cellName(row: max(table.rowCount, 0), column: table.columnCount - 1)
            put("<dimension ref=\"A1:\(last)\"/>")
        }
        put("<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            + "<selection pane=\"bottomLeft\"/></sheetView></sheetViews>")
        put("<sheetFormatPr defaultRowHeight=\"15\"/>")
        if table.columnCount > 0 {
            put("<cols>")
            for (k, w) in widths(table).enumerated() {
                put("<col min=\"\(k + 1)\" max=\"\(k + 1)\" width=\"\(w)\" customWidth=\"1\"/>")
            }
            put("</cols>")
        }
        put("<sheetData>")
        let letters = (0..<table.columnCount).map { Array(CellRange.columnName($0).utf8) }
        // The header row.
        put("<row r=\"1\">")
        for (k, name) in table.names.enumerated() {
            out.append(contentsOf: Array("<c r=\"".utf8)); out.append(contentsOf: letters[k])
            put("1\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
            appendEscaped(name, into: &out)
            put("</t></is></c>")
        }
        put("</row>")
        for row in 0..<table.rowCount {
            let r = String(row + 2)
            put("<row r=\"\(r)\">")
            for (k, column) in table.columns.enumerated() where !column.isNull(row) {
                var head = Array("<c r=\"".utf8)
                head.append(contentsOf: letters[k])
                head.append(contentsOf: r.utf8)
                head.append(0x22)
                switch column.values {
                case .int(let v):
                    out.append(contentsOf: head); put("><v>\(v[row])</v></c>")
                case .float(let v):
                    guard v[row].isFinite else { continue }
                    out.append(contentsOf: head); put("><v>\(v[row])</v></c>")
                case .bool(let v):
                    out.append(contentsOf: head); put(" t=\"b\"><v>\(v[row] ? 1 : 0)</v></c>")
                case .date(let v):
                    out.append(contentsOf: head); put(" s=\"2\"><v>\(ExcelDates.serial(days: v[row]))</v></c>")
                case .timestamp(let v):
                    out.append(contentsOf: head); put(" s=\"3\"><v>\(ExcelDates.serial(micros: v[row]))</v></c>")
                case .text(let codes, let dictionary):
                    out.append(contentsOf: head); put(" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                    appendEscaped(dictionary[codes[row]], into: &out)
                    put("</t></is></c>")
                }
            }
            put("</row>")
        }
        put("</sheetData></worksheet>")
        return out
    }

    /// XML text: `& < > "` escaped; characters XML 1.0 cannot hold written as OOXML's `_xHHHH_`.
    static func appendEscaped(_ text: String, into out: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: out.append(contentsOf: Array("&amp;".utf8))
            case 0x3C: out.append(contentsOf: Array("&lt;".utf8))
            case 0x3E: out.append(contentsOf: Array("&gt;".utf8))
            case 0x22: out.append(contentsOf: Array("&quot;".utf8))
            case 0x09, 0x0A: out.append(UInt8(scalar.value))
            case 0..<0x20, 0xFFFE, 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: Array(("_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_").utf8))
            default:
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
    }
}
