import Foundation

/// Reads JSON data: an array of objects, or one object per line (NDJSON).
///
/// Column order is the order keys first appear; a key missing from an object is null there. Types
/// follow the values: numbers that are all integers make an int column, any fraction a float
/// column, strings a text column (dates in `YYYY-MM-DD` become dates), and a column mixing kinds
/// becomes text. Plan datasets and exports are small, so this reader favours clarity over speed.
enum JSONReader {
    /// A JSON value, decoded so that booleans and integers stay distinct from floats.
    enum Value: Decodable {
        /// `bigInteger` is an integer beyond 64 bits, kept as its digits: a float would round it.
        case null, bool(Bool), int(Int64), float(Double), string(String), nested(String), bigInteger(String)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let b = try? container.decode(Bool.self) { self = .bool(b) }
            else if let i = try? container.decode(Int64.self) { self = .int(i) }
            else if let d = try? container.decode(Double.self) {
                // Decimal reads the number's digits exactly (up to 38 of them).
                if d.isFinite, d == d.rounded(), d.magnitude >= 0x1p63, let exact = try? container.decode(Decimal.self) {
                    self = .bigInteger(exact.description)
                } else {
                    self = .float(d)
                }
            }
            else if let s = try? container.decode(String.self) { self = .string(s) }
            else { self = .nested("…") }
        }
    }

    struct Object: Decodable {
        var pairs: [(String, Value)] = []

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            // `allKeys` order is not the document's, so keys are re-ordered by their position below.
            for key in container.allKeys {
                pairs.append((key.stringValue, try container.decode(Value.self, forKey: key)))
            }
        }
    }

    static func read(_ file: MappedFile, cancel: CancellationCheck) throws -> (Table, LoadReport) {
        var bytes = Array(file.bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw TallyError(.load, "`\(file.path)` is empty", hint: "a JSON file needs an array of objects")
        }
        let firstByte = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        let decoder = JSONDecoder()
        if firstByte == UInt8(ascii: "{"), let shaped = try? decoder.decode(ColumnsAndData.self, from: Data(bytes)) {
            return try shaped.table(path: file.path)
        }
        var objects: [Object] = []
        var keyOrder: [String: (Int, Int)] = [:]  // key → (first object, offset in it)
        if firstByte == UInt8(ascii: "[") {
            do {
                objects = try decoder.decode([Object].self, from: Data(bytes))
            } catch {
                throw TallyError(.load, "`\(file.path)` is not a JSON array of objects: \(describe(error))",
                                 hint: "expected `[{\"column\": value, ...}, ...]` or one object per line", file: file.path)
            }
            recordKeyOrder(bytes: bytes[...], objects: objects, into: &keyOrder)
        } else {
            var lineNumber = 0
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                do {
                    let object = try decoder.decode(Object.self, from: Data(line))
                    objects.append(object)
                    recordKeyOrder(bytes: line, objects: [object], base: objects.count - 1, into: &keyOrder)
                } catch {
                    throw TallyError(.load, "line \(lineNumber): not a JSON object: \(describe(error))",
                                     hint: "NDJSON files hold one `{...}` object per line", file: file.path, line: lineNumber)
                }
                if lineNumber & 0xFFF == 0 { try cancel.checkpoint() }
            }
        }
        let names = keyOrder.sorted { $0.value.0 != $1.value.0 ? $0.value.0 < $1.value.0 : $0.value.1 < $1.value.1 }.map(\.key)
        var columns: [Column] = []
        var report = LoadReport()
        for name in names {
            let values = objects.map { object in object.pairs.first { $0.0 == name }?.1 ?? .null }
            let (column, fallback) = makeColumn(values)
            if let fallback { report.textFallbacks.append(.init(column: name, reason: fallback)) }
            columns.append(column)
        }
        report.rows = objects.count
        report.header = true
        return (try Table(names: names, columns: columns), report)
    }

    /// The other shape PRQL's `from_text format:json` takes (pandas' "split" orientation):
    /// `{"columns": ["a", "b"], "data": [[1, "x"], [2, null]]}`; a short row is null at its end.
    struct ColumnsAndData: Decodable {
        var columns: [String]
        var data: [[Value]]

        func table(path: String) throws -> (Table, LoadReport) {
            for (index, row) in data.enumerated() where row.count > columns.count {
                throw TallyError(.load, "row \(index + 1) of `data` has \(row.count) values for \(columns.count) columns",
                                 hint: "each row of `data` lists one value per name in `columns`", file: path)
            }
            var report = LoadReport()
            var built: [Column] = []
            for (c, name) in columns.enumerated() {
                let (column, fallback) = JSONReader.makeColumn(data.map { c < $0.count ? $0[c] : .null })
                if let fallback { report.textFallbacks.append(.init(column: name, reason: fallback)) }
                built.append(column)
            }
            report.rows = data.count
            report.header = true
            return (try Table(names: columns, columns: built), report)
        }
    }

    /// Orders keys by where they appear in the text of each object (JSONDecoder does not keep order).
    private static func recordKeyOrder(bytes: ArraySlice<UInt8>, objects: [Object], base: Int = 0,
                                       into order: inout [String: (Int, Int)]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for (index, object) in objects.enumerated() {
            for (key, _) in object.pairs where order[key] == nil {
                let position = text.range(of: "\"\(key)\"").map { text.distance(from: text.startIndex, to: $0.lowerBound) } ?? Int.max
                order[key] = (base + index, position)
            }
        }
    }

    static func makeColumn(_ values: [Value]) -> (Column, String?) {
        var sawInt = false, sawFloat = false, sawBool = false, sawString = false, sawNested = false
        var sawBigInteger = false, sawUnroundable = false
        for value in values {
            switch value {
            case .null: break
            case .bool: sawBool = true
            case .int(let i):
                sawInt = true
                if FieldParsing.exceedsDoublePrecision(i) { sawUnroundable = true }
            case .float: sawFloat = true
            case .string: sawString = true
            case .nested: sawNested = true
            case .bigInteger: sawBigInteger = true
            }
        }
        let kinds = [sawInt || sawFloat || sawBigInteger, sawBool, sawString, sawNested].filter { $0 }.count
        if kinds == 0 { return (Column(texts: values.map { _ in nil }), nil) }
        if kinds > 1 || sawNested {
            return (Column(texts: values.map(text)), sawNested ? "holds nested arrays or objects" : "mixes kinds of values")
        }
        if sawBigInteger || (sawFloat && sawUnroundable) {
            return (Column(texts: values.map(text)),
                    "holds integers a 64-bit number or a float cannot keep exactly, kept as written")
        }
        if sawBool { return (Column(bools: values.map { if case .bool(let b) = $0 { return b } else { return nil } }), nil) }
        if sawFloat {
            return (Column(floats: values.map {
                switch $0 { case .int(let i): return Double(i); case .float(let d): return d; default: return nil }
            }), nil)
        }
        if sawInt { return (Column(ints: values.map { if case .int(let i) = $0 { return i } else { return nil } }), nil) }
        let strings: [String?] = values.map { if case .string(let s) = $0 { return s } else { return nil } }
        let dates: [Int32?] = strings.map { s in
            guard let s else { return nil }
            var bytes = Array(s.utf8)
            return bytes.withUnsafeMutableBufferPointer { b in b.baseAddress.flatMap { FieldParsing.parseDate($0, b.count) } }
        }
        if zip(strings, dates).allSatisfy({ ($0 == nil) == ($1 == nil) }) { return (Column(dates: dates), nil) }
        return (Column(texts: strings), nil)
    }

    private static func text(_ value: Value) -> String? {
        switch value {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return Column.formatFloat(d)
        case .string(let s): return s
        case .nested(let s): return s
        case .bigInteger(let s): return s
        }
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        }
        if case DecodingError.typeMismatch(_, let context) = error { return context.debugDescription }
        return "\(error)"
    }
}
