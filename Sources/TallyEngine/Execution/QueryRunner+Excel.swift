/// `read_excel "file.xlsx" [sheet:"名称" | sheet:2] [range:"A3:H200"] [header:3 | header:"3-4" | header:false]
/// [totals:drop] [notes:keep]`: a sheet of a workbook as a relation.
extension QueryRunner {
    func excelRelation(_ args: [CallArgument], _ expr: Expr, alias: String?) throws -> Relation {
        let positional = args.filter { $0.name == nil }
        guard positional.count == 1, case .literal(.string(let path)) = positional[0].value.kind else {
            throw error(.parse, "`read_excel` takes one file name", expr.span, hint: "e.g. `read_excel \"aid.xlsx\" sheet:\"资助\"`")
        }
        var excel = ExcelOptions()
        for arg in args {
            guard let key = arg.name else { continue }
            let value: String
            switch arg.value.kind {
            case .literal(.string(let s)): value = s
            case .literal(.int(let n)): value = String(n)
            case .literal(.bool(let b)): value = String(b)
            case .ident(let path) where path.count == 1: value = path[0]
            default:
                throw error(.parse, "`\(key):` of `read_excel` takes a string or a number", arg.value.span)
            }
            do {
                guard key != "types", try excel.set(key, value) else {
                    throw error(.parse, "unknown argument `\(key):` of `read_excel`", arg.value.span,
                                hint: "arguments: sheet, range, header, totals, notes")
                }
            } catch var e as TallyError {
                if e.span == nil { e.source = source; e.span = arg.value.span }
                throw e
            }
        }
        var options = LoadOptions(format: .xlsx)
        options.excel = excel
        do {
            let (table, _) = try ExcelReader.read(path: resolvePath(path), options: options, cancel: cancel)
            return Relation(table: table, qualifier: alias ?? TableReader.tableName(forPath: path))
        } catch var e as TallyError {
            if e.span == nil { e.source = source; e.span = positional[0].value.span }
            throw e
        }
    }
}
