import Foundation

/// An .xlsx workbook opened for reading: its sheets, shared strings and cell styles. Sheets are
/// parsed when asked for, one at a time.
public struct Workbook {
    public struct SheetInfo: Sendable, Equatable {
        public var name: String
        /// The part holding the sheet, e.g. `xl/worksheets/sheet1.xml`.
        var part: String
    }

    public let path: String
    public let sheets: [SheetInfo]
    /// Serial dates count from 1904-01-01 (old Mac workbooks) instead of 1899-12-30.
    let date1904: Bool
    let archive: XLSXArchive
    private(set) var sharedStrings: [String] = []
    /// For each cell style index (`s=`), what its number format makes of a number.
    private(set) var styleKinds: [NumberFormatKind] = []

    public init(path: String) throws {
        let archive = try XLSXArchive(path: path)
        self.archive = archive
        self.path = path
        guard let workbookXML = try archive.part("xl/workbook.xml") else {
            throw TallyError(.io, "`\(path)` is a zip file but not an .xlsx workbook: it has no `xl/workbook.xml`",
                             hint: archive.contains("word/document.xml") ? "it is a Word document" : "is it an .xlsx saved by a spreadsheet program?")
        }
        let relations = try archive.part("xl/_rels/workbook.xml.rels").map(Workbook.relations) ?? [:]
        var listed: [(name: String, rid: String?)] = []
        var date1904 = false
        workbookXML.withUnsafeBufferPointer { buffer in
            var scanner = XMLScanner(buffer)
            while true {
                let event = scanner.next()
                if event == .eof { break }
                guard event == .start else { continue }
                if scanner.nameIs("sheet"), let name = scanner.attributeString("name") {
                    listed.append((name, scanner.attributeString("id")))
                } else if scanner.nameIs("workbookPr"), let v = scanner.attributeString("date1904") {
                    date1904 = v == "1" || v.lowercased() == "true"
                }
            }
        }
        var sheets: [SheetInfo] = []
        for (index, sheet) in listed.enumerated() {
            var target = sheet.rid.flatMap { relations[$0] } ?? "worksheets/sheet\(index + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else if !target.hasPrefix("xl/") { target = "xl/" + target }
            sheets.append(SheetInfo(name: sheet.name, part: target))
        }
        self.sheets = sheets
        self.date1904 = date1904
        if let bytes = try archive.part("xl/sharedStrings.xml") {
            sharedStrings = Workbook.sharedStrings(bytes)
        }
        if let bytes = try archive.part("xl/styles.xml") {
            styleKinds = Workbook.styleKinds(bytes)
        }
    }

    /// The sheet `selector` names (a name, or a position from 1), or a message listing the sheets.
    func sheet(_ selector: ExcelOptions.Sheet?) throws -> SheetInfo {
        let list = sheets.enumerated().map { "\($0.offset + 1). \($0.element.name)" }.joined(separator: ", ")
        guard let first = sheets.first else {
            throw TallyError(.io, "`\(path)` has no sheets")
        }
        switch selector {
        case nil: return first
        case .index(let n):
            guard n >= 1, n <= sheets.count else {
                throw TallyError(.usage, "`\(path)` has \(sheets.count) sheet\(sheets.count == 1 ? "" : "s"), no sheet \(n)",
                                 hint: "its sheets: " + list)
            }
            return sheets[n - 1]
        case .name(let name):
            if let found = sheets.first(where: { $0.name == name }) { return found }
            if let found = sheets.first(where: { $0.name.lowercased() == name.lowercased() }) { return found }
            throw TallyError(.usage, "`\(path)` has no sheet `\(name)`",
                             hint: (Suggest.nearest(name, in: sheets.map(\.name)).map { "did you mean `\($0)`? " } ?? "") + "its sheets: " + list)
        }
    }

    /// The cells of a sheet.
    func grid(_ sheet: SheetInfo) throws -> SheetGrid {
        guard let bytes = try archive.part(sheet.part, sheet: sheet.name) else {
            throw TallyError(.io, "`\(path)`: the part of sheet `\(sheet.name)` (`\(sheet.part)`) is missing",
                             hint: "open and save the workbook again in a spreadsheet program")
        }
        return try SheetParser(file: path, sheet: sheet.name, sharedStringCount: sharedStrings.count).parse(bytes)
    }

    /// What the style at `index` makes of a number; a style index beyond the table is a plain number.
    @inline(__always)
    func kind(ofStyle index: Int32) -> NumberFormatKind {
        let i = Int(index)
        return i >= 0 && i < styleKinds.count ? styleKinds[i] : .number
    }

    @inline(__always)
    func sharedString(_ index: Int32) -> String {
        let i = Int(index)
        return i >= 0 && i < sharedStrings.count ? sharedStrings[i] : ""
    }

    // MARK: - Parts

    static func relations(_ bytes: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = XMLScanner(buffer)
            while true {
                let event = scanner.next()
                if event == .eof { break }
                if event == .start, scanner.nameIs("Relationship"), let id = scanner.attributeString("Id"),
                   let target = scanner.attributeString("Target") {
                    out[id] = target
                }
            }
        }
        return out
    }

    /// `<si>` items: plain `<t>` or rich text runs `<r><t>…</t></r>`, joined; phonetic runs (`<rPh>`) left out.
    static func sharedStrings(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = XMLScanner(buffer)
            var current = ""
            var inItem = false, inText = false, inPhonetic = false
            while true {
                switch scanner.next() {
                case .eof: return
                case .start:
                    if scanner.nameIs("si") { inItem = true; current = ""; if scanner.selfClosing { out.append(""); inItem = false } }
                    else if scanner.nameIs("t") { inText = !scanner.selfClosing }
                    else if scanner.nameIs("rPh") { inPhonetic = !scanner.selfClosing }
                case .end:
                    if scanner.nameIs("si") { if inItem { out.append(current.decodingOOXMLEscapes) }; inItem = false }
                    else if scanner.nameIs("t") { inText = false }
                    else if scanner.nameIs("rPh") { inPhonetic = false }
                case .text:
                    if inItem, inText, !inPhonetic { current += scanner.decodedText() }
                }
            }
        }
        return out
    }

    /// The number format kind of each `<cellXfs>` style.
    static func styleKinds(_ bytes: [UInt8]) -> [NumberFormatKind] {
        var custom: [Int: NumberFormatKind] = [:]
        var kinds: [NumberFormatKind] = []
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = XMLScanner(buffer)
            var inCellXfs = false
            while true {
                switch scanner.next() {
                case .eof: return
                case .start:
                    if scanner.nameIs("numFmt"), let id = scanner.attribute("numFmtId").flatMap(scanner.integer),
                       let code = scanner.attributeString("formatCode") {
                        custom[id] = NumberFormatKind(code: code)
                    } else if scanner.nameIs("cellXfs") {
                        inCellXfs = !scanner.selfClosing
                    } else if inCellXfs, scanner.nameIs("xf") {
                        let id = scanner.attribute("numFmtId").flatMap(scanner.integer) ?? 0
                        kinds.append(custom[id] ?? NumberFormatKind(builtin: id))
                        scanner.skipElement()
                    }
                case .end:
                    if scanner.nameIs("cellXfs") { inCellXfs = false }
                case .text: continue
                }
            }
        }
        return kinds
    }
}

/// What a cell's number format makes of its number.
enum NumberFormatKind: Sendable, Equatable {
    case number
    /// A date, with or without a time of day.
    case date
    case dateTime
    /// A time of day (or a duration) without a date.
    case time

    /// The built-in formats: 14–17 and 22 dates (22 with a time), 18–21 and 45–47 times.
    init(builtin id: Int) {
        switch id {
        case 14, 15, 16, 17, 27...31, 34...36, 50...58: self = .date
        case 22: self = .dateTime
        case 18...21, 45...47: self = .time
        default: self = .number
        }
    }

    /// A custom format code: a date when it has y, m or d outside quotes and brackets, a time
    /// when it has h or s; `[Red]`, `"text"` and `\x` are not looked at. (`[h]:mm` is a duration: a time.)
    init(code: String) {
        var hasDate = false, hasTime = false
        var inQuote = false, inBracket = false, escaped = false
        var bracket = ""
        for ch in code.lowercased().replacingOccurrences(of: "general", with: "") {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" {
                    inBracket = false
                    if bracket.hasPrefix("h") || bracket.hasPrefix("m") || bracket.hasPrefix("s") { hasTime = true }
                } else { bracket.append(ch) }
                continue
            }
            switch ch {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true; bracket = ""
            case "y", "d", "e": hasDate = true
            case "m": if !hasTime { hasDate = true }
            case "h", "s": hasTime = true
            case "0", "#", "?", "@": if !hasDate && !hasTime { self = .number; return }
            default: continue
            }
        }
        if hasDate && hasTime { self = .dateTime } else if hasDate { self = .date } else if hasTime { self = .time } else { self = .number }
    }
}
