/// Stacking columns of one type end to end (per-group results, `append`).
extension Column {
    static func concat(_ parts: [Column], type: DataType) -> Column {
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: Validity?
        if parts.contains(where: { $0.validity != nil }) {
            var v = Validity(count: total, allValid: true)
            var at = 0
            for part in parts {
                for i in 0..<part.count where part.isNull(i) { v.clear(at + i) }
                at += part.count
            }
            validity = v
        }
        switch type {
        case .int: return Column(.int(parts.flatMap { $0.int64Values }), validity: validity)
        case .float: return Column(.float(parts.flatMap { $0.doubleValues }), validity: validity)
        case .timestamp: return Column(.timestamp(parts.flatMap { $0.timestampValues }), validity: validity)
        case .bool:
            return Column(.bool(parts.flatMap { if case .bool(let v) = $0.values { return v }; return [Bool](repeating: false, count: $0.count) }),
                          validity: validity)
        case .date:
            return Column(.date(parts.flatMap { if case .date(let v) = $0.values { return v }; return [Int32](repeating: 0, count: $0.count) }),
                          validity: validity)
        case .text:
            let (codes, dictionary) = unifyText(parts)
            return Column(.text(codes: codes.flatMap { $0 }, dictionary: dictionary), validity: validity)
        }
    }
}
