import Foundation
import Testing
@testable import TallyEngine

/// The binary COPY stream decoded into columns, from bytes written here by hand in PostgreSQL's
/// send formats, so the decoder is checked without a server: nulls before and after values, empty
/// and repeated texts, a column of only nulls, rows split across messages, and bad values.
@Suite("Binary COPY decoder")
struct BinaryCopyDecoderTests {
    /// A COPY stream writer: the header, rows of fields (nil for null), the trailer.
    struct Stream {
        var bytes: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]

        mutating func row(_ fields: [[UInt8]?]) {
            bytes += be(UInt16(fields.count))
            for field in fields {
                guard let field else { bytes += [0xFF, 0xFF, 0xFF, 0xFF]; continue }
                bytes += be(UInt32(field.count)) + field
            }
        }

        mutating func end() { bytes += [0xFF, 0xFF] }

        func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    }

    static func int8(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    static func float8(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
    static func date(_ daysSince2000: Int32) -> [UInt8] { withUnsafeBytes(of: daysSince2000.bigEndian) { Array($0) } }
    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func valuesAndNullsLandInTypedColumns() throws {
        var stream = Stream()
        stream.row([Self.int8(7), Self.float8(1.5), Self.text("南宁"), [1], Self.date(0), nil])
        stream.row([nil, Self.float8(-2), Self.text(""), [0], nil, nil])
        stream.row([Self.int8(-3), nil, Self.text("南宁"), nil, Self.date(-10_957), nil])
        stream.row([Self.int8(Int64.max), Self.float8(.infinity), nil, [1], Self.date(366), nil])
        stream.end()
        var decoder = BinaryCopyDecoder(types: [.int, .float, .text, .bool, .date, .text])
        // Fed in pieces of 5 bytes: every row is split across messages somewhere.
        try stream.bytes.withUnsafeBytes { all in
            var at = 0
            while at < all.count {
                let end = min(at + 5, all.count)
                try decoder.consume(UnsafeRawBufferPointer(rebasing: all[at..<end]))
                at = end
            }
        }
        let table = try decoder.table(names: ["i", "f", "t", "b", "d", "none"])
        #expect(table.rowCount == 4)
        #expect((0..<4).map { table[$0, "i"] } == [.int(7), .null, .int(-3), .int(Int64.max)])
        #expect((0..<4).map { table[$0, "f"] } == [.float(1.5), .float(-2), .null, .float(.infinity)])
        #expect((0..<4).map { table[$0, "t"] } == [.text("南宁"), .text(""), .text("南宁"), .null])
        #expect((0..<4).map { table[$0, "b"] } == [.bool(true), .bool(false), .null, .bool(true)])
        // Days from 2000-01-01 become days from 1970-01-01.
        #expect((0..<4).map { table[$0, "d"] } == [.date(10_957), .null, .date(0), .date(10_957 + 366)])
        #expect((0..<4).map { table[$0, "none"] } == [.null, .null, .null, .null])
        // The texts are interned: two distinct values.
        guard case .text(_, let dictionary) = table.columns[2].values else { Issue.record("not text"); return }
        #expect(dictionary.count == 2)
    }

    @Test func badValuesAreErrorsNamingTheRow() throws {
        var stream = Stream()
        stream.row([Self.int8(1)])
        stream.row([[0, 0, 0, 1]])
        var decoder = BinaryCopyDecoder(types: [.int])
        let short = #expect(throws: TallyError.self) {
            try stream.bytes.withUnsafeBytes { try decoder.consume($0) }
        }
        #expect(short?.message == "the database sent a 4-byte value for a column of type int (row 2)")

        var infinite = Stream()
        infinite.row([Self.date(Int32.max)])
        var dates = BinaryCopyDecoder(types: [.date])
        let error = #expect(throws: TallyError.self) {
            try infinite.bytes.withUnsafeBytes { try dates.consume($0) }
        }
        #expect(error?.message == "the database sent an infinite date (row 1), which Tally cannot hold")

        var wide = Stream()
        wide.row([Self.int8(1), Self.int8(2)])
        var narrow = BinaryCopyDecoder(types: [.int])
        let columns = #expect(throws: TallyError.self) {
            try wide.bytes.withUnsafeBytes { try narrow.consume($0) }
        }
        #expect(columns?.message == "the database sent rows of 2 columns where 1 were expected")
    }
}
