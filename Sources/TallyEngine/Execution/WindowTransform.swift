/// The `window` transform: `window rows:-2..0 (derive {…})`, `range:-5..0`, `expanding:true`,
/// `rolling:3`. Its body runs on the same rows with a frame set, so aggregates there are computed
/// over each row's frame; without a frame they span the whole relation (or group), as in `derive`.
extension QueryRunner {
    func window(_ args: [CallArgument], _ step: Expr, _ relation: Relation) throws -> Relation {
        var frame: WindowFrame?
        func set(_ f: WindowFrame, _ arg: CallArgument) throws {
            guard frame == nil else {
                throw error(.parse, "`window` takes one of rows, range, expanding, rolling", arg.span)
            }
            frame = f
        }
        for arg in args {
            guard let name = arg.name else { continue }
            switch name {
            case "rows", "range":
                guard case .range(let lo, let hi) = arg.value.kind else {
                    throw error(.type, "`\(name)` takes a range of offsets", arg.value.span,
                                hint: "e.g. `\(name):-2..0` (two before to this row), `\(name):..0` (from the start)")
                }
                try set(WindowFrame(mode: name == "rows" ? .rows : .range,
                                    lower: try lo.map { try offset($0, whole: name == "rows") },
                                    upper: try hi.map { try offset($0, whole: name == "rows") }), arg)
            case "expanding":
                guard case .literal(.bool(let on)) = arg.value.kind else {
                    throw error(.type, "`expanding` is true or false", arg.value.span, hint: "e.g. `expanding:true`")
                }
                if on { try set(WindowFrame(mode: .rows, lower: nil, upper: 0), arg) }
            case "rolling":
                let n = try offset(arg.value, whole: true)
                guard n >= 1 else {
                    throw error(.type, "`rolling` needs a number of rows, 1 or more", arg.value.span, hint: "e.g. `rolling:3`")
                }
                try set(WindowFrame(mode: .rows, lower: 1 - n, upper: 0), arg)
            default:
                throw error(.parse, "`window` has no option `\(name)`", arg.span,
                            hint: "options: rows:a..b, range:a..b, expanding:true, rolling:n")
            }
        }
        let positional = args.filter { $0.name == nil }.map(\.value)
        guard positional.count == 1 else {
            throw error(.parse, "`window` takes options and one pipeline", step.span,
                        hint: "e.g. `window rolling:3 (derive {avg3 = average amount})`")
        }
        let body = positional[0]
        let steps: [Expr]
        if case .pipeline(let s) = body.kind { steps = s } else { steps = [body] }
        var inner = self
        inner.frame = frame
        do {
            return try inner.runSteps(steps, input: relation) ?? relation
        } catch var e as TallyError {
            if e.span == nil { e.source = source; e.span = body.span }
            throw e
        }
    }

    /// A frame offset: a whole number for `rows`, any number for `range`.
    private func offset(_ e: Expr, whole: Bool) throws -> Double {
        let bound = try Binder(scope: Scope(names: [], types: [], qualifiers: []), source: source, environment: environment).bind(e)
        switch bound {
        case .constant(.int(let v), _): return Double(v)
        case .constant(.float(let v), _) where !whole && v.isFinite: return v
        default:
            throw error(.type, whole ? "a `rows` offset is a whole number of rows" : "a `range` offset is a number",
                        e.span, hint: "e.g. `rows:-2..0`")
        }
    }
}
