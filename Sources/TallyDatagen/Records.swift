import Foundation

/// The large benchmark table `student_aid_records`: one synthetic row per payment.
///
/// Columns: year, county_code, school_id, level, programme, student_id, amount. Amounts are yuan
/// with exactly 2 decimals (most are whole yuan; a share of term payments is prorated by the days a
/// pupil attended, and graded grants give .50 amounts). The mix of years, counties, levels and
/// programmes follows the recipients of the `student_aid` table (payments per term; a loan once a
/// year), the per-payment amounts follow the same standards; the rows are a random sample of that
/// mix, so their totals are not those of `student_aid`.
///
/// Written through a 4 MiB byte buffer with hand-made integer formatting: no `String` per field.
public struct RecordsWriter: Sendable {
    /// The default seed of the records (the plan datasets' own seed is `defaultSeed`).
    public static let defaultSeed: UInt64 = 0x5245_434F_5244_5331

    public static let columns = ["year", "county_code", "school_id", "level", "programme", "student_id", "amount"]

    public let rows: Int
    public let seed: UInt64
    private let model: Model

    public init(rows: Int, seed: UInt64 = RecordsWriter.defaultSeed, worldSeed: UInt64 = TallyDatagen.defaultSeed) {
        self.rows = max(0, rows)
        self.seed = seed
        self.model = Model(world: World(seed: worldSeed))
    }

    /// All the bytes in memory (for tests and small N).
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        generate { chunk in out.append(contentsOf: chunk) }
        return out
    }

    /// Writes the CSV to a file, through a temporary file renamed into place; a device or pipe
    /// (`-o /dev/null`) is written to directly, since a rename would put a plain file in its place.
    public func write(toFile path: String) throws {
        let url = URL(fileURLWithPath: path)
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            try stream(to: try FileHandle(forWritingTo: url))
            return
        }
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            let folder = url.deletingLastPathComponent().path
            let code: CocoaError.Code = FileManager.default.fileExists(atPath: folder) ? .fileWriteNoPermission : .fileNoSuchFile
            throw CocoaError(code, userInfo: [NSFilePathErrorKey: folder])
        }
        do {
            try stream(to: try FileHandle(forWritingTo: temp))
            // rename(2) replaces an existing file atomically (FileManager's replaceItemAt does not
            // work on every platform).
            guard rename(temp.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// Writes the CSV through `handle` chunk by chunk, then closes it; the first failed write ends it.
    private func stream(to handle: FileHandle) throws {
        var failure: Error?
        generate { chunk in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: chunk) } catch { failure = error }
        }
        try handle.close()
        if let failure { throw failure }
    }

    /// Writes the CSV to standard output.
    public func writeToStandardOutput() throws {
        var failure: Error?
        generate { chunk in
            guard failure == nil else { return }
            do { try FileHandle.standardOutput.write(contentsOf: chunk) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Produces the file in chunks of at most 4 MiB, handed to `sink` as `Data` that does not own
    /// its bytes (valid only during the call).
    public func generate(_ sink: (Data) -> Void) {
        let capacity = 1 << 22
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var pos = 0
        func flush() {
            if pos > 0 { sink(Data(bytesNoCopy: buffer, count: pos, deallocator: .none)) }
            pos = 0
        }
        let header = Array((RecordsWriter.columns.joined(separator: ",") + "\n").utf8)
        for b in header { buffer[pos] = b; pos += 1 }

        var rng = Rng(seed: seed, stream: "student_aid_records")
        let perYear = apportion(total: rows, weights: model.yearWeights, caps: Array(repeating: rows, count: Years.count))
        let levelBytes = AidLevel.allCases.map { Array($0.zh.utf8) }
        let programmeBytes = AidProgramme.allCases.map { Array($0.zh.utf8) }
        for t in 0..<Years.count {
            let table = model.alias[t]
            let combos = model.combos[t]
            let yearDigits = Array(String(Years.all[t]).utf8)
            for _ in 0..<perYear[t] {
                if pos > capacity - 512 { flush() }
                // Vose's alias method: one column, one coin.
                let column = Int(rng.below(UInt64(table.count)))
                let c = combos[(rng.next() >> 11) < table.threshold[column] ? column : table.alias[column]]
                for b in yearDigits { buffer[pos] = b; pos += 1 }
                buffer[pos] = 0x2C; pos += 1
                pos = put(c.countyCode, buffer, pos)
                buffer[pos] = 0x2C; pos += 1
                let school = c.schools > 0 ? c.schoolBase + 1 + Int(rng.below(UInt64(c.schools))) : c.schoolBase
                pos = put(school, buffer, pos)
                buffer[pos] = 0x2C; pos += 1
                for b in levelBytes[c.level] { buffer[pos] = b; pos += 1 }
                buffer[pos] = 0x2C; pos += 1
                for b in programmeBytes[c.programme] { buffer[pos] = b; pos += 1 }
                buffer[pos] = 0x2C; pos += 1
                pos = put(c.studentBase + Int(rng.below(UInt64(c.studentPool))), buffer, pos)
                buffer[pos] = 0x2C; pos += 1
                pos = putCents(cents(c, &rng), buffer, pos)
                buffer[pos] = 0x0A; pos += 1
            }
        }
        flush()
    }

    /// The amount of one payment, in fen.
    @inline(__always)
    private func cents(_ c: Model.Combo, _ rng: inout Rng) -> Int {
        if c.programme == AidProgramme.studentLoan.rawValue {
            // A loan in whole thousands of yuan, from half the ceiling up to the ceiling.
            let top = c.autumn / 1000 + 1, low = max(1, c.ceiling / 2000)
            let k = low + Int(rng.below(UInt64(max(1, min(top, c.ceiling / 1000) - low + 1))))
            return k * 100_000
        }
        let r = rng.next()
        var yuanCents = 100 * ((r & 1) == 0 ? c.spring : c.autumn)
        if c.graded {
            // Three grades of the national grant: 3/4, 1, 5/4 of the average (30 / 40 / 30 %).
            let g = (r >> 1) % 10
            yuanCents = yuanCents * (g < 3 ? 3 : g < 7 ? 4 : 5) / 4
        }
        if (r >> 8) % 100 < 3 {
            // Prorated by the days attended out of a 90-day term.
            let days = 10 + Int((r >> 16) % 80)
            yuanCents = (yuanCents * days + 45) / 90
        }
        return yuanCents
    }

    /// Model of the records: the combinations and their alias tables per year.
    struct Model: Sendable {
        struct Combo: Sendable {
            let countyCode: Int
            let level: Int
            let programme: Int
            let spring: Int
            let autumn: Int
            let ceiling: Int
            let graded: Bool
            let schoolBase: Int
            let schools: Int
            let studentBase: Int
            let studentPool: Int
        }

        struct Alias: Sendable {
            var threshold: [UInt64]
            var alias: [Int]
            var count: Int { alias.count }
        }

        var combos: [[Combo]] = []
        var alias: [Alias] = []
        var yearWeights: [Double] = []

        init(world: World) {
            var byYear: [[(Combo, Double)]] = Array(repeating: [], count: Years.count)
            for row in World.sorted(world.aidRows()) where row.recipients > 0 {
                let i = row.countyIndex, t = row.yearIndex
                let code = world.counties[i].code
                let schools: Int
                var schoolBase = code * 10_000
                switch row.level {
                case .preschool: schools = min(3999, world.kindergartens[i][t]); schoolBase += 4000
                case .primary, .junior: schools = min(3999, world.schools[i][t])
                case .highSchool: schools = min(999, world.highSchools[i][t]); schoolBase += 8000
                case .vocational: schools = min(999, world.vocationalSchools[i][t]); schoolBase += 9000
                case .higher: schools = world.universities.count; schoolBase = 450_000 * 10_000
                }
                let combo = Combo(
                    countyCode: code, level: row.level.rawValue, programme: row.programme.rawValue,
                    spring: row.springTerm, autumn: row.autumnTerm, ceiling: AidStandard.loanCeiling(Years.all[t]),
                    graded: row.programme == .nationalGrant, schoolBase: schoolBase, schools: schools,
                    studentBase: code * 10_000_000 + row.level.rawValue * 1_000_000,
                    studentPool: max(1, min(999_999, row.recipients)))
                byYear[t].append((combo, Double(row.recipients * row.programme.paymentsPerYear)))
            }
            for t in 0..<Years.count {
                combos.append(byYear[t].map(\.0))
                let weights = byYear[t].map(\.1)
                yearWeights.append(weights.reduce(0, +))
                alias.append(Model.vose(weights))
            }
        }

        /// Vose's alias table; thresholds on 53 bits.
        static func vose(_ weights: [Double]) -> Alias {
            let n = weights.count
            let total = weights.reduce(0, +)
            var scaled = weights.map { $0 * Double(n) / total }
            var small: [Int] = [], large: [Int] = []
            for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
            var threshold = Array(repeating: UInt64(1) << 53, count: n)
            var alias = Array(0..<n)
            while let s = small.popLast() {
                guard let l = large.popLast() else { break }
                threshold[s] = UInt64(scaled[s] * 0x1.0p53)
                alias[s] = l
                scaled[l] = (scaled[l] + scaled[s]) - 1
                if scaled[l] < 1 { small.append(l) } else { large.append(l) }
            }
            return Alias(threshold: threshold, alias: alias)
        }
    }
}

/// Writes a non-negative integer in decimal; returns the new position.
@inline(__always)
private func put(_ value: Int, _ buffer: UnsafeMutablePointer<UInt8>, _ start: Int) -> Int {
    var v = value
    var digits = 1
    var probe = v
    while probe >= 10 { probe /= 10; digits += 1 }
    var p = start + digits - 1
    repeat {
        buffer[p] = UInt8(truncatingIfNeeded: 48 + v % 10)
        v /= 10
        p -= 1
    } while v > 0
    return start + digits
}

/// Writes fen as yuan with exactly 2 decimals.
@inline(__always)
private func putCents(_ cents: Int, _ buffer: UnsafeMutablePointer<UInt8>, _ start: Int) -> Int {
    var pos = put(cents / 100, buffer, start)
    let frac = cents % 100
    buffer[pos] = 0x2E
    buffer[pos + 1] = UInt8(truncatingIfNeeded: 48 + frac / 10)
    buffer[pos + 2] = UInt8(truncatingIfNeeded: 48 + frac % 10)
    pos += 3
    return pos
}
