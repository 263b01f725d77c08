/// One typed value: a literal in a query, a parameter, or a constant folded from them.
///
/// Only constants are scalars; row values always stay inside typed columns.
public enum Scalar: Sendable, Equatable {
    case null
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case text(String)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01T00:00:00.
    case timestamp(Int64)

    /// The type of a non-null scalar; nil for null (which fits any type).
    public var type: DataType? {
        switch self {
        case .null: return nil
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .text: return .text
        case .date: return .date
        case .timestamp: return .timestamp
        }
    }

    /// A column holding this value `count` times.
    public func column(count: Int, type: DataType) -> Column {
        switch self {
        case .null:
            let validity = Validity(count: count, allValid: false)
            switch type {
            case .int: return Column(.int([Int64](repeating: 0, count: count)), validity: validity)
            case .float: return Column(.float([Double](repeating: 0, count: count)), validity: validity)
            case .bool: return Column(.bool([Bool](repeating: false, count: count)), validity: validity)
            case .date: return Column(.date([Int32](repeating: 0, count: count)), validity: validity)
            case .timestamp: return Column(.timestamp([Int64](repeating: 0, count: count)), validity: validity)
            case .text: return Column(.text(codes: [UInt32](repeating: 0, count: count), dictionary: TextDictionary([])), validity: validity)
            }
        case .int(let v): return Column(.int([Int64](repeating: v, count: count)))
        case .float(let v): return Column(.float([Double](repeating: v, count: count)))
        case .bool(let v): return Column(.bool([Bool](repeating: v, count: count)))
        case .date(let v): return Column(.date([Int32](repeating: v, count: count)))
        case .timestamp(let v): return Column(.timestamp([Int64](repeating: v, count: count)))
        case .text(let s): return Column(.text(codes: [UInt32](repeating: 0, count: count), dictionary: TextDictionary([s])))
        }
    }
}

extension Column {
    /// Row `row` as a scalar (for constant folding and small result inspection, not hot loops).
    public func scalar(at row: Int) -> Scalar {
        if isNull(row) { return .null }
        switch values {
        case .int(let v): return .int(v[row])
        case .float(let v): return .float(v[row])
        case .bool(let v): return .bool(v[row])
        case .date(let v): return .date(v[row])
        case .timestamp(let v): return .timestamp(v[row])
        case .text(let codes, let dictionary): return .text(dictionary[codes[row]])
        }
    }
}
