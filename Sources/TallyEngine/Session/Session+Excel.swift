import Foundation

/// The commands for .xlsx workbooks: `.sheets`, `.export FILE.xlsx`, and the sheets `--data` registers.
extension Session {
    /// `.sheets FILE.xlsx`: the workbook's sheets with their used ranges.
    func sheets(_ command: CommandWords) throws -> StatementResult {
        guard command.positional.count == 1, command.options.isEmpty, let given = command.positional.first else {
            throw TallyError(.usage, "`.sheets` needs one workbook", hint: "e.g. `.sheets Datasets/county_aid.xlsx`")
        }
        return .table(try ExcelReader.sheetList(path: resolvePath(given)))
    }

    /// `.export FILE.xlsx [sheet:"NAME"]`: the last result as a workbook of one sheet.
    func exportWorkbook(_ command: CommandWords, path: String) throws -> StatementResult {
        var sheetName = "Sheet1"
        for (key, value) in command.options {
            guard key == "sheet" else {
                throw TallyError(.usage, "unknown option `\(key):` of `.export`", hint: "`.export FILE.xlsx sheet:\"NAME\"`")
            }
            sheetName = value
        }
        guard let table = lastResult else {
            throw TallyError(.usage, "nothing to export yet", hint: "run a query first; `.export` writes its result")
        }
        let target = resolvePath(path)
        try XLSXWriter.write([.init(name: sheetName, table: table)], to: target, cancel: cancellation)
        try TableExport.writeProvenanceNote(for: table, beside: target)
        let written = XLSXWriter.uniqueSheetNames([sheetName])[0]
        return .message("exported \(table.rowCount.formatted(grouping: true)) row\(table.rowCount == 1 ? "" : "s") to \(target), sheet `\(written)`"
                        + Session.provenanceRemark(table, target))
    }

    /// Registers each sheet of a workbook as `file_sheet`; a workbook that cannot be opened is skipped.
    func registerWorkbook(_ path: String, asPlanDatasets: Bool, taken: inout [String: String],
                          skipped: (SkippedFile) -> Void) -> [String] {
        let sheets: [String]
        do {
            sheets = try ExcelReader.sheetNames(path: path)
        } catch let error as TallyError {
            skipped(SkippedFile(path: path, reason: error.message))
            return []
        } catch {
            skipped(SkippedFile(path: path, reason: "\(error)"))
            return []
        }
        let stem = TableReader.tableName(forPath: path)
        var names: [String] = []
        for sheet in sheets {
            let name = TableReader.tableName(forPath: stem + "_" + sheet.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "/", with: "_"))
            let label = "\(path) [\(sheet)]"
            if planDatasets.contains(name) {
                skipped(SkippedFile(path: label, reason: "`\(name)` is a plan dataset; load the sheet under another name"))
                continue
            }
            if let first = taken[name] {
                skipped(SkippedFile(path: label, reason: "`\(first)` is already registered as `\(name)`"))
                continue
            }
            taken[name] = label
            var options = LoadOptions(format: .xlsx)
            options.excel = ExcelOptions(sheet: .name(sheet))
            catalog.register(name: name, path: path, options: options)
            if asPlanDatasets { planDatasets.insert(name) }
            names.append(name)
        }
        return names
    }
}
