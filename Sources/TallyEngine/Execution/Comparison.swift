import Foundation

/// Comparisons with the language's null rules, PRQL's and SQL's: any comparison with a null operand
/// gives null (which `filter` drops). Testing for a missing value is `x == null` with the literal,
/// which the binder turns into `BoundExpr.isNull` before anything is compared.
enum Comparison {
    static func compare(_ op: BinaryOp, _ a: Column, _ b: Column) throws -> Column {
        let n = a.count
        var out = [Bool](repeating: false, count: n)
        // Three-way comparison of each row, computed by type.
        var order = [Int8](repeating: 0, count: n)
        switch (a.values, b.values) {
        case (.int(let x), .int(let y)):
            for i in 0..<n { order[i] = x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0) }
        case (.date(let x), .date(let y)):
            for i in 0..<n { order[i] = x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0) }
        case (.bool(let x), .bool(let y)):
            for i in 0..<n { order[i] = x[i] == y[i] ? 0 : (!x[i] ? -1 : 1) }
        case (.text(let x, let dx), .text(let y, let dy)):
            let (rx, ry) = ranks(dx, dy)
            for i in 0..<n {
                let p = rx[Int(x[i])], q = ry[Int(y[i])]
                order[i] = p < q ? -1 : (p > q ? 1 : 0)
            }
        case (.timestamp, _), (_, .timestamp):
            let x = a.timestampValues, y = b.timestampValues
            for i in 0..<n { order[i] = x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0) }
        default:
            let x = a.doubleValues, y = b.doubleValues
            for i in 0..<n { order[i] = x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0) }
        }
        for i in 0..<n {
            let o = order[i]
            switch op {
            case .eq: out[i] = o == 0
            case .ne: out[i] = o != 0
            case .lt: out[i] = o < 0
            case .le: out[i] = o <= 0
            case .gt: out[i] = o > 0
            default: out[i] = o >= 0
            }
        }
        return Column(.bool(out), validity: Validity.and(a.validity, b.validity))
    }

    /// Ranks of two dictionaries' strings in one shared sort order (by Unicode scalars, as DuckDB
    /// orders text), so rows compare as integers.
    static func ranks(_ a: TextDictionary, _ b: TextDictionary) -> ([Int], [Int]) {
        if a === b {
            let r = rank(a.strings)
            return (r + [0], r + [0])
        }
        let merged = a.strings + b.strings
        let r = rank(merged)
        return (Array(r[0..<a.count]) + [0], Array(r[a.count...]) + [0])
    }

    private static func rank(_ strings: [String]) -> [Int] {
        let order = strings.indices.sorted { strings[$0].unicodeScalars.lexicographicallyPrecedes(strings[$1].unicodeScalars) }
        var ranks = [Int](repeating: 0, count: strings.count)
        var rank = 0
        for (k, index) in order.enumerated() {
            if k > 0, strings[order[k - 1]] != strings[index] { rank += 1 }
            ranks[index] = rank
        }
        return ranks
    }

    /// The longest one value's search may take. ICU's engine backtracks, so a pattern like
    /// `(a+)+$` on a long run of `a` would take exponential time; past this it is an error.
    static let regexTimeLimit: Double = 1.0

    /// Whether `regex` finds a match in `text`, within `regexTimeLimit` (the engine reports its
    /// progress while it backtracks, and is stopped there).
    static func search(_ regex: NSRegularExpression, _ pattern: String, in text: String) throws -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        let limit = UInt64(regexTimeLimit * 1e9)
        var found = false, timedOut = false
        let whole = NSRange(text.startIndex..., in: text)
        regex.enumerateMatches(in: text, options: [.reportProgress], range: whole) { match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if DispatchTime.now().uptimeNanoseconds &- start > limit {
                timedOut = true
                stop.pointee = true
            }
        }
        if timedOut && !found {
            let sample = text.count > 24 ? String(text.prefix(24)) + "…" : text
            let seconds = Int(regexTimeLimit)
            throw TallyError(.runtime, "the regular expression `\(pattern)` took over \(seconds) s on the value `\(sample)`",
                             hint: "it backtracks too much: avoid nested repetition such as `(a+)+` or `(a|a)*`")
        }
        return found
    }

    /// `~=`: a regular-expression search, evaluated once per distinct text.
    static func regex(_ a: Column, _ b: Column) throws -> Column {
        guard case .text(let codes, let dictionary) = a.values else { return a }
        let n = a.count
        var out = [Bool](repeating: false, count: n)
        var cache: [String: NSRegularExpression] = [:]
        var matches: [Int: Bool] = [:]
        for i in 0..<n where !a.isNull(i) && !b.isNull(i) {
            guard let pattern = b.text(at: i) else { continue }
            let regex: NSRegularExpression
            if let cached = cache[pattern] { regex = cached } else {
                do {
                    regex = try NSRegularExpression(pattern: pattern)
                } catch {
                    throw TallyError(.runtime, "invalid regular expression `\(pattern)`")
                }
                cache[pattern] = regex
            }
            let key = Int(codes[i]) &* 31 &+ pattern.hashValue
            if let m = matches[key], cache.count == 1 { out[i] = m; continue }
            let text = dictionary[codes[i]]
            let m = try search(regex, pattern, in: text)
            if cache.count == 1 { matches[key] = m }
            out[i] = m
        }
        return Column(.bool(out), validity: Validity.and(a.validity, b.validity))
    }
}
