/// Well-formed pipelines made from a stream of choices (the fuzzer's bytes), so most inputs get
/// past the parser into the resolver and the executor. It tracks the columns and their kinds as
/// the pipeline goes, so names mostly resolve; some choices still make wrong programs on
/// purpose (an unknown column, a type mismatch), whose errors must be clean.
struct StatementGenerator {
    enum Kind { case number, text, date, bool }

    private var choices: [UInt8]
    private var position = 0
    private var columns: [(name: String, kind: Kind)] = []
    private var fresh = 0

    init(choices: [UInt8]) { self.choices = choices }

    /// The next choice in 0..<count (0 once the input is used up).
    private mutating func pick(_ count: Int) -> Int {
        guard count > 1, position < choices.count else { return 0 }
        defer { position += 1 }
        return Int(choices[position]) % count
    }

    private mutating func one<T>(_ options: [T]) -> T { options[pick(options.count)] }

    static let facts: [(String, Kind)] = [("year", .number), ("county", .text), ("amount", .number), ("day", .date),
                                          ("flag", .bool), ("n", .number)]
    static let places: [(String, Kind)] = [("county", .text), ("code", .number), ("key", .bool)]

    mutating func statements() -> [String] {
        var out: [String] = []
        let count = 1 + pick(3)
        for _ in 0..<count {
            out.append(pipeline())
            if position >= choices.count { break }
        }
        return out
    }

    mutating func pipeline() -> String {
        let source = pick(6)
        var text: String
        switch source {
        case 0: text = "from u"; columns = StatementGenerator.places.map { ($0.0, $0.1) }
        case 1: text = "from [{a = 1, b = \"甲\"}, {a = null, b = \"乙\"}, {a = 3, b = null}]"
            columns = [("a", .number), ("b", .text)]
        default: text = "from t"; columns = StatementGenerator.facts.map { ($0.0, $0.1) }
        }
        let steps = pick(7)
        for _ in 0..<steps { text += " | " + step() }
        return text
    }

    private mutating func column(_ kind: Kind? = nil) -> String {
        let matching = columns.filter { kind == nil || $0.kind == kind }
        if matching.isEmpty || pick(16) == 0 { return one(["missing", "`县 名`", "year"]) }
        return one(matching).name
    }

    private mutating func newName() -> String {
        fresh += 1
        return one(["c\(fresh)", "县\(fresh)", "year", "amount"])
    }

    mutating func step() -> String {
        switch pick(14) {
        case 0, 1: return "filter " + expression(.bool, depth: 0)
        case 2, 3:
            let kind = one([Kind.number, .text, .bool, .date])
            let name = newName()
            let value = expression(kind, depth: 0)
            columns.removeAll { $0.name == name }
            columns.append((name, kind))
            return "derive {\(name) = \(value)}"
        case 4:
            let kept = (0..<(1 + pick(3))).map { _ in column() }
            let unique = kept.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            columns = columns.filter { unique.contains($0.name) }
            return "select {\(unique.joined(separator: ", "))}"
        case 5: return "sort {" + (0..<(1 + pick(2))).map { _ in one(["", "-", "+"]) + column() }.joined(separator: ", ") + "}"
        case 6: return one(["take \(pick(10))", "take \(pick(5))..\(pick(9))", "take 0", "take -3", "take 9223372036854775807",
                            "take ..\(pick(4))", "take \(pick(4))..", "take 5..2"])
        case 7, 8: return group()
        case 9:
            let side = one(["inner", "left", "right", "full"])
            columns += StatementGenerator.places.filter { p in !columns.contains { $0.name == p.0 } }.map { ($0.0, $0.1) }
            return "join side:\(side) (from u) (==county)"
        case 10:
            let name = newName()
            columns.append((name, .number))
            let frame = one(["rolling:\(1 + pick(4))", "rows:-1..1", "range:-2..0", "rows:..0", "expanding:true"])
            return "window \(frame) (derive {\(name) = \(one(["sum", "average", "min", "max", "count"])) \(column(.number))})"
        case 11:
            let name = newName()
            columns.append((name, .number))
            return "derive {\(name) = \(one(["lag", "lead"])) \(pick(3)) \(column(.number))}"
        case 12:
            return one(["describe", "append (from t | take 2)", "remove (from t | take 1)", "intersect (from t)",
                        "loop (filter false)", "loop (take 1 | filter true)"])
        default:
            return "derive {\(newName()) = f\"{\(column())}·{\(column())}\"}"
        }
    }

    mutating func group() -> String {
        let key = column()
        let aggregate = one(["sum", "average", "min", "max", "count", "count_distinct", "stddev", "median", "first", "last",
                             "any", "every", "concat_array"])
        let argument = aggregate == "any" || aggregate == "every" ? column(.bool)
            : aggregate == "concat_array" ? column(.text) : column(.number)
        let name = newName()
        let keep = columns.first { $0.name == key }.map { [$0] } ?? []
        columns = keep + [(name, aggregate == "any" || aggregate == "every" ? .bool : aggregate == "concat_array" ? .text : .number)]
        if pick(4) == 0 { return "aggregate {\(name) = \(aggregate) \(argument)}" }
        if pick(5) == 0 { return "group {\(key)} (sort \(key) | take 1)" }
        return "group {\(key)} (aggregate {\(name) = \(aggregate) \(argument)})"
    }

    mutating func expression(_ kind: Kind, depth: Int) -> String {
        if depth > 3 || pick(3) == 0 { return leaf(kind) }
        switch kind {
        case .bool:
            switch pick(6) {
            case 0: return "(\(expression(.bool, depth: depth + 1)) \(one(["&&", "||"])) \(expression(.bool, depth: depth + 1)))"
            case 1: return "!\(expression(.bool, depth: depth + 1))"
            case 2: return "(\(expression(.text, depth: depth + 1)) | text.contains \"\(one(["县", "", "马", "%"]))\")"
            case 3: return "\(column(.text)) ~= \"\(one(["^马", "县$", "(a+)+$", "[", "\\\\d"]))\""
            case 4: return "\(column(.date)) \(one(["<", ">=", "=="])) @\(one(["2021-01-01", "2024-02-29", "1900-01-01"]))"
            default:
                return "\(expression(.number, depth: depth + 1)) \(one(["==", "!=", "<", "<=", ">", ">="])) \(expression(.number, depth: depth + 1))"
            }
        case .number:
            switch pick(5) {
            case 0: return "(\(expression(.number, depth: depth + 1)) \(one(["+", "-", "*", "/", "//", "%", "**"])) \(expression(.number, depth: depth + 1)))"
            case 1: return "(\(expression(.number, depth: depth + 1)) | \(one(["math.abs", "math.round 2", "math.floor", "math.sqrt", "math.ln"])))"
            case 2: return "(\(column(.text)) | text.length)"
            case 3: return "(\(column()) ?? \(leaf(.number)))"
            default: return "case [\(expression(.bool, depth: depth + 1)) => \(leaf(.number)), true => \(leaf(.number))]"
            }
        case .text:
            switch pick(4) {
            case 0: return "(\(expression(.text, depth: depth + 1)) | \(one(["text.upper", "text.trim", "text.lower"])))"
            case 1: return "(\(expression(.text, depth: depth + 1)) | text.extract \(pick(4)) \(pick(5)))"
            case 2: return "(\(column(.number)) | as text)"
            default: return "f\"{\(column())}/{\(column())}\""
            }
        case .date:
            return "(\(column(.date)) + \(pick(40))\(one(["days", "months", "years"])))"
        }
    }

    mutating func leaf(_ kind: Kind) -> String {
        if pick(5) == 0 { return one(["null", column(kind)]) }
        switch kind {
        case .bool: return one(["true", "false", column(.bool)])
        case .number: return one(["0", "1", "-1", "2.5", "9223372036854775807", "1e308", "\(pick(256))", column(.number)])
        case .text: return one(["\"\"", "\"马山县\"", "\"a\\\"b\"", "\"😀\"", column(.text)])
        case .date: return one(["@2021-09-01", column(.date)])
        }
    }
}
