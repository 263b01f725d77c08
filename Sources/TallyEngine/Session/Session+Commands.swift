import Foundation

/// The dot-commands that change or inspect the catalog. They live in the engine (not the shell) so
/// scripts, notebooks and embedding programs can use them too.
extension Session {
    public func runCommand(_ command: CommandWords) throws -> StatementResult {
        // On the statements' kept thread, as `run` does: a `.load` there leaves its freed memory
        // where the next query allocates.
        try LargeStack.run {
            lock.lock(); defer { lock.unlock() }
            return try runCommandHere(command)
        }
    }

    func runCommandHere(_ command: CommandWords) throws -> StatementResult {
        switch command.name {
        case "load": return try load(command)
        case "tables": return .table(try tablesTable())
        case "schema":
            guard let name = command.positional.first else {
                throw TallyError(.usage, "`.schema` needs a table name", hint: "e.g. `.schema counties`; `.tables` lists them")
            }
            if let remote = catalog.entry(name)?.remote { return .table(try remoteSchemaTable(remote)) }
            return .table(try schemaTable(name))
        case "export": return try export(command)
        case "explain": return .message(try explain(command.rest))
        case "sheets": return try sheets(command)
        case "memory_limit": return try memoryLimit(command)
        case "connect": return .message(try connect(command))
        case "store": return try store(command)
        case "disconnect": return .message(try disconnect(command))
        default:
            throw TallyError(.usage, "unknown command `.\(command.name)`",
                             hint: Suggest.nearest(command.name, in: Session.engineCommands).map { "did you mean `.\($0)`?" })
        }
    }

    /// `.explain QUERY`: the query's plan as an indented tree, each node with the columns it gives
    /// and their types, resolved from schemas (no row is read) and rewritten as it would run.
    public func explain(_ text: String) throws -> String {
        guard !text.isEmpty else {
            throw TallyError(.usage, "`.explain` needs a query", hint: "e.g. `.explain from counties | filter key_county | select {county}`")
        }
        guard case .query(let pipeline) = try Parser.parse(statement: text) else {
            throw TallyError(.usage, "`.explain` shows the plan of a query",
                             hint: "e.g. `.explain from counties | take 5`; `let`, `prql` and commands have no plan")
        }
        let snapshot = self.snapshot
        return try LargeStack.run { PlanPrinter.render(try Session.plan(snapshot, pipeline, text: text)) }
    }

    /// `.export FILE.csv|.tsv|.json|.ndjson|.md`: writes the last result, in the format the file name
    /// asks for, through a temporary file renamed into place.
    func export(_ command: CommandWords) throws -> StatementResult {
        guard command.positional.count == 1, let path = command.positional.first else {
            throw TallyError(.usage, "`.export` needs one file name",
                             hint: "e.g. `.export aid-2023.csv` (also .tsv, .json, .ndjson, .md, .xlsx)")
        }
        if path.lowercased().hasSuffix(".xlsx") { return try exportWorkbook(command, path: path) }
        if let target = databaseTarget(path) { return try exportToDatabase(command, target) }
        if let option = command.options.first {
            throw TallyError(.usage, "unknown option `\(option.key):` of `.export`",
                             hint: "`sheet:\"NAME\"` is for .xlsx files")
        }
        guard let table = lastResult else {
            throw TallyError(.usage, "nothing to export yet", hint: "run a query first; `.export` writes its result")
        }
        let target = resolvePath(path)
        try TableExport.write(table, to: target, cancel: cancellation)
        return .message("exported \(table.rowCount.formatted(grouping: true)) row\(table.rowCount == 1 ? "" : "s") to \(target)"
                        + Session.provenanceRemark(table, target))
    }

    /// `.memory_limit [4GB|512MB|50%|default]`: sets, or without a value shows, how much memory a
    /// query may use.
    func memoryLimit(_ command: CommandWords) throws -> StatementResult {
        let physical = Session.byteCountText(MemoryBudget.physicalMemory)
        guard let given = command.positional.first else {
            let budget = memoryBudget
            let share = Double(budget.bytes) / Double(max(1, MemoryBudget.physicalMemory)) * 100
            var shown = "memory limit \(Session.byteCountText(budget.bytes)) (\(Int(share.rounded()))% of \(physical) physical memory)"
            shown += "; in use \(Session.byteCountText(MemoryBudget.residentBytes()))"
            if MemoryReuse.isEnabled {
                // Freed by earlier statements and kept for the next: given back when a query needs it.
                shown += ", of which \(Session.byteCountText(MemoryReuse.retainedBytes())) freed and kept for reuse"
            }
            return .message(shown)
        }
        guard command.positional.count == 1, command.options.isEmpty else {
            throw TallyError(.usage, "`.memory_limit` takes one size", hint: "e.g. `.memory_limit 4GB`, `.memory_limit 50%`")
        }
        if given.lowercased() == "default" {
            memoryBudget = .standard
        } else {
            guard let bytes = MemoryBudget.parse(given) else {
                throw TallyError(.usage, "`\(given)` is not a memory size",
                                 hint: "e.g. `.memory_limit 4GB`, `512MB`, `50%` of physical memory, or `default`")
            }
            memoryBudget = MemoryBudget(bytes: bytes)
        }
        return .message("memory limit \(Session.byteCountText(memoryBudget.bytes))")
    }

    /// What an export message adds for synthetic figures: the note written beside the file.
    static func provenanceRemark(_ table: Table, _ target: String) -> String {
        guard table.provenance == .synthetic else { return "" }
        return "\n\(Provenance.syntheticMark): the figures are synthetic; a note says so in "
            + TableExport.provenanceNotePath(for: target)
    }

    /// `.load PATH [as NAME] [delimiter:";"] [header:true|false] [encoding:utf8|gb18030] [ignore_errors:true]
    /// [format:csv|tsv|json] [types:COLUMN=TYPE,…]`: reads the file now (so errors show at once) and registers it.
    func load(_ command: CommandWords) throws -> StatementResult {
        guard let given = command.positional.first else {
            throw TallyError(.usage, "`.load` needs a file", hint: "e.g. `.load Datasets/counties.csv as counties`")
        }
        let path = resolvePath(given)
        var name = TableReader.tableName(forPath: path)
        let rest = Array(command.positional.dropFirst())
        if !rest.isEmpty {
            guard rest.count == 2, rest[0] == "as" else {
                throw TallyError(.usage, "unexpected `\(rest.joined(separator: " "))` after the path",
                                 hint: "write `.load PATH as NAME`, then options like `delimiter:\";\"`")
            }
            name = rest[1]
        }
        try Session.checkTableName(name)
        let replace = try Session.boolOption(command, "replace") ?? false
        if planDatasets.contains(name) && !replace {
            throw TallyError(.usage, "`\(name)` is a plan dataset; `.load` does not replace it",
                             hint: "load the file under another name (`.load \(path) as my_\(name)`), "
                                + "or add `replace:true` to replace `\(name)` for this session")
        }
        let options = try Session.loadOptions(command)
        if options.excel != nil, TableReader.format(ofPath: path) != .xlsx, options.format != .xlsx {
            throw TallyError(.usage, "`sheet:`, `range:`, `totals:` and `notes:` are for .xlsx workbooks; `\(path)` is not one",
                             hint: "for a CSV file, `header:` is true or false")
        }
        let (table, report) = try TableReader.read(path: path, options: options, cancel: cancellation)
        catalog.register(name: name, table: table, path: path, options: options, report: report)
        var message = Session.describe(load: report, name: name, table: table)
        if planDatasets.contains(name) {
            planDatasets.remove(name)
            message += "\nreplaced the plan dataset `\(name)` for this session"
        }
        return .message(message)
    }

    static func loadOptions(_ command: CommandWords) throws -> LoadOptions {
        var options = LoadOptions()
        for (key, value) in command.options {
            switch key {
            case "delimiter", "delim", "sep":
                let v = value == "\\t" || value == "tab" ? "\t" : value
                guard v.utf8.count == 1, let byte = v.utf8.first, byte != 0x22, byte != 0x0A else {
                    throw TallyError(.usage, "delimiter must be one character, got `\(value)`",
                                     hint: "e.g. `delimiter:\";\"` or `delimiter:tab`")
                }
                options.delimiter = byte
            case "header":
                guard let b = Bool(value.lowercased()) else {
                    // A workbook's header rows: `header:3`, `header:"3-4"`.
                    var excel = options.excel ?? ExcelOptions()
                    do { _ = try excel.set(key, value) } catch {
                        throw TallyError(.usage, "header must be true or false (for a workbook also rows like `3` or `3-4`), got `\(value)`")
                    }
                    options.excel = excel
                    continue
                }
                options.header = b
            case "encoding":
                switch value.lowercased().replacingOccurrences(of: "-", with: "") {
                case "utf8": options.encoding = .utf8
                case "gb18030", "gbk", "gb2312": options.encoding = .gb18030
                default: throw TallyError(.usage, "unknown encoding `\(value)`", hint: "use `encoding:utf8` or `encoding:gb18030`")
                }
            case "ignore_errors":
                guard let b = Bool(value.lowercased()) else {
                    throw TallyError(.usage, "ignore_errors must be true or false, got `\(value)`")
                }
                options.ignoreErrors = b
            case "replace":
                continue  // read by `load` itself
            case "format":
                guard let f = LoadOptions.Format(rawValue: value.lowercased()) else {
                    throw TallyError(.usage, "unknown format `\(value)`", hint: "use csv, tsv, json or xlsx")
                }
                options.format = f
            case "types", "type":
                options.types += try columnTypes(value)
            case "sheet", "range", "totals", "notes":
                var excel = options.excel ?? ExcelOptions()
                _ = try excel.set(key, value)
                options.excel = excel
            default:
                let keys = ["delimiter", "header", "encoding", "ignore_errors", "format", "types", "replace",
                            "sheet", "range", "totals", "notes"]
                throw TallyError(.usage, "unknown option `\(key):`",
                                 hint: Suggest.nearest(key, in: keys).map { "did you mean `\($0):`?" }
                                    ?? "options: " + keys.joined(separator: ", "))
            }
        }
        if !options.types.isEmpty, options.format == .json {
            throw TallyError(.usage, "`types:` is for CSV and TSV files", hint: "JSON values carry their own types")
        }
        return options
    }

    static func boolOption(_ command: CommandWords, _ key: String) throws -> Bool? {
        guard let value = command.option(key) else { return nil }
        guard let b = Bool(value.lowercased()) else {
            throw TallyError(.usage, "\(key) must be true or false, got `\(value)`")
        }
        return b
    }

    /// `zip=text,amount=float` (or `zip:text`): the types given for columns in `.load … types:…`.
    static func columnTypes(_ value: String) throws -> [LoadOptions.ColumnType] {
        let example = "e.g. `types:zip=int,code=text`"
        var out: [LoadOptions.ColumnType] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: true) {
            guard let sep = item.lastIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw TallyError(.usage, "`types:` needs COLUMN=TYPE, got `\(item)`", hint: example)
            }
            let column = String(item[..<sep]).trimmingSpaces
            let typeName = String(item[item.index(after: sep)...]).trimmingSpaces.lowercased()
            guard !column.isEmpty else {
                throw TallyError(.usage, "`types:` needs a column name before `\(item[sep])`", hint: example)
            }
            guard let type = DataType(rawValue: typeName) else {
                throw TallyError(.usage, "unknown type `\(typeName)` for column `\(column)`",
                                 hint: "types: " + DataType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            out.append(.init(column: column, type: type))
        }
        if out.isEmpty { throw TallyError(.usage, "`types:` is empty", hint: example) }
        return out
    }

    static func describe(load report: LoadReport, name: String, table: Table) -> String {
        var out = "loaded \(name): \(table.rowCount.formatted(grouping: true)) row\(table.rowCount == 1 ? "" : "s")"
            + " × \(table.columnCount) column\(table.columnCount == 1 ? "" : "s")"
        var notes: [String] = []
        if let d = report.delimiter, d != UInt8(ascii: ",") {
            notes.append("delimiter " + (d == 9 ? "tab" : "`\(String(UnicodeScalar(d)))`"))
        }
        if !report.header { notes.append("no header row") }
        if report.encoding == .gb18030 { notes.append("decoded from GB18030") }
        if !notes.isEmpty { out += " (" + notes.joined(separator: ", ") + ")" }
        if report.skippedRows > 0 {
            out += "\nskipped \(report.skippedRows) malformed row\(report.skippedRows == 1 ? "" : "s")"
                + (report.firstSkippedLine.map { ", the first at line \($0)" } ?? "")
        }
        for note in report.notes { out += "\n" + note }
        for fallback in report.textFallbacks {
            out += "\ncolumn `\(fallback.column)` read as text: it \(fallback.reason)"
        }
        return out
    }

    /// `.tables`: name, rows, columns, size, source, data. A table not read yet has null rows and
    /// columns (the shell shows `—`); `size` is the file's size on disk, null for tables made in
    /// memory; `data` says whether the data dictionary beside the file calls the table published or
    /// synthetic (null when none does).
    public func tablesTable() throws -> Table {
        var names: [String?] = [], rows: [Int64?] = [], columns: [Int64?] = [], sizes: [String?] = [], sources: [String?] = []
        var provenances: [String?] = []
        for name in catalog.names {
            guard let entry = catalog.entry(name) else { continue }
            names.append(name)
            rows.append(entry.table.map { Int64($0.rowCount) })
            columns.append(entry.table.map { Int64($0.columnCount) } ?? entry.remote.map { Int64($0.readable.count) })
            if case .file(let path, _) = entry.source,
               let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int {
                sizes.append(Session.byteCountText(bytes))
            } else {
                sizes.append(nil)
            }
            sources.append(entry.source.description)
            provenances.append(catalog.provenance(name)?.label)
        }
        return try Table(names: ["name", "rows", "columns", "size", "source", "data"],
                         columns: [Column(texts: names), Column(ints: rows), Column(ints: columns), Column(texts: sizes),
                                   Column(texts: sources), Column(texts: provenances)])
    }

    /// `532 B`, `48.1 KB`, `1.2 MB`, `3.5 GB` (powers of 1024, as `ls -h` counts).
    public static func byteCountText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        var value = Double(bytes) / 1024
        for unit in ["KB", "MB", "GB"] {
            if value < 1024 || unit == "GB" { return String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + unit }
            value /= 1024
        }
        return "\(bytes) B"
    }

    /// `.schema NAME`: one row per column with its type.
    public func schemaTable(_ name: String) throws -> Table {
        let table = try self.table(name)
        return try Table(names: ["column", "type"],
                         columns: [Column(texts: table.names), Column(texts: table.columns.map { $0.type.rawValue })])
    }
}

extension Int {
    /// `12,345,678` when `grouping`, for messages and listings.
    public func formatted(grouping: Bool) -> String {
        let digits = String(self.magnitude)
        guard grouping, digits.count > 3 else { return self < 0 ? "-" + digits : digits }
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return self < 0 ? "-" + out : out
    }
}
