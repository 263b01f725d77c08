/// How to read a sheet of an .xlsx workbook. Every decision left nil is made by looking at the sheet,
/// and the load report says what was decided.
public struct ExcelOptions: Sendable, Equatable {
    public enum Sheet: Sendable, Equatable {
        case name(String)
        /// A position from 1.
        case index(Int)
    }

    public enum Header: Sendable, Equatable {
        /// Sheet rows (from 1) that make the header, joined into one name per column.
        case rows(ClosedRange<Int>)
        /// No header: columns are named by their letters.
        case none
    }

    public var sheet: Sheet?
    /// Only the cells inside this range are read.
    public var range: CellRange?
    public var header: Header?
    /// Leave the totals row (合计 / 总计) out.
    public var dropTotals = false
    /// Keep the note rows below the table (注：…) as data.
    public var keepNotes = false

    public init(sheet: Sheet? = nil, range: CellRange? = nil, header: Header? = nil, dropTotals: Bool = false,
                keepNotes: Bool = false) {
        self.sheet = sheet
        self.range = range
        self.header = header
        self.dropTotals = dropTotals
        self.keepNotes = keepNotes
    }

    /// Reads one `key:value` option of `.load` or `read_excel`; false when `key` is not an Excel option.
    public mutating func set(_ key: String, _ value: String) throws -> Bool {
        switch key {
        case "sheet":
            if let n = Int(value) { sheet = .index(n) } else { sheet = .name(value) }
        case "range":
            guard let r = CellRange(value) else {
                throw TallyError(.usage, "`range:` needs cells like `A3:H200`, got `\(value)`")
            }
            range = r
        case "header":
            let v = value.lowercased()
            if v == "false" || v == "none" || v == "0" {
                header = ExcelOptions.Header.none
            } else if let n = Int(v), n >= 1 {
                header = .rows(n...n)
            } else {
                let parts = v.split(whereSeparator: { $0 == "-" || $0 == "–" || $0 == ":" }).compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1], parts[1] - parts[0] < 10 else {
                    throw TallyError(.usage, "`header:` for a sheet is a row number, rows like `3-4`, or `false`; got `\(value)`",
                                     hint: "e.g. `header:3` or `header:\"3-4\"` (sheet rows, from 1)")
                }
                header = .rows(parts[0]...parts[1])
            }
        case "totals":
            switch value.lowercased() {
            case "drop": dropTotals = true
            case "keep": dropTotals = false
            default: throw TallyError(.usage, "`totals:` is `keep` or `drop`, got `\(value)`")
            }
        case "notes":
            switch value.lowercased() {
            case "keep": keepNotes = true
            case "drop", "skip": keepNotes = false
            default: throw TallyError(.usage, "`notes:` is `keep` or `skip`, got `\(value)`")
            }
        default:
            return false
        }
        return true
    }

    public static let keys = ["sheet", "range", "header", "totals", "notes", "types"]
}
