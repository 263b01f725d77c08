/// The typed values of a column, one contiguous buffer per type.
///
/// The enum is switched on once per column (or per chunk), never per row: operators pattern-match
/// to get at the typed array and then loop over it.
public enum ColumnValues: Sendable {
    case int([Int64])
    case float([Double])
    case bool([Bool])
    /// Days since 1970-01-01.
    case date([Int32])
    /// Microseconds since 1970-01-01T00:00:00.
    case timestamp([Int64])
    /// Codes into `dictionary`; a null row's code is 0 and meaningless.
    case text(codes: [UInt32], dictionary: TextDictionary)

    public var type: DataType {
        switch self {
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .date: return .date
        case .timestamp: return .timestamp
        case .text: return .text
        }
    }

    public var count: Int {
        switch self {
        case .int(let v): return v.count
        case .float(let v): return v.count
        case .bool(let v): return v.count
        case .date(let v): return v.count
        case .timestamp(let v): return v.count
        case .text(let codes, _): return codes.count
        }
    }
}

/// A column: typed values plus an optional validity bitmap (nil when the column has no nulls).
public struct Column: Sendable {
    public let values: ColumnValues
    public let validity: Validity?

    public init(_ values: ColumnValues, validity: Validity? = nil) {
        precondition(validity == nil || validity?.count == values.count, "validity length mismatch")
        self.values = values
        // A bitmap without nulls is dropped so that `validity == nil` always means "no nulls".
        if let validity, validity.nullCount > 0 { self.validity = validity } else { self.validity = nil }
    }

    public var type: DataType { values.type }
    public var count: Int { values.count }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity.isValid(row)
    }

    public var nullCount: Int { validity?.nullCount ?? 0 }

    /// A text column with rows but not one value: what a `null` literal or an empty CSV column
    /// makes. Queries give it the null type, which takes the type of what it meets.
    public var isNullTyped: Bool {
        guard type == .text, count > 0, let validity else { return false }
        return validity.words.allSatisfy { $0 == 0 }
    }
}

// MARK: - Convenience constructors for code that builds tables by hand (tests, embedding).

extension Column {
    public init(ints: [Int64?]) {
        self.init(.int(ints.map { $0 ?? 0 }), validity: Validity(ints.map { $0 != nil }))
    }

    public init(floats: [Double?]) {
        self.init(.float(floats.map { $0 ?? 0 }), validity: Validity(floats.map { $0 != nil }))
    }

    public init(bools: [Bool?]) {
        self.init(.bool(bools.map { $0 ?? false }), validity: Validity(bools.map { $0 != nil }))
    }

    /// Dates as day numbers since 1970-01-01.
    public init(dates: [Int32?]) {
        self.init(.date(dates.map { $0 ?? 0 }), validity: Validity(dates.map { $0 != nil }))
    }

    public init(texts: [String?]) {
        var builder = TextDictionaryBuilder()
        var codes = [UInt32]()
        codes.reserveCapacity(texts.count)
        for text in texts { codes.append(text.map { builder.code(for: $0) } ?? 0) }
        self.init(.text(codes: codes, dictionary: builder.build()), validity: Validity(texts.map { $0 != nil }))
    }
}
