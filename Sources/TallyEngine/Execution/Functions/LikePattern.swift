/// SQL `LIKE` matching, which PRQL's `text.starts_with`, `text.ends_with` and `text.contains` compile to
/// (`s LIKE CONCAT(prefix, '%')`, `CONCAT('%', suffix)`, `CONCAT('%', sub, '%')`).
///
/// So, as in the reference, `%` in the argument matches any run of characters and `_` any one
/// character (`text.contains "_" s` is true for every non-empty `s`); there is no escape character
/// (DuckDB: `'a_c' LIKE '%\_%'` is false). Matching is on code points, case-sensitive, with no
/// Unicode normalisation (DuckDB compares bytes). Patterns without `_` and with `%` only at the ends
/// run as byte prefix / suffix / substring tests on UTF-8.
struct LikePattern {
    private enum Token: Equatable {
        case literal(UInt32)
        case one
        case many
    }

    private enum Plan {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case substring([UInt8])
        case always
        case general([Token])
    }

    private let plan: Plan

    init(_ pattern: String) {
        let scalars = Array(pattern.unicodeScalars)
        let hasOne = scalars.contains("_")
        let percents = scalars.indices.filter { scalars[$0] == "%" }
        if !hasOne {
            let leading = scalars.prefix { $0 == "%" }.count
            let trailing = leading == scalars.count ? 0 : scalars.reversed().prefix { $0 == "%" }.count
            if leading == scalars.count && !scalars.isEmpty {
                plan = .always
                return
            }
            if percents.count == leading + trailing {
                let core = Array(String(String.UnicodeScalarView(scalars[leading..<(scalars.count - trailing)])).utf8)
                switch (leading > 0, trailing > 0) {
                case (false, false): plan = .exact(core)
                case (false, true): plan = .prefix(core)
                case (true, false): plan = .suffix(core)
                case (true, true): plan = .substring(core)
                }
                return
            }
        }
        var tokens: [Token] = []
        for scalar in scalars {
            switch scalar {
            case "%": if tokens.last != .many { tokens.append(.many) }
            case "_": tokens.append(.one)
            default: tokens.append(.literal(scalar.value))
            }
        }
        plan = .general(tokens)
    }

    /// `prefix%`
    static func startsWith(_ prefix: String) -> LikePattern { LikePattern(prefix + "%") }
    /// `%suffix`
    static func endsWith(_ suffix: String) -> LikePattern { LikePattern("%" + suffix) }
    /// `%part%`
    static func contains(_ part: String) -> LikePattern { LikePattern("%" + part + "%") }

    func matches(_ text: String) -> Bool {
        switch plan {
        case .always: return true
        case .exact(let bytes): return text.utf8.elementsEqual(bytes)
        case .prefix(let bytes): return text.utf8.starts(with: bytes)
        case .suffix(let bytes):
            let utf8 = text.utf8
            guard utf8.count >= bytes.count else { return false }
            return utf8.suffix(bytes.count).elementsEqual(bytes)
        case .substring(let bytes):
            if bytes.isEmpty { return true }
            return Array(text.utf8).withUnsafeBufferPointer { hay in Self.find(bytes, in: hay) }
        case .general(let tokens):
            return Self.match(Array(text.unicodeScalars.map(\.value)), tokens)
        }
    }

    private static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        guard hay.count >= n else { return false }
        let first = needle[0]
        var i = 0
        while i <= hay.count - n {
            if hay[i] == first {
                var j = 1
                while j < n && hay[i + j] == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }

    /// Greedy matching with backtracking to the last `%`: linear for most patterns, never exponential.
    private static func match(_ s: [UInt32], _ p: [Token]) -> Bool {
        var si = 0, pi = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                switch p[pi] {
                case .one:
                    si += 1; pi += 1; continue
                case .literal(let c) where c == s[si]:
                    si += 1; pi += 1; continue
                case .many:
                    starP = pi; starS = si; pi += 1; continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starS += 1
            si = starS
        }
        while pi < p.count && p[pi] == .many { pi += 1 }
        return pi == p.count
    }
}
