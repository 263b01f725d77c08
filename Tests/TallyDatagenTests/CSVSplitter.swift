import Foundation
import Testing
@testable import TallyDatagen

/// A tiny RFC 4180 reader for the tests: quoted fields, doubled quotes, LF line ends.
struct ParsedTable: Sendable {
    let name: String
    let header: [String]
    let rows: [[String]]

    init(name: String, bytes: [UInt8]) {
        self.name = name
        var records = CSVSplitter.split(String(decoding: bytes, as: UTF8.self))
        header = records.isEmpty ? [] : records.removeFirst()
        rows = records
    }

    func column(_ name: String) -> Int {
        guard let i = header.firstIndex(of: name) else {
            Issue.record("\(self.name) has no column \(name)")
            return 0
        }
        return i
    }

    func ints(_ name: String) -> [Int] {
        let i = column(name)
        return rows.map { Int($0[i]) ?? Int.min }
    }

    func doubles(_ name: String) -> [Double?] {
        let i = column(name)
        return rows.map { $0[i].isEmpty ? nil : Double($0[i]) }
    }

    func texts(_ name: String) -> [String] {
        let i = column(name)
        return rows.map { $0[i] }
    }

    /// Rows as dictionaries keyed by column name (for readable checks on small tables).
    func records() -> [[String: String]] {
        rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}

enum CSVSplitter {
    static func split(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\n" {
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}

/// The generated plan tables, parsed once for all tests.
let generated: [String: ParsedTable] = {
    var result: [String: ParsedTable] = [:]
    for table in DatasetGenerator().tables() {
        result[table.name] = ParsedTable(name: table.name, bytes: table.csvBytes())
    }
    return result
}()

func table(_ name: String) -> ParsedTable {
    generated[name] ?? ParsedTable(name: name, bytes: [])
}

/// The package root (Tests/TallyDatagenTests/ is two levels below it).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
