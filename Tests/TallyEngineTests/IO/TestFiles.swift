import Foundation
@testable import TallyEngine

/// Temporary files for reader tests, removed when the test's scratch directory is.
enum TestFiles {
    static let directory: String = {
        let dir = NSTemporaryDirectory() + "tally-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Writes `bytes` to a fresh file named `name` and returns its path.
    static func write(_ name: String, bytes: [UInt8]) -> String {
        let path = directory + "/" + UUID().uuidString + "-" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    static func load(_ text: String, name: String = "t.csv", options: LoadOptions = LoadOptions()) throws -> (Table, LoadReport) {
        try TableReader.read(path: write(name, text), options: options)
    }

    /// Every cell as text ("null" for nulls), row by row: compact to compare in tests.
    static func cells(_ table: Table) -> [[String]] {
        (0..<table.rowCount).map { row in table.columns.map { $0.text(at: row) ?? "null" } }
    }
}
