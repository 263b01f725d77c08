/// Reads a data file into a table, choosing the reader by the format option or the file's extension.
public enum TableReader {
    public static func read(path: String, options: LoadOptions = LoadOptions(),
                            cancel: CancellationCheck = .never) throws -> (Table, LoadReport) {
        let format = options.format ?? format(ofPath: path)
        if format == .xlsx { return try ExcelReader.read(path: path, options: options, cancel: cancel) }
        return try read(try MappedFile(path: path), format: format, options: options, cancel: cancel)
    }

    /// Data given as text (`from_text format:csv "a,b\n1,2"`), read as a file of `format` would be.
    public static func read(text: String, format: LoadOptions.Format, options: LoadOptions = LoadOptions(),
                            cancel: CancellationCheck = .never) throws -> (Table, LoadReport) {
        try read(MappedFile(bytes: Array(text.utf8), path: "from_text"), format: format, options: options, cancel: cancel)
    }

    /// Bytes as a file of `format` would be read (the fuzzers and embedding programs that hold
    /// a file's bytes already).
    public static func read(bytes: [UInt8], format: LoadOptions.Format, options: LoadOptions = LoadOptions(),
                            cancel: CancellationCheck = .never) throws -> (Table, LoadReport) {
        try read(MappedFile(bytes: bytes, path: "input"), format: format, options: options, cancel: cancel)
    }

    static func read(_ file: MappedFile, format: LoadOptions.Format, options: LoadOptions,
                     cancel: CancellationCheck) throws -> (Table, LoadReport) {
        switch format {
        case .json:
            if !options.types.isEmpty {
                throw TallyError(.usage, "`types:` is for CSV and TSV files; `\(file.path)` is JSON",
                                 hint: "JSON values carry their own types; cast in the query, e.g. `derive {code = code | as text}`")
            }
            return try JSONReader.read(file, cancel: cancel)
        case .tsv:
            var tsv = options
            tsv.format = .tsv
            if tsv.delimiter == nil { tsv.delimiter = UInt8(ascii: "\t") }
            return try CSVReader.read(file, options: tsv, cancel: cancel)
        case .csv:
            return try CSVReader.read(file, options: options, cancel: cancel)
        case .xlsx:
            throw TallyError(.usage, "an .xlsx workbook is read from a file, not from text",
                             hint: "save it and use `.load FILE.xlsx` or `read_excel \"FILE.xlsx\"`")
        }
    }

    /// The format a file name suggests: `.json`/`.ndjson`/`.jsonl` JSON, `.tsv`/`.tab` TSV,
    /// `.xlsx`/`.xlsm`/`.xls` a workbook (a legacy `.xls` is refused with advice), else CSV.
    public static func format(ofPath path: String) -> LoadOptions.Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") || lower.hasSuffix(".xls") { return .xlsx }
        if lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { return .json }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        return .csv
    }

    /// A table name derived from a file name: `Datasets/student_aid.csv` → `student_aid`.
    public static func tableName(forPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let stem = file.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? file
        var name = ""
        for scalar in stem.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                name.unicodeScalars.append(scalar)
            } else {
                name += "_"
            }
        }
        if name.isEmpty { name = "table" }
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "_" + name }
        return name
    }
}
