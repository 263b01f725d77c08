/// A compact, span-free rendering of syntax trees as S-expressions, e.g. `(add a (mul b c))`.
///
/// It shows exactly how an input was grouped, which is what tests and a `.explain`-style debugging
/// command need, without the noise of byte offsets.
extension Expr {
    public var sExpression: String {
        switch kind {
        case .ident(let parts):
            return parts.map { $0.allSatisfy(Expr.isPlainNameCharacter) && !$0.isEmpty ? $0 : "`\($0)`" }.joined(separator: ".")
        case .literal(let literal):
            return literal.sExpression
        case .fString(let parts):
            return "(f" + parts.map { " " + $0.sExpression }.joined() + ")"
        case .sString(let parts):
            return "(s" + parts.map { " " + $0.sExpression }.joined() + ")"
        case .param(let name):
            return "$" + name
        case .range(let start, let end):
            return "(range \(start?.sExpression ?? "_") \(end?.sExpression ?? "_"))"
        case .tuple(let fields):
            return "{" + fields.map(\.sExpression).joined(separator: " ") + "}"
        case .array(let items):
            return "[" + items.map(\.sExpression).joined(separator: " ") + "]"
        case .assign(let name, let value):
            return "(= \(name) \(value.sExpression))"
        case .unary(let op, let operand):
            return "(\(op.rawValue) \(operand.sExpression))"
        case .binary(let op, let left, let right):
            return "(\(op.rawValue) \(left.sExpression) \(right.sExpression))"
        case .call(let callee, let args):
            return "(" + callee.sExpression + args.map { arg in
                " " + (arg.name.map { "\($0):" } ?? "") + arg.value.sExpression
            }.joined() + ")"
        case .pipeline(let steps):
            return "(pipe " + steps.map(\.sExpression).joined(separator: " ") + ")"
        case .caseExpr(let arms):
            return "(case" + arms.map { " (\($0.condition.sExpression) => \($0.value.sExpression))" }.joined() + ")"
        case .lambda(let params, let body):
            let list = params.map { p in p.defaultValue.map { "\(p.name):\($0.sExpression)" } ?? p.name }
            return "(fn (" + list.joined(separator: " ") + ") " + body.sExpression + ")"
        }
    }

    private static func isPlainNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "*"
    }
}

extension FStringPart {
    var sExpression: String {
        switch self {
        case .text(let text): return Literal.string(text).sExpression
        case .expr(let expr): return "{" + expr.sExpression + "}"
        }
    }
}

extension Literal {
    public var sExpression: String {
        switch self {
        case .int(let v): return String(v)
        case .float(let v): return "\(v)"
        case .string(let s):
            var out = "\""
            for c in s {
                switch c {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: out.append(c)
                }
            }
            return out + "\""
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .date(let d): return "@" + d.sExpression
        case .time(let t): return "@" + t.sExpression
        case .timestamp(let d, let t): return "@" + d.sExpression + "T" + t.sExpression
        case .interval(let n, let unit): return "\(n)\(unit.rawValue)"
        }
    }
}

extension DateLiteral {
    var sExpression: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
}

extension TimeLiteral {
    var sExpression: String {
        var s = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if microsecond != 0 { s += "." + pad(microsecond, 6) }
        if let offset = utcOffsetMinutes {
            s += offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
        }
        return s
    }
}

extension Statement {
    public var sExpression: String {
        switch self {
        case .query(let expr): return expr.sExpression
        case .letDecl(let name, let value, _): return "(let \(name) \(value.sExpression))"
        case .prqlHeader(let expr): return expr.sExpression
        case .command(let text): return "(command \(Literal.string(text).sExpression))"
        }
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
