/// A small table of text cells and its CSV form: UTF-8, a header row, LF line ends, RFC 4180
/// quoting only where a cell needs it. The plan tables are small (at most tens of thousands of
/// rows), so cells are kept as strings; the large benchmark records are written by `RecordsWriter`.
public struct CSVTable: Sendable {
    public let name: String
    public let columns: [String]
    public private(set) var rows: [[String]] = []

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }

    public var fileName: String { name + ".csv" }

    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "\(name): row has \(row.count) cells, header \(columns.count)")
        rows.append(row)
    }

    /// The file's bytes.
    public func csvBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 * (rows.count + 1))
        Self.appendLine(columns, to: &out)
        for row in rows { Self.appendLine(row, to: &out) }
        return out
    }

    static func appendLine(_ cells: [String], to out: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let bytes = cell.utf8
            if bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out.append(0x22)
                for b in bytes {
                    if b == 0x22 { out.append(0x22) }
                    out.append(b)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(0x0A)
    }
}

/// Fixed, locale-free formatting of cells.
public enum Cell {
    /// A number with exactly `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        var scale = 1.0
        var pow10: Int64 = 1
        for _ in 0..<decimals { scale *= 10; pow10 *= 10 }
        let scaled = Int64((x * scale).rounded())
        let negative = scaled < 0
        let magnitude = negative ? -scaled : scaled
        let whole = magnitude / pow10
        var text = (negative ? "-" : "") + String(whole)
        if decimals > 0 {
            let frac = String(magnitude % pow10)
            text += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return text
    }

    /// A rate (fraction 0..1) with 4 decimals.
    public static func rate(_ x: Double) -> String { fixed(x, 4) }

    public static func int(_ x: Int) -> String { String(x) }

    public static func bool(_ x: Bool) -> String { x ? "true" : "false" }

    /// An absent value (null): the empty cell.
    public static let null = ""
}

/// Rounds a rate to the 4 decimals it is written with, so that derived checks see what the file says.
@inline(__always)
func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }

/// Clamps into a closed range.
@inline(__always)
func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double { min(max(x, low), high) }

/// Rounds to the nearest non-negative integer.
@inline(__always)
func wholeCount(_ x: Double) -> Int { x <= 0 ? 0 : Int(x.rounded()) }
