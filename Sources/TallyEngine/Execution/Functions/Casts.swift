/// `x | as int|float|text|bool|date|timestamp`: conversions between column types.
///
/// Semantics are DuckDB's CAST (what PRQL's `as` compiles to), on Tally's 64-bit types:
/// - float → int rounds half to even (DuckDB: CAST(2.5::DOUBLE AS BIGINT) = 2, 3.5 → 4); NaN, ±inf
///   and values beyond the int range are errors;
/// - text → int/float/bool/date/timestamp parses (see `CastParsing`); text that does not parse is
///   an error naming the value, like DuckDB's "Could not convert string 'abc' to INT64";
/// - int/float → bool is `x != 0`; bool → int/float is 1 / 0;
/// - float → text prints the shortest text that reads back (`2.0`, `0.1`, `1e+16`, `nan`);
///   timestamp → text drops trailing zeros of the fraction (`2021-03-05 07:08:09.123`);
/// - date ↔ timestamp (midnight / the day's date); date and timestamp do not convert to or from
///   numbers or bools (DuckDB: "Unimplemented type for cast (DATE -> BIGINT)").
/// Nulls stay null.
package enum Casts {
    /// The type an `as` target names: `int`, `float`, `text`, `bool`, `date`, `timestamp`, and the
    /// SQL spellings PRQL users write (`integer`, `bigint`, `double`, `string`, `varchar`, `boolean`).
    package static func targetType(named name: String) -> DataType? {
        switch name.lowercased() {
        case "int", "integer", "bigint", "int64", "int8": return .int
        case "float", "double", "real", "float64", "float8", "decimal", "numeric": return .float
        case "text", "string", "varchar", "str": return .text
        case "bool", "boolean": return .bool
        case "date": return .date
        case "timestamp", "datetime": return .timestamp
        default: return nil
        }
    }

    /// Whether `as` can turn a `from` value into a `to` value (it may still fail on a value at run time).
    package static func canCast(from: DataType, to: DataType) -> Bool {
        if from == to || from == .text || to == .text { return true }
        switch (from, to) {
        case (.int, .float), (.int, .bool), (.float, .int), (.float, .bool), (.bool, .int), (.bool, .float),
             (.date, .timestamp), (.timestamp, .date):
            return true
        default:
            return false
        }
    }

    /// The result type of `x | as to` for an `x` of type `from`; a `.type` error when there is no such cast.
    package static func resultType(from: DataType, to: DataType) throws -> DataType {
        guard canCast(from: from, to: to) else {
            var hint = "convert through text if you mean its digits: `x | as text | as \(to)`"
            if from == .date || from == .timestamp, to == .int { hint = "for parts of a date use `date.year d` or `date.month d`" }
            throw TallyError(.type, "cannot convert \(from) to \(to) with `as \(to)`", hint: hint)
        }
        return to
    }

    /// `vector` converted to `to`: a constant stays a constant.
    package static func cast(_ vector: Vector, to: DataType, rowCount: Int) throws -> Vector {
        _ = try resultType(from: vector.type, to: to)
        switch vector {
        case .constant(.null, _):
            return .constant(.null, to)
        case .constant(let scalar, let type):
            let one = try cast(scalar.column(count: 1, type: type), to: to)
            return .constant(one.scalar(at: 0), to)
        case .column(let column):
            return .column(try cast(column, to: to))
        }
    }

    /// `column` converted to `to`.
    package static func cast(_ column: Column, to: DataType) throws -> Column {
        let from = column.type
        _ = try resultType(from: from, to: to)
        if from == to { return column }
        let n = column.count
        let validity = column.validity
        switch column.values {
        case .int(let v):
            switch to {
            case .float: return Column(.float(map(v) { Double($0) }), validity: validity)
            case .bool: return Column(.bool(map(v) { $0 != 0 }), validity: validity)
            case .text: return DateFunctions.formatEach(v, validity: validity, distinctTexts: true) { String($0) }
            default: break
            }
        case .float(let v):
            switch to {
            case .int: return Column(.int(try floatsToInts(v, validity: validity)), validity: validity)
            case .bool: return Column(.bool(map(v) { $0 != 0 }), validity: validity)
            case .text:
                // One bit pattern per text: every NaN is the same "nan".
                let bits = map(v) { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern }
                return DateFunctions.formatEach(bits, validity: validity, distinctTexts: true) {
                    formatFloat(Double(bitPattern: $0))
                }
            default: break
            }
        case .bool(let v):
            switch to {
            case .int: return Column(.int(map(v) { $0 ? 1 : 0 }), validity: validity)
            case .float: return Column(.float(map(v) { $0 ? 1 : 0 }), validity: validity)
            case .text:
                return DateFunctions.formatEach(map(v) { UInt8($0 ? 1 : 0) }, validity: validity, distinctTexts: true) {
                    $0 == 1 ? "true" : "false"
                }
            default: break
            }
        case .date(let v):
            switch to {
            case .timestamp: return Column(.timestamp(map(v) { Int64($0) * 86_400_000_000 }), validity: validity)
            case .text: return DateFunctions.formatDays(v, validity: validity, distinctTexts: true) { CivilDate.format(days: $0) }
            default: break
            }
        case .timestamp(let v):
            switch to {
            case .date:
                return Column(.date(map(v) { m in
                    var d = m / 86_400_000_000
                    if m % 86_400_000_000 < 0 { d -= 1 }
                    return Int32(clamping: d)
                }), validity: validity)
            case .text: return DateFunctions.formatEach(v, validity: validity, distinctTexts: true) { formatTimestamp($0) }
            default: break
            }
        case .text:
            return try DictionaryKernels.map(column, to: to) { s in
                switch to {
                case .int:
                    guard let v = CastParsing.parseInt(s) else { throw failure(s, to) }
                    return .int(v)
                case .float:
                    guard let v = CastParsing.parseDouble(s) else { throw failure(s, to) }
                    return .float(v)
                case .bool:
                    guard let v = CastParsing.parseBool(s) else { throw failure(s, to) }
                    return .bool(v)
                case .date:
                    guard let v = CastParsing.parseDate(s) else { throw failure(s, to) }
                    return .date(v)
                case .timestamp:
                    guard let v = CastParsing.parseTimestamp(s) else { throw failure(s, to) }
                    return .timestamp(v)
                case .text:
                    return .text(s)
                }
            }
        }
        return Scalar.null.column(count: n, type: to)
    }

    static func failure(_ s: String, _ to: DataType) -> TallyError {
        let example: String
        switch to {
        case .int: example = "a whole number such as 42"
        case .float: example = "a number such as 3.5"
        case .bool: example = "true/false, yes/no, t/f or 1/0"
        case .date: example = "a date such as 2024-09-01"
        case .timestamp: example = "a timestamp such as 2024-09-01 08:30:00"
        case .text: example = "text"
        }
        return TallyError(.runtime, "cannot convert text '\(s)' to \(to) with `as \(to)`",
                          hint: "`as \(to)` needs \(example) in every non-null row")
    }

    @inline(__always)
    static func map<T, U>(_ values: [T], _ f: (T) -> U) -> [U] {
        values.withUnsafeBufferPointer { src in
            buildArray(src.count) { dst in for i in 0..<src.count { dst.initializeElement(at: i, to: f(src[i])) } }
        }
    }

    /// Float to int, half to even; NaN, ±inf and out-of-range values in non-null rows are errors.
    /// Oracle: `select cast(2.5::double as bigint), cast(-2.5::double as bigint), cast(3.5::double as bigint)`
    /// → 2, -2, 4; `cast(1e300::double as bigint)` → "value is out of range".
    static func floatsToInts(_ values: [Double], validity: Validity?) throws -> [Int64] {
        var badRow: Int? = nil
        let n = values.count
        let out: [Int64] = withValidBits(validity) { bits in
            values.withUnsafeBufferPointer { src in
                buildArray(n) { dst in
                    for i in 0..<n {
                        let r = src[i].rounded(.toNearestOrEven)
                        // 2^63 is exactly representable; every double below it converts.
                        if r >= -9_223_372_036_854_775_808.0 && r < 9_223_372_036_854_775_808.0 {
                            dst.initializeElement(at: i, to: Int64(r))
                        } else {
                            dst.initializeElement(at: i, to: 0)
                            if badRow == nil, bits?.isValid(i) ?? true { badRow = i }
                        }
                    }
                }
            }
        }
        if let row = badRow {
            throw TallyError(.runtime, "cannot convert float \(formatFloat(values[row])) to int: it is out of the int range",
                             hint: "filter such rows first, or keep the column a float")
        }
        return out
    }

    /// DuckDB's text of a double: the shortest digits that read back, in fixed notation for
    /// exponents -5 < e < 16 and scientific otherwise (`1e+16`, `1e-05`), `nan`, `inf`, `-inf`.
    /// Swift's `description` already prints exactly this (checked: 2.0, 0.1, 1e-05, 1e+16,
    /// 1000000000000000.0, 1.2345678901234568e+17, -0.0, 5e-324).
    package static func formatFloat(_ v: Double) -> String { Column.formatFloat(v) }

    /// `YYYY-MM-DD HH:MM:SS[.fraction]`, fraction without trailing zeros (DuckDB:
    /// `cast(timestamp '2021-03-05 07:08:09.123' as text)` → '2021-03-05 07:08:09.123').
    package static func formatTimestamp(_ micros: Int64) -> String {
        var text = CivilDate.format(micros: micros)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
        }
        return text
    }
}
