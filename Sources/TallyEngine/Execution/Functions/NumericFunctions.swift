import Foundation

/// Number functions, each a loop over a typed array.
enum NumericFunctions {
    static let unaryDouble: [(String, @Sendable (Double) -> Double)] = [
        ("math.sqrt", { $0 < 0 ? .nan : Foundation.sqrt($0) }), ("math.ln", { Foundation.log($0) }),
        ("math.log10", { Foundation.log10($0) }), ("math.exp", { Foundation.exp($0) }),
        ("math.sin", { Foundation.sin($0) }), ("math.cos", { Foundation.cos($0) }), ("math.tan", { Foundation.tan($0) }),
        ("math.asin", { Foundation.asin($0) }), ("math.acos", { Foundation.acos($0) }), ("math.atan", { Foundation.atan($0) }),
    ]

    static func mapDouble(_ v: Vector, rowCount: Int, _ f: (Double) -> Double) -> Vector {
        if case .constant(let s, _) = v {
            switch s {
            case .int(let i): return .constant(.float(f(Double(i))), .float)
            case .float(let d): return .constant(.float(f(d)), .float)
            default: return .constant(.null, .float)
            }
        }
        let c = v.materialize(count: rowCount)
        return .column(Column(.float(c.doubleValues.map(f)), validity: c.validity))
    }

    static func abs(_ v: Vector, rowCount: Int) throws -> Vector {
        let c = v.materialize(count: rowCount)
        switch c.values {
        case .int(let x):
            var out = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count {
                guard x[i] != Int64.min else { throw Kernels.overflow("math.abs") }
                out[i] = Swift.abs(x[i])
            }
            return .column(Column(.int(out), validity: c.validity))
        default:
            return .column(Column(.float(c.doubleValues.map { Swift.abs($0) }), validity: c.validity))
        }
    }

    /// `round n x`: half away from zero, to `n` decimals (negative `n` rounds to tens, hundreds…).
    static func round(_ digits: Vector, _ value: Vector, rowCount: Int) throws -> Vector {
        let d = digits.materialize(count: rowCount).int64Values
        let c = value.materialize(count: rowCount)
        switch c.values {
        case .int(let x):
            var out = x
            for i in 0..<x.count where d[i] < 0 {
                let scale = Foundation.pow(10, Double(-d[i]))
                out[i] = Int64((Double(x[i]) / scale).rounded(.toNearestOrAwayFromZero) * scale)
            }
            return .column(Column(.int(out), validity: Validity.and(c.validity, digits.materialize(count: rowCount).validity)))
        default:
            let x = c.doubleValues
            var out = [Double](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let scale = Foundation.pow(10, Double(d[i]))
                let scaled = x[i] * scale
                out[i] = scaled.isFinite ? scaled.rounded(.toNearestOrAwayFromZero) / scale : x[i]
            }
            return .column(Column(.float(out), validity: c.validity))
        }
    }
}

/// Text functions, computed once per distinct string of the dictionary and mapped to rows by code.
enum TextFunctions {
    static let unaryText: [(String, @Sendable (String) -> String)] = [
        ("text.lower", { $0.lowercased() }), ("text.upper", { $0.uppercased() }),
        ("text.trim", { $0.trimmingCharacters(in: .whitespaces) }),
        ("text.ltrim", { String($0.drop(while: { $0 == " " || $0 == "\t" })) }),
        ("text.rtrim", { var s = $0; while s.last == " " || s.last == "\t" { s.removeLast() }; return s }),
    ]

    static let predicates: [(String, @Sendable (String, String) -> Bool)] = [
        ("text.contains", { $0.contains($1) }), ("text.starts_with", { $0.hasPrefix($1) }),
        ("text.ends_with", { $0.hasSuffix($1) }),
    ]

    static func mapText(_ v: Vector, rowCount: Int, _ f: (String) -> String) -> Vector {
        let c = v.materialize(count: rowCount)
        guard case .text(let codes, let dictionary) = c.values else { return v }
        var builder = TextDictionaryBuilder()
        let remap = dictionary.strings.map { builder.code(for: f($0)) }
        return .column(Column(.text(codes: codes.map { remap.isEmpty ? 0 : remap[Int($0)] }, dictionary: builder.build()),
                              validity: c.validity))
    }

    static func length(_ v: Vector, rowCount: Int) -> Vector {
        let c = v.materialize(count: rowCount)
        guard case .text(let codes, let dictionary) = c.values else { return v }
        let lengths = dictionary.strings.map { Int64($0.count) }
        return .column(Column(.int(codes.map { lengths.isEmpty ? 0 : lengths[Int($0)] }), validity: c.validity))
    }

    static func predicate(_ v: Vector, _ part: Vector, rowCount: Int, _ test: (String, String) -> Bool) -> Vector {
        let c = v.materialize(count: rowCount), p = part.materialize(count: rowCount)
        guard case .text(let codes, let dictionary) = c.values else { return v }
        var out = [Bool](repeating: false, count: rowCount)
        if case .constant(.text(let needle), _) = part {
            let flags = dictionary.strings.map { test($0, needle) }
            for i in 0..<rowCount where !flags.isEmpty { out[i] = flags[Int(codes[i])] }
        } else {
            for i in 0..<rowCount { if let s = c.text(at: i), let q = p.text(at: i) { out[i] = test(s, q) } }
        }
        return .column(Column(.bool(out), validity: Validity.and(c.validity, p.validity)))
    }

    static func replace(_ v: Vector, _ old: Vector, _ new: Vector, rowCount: Int) throws -> Vector {
        guard case .constant(.text(let o), _) = old, case .constant(.text(let n), _) = new else {
            throw TallyError(.type, "`text.replace` takes constant texts to replace")
        }
        return mapText(v, rowCount: rowCount) { o.isEmpty ? $0 : $0.replacingOccurrences(of: o, with: n) }
    }

    /// `text.extract start length s`: characters from 1-based `start`, as SQL's SUBSTRING.
    static func extract(_ v: Vector, _ start: Vector, _ length: Vector, rowCount: Int) throws -> Vector {
        guard case .constant(.int(let s), _) = start, case .constant(.int(let l), _) = length else {
            throw TallyError(.type, "`text.extract` takes constant start and length")
        }
        return mapText(v, rowCount: rowCount) { text in
            let chars = Array(text)
            let lower = max(0, Int(s) - 1), upper = min(chars.count, max(lower, Int(s) - 1 + Int(l)))
            return lower < upper ? String(chars[lower..<upper]) : ""
        }
    }
}

/// Date functions.
enum DateFunctions {
    static func part(_ name: String, _ v: Vector, rowCount: Int) -> Vector {
        let c = v.materialize(count: rowCount)
        let days: [Int32]
        switch c.values {
        case .date(let d): days = d
        case .timestamp(let t): days = t.map { Int32(clamping: ($0 >= 0 ? $0 : $0 - 86_399_999_999) / 86_400_000_000) }
        default: return v
        }
        let out: [Int64] = days.map { d in
            let (y, m, day) = CivilDate.civil(fromDays: d)
            return Int64(name == "date.year" ? y : (name == "date.month" ? m : day))
        }
        return .column(Column(.int(out), validity: c.validity))
    }

    static func toText(_ v: Vector, _ format: Vector, rowCount: Int) throws -> Vector {
        guard case .constant(.text(let pattern), _) = format else {
            throw TallyError(.type, "`date.to_text` takes a constant format such as \"%Y-%m\"")
        }
        let c = v.materialize(count: rowCount)
        var builder = TextDictionaryBuilder()
        var codes = [UInt32](repeating: 0, count: rowCount)
        let micros = c.timestampValues
        for i in 0..<rowCount where !c.isNull(i) {
            codes[i] = builder.code(for: strftime(pattern, micros: micros[i]))
        }
        return .column(Column(.text(codes: codes, dictionary: builder.build()), validity: c.validity))
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    static func strftime(_ pattern: String, micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var day = micros / perDay, rem = micros % perDay
        if rem < 0 { rem += perDay; day -= 1 }
        let (y, m, d) = CivilDate.civil(fromDays: Int32(clamping: day))
        let secs = Int(rem / 1_000_000)
        var out = ""
        var percent = false
        for ch in pattern {
            if !percent {
                if ch == "%" { percent = true } else { out.append(ch) }
                continue
            }
            percent = false
            switch ch {
            case "Y": out += CivilDate.pad(y, 4)
            case "y": out += CivilDate.pad(y % 100, 2)
            case "m": out += CivilDate.pad(m, 2)
            case "d": out += CivilDate.pad(d, 2)
            case "H": out += CivilDate.pad(secs / 3600, 2)
            case "M": out += CivilDate.pad(secs / 60 % 60, 2)
            case "S": out += CivilDate.pad(secs % 60, 2)
            case "B": out += monthNames[m - 1]
            case "b": out += String(monthNames[m - 1].prefix(3))
            case "j":
                let jan1 = CivilDate.days(year: y, month: 1, day: 1) ?? 0
                out += CivilDate.pad(Int(Int32(clamping: day) - jan1) + 1, 3)
            case "%": out += "%"
            default: out += "%" + String(ch)
            }
        }
        return out
    }
}
