import Foundation
import Testing
@testable import TallyDatagen

@Suite struct DeterminismTests {
    func tempDir(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tally-datagen-\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func datasetsTwiceAreByteIdentical() throws {
        let a = try tempDir("a"), b = try tempDir("b")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let first = try DatasetGenerator().write(to: a)
        let second = try DatasetGenerator().write(to: b)
        #expect(first.map(\.file) == second.map(\.file))
        #expect(first.map(\.file) == DatasetGenerator.tableNames.map { $0 + ".csv" })
        for (file, _) in first {
            let x = try Data(contentsOf: a.appendingPathComponent(file))
            let y = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(x == y, "\(file) differs between two runs")
        }
        // Nothing else is written.
        let listed = try FileManager.default.contentsOfDirectory(atPath: a.path).sorted()
        #expect(listed == first.map(\.file).sorted())
    }

    @Test func recordsTwiceAreIdentical() throws {
        let x = RecordsWriter(rows: 5000).bytes()
        let y = RecordsWriter(rows: 5000).bytes()
        #expect(x == y)
        let other = RecordsWriter(rows: 5000, seed: 7).bytes()
        #expect(x != other)
        // Through a file, too.
        let dir = try tempDir("records")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("records.csv").path
        try RecordsWriter(rows: 5000).write(toFile: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(x))
        try RecordsWriter(rows: 10).write(toFile: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(RecordsWriter(rows: 10).bytes()))
    }

    @Test func differentSeedGivesDifferentSyntheticData() {
        let a = DatasetGenerator().tables(), b = DatasetGenerator(seed: 1).tables()
        for (x, y) in zip(a, b) {
            if ["counties", "measures", "targets", "standards"].contains(x.name) {
                #expect(x.csvBytes() == y.csvBytes(), "the real table \(x.name) must not depend on the seed")
            } else {
                #expect(x.csvBytes() != y.csvBytes(), "\(x.name) ignores the seed")
            }
        }
    }

    @Test func rngMatchesReferenceAndRepeats() {
        // First outputs of SplitMix64 from seed 0 (reference values of the published algorithm).
        var sm = SplitMix64(seed: 0)
        #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
        #expect(sm.next() == 0x6E78_9E6A_A1B9_65F4)
        var r = Rng(seed: 42)
        var s = Rng(seed: 42)
        for _ in 0..<100 { #expect(r.next() == s.next()) }
        for _ in 0..<1000 {
            let u = r.unit()
            #expect(u >= 0 && u < 1)
            #expect(r.below(7) < 7)
        }
    }
}
