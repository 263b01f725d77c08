/// The shape of a delimited file, guessed from its first records unless the user said otherwise.
struct CSVDialect {
    var delimiter: UInt8
    var header: Bool

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// A field as found in the sample: byte range in the file, and whether it was quoted.
    struct SampleField {
        var start: Int
        var end: Int
        var quoted: Bool
        var escaped: Bool
    }

    /// Splits up to `limit` records starting at `offset`, RFC 4180 style; blank lines are skipped.
    /// Returns the records and the offset after the last one read. Stops early at an unterminated quote.
    static func sampleRecords(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int, delimiter: UInt8,
                              limit: Int) -> (records: [[SampleField]], end: Int) {
        var records: [[SampleField]] = []
        var i = offset
        let n = bytes.count
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while i < n && records.count < limit {
            if bytes[i] == lf { i += 1; continue }
            if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 2; continue }
            var fields: [SampleField] = []
            while true {
                if i < n, bytes[i] == quote {
                    var j = i + 1
                    var escaped = false
                    while true {
                        while j < n && bytes[j] != quote { j += 1 }
                        if j >= n { return (records, n) }  // unterminated: the full parse reports it
                        if j + 1 < n && bytes[j + 1] == quote { escaped = true; j += 2; continue }
                        break
                    }
                    fields.append(SampleField(start: i + 1, end: j, quoted: true, escaped: escaped))
                    i = j + 1
                    while i < n && bytes[i] != delimiter && bytes[i] != lf { i += 1 }
                } else {
                    var j = i
                    while j < n && bytes[j] != delimiter && bytes[j] != lf { j += 1 }
                    var end = j
                    if end > i && j < n && bytes[j] == lf && bytes[end - 1] == cr { end -= 1 }
                    if j == n, end > i, bytes[end - 1] == cr { end -= 1 }
                    fields.append(SampleField(start: i, end: end, quoted: false, escaped: false))
                    i = j
                }
                if i < n && bytes[i] == delimiter { i += 1; continue }
                i += 1
                break
            }
            records.append(fields)
        }
        return (records, min(i, n))
    }

    /// The candidate delimiter that splits the first records into the same number (> 1) of fields;
    /// among those the one giving most fields. A file with one column falls back to `,`.
    static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int) -> UInt8 {
        var best: (delimiter: UInt8, fields: Int, consistent: Bool)?
        for candidate in candidates {
            let (records, _) = sampleRecords(bytes, from: offset, delimiter: candidate, limit: 20)
            guard let first = records.first, first.count > 1 else { continue }
            let consistent = records.allSatisfy { $0.count == first.count }
            if let b = best {
                if (consistent && !b.consistent) || (consistent == b.consistent && first.count > b.fields) {
                    best = (candidate, first.count, consistent)
                }
            } else {
                best = (candidate, first.count, consistent)
            }
        }
        return best?.delimiter ?? UInt8(ascii: ",")
    }

    /// Decides whether the first record is a header. It is not when every one of its cells reads as a
    /// value of its column's type, and at least one column has a type other than text (as in a file
    /// of numbers). An all-text file keeps its first row as names, as DuckDB does.
    /// An empty first-row cell fits any type (it would be a null).
    static func sniffHeader(first: [ValueKinds?], rest: [ValueKinds]) -> Bool {
        var anyTyped = false
        for (column, cell) in first.enumerated() {
            guard let firstKinds = cell else { continue }
            let restKinds = column < rest.count ? rest[column] : .all
            let type = restKinds.preferredType
            if type == .text { continue }
            anyTyped = true
            if !firstKinds.contains(restKinds.preferredKind) { return true }
        }
        return !anyTyped
    }
}

/// The types a field's text can be read as. The intersection over a column's values decides its type.
struct ValueKinds: OptionSet, Sendable {
    let rawValue: UInt8
    static let bool = ValueKinds(rawValue: 1)
    static let int = ValueKinds(rawValue: 2)
    static let date = ValueKinds(rawValue: 4)
    static let timestamp = ValueKinds(rawValue: 8)
    static let float = ValueKinds(rawValue: 16)
    static let all: ValueKinds = [.bool, .int, .date, .timestamp, .float]

    /// Narrowest type holding every value: bool, int, date, timestamp, float, else text.
    var preferredType: DataType {
        if contains(.bool) { return .bool }
        if contains(.int) { return .int }
        if contains(.date) { return .date }
        if contains(.timestamp) { return .timestamp }
        if contains(.float) { return .float }
        return .text
    }

    var preferredKind: ValueKinds { ValueKinds.exactly(preferredType) }

    /// The kinds that make `type` a column's type.
    static func exactly(_ type: DataType) -> ValueKinds {
        switch type {
        case .bool: return .bool
        case .int: return .int
        case .date: return .date
        case .timestamp: return .timestamp
        case .float: return .float
        case .text: return []
        }
    }

    /// All the kinds the bytes can be read as.
    static func of(_ p: UnsafePointer<UInt8>, _ n: Int) -> ValueKinds {
        var kinds: ValueKinds = []
        // A number's form would change the text (`08123` → 8123): such a value is text only.
        if FieldParsing.textReason(p, n) != nil { return [] }
        switch FieldParsing.parseInt(p, n) {
        case .value(let v):
            // Beyond ±2^53 a float would round it: an int, but not a float.
            kinds.formUnion(FieldParsing.exceedsDoublePrecision(v) ? [.int] : [.int, .float])
        case .overflow: return []
        case .invalid:
            if FieldParsing.parseDouble(p, n) != nil { kinds.insert(.float) }
        }
        if kinds.isEmpty {
            if FieldParsing.parseBool(p, n) != nil { kinds.insert(.bool) }
            else if FieldParsing.parseDate(p, n) != nil { kinds.formUnion([.date, .timestamp]) }
            else if FieldParsing.parseTimestamp(p, n) != nil { kinds.insert(.timestamp) }
        }
        return kinds
    }
}
