/// The unique strings of a text column. Rows hold `UInt32` codes into `strings`, so grouping,
/// joining and comparing equal texts work on integers, and each distinct string is stored once.
public final class TextDictionary: Sendable {
    public let strings: [String]

    public init(_ strings: [String]) {
        self.strings = strings
    }

    public var count: Int { strings.count }

    @inline(__always)
    public subscript(code: UInt32) -> String { strings[Int(code)] }
}

/// Builds a dictionary one value at a time (readers, operators that make new text).
public struct TextDictionaryBuilder {
    public private(set) var strings: [String] = []
    private var codes: [String: UInt32] = [:]

    public init() {}

    public mutating func code(for string: String) -> UInt32 {
        if let code = codes[string] { return code }
        let code = UInt32(truncatingIfNeeded: strings.count)
        strings.append(string)
        codes[string] = code
        return code
    }

    public func build() -> TextDictionary { TextDictionary(strings) }
}
