/// The logical type of a column. Every column is nullable; nulls live in its validity bitmap.
public enum DataType: String, Sendable, CaseIterable, CustomStringConvertible {
    case int        // 64-bit signed integer
    case float      // 64-bit IEEE double
    case bool
    case date       // days since 1970-01-01 (Int32)
    case timestamp  // microseconds since 1970-01-01T00:00:00 (Int64), no time zone
    case text       // UTF-8, dictionary-encoded

    public var description: String { rawValue }

    /// Whether values of this type are numbers (they are right-aligned and summable).
    public var isNumeric: Bool { self == .int || self == .float }
}

extension DataType {
    /// Bytes a value of this type takes in a column buffer (text: its dictionary code).
    var byteWidth: Int {
        switch self {
        case .int, .float, .timestamp: 8
        case .date, .text: 4
        case .bool: 1
        }
    }
}
