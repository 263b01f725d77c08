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
        var bytes = format.encode(table)
        if format == .markdown, table.provenance == .synthetic {
            bytes += Array("\n*\(Provenance.syntheticMark)*\n".utf8)
        }
        try cancel.checkpoint()
        try AtomicFile.write(bytes, to: path)
        try writeProvenanceNote(for: table, beside: path)
    }

    /// The note written beside an export of synthetic figures: the data file itself keeps the plain
    /// format other tools read (a comment line would break a CSV reader), the note says what the
    /// figures are. Removed again when the file is overwritten with figures that are not synthetic.
    public static func provenanceNotePath(for path: String) -> String { path + ".synthetic.txt" }

    /// Writes (or removes) the note beside `path`; returns its path when one was written.
    @discardableResult
    public static func writeProvenanceNote(for table: Table, beside path: String) throws -> String? {
        let note = provenanceNotePath(for: path)
        guard table.provenance == .synthetic else {
            if FileManager.default.fileExists(atPath: note) { try? FileManager.default.removeItem(atPath: note) }
            return nil
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let text = """
            \(Provenance.syntheticMark)

            \(name) 中的数字来自合成数据：由确定性生成器按公开的总量和比例生成，不是官方统计数据；县名和区划是真实的。
            The figures in \(name) come from synthetic tables: made by a deterministic generator, calibrated to
            published totals and shares, not official statistics; the county names and divisions are real.
            See Datasets/README.md for which figures are real, with their sources.

            """
        try AtomicFile.write(Array(text.utf8), to: note)
        return note
    }
}
