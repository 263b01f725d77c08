import Foundation

/// The file formats a table can be exported to, and the writer behind each.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, tsv, json, ndjson, markdown

    /// The format a file name asks for: `.csv`, `.tsv`/`.tab`, `.json`, `.ndjson`/`.jsonl`, `.md`/`.markdown`.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "json": self = .json
        case "ndjson", "jsonl": self = .ndjson
        case "md", "markdown": self = .markdown
        default: return nil
        }
    }

    /// The table encoded in this format, as UTF-8 bytes.
    public func encode(_ table: Table) -> [UInt8] {
        var out = [UInt8]()
        switch self {
        case .csv: CSVWriter.csv.write(table, into: &out)
        case .tsv: CSVWriter.tsv.write(table, into: &out)
        case .json: JSONWriter().write(table, into: &out)
        case .ndjson: JSONWriter(lines: true).write(table, into: &out)
        case .markdown: MarkdownWriter().write(table, into: &out)
        }
        return out
    }
}

/// Writing exports to disk.
public enum TableExport {
    /// Writes `table` to `path` in `format` (by default the one the file extension names).
    ///
    /// The bytes go to a temporary file that is then renamed over `path`, so an interrupted export
    /// never leaves a half-written file where a good one was. Encoding is the long part; when the
    /// user cancels during it, nothing is written at all.
    public static func write(_ table: Table, to path: String, format: ExportFormat? = nil,
                             cancel: CancellationCheck = .never) throws {
        guard let format = format ?? ExportFormat(path: path) else {
            throw TallyError(.usage, "cannot tell the export format of `\(path)`",
                             hint: "use a .csv, .tsv, .json, .ndjson or .md file name")
        }
        let bytes = format.encode(table)
        try cancel.checkpoint()
        try AtomicFile.write(bytes, to: path)
    }
}
