/// Building a column row by row from several source columns of one type (`case`, `??`, `append`).
extension Column {
    /// Row `i` of the result is row `i` of `columns[choices[i]]`, or null where `choices[i] < 0`.
    /// Text columns are brought onto one dictionary first.
    static func choose(_ choices: [Int32], from columns: [Column], type: DataType) -> Column {
        let count = choices.count
        var validity = Validity(count: count, allValid: true)
        for i in 0..<count {
            let c = Int(choices[i])
            if c < 0 || columns[c].isNull(i) { validity.clear(i) }
        }
        func pick<T>(_ arrays: [[T]], _ zero: T) -> [T] {
            var out = [T](repeating: zero, count: count)
            for i in 0..<count where choices[i] >= 0 { out[i] = arrays[Int(choices[i])][i] }
            return out
        }
        switch type {
        case .int: return Column(.int(pick(columns.map { $0.int64Values }, 0)), validity: validity)
        case .float: return Column(.float(pick(columns.map { $0.doubleValues }, 0)), validity: validity)
        case .bool:
            return Column(.bool(pick(columns.map { if case .bool(let v) = $0.values { return v }; return [Bool](repeating: false, count: count) }, false)),
                          validity: validity)
        case .date:
            return Column(.date(pick(columns.map { if case .date(let v) = $0.values { return v }; return [Int32](repeating: 0, count: count) }, 0)),
                          validity: validity)
        case .timestamp:
            return Column(.timestamp(pick(columns.map { $0.timestampValues }, 0)), validity: validity)
        case .text:
            let (codes, dictionary) = Column.unifyText(columns)
            return Column(.text(codes: pick(codes, 0), dictionary: dictionary), validity: validity)
        }
    }

    /// The codes of several text columns re-expressed against one shared dictionary.
    static func unifyText(_ columns: [Column]) -> ([[UInt32]], TextDictionary) {
        var first: TextDictionary?
        var allSame = true
        for column in columns {
            guard case .text(_, let d) = column.values else { continue }
            if let f = first { if f !== d { allSame = false } } else { first = d }
        }
        if allSame, let dictionary = first {
            return (columns.map { if case .text(let codes, _) = $0.values { return codes }; return [UInt32](repeating: 0, count: $0.count) }, dictionary)
        }
        var builder = TextDictionaryBuilder()
        var result: [[UInt32]] = []
        for column in columns {
            guard case .text(let codes, let dictionary) = column.values else {
                result.append([UInt32](repeating: 0, count: column.count))
                continue
            }
            let remap = dictionary.strings.map { builder.code(for: $0) }
            result.append(codes.map { Int($0) < remap.count ? remap[Int($0)] : 0 })
        }
        return (result, builder.build())
    }

    /// The values as Int64 (ints, or dates widened); zeros for other types.
    var int64Values: [Int64] {
        switch values {
        case .int(let v): return v
        case .date(let v): return v.map { Int64($0) }
        case .timestamp(let v): return v
        case .bool(let v): return v.map { $0 ? 1 : 0 }
        default: return [Int64](repeating: 0, count: count)
        }
    }

    /// The values as Double (ints converted).
    var doubleValues: [Double] {
        switch values {
        case .float(let v): return v
        case .int(let v): return v.map { Double($0) }
        default: return [Double](repeating: 0, count: count)
        }
    }

    /// Timestamps, with dates converted to their midnight.
    var timestampValues: [Int64] {
        switch values {
        case .timestamp(let v): return v
        case .date(let v): return v.map { Int64($0) * 86_400_000_000 }
        default: return [Int64](repeating: 0, count: count)
        }
    }
}

extension Validity {
    /// Rows valid in both (nil means all valid).
    static func and(_ a: Validity?, _ b: Validity?) -> Validity? {
        guard let a else { return b }
        guard let b else { return a }
        var out = a
        out.formIntersection(b)
        return out
    }

    mutating func formIntersection(_ other: Validity) {
        let otherWords = other.words
        withWords { words in
            for i in 0..<min(words.count, otherWords.count) { words[i] &= otherWords[i] }
        }
    }
}
