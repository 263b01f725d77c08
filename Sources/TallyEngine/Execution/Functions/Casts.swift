/// `x | as TYPE`: conversions between types, as DuckDB's CAST does them; a value that cannot be
/// converted is an error naming it.
public enum Casts {
    public static func cast(_ v: Vector, to type: DataType, rowCount: Int) throws -> Vector {
        if v.type == type { return v }
        if case .constant(let s, let t) = v {
            let one = try cast(.column(s.column(count: 1, type: t)), to: type, rowCount: 1).materialize(count: 1)
            return .constant(one.scalar(at: 0), type)
        }
        let c = v.materialize(count: rowCount)
        switch (c.values, type) {
        case (.int(let x), .float): return .column(Column(.float(x.map { Double($0) }), validity: c.validity))
        case (.float(let x), .int):
            var out = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count where !c.isNull(i) {
                let r = x[i].rounded(.toNearestOrEven)
                guard let value = Int64(exactly: r) else {
                    throw TallyError(.runtime, "cannot convert \(Column.formatFloat(x[i])) to int: out of range")
                }
                out[i] = value
            }
            return .column(Column(.int(out), validity: c.validity))
        case (.bool(let x), .int): return .column(Column(.int(x.map { $0 ? 1 : 0 }), validity: c.validity))
        case (.int(let x), .bool): return .column(Column(.bool(x.map { $0 != 0 }), validity: c.validity))
        case (.date(let x), .timestamp): return .column(Column(.timestamp(x.map { Int64($0) * 86_400_000_000 }), validity: c.validity))
        case (.timestamp(let x), .date):
            return .column(Column(.date(x.map { Int32(clamping: ($0 >= 0 ? $0 : $0 - 86_399_999_999) / 86_400_000_000) }), validity: c.validity))
        case (_, .text):
            var builder = TextDictionaryBuilder()
            var codes = [UInt32](repeating: 0, count: c.count)
            for i in 0..<c.count { if let s = c.text(at: i) { codes[i] = builder.code(for: s) } }
            return .column(Column(.text(codes: codes, dictionary: builder.build()), validity: c.validity))
        case (.text(let codes, let dictionary), _):
            // Parse each distinct string once.
            var parsed: [Scalar] = []
            for s in dictionary.strings {
                var bytes = Array(s.utf8)
                let value: Scalar? = bytes.withUnsafeMutableBufferPointer { b -> Scalar? in
                    guard let p = b.baseAddress else { return nil }
                    switch type {
                    case .int: if case .value(let i) = FieldParsing.parseInt(p, b.count) { return .int(i) }; return nil
                    case .float: return FieldParsing.parseDouble(p, b.count).map { .float($0) }
                    case .bool: return FieldParsing.parseBool(p, b.count).map { .bool($0) }
                    case .date: return FieldParsing.parseDate(p, b.count).map { .date($0) }
                    case .timestamp:
                        return (FieldParsing.parseTimestamp(p, b.count) ?? FieldParsing.parseDate(p, b.count).map { Int64($0) * 86_400_000_000 })
                            .map { .timestamp($0) }
                    case .text: return .text(s)
                    }
                }
                parsed.append(value ?? .null)
            }
            for i in 0..<c.count where !c.isNull(i) {
                if case .null = parsed[Int(codes[i])] {
                    throw TallyError(.runtime, "cannot convert `\(dictionary[codes[i]])` to \(type)",
                                     hint: "filter such rows first, or use `??` after a safe conversion")
                }
            }
            guard !parsed.isEmpty else { return .constant(.null, type) }
            let distinct = Column.concat(parsed.map { $0.column(count: 1, type: type) }, type: type)
            return .column(distinct.gather(codes.map { Int($0) }).withValidity(c.validity))
        default:
            throw TallyError(.type, "cannot convert \(c.type) to \(type)")
        }
    }
}

extension Column {
    /// The same values with nulls also where `other` has them.
    func withValidity(_ other: Validity?) -> Column {
        Column(values, validity: Validity.and(validity, other))
    }
}
