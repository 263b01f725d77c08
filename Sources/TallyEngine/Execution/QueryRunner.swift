/// A relation flowing through a pipeline: a table plus, per column, the relation alias it came from.
struct Relation {
    var table: Table
    var qualifiers: [String?]
    /// The keys of the last `sort`, row-aligned with `table`: the "current order" that window
    /// functions rank by (`rank` ties are rows equal on every key). Empty when unsorted.
    var order: [SortPermutation.Key] = []

    init(table: Table, qualifier: String?) {
        self.table = table
        self.qualifiers = [String?](repeating: qualifier, count: table.columnCount)
    }

    init(table: Table, qualifiers: [String?]) {
        self.table = table
        self.qualifiers = qualifiers
    }

    var scope: Scope {
        var scope = Scope(names: table.names, types: table.columns.map(\.type), qualifiers: qualifiers)
        scope.nullTyped = Set(table.columns.indices.filter { table.columns[$0].isNullTyped })
        return scope
    }
}

/// Transforms written against a relation with its rows at hand: the in-memory transforms (`pivot`,
/// `unpivot`, `describe`), relation literals, and the checks of `chart`. The resolver runs them over
/// no rows of a schema to check their arguments and learn their columns; the executor over the data.
/// Also the syntax helpers the resolver and the session share.
struct QueryRunner {
    let source: String
    let environment: Binder.Environment
    let cancel: CancellationCheck
    /// Where a relative `read_csv "file"` path is found (the script's or notebook's folder).
    var resolvePath: @Sendable (String) -> String = { $0 }

    init(source: String, environment: Binder.Environment, cancel: CancellationCheck) {
        self.source = source
        self.environment = environment
        self.cancel = cancel
    }

    func error(_ kind: TallyError.Kind, _ message: String, _ span: Range<Int>, hint: String? = nil) -> TallyError {
        TallyError(kind, message, hint: hint, source: source, span: span)
    }

    func binder(_ relation: Relation) -> Binder {
        Binder(scope: relation.scope, source: source, environment: environment)
    }

    /// The steps of a pipeline (a lone step is a pipeline of one).
    static func steps(_ pipeline: Expr) -> [Expr] {
        if case .pipeline(let steps) = pipeline.kind { return steps }
        return [pipeline]
    }

    /// The transform name and arguments of a step.
    static func transform(_ step: Expr) -> (String, [CallArgument])? {
        switch step.kind {
        case .call(let callee, let args):
            if case .ident(let path) = callee.kind, path.count == 1 { return (path[0], args) }
        case .ident(let path):
            if path.count == 1 { return (path[0], []) }
        default: break
        }
        return nil
    }

    func transform(_ step: Expr) -> (String, [CallArgument])? { QueryRunner.transform(step) }

    static func fields(_ expr: Expr) -> [Expr] {
        if case .tuple(let items) = expr.kind { return items }
        return [expr]
    }

    /// Functions that make a relation from a file or from text: usable after `from`, as a
    /// pipeline's first step, and wherever a relation is (`append (read_json "f.json")`).
    static let sourceFunctions: Set<String> = ["read_csv", "read_json", "read_excel", "from_text"]

    /// Most iterations `loop` runs before it gives up.
    static let loopLimit = 10_000

    /// `[{year = 2021, n = 3}, {year = 2022, n = 5}]`.
    func relationLiteral(_ expr: Expr) throws -> Relation {
        guard case .array(let rows) = expr.kind else { throw error(.parse, "expected a relation literal", expr.span) }
        // Values column by column (null where a row lacks the field), so a literal of a million
        // rows builds each column in one pass.
        var names: [String] = []
        var index: [String: Int] = [:]
        var values: [[Scalar]] = []
        let constants = Binder(scope: Scope(names: [], types: [], qualifiers: []), source: source, environment: environment)
        for (r, row) in rows.enumerated() {
            guard case .tuple(let fields) = row.kind else {
                throw error(.parse, "each row of a relation literal is a tuple", row.span, hint: "e.g. `[{year = 2021, n = 3}]`")
            }
            for field in fields {
                let name = ColumnNaming.name(for: field, in: source)
                let bound = try constants.bind(field)
                guard case .constant(let value, _) = bound else {
                    throw error(.type, "relation literals hold constants only", field.span)
                }
                let c: Int
                if let known = index[name] { c = known } else {
                    c = names.count
                    index[name] = c
                    names.append(name)
                    values.append([Scalar](repeating: .null, count: rows.count))
                }
                values[c][r] = value
            }
            if r & 0xFFFF == 0xFFFF { try cancel.checkpoint() }
        }
        var columns: [Column] = []
        for (c, name) in names.enumerated() {
            var type: DataType?
            for value in values[c] {
                guard let t = value.type else { continue }
                guard let common = try Binder.commonType(type, t) else {
                    throw error(.type, "column `\(name)` of the relation literal mixes \(type.map(\.rawValue) ?? "null") and \(t)",
                                expr.span)
                }
                type = common
            }
            columns.append(try QueryRunner.column(values[c], type: type ?? .text))
        }
        return Relation(table: try Table(names: names, columns: columns), qualifier: nil)
    }

    /// A column of `type` from scalars that are of that type, null, or cast to it.
    static func column(_ values: [Scalar], type: DataType) throws -> Column {
        func direct<T>(_ pick: (Scalar) -> T?) -> [T?]? {
            var out: [T?] = []
            out.reserveCapacity(values.count)
            for value in values {
                if case .null = value { out.append(nil); continue }
                guard let v = pick(value) else { return nil }
                out.append(v)
            }
            return out
        }
        switch type {
        case .int:
            if let v = direct({ if case .int(let x) = $0 { return x } else { return nil } }) { return Column(ints: v) }
        case .float:
            if let v = direct({ (s: Scalar) -> Double? in
                switch s { case .float(let x): return x; case .int(let x): return Double(x); default: return nil }
            }) { return Column(floats: v) }
        case .bool:
            if let v = direct({ if case .bool(let x) = $0 { return x } else { return nil } }) { return Column(bools: v) }
        case .text:
            if let v = direct({ if case .text(let x) = $0 { return x } else { return nil } }) { return Column(texts: v) }
        case .date:
            if let v = direct({ if case .date(let x) = $0 { return x } else { return nil } }) { return Column(dates: v) }
        case .timestamp:
            break
        }
        let parts = values.map { Scalar.column($0)(count: 1, type: type) }
        let converted = try parts.map { part -> Column in
            part.type == type ? part : try Casts.cast(.column(part), to: type, rowCount: 1).materialize(count: 1)
        }
        return Column.concat(converted, type: type)
    }

    /// The rows a `take` right after a `sort` keeps at most, when its count is written as a
    /// number (`take 10`, `take 11..20`): the sort then only orders that many.
    static func takeLimit(_ step: Expr?) -> Int? {
        guard let step, case .call(let callee, let args) = step.kind, callee.identPath == ["take"],
              args.count == 1, args[0].name == nil else { return nil }
        switch args[0].value.kind {
        case .literal(.int(let n)) where n >= 0: return Int(n)
        case .range(_, let hi?):
            if case .literal(.int(let n)) = hi.kind, n >= 0 { return Int(n) }
            return nil
        default: return nil
        }
    }

    /// Where a condition's value is true (null counts as false).
    static func truth(_ v: Vector, count: Int) -> [Bool] {
        switch v {
        case .constant(.bool(let b), _): return [Bool](repeating: b, count: count)
        case .constant: return [Bool](repeating: false, count: count)
        case .column(let c):
            guard case .bool(let flags) = c.values else { return [Bool](repeating: false, count: count) }
            if c.validity == nil { return flags }
            return (0..<count).map { flags[$0] && !c.isNull($0) }
        }
    }

    /// Whether `rows` is exactly 0, 1, …, count-1 (an inner join that matched every left row once),
    /// so the left columns can be reused as they are.
    static func isIdentity(_ rows: [Int32], count: Int) -> Bool {
        guard rows.count == count else { return false }
        return rows.withUnsafeBufferPointer { r in
            for i in 0..<count where Int(r[i]) != i { return false }
            return true
        }
    }
}

extension Scalar {
    /// `column(count:type:)` as a function value.
    static func column(_ s: Scalar) -> (Int, DataType) -> Column { { s.column(count: $0, type: $1) } }
}
