/// `text.*`: functions of text, evaluated once per distinct string (see `DictionaryKernels`).
///
/// Semantics are DuckDB's (what PRQL compiles these to): lengths and positions count code points
/// (`text.length "南宁市"` = 3; LENGTH of "e" + U+0301 is 2); `trim` removes spaces only, not tabs
/// or newlines; `starts_with`/`ends_with`/`contains` are LIKE patterns (see `LikePattern`);
/// `extract offset length s` is SUBSTRING(s, offset, length), 1-based, with DuckDB's rules for zero,
/// negative offsets and negative lengths; `replace` replaces every occurrence, literally.
enum TextFunctions {
    static let all: [ScalarFunction] = [
        function("text.length", [], .int, "number of characters") { _ in
            { .int(Int64($0.unicodeScalars.count)) }
        },
        function("text.lower", [], .text, "lower case") { _ in { .text(TextCase.lower($0)) } },
        function("text.upper", [], .text, "upper case") { _ in { .text(TextCase.upper($0)) } },
        function("text.trim", [], .text, "remove leading and trailing spaces") { _ in
            { .text(trimSpaces($0, leading: true, trailing: true)) }
        },
        function("text.ltrim", [], .text, "remove leading spaces") { _ in
            { .text(trimSpaces($0, leading: true, trailing: false)) }
        },
        function("text.rtrim", [], .text, "remove trailing spaces") { _ in
            { .text(trimSpaces($0, leading: false, trailing: true)) }
        },
        function("text.starts_with", [("prefix", .text)], .bool, "whether the text starts with prefix") { params in
            let pattern = LikePattern.startsWith(params[0].textValue)
            return { .bool(pattern.matches($0)) }
        },
        function("text.ends_with", [("suffix", .text)], .bool, "whether the text ends with suffix") { params in
            let pattern = LikePattern.endsWith(params[0].textValue)
            return { .bool(pattern.matches($0)) }
        },
        function("text.contains", [("substr", .text)], .bool, "whether the text contains substr") { params in
            let pattern = LikePattern.contains(params[0].textValue)
            return { .bool(pattern.matches($0)) }
        },
        function("text.extract", [("offset", .int), ("length", .int)], .text,
                 "length characters from offset (1-based)") { params in
            let offset = params[0].intValue, length = params[1].intValue
            return { .text(substring($0, offset: offset, length: length)) }
        },
        function("text.replace", [("pattern", .text), ("replacement", .text)], .text,
                 "replace every pattern with replacement") { params in
            let pattern = Array(params[0].textValue.utf8), replacement = Array(params[1].textValue.utf8)
            return { .text(replaceAll($0, pattern, replacement)) }
        },
    ]

    typealias Prepare = @Sendable (_ params: [Scalar]) throws -> (String) -> Scalar

    /// A text function whose value comes last, after `params` of fixed types.
    static func function(_ name: String, _ params: [(String, DataType)], _ result: DataType, _ summary: String,
                         _ prepare: @escaping Prepare) -> ScalarFunction {
        let expected = (params.map { "\($0.1) \($0.0)" } + ["text column"]).joined(separator: ", ")
        let paramTypes = params.map(\.1)
        return ScalarFunction(name, params.map(\.0) + ["column"], summary, signature: { args in
            guard Array(args.dropLast()) == paramTypes, args.last == .text else {
                var error = Signatures.mismatch(name, expected: "(\(expected))", got: args)
                if args.last != .text { error.hint = "convert the value first, e.g. `x | as text`" }
                throw error
            }
            return result
        }, kernel: { args, rows, type in
            let value = args[args.count - 1]
            let paramVectors = args.dropLast()
            if case .column(let column) = value,
               paramVectors.allSatisfy({ if case .constant = $0 { return true } else { return false } }) {
                let fixed = paramVectors.map { if case .constant(let s, _) = $0 { return s } else { return Scalar.null } }
                let f = try prepare(fixed)
                return .column(DictionaryKernels.map(column, to: type, f))
            }
            // Several columns: once per distinct tuple of arguments.
            return .column(try DictionaryKernels.mapTuples(args, rows: rows, type: type) { scalars in
                try prepare(Array(scalars.dropLast()))(scalars[scalars.count - 1].textValue)
            })
        })
    }

    /// SUBSTRING(s, offset, length) on code points, as DuckDB computes it. Oracle grid:
    /// `select substring('hello', o, l)` for o, l in -7...7 (e.g. (0, 2) → "h", (-2, 2) → "lo",
    /// (3, -1) → "e", (7, -2) → "o", (-10, 3) → "").
    static func substring(_ s: String, offset: Int64, length: Int64) -> String {
        if length == 0 { return "" }
        let scalars = Array(s.unicodeScalars)
        let n = Int64(scalars.count)
        let start: Int64 = offset > 0 ? offset - 1 : (offset < 0 ? n + offset : -1)
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (r, overflow) = a.addingReportingOverflow(b)
            return overflow ? (b > 0 ? .max : .min) : r
        }
        var lo = length > 0 ? start : add(start, length)
        var hi = length > 0 ? add(start, length) : start
        lo = max(lo, 0)
        hi = min(hi, n)
        if lo >= hi { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[Int(lo)..<Int(hi)])
        return String(out)
    }

    /// DuckDB's TRIM/LTRIM/RTRIM without a character list: spaces (U+0020) only.
    static func trimSpaces(_ s: String, leading: Bool, trailing: Bool) -> String {
        let bytes = Array(s.utf8)
        var lo = 0, hi = bytes.count
        if leading { while lo < hi && bytes[lo] == 0x20 { lo += 1 } }
        if trailing { while hi > lo && bytes[hi - 1] == 0x20 { hi -= 1 } }
        if lo == 0 && hi == bytes.count { return s }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// Every non-overlapping occurrence of `pattern`, left to right, byte for byte; an empty pattern
    /// changes nothing (DuckDB: `replace('abc', '', 'x')` = 'abc').
    static func replaceAll(_ s: String, _ pattern: [UInt8], _ replacement: [UInt8]) -> String {
        if pattern.isEmpty { return s }
        let bytes = Array(s.utf8)
        let n = pattern.count
        guard bytes.count >= n else { return s }
        var out: [UInt8] = []
        var i = 0
        var changed = false
        while i < bytes.count {
            if i + n <= bytes.count && bytes[i] == pattern[0] && bytes[i..<(i + n)].elementsEqual(pattern) {
                out.append(contentsOf: replacement)
                i += n
                changed = true
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : s
    }
}

extension Scalar {
    /// The text of a text scalar ("" otherwise).
    var textValue: String {
        if case .text(let s) = self { return s }
        return ""
    }

    /// The value of an int scalar (0 otherwise).
    var intValue: Int64 {
        if case .int(let v) = self { return v }
        return 0
    }
}
