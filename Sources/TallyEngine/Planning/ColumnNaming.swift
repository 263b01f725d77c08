/// Names for computed columns, by LANGUAGE.md's rule: a column reference keeps its name; anything
/// else is named after its text with each run of non-identifier characters folded to one `_`
/// (`sum amount` → `sum_amount`, `amount * 2` → `amount_2`).
package enum ColumnNaming {
    package static func name(for expr: Expr, in source: String) -> String {
        switch expr.kind {
        case .assign(let name, _): return name
        case .ident(let path): return path.last ?? "column"
        default: return fold(expr.text(in: source))
        }
    }

    package static func fold(_ text: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                if pendingUnderscore && !out.isEmpty { out += "_" }
                pendingUnderscore = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return out.isEmpty ? "column" : out
    }
}
