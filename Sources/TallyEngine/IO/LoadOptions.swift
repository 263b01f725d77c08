/// How to read a data file. Every field left nil is guessed from the file itself.
public struct LoadOptions: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable, CaseIterable { case csv, tsv, json, xlsx }
    public enum Encoding: String, Sendable, Equatable { case utf8, gb18030 }

    public var format: Format?
    /// Field separator byte; sniffed from `,` `;` tab `|` when nil.
    public var delimiter: UInt8?
    /// Whether the first row names the columns; sniffed when nil.
    public var header: Bool?
    public var encoding: Encoding?
    /// Skip rows with the wrong number of fields (and count them) instead of failing.
    public var ignoreErrors: Bool
    /// Column types given by the user (CSV and TSV): such a column is read as that type, and a value
    /// that is not of it is an error. Other columns get the narrowest type that keeps every value.
    public var types: [ColumnType]
    /// How to read a sheet of an .xlsx workbook (which sheet, which cells, header, totals).
    public var excel: ExcelOptions?

    /// A type given for one column, by name.
    public struct ColumnType: Sendable, Equatable {
        public var column: String
        public var type: DataType
        public init(column: String, type: DataType) {
            self.column = column
            self.type = type
        }
    }

    public init(format: Format? = nil, delimiter: UInt8? = nil, header: Bool? = nil, encoding: Encoding? = nil,
                ignoreErrors: Bool = false, types: [ColumnType] = []) {
        self.format = format
        self.delimiter = delimiter
        self.header = header
        self.encoding = encoding
        self.ignoreErrors = ignoreErrors
        self.types = types
    }
}

/// What a load found out: shown by `.load` so the user knows what was guessed.
public struct LoadReport: Sendable, Equatable {
    public var rows: Int = 0
    public var skippedRows: Int = 0
    /// Line of the first skipped row (with `ignore_errors:true`).
    public var firstSkippedLine: Int?
    public var delimiter: UInt8?
    public var header: Bool = true
    public var encoding: LoadOptions.Encoding = .utf8
    /// Columns that could not keep a narrower type: (column, why).
    public var textFallbacks: [TextFallback] = []
    /// The sheet read, for a workbook.
    public var sheet: String?
    /// What was detected or done, one line each (a workbook's header and totals rows, error cells).
    public var notes: [String] = []

    public struct TextFallback: Sendable, Equatable {
        public var column: String
        public var reason: String
    }

    public init() {}
}
