import Foundation
import Testing
@testable import TallyEngine

/// `.tables` says, from the data dictionary beside the files, which tables are synthetic.
@Suite("table provenance")
struct ProvenanceTests {
    func dataColumn(_ session: Session) throws -> [String: String] {
        let tables = try session.tablesTable()
        #expect(tables.names.last == "data")
        var out: [String: String] = [:]
        for row in 0..<tables.rowCount {
            guard case .text(let name) = tables[row, "name"] else { continue }
            if case .text(let label) = tables[row, "data"] { out[name] = label } else { out[name] = "null" }
        }
        return out
    }

    @Test func planDatasetsAreLabelled() throws {
        let session = Session()
        try session.registerDirectory(MeasureQueryTests.datasets)
        let labels = try dataColumn(session)
        for name in ["counties", "measures", "standards", "targets"] {
            #expect(labels[name] == "published · 公开", "\(name)")
        }
        for name in ["enrolment", "student_aid", "nutrition", "schools", "teachers", "putonghua", "child_care",
                     "graduate_employment", "vocational", "special_enrolment", "border_schools", "pairings",
                     "university_service"] {
            #expect(labels[name] == "synthetic · 合成", "\(name)")
        }
        #expect(labels.count == 17)
    }

    @Test func theLabelTravelsWithTheFileNotTheName() throws {
        let session = Session()
        try session.register(name: "my_aid", path: MeasureQueryTests.datasets + "/student_aid.csv")
        _ = try session.run("let recent = (from my_aid | filter year == 2025)")
        let labels = try dataColumn(session)
        #expect(labels["my_aid"] == "synthetic · 合成")
        #expect(labels["recent"] == "null")
        #expect(session.catalog.provenance("my_aid") == .synthetic)
    }

    @Test func aFolderWithoutADictionaryHasNoLabel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("provenance-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "a,b\n1,2\n".write(toFile: dir + "/small.csv", atomically: true, encoding: .utf8)
        let session = Session()
        try session.registerDirectory(dir)
        #expect(try dataColumn(session)["small"] == "null")
        // A README with a listing labels the table; rows it does not name stay unlabelled.
        try """
            # data
            | table | rows | real / synthetic |
            |---|---:|---|
            | `small` | 1 | synthetic |
            | `other` | 2 | real |

            | `small` | 1 | real |
            """.write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        #expect(try dataColumn(session)["small"] == "synthetic · 合成")
        #expect(Provenance.dictionary(directory: dir) == ["small": .synthetic, "other": .published])
    }

    @Test func parseIgnoresOtherTables() {
        let text = """
            | column | meaning | source |
            |---|---|---|
            | `year` | year | synthetic |

            | table | grain | real / synthetic |
            |---|---|---|
            | `a` | county | real |
            | b | county | synthetic |
            | `c` | county | maybe |
            """
        #expect(Provenance.parse(text) == ["a": .published])
    }
}
