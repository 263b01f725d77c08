import Foundation

/// Whether a table's figures are published facts or synthetic ones, as the data dictionary beside its
/// file says. The dictionary is the folder's `README.md`: its listing of tables has a
/// `real / synthetic` column (see `Datasets/README.md`), one row per table named in backquotes.
/// A file without such a listing has no provenance (nil), and neither has a table made in memory.
public enum Provenance: String, Sendable, Equatable {
    case published
    case synthetic

    /// The label shown in `.tables`, in English and Chinese.
    public var label: String {
        switch self {
        case .published: "published · 公开"
        case .synthetic: "synthetic · 合成"
        }
    }

    /// The mark put on a chart, a caption or a report cell whose query reads a synthetic table.
    public static let syntheticMark = "合成数据 · synthetic"

    /// The line at the foot of a report cell or slide whose figures are synthetic.
    public static let syntheticFooter = "合成数据 · synthetic — 本单元格的数字是合成数据，不是官方统计 · the figures here are synthetic, not official statistics"

    /// The provenance of figures computed from tables of these provenances: synthetic if any is,
    /// published if all known ones are, nil if none is known.
    public static func combined<S: Sequence>(_ parts: S) -> Provenance? where S.Element == Provenance? {
        var result: Provenance?
        for part in parts {
            if part == .synthetic { return .synthetic }
            if part == .published { result = .published }
        }
        return result
    }

    /// The provenance of the table read from `path`, looked up by the file's base name in the
    /// dictionary of its folder.
    public static func of(path: String) -> Provenance? {
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent
        return dictionary(directory: url.deletingLastPathComponent().path)[name]
    }

    /// The listing of the folder's `README.md`, read once per version of the file.
    public static func dictionary(directory: String) -> [String: Provenance] {
        let readme = (directory.hasSuffix("/") ? directory : directory + "/") + "README.md"
        let modified = (try? FileManager.default.attributesOfItem(atPath: readme))?[.modificationDate] as? Date
        guard let modified else { return [:] }
        cache.lock.lock(); defer { cache.lock.unlock() }
        if let kept = cache.entries[readme], kept.modified == modified { return kept.tables }
        let text = (try? String(contentsOfFile: readme, encoding: .utf8)) ?? ""
        let tables = parse(text)
        cache.entries[readme] = (modified, tables)
        return tables
    }

    /// The rows of the first Markdown table whose header has a `real / synthetic` column: the first
    /// cell names the table (in backquotes), that column says `real` or `synthetic`.
    static func parse(_ markdown: String) -> [String: Provenance] {
        var result: [String: Provenance] = [:]
        var column: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|") else {
                if column != nil { break }
                continue
            }
            let cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).dropFirst()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard let index = column else {
                column = cells.firstIndex { $0.lowercased() == "real / synthetic" }
                continue
            }
            guard cells.count > index, let first = cells.first, first.hasPrefix("`"), first.hasSuffix("`"),
                  first.count > 2 else { continue }
            let name = String(first.dropFirst().dropLast())
            switch cells[index].lowercased() {
            case "real": result[name] = .published
            case "synthetic": result[name] = .synthetic
            default: continue
            }
        }
        return result
    }

    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var entries: [String: (modified: Date, tables: [String: Provenance])] = [:]
    }

    private static let cache = Cache()
}

extension Catalog {
    /// The provenance of a registered table: from the dictionary beside its file; nil for a table made
    /// in memory from nothing a dictionary describes, or a file no dictionary describes; a query
    /// result kept under a name (`let`, `into`) has the provenance of the tables it read.
    public func provenance(_ name: String) -> Provenance? {
        guard let entry = entry(name) else { return nil }
        if let lazy = entry.lazy { return lazy.plan.provenance }
        if case .file(let path, _) = entry.source { return Provenance.of(path: path) }
        return entry.table?.provenance
    }
}
