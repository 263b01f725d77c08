/// Line and column of a byte offset, for messages such as "the `(` at 1:12".
///
/// Columns count characters (not bytes), so `县名(` puts the `(` at column 3, as a user would count.
struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(offset: Int, in bytes: [UInt8]) {
        let offset = min(max(0, offset), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        self.line = line
        self.column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
    }

    var description: String { "\(line):\(column)" }
}
