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
                     "university_service", "graduate_employment_counties", "special_enrolment_counties",
                     "university_service_counties"] {
            #expect(labels[name] == "synthetic · 合成", "\(name)")
        }
        #expect(labels.count == 20)
    }

    @Test func theLabelTravelsWithTheFileNotTheName() throws {
        let session = Session()
        try session.register(name: "my_aid", path: MeasureQueryTests.datasets + "/student_aid.csv")
        _ = try session.run("let recent = (from my_aid | filter year == 2025)")
        let labels = try dataColumn(session)
        #expect(labels["my_aid"] == "synthetic · 合成")
        // A relation computed from a synthetic table is synthetic too, before and after its first use.
        #expect(labels["recent"] == "synthetic · 合成")
        _ = try session.run("from recent | take 1")
        #expect(try dataColumn(session)["recent"] == "synthetic · 合成")
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

    // MARK: - The label travels with query results

    func datasetsSession() throws -> Session {
        let session = Session()
        try session.registerDirectory(MeasureQueryTests.datasets)
        return session
    }

    @Test func aResultTakesTheProvenanceOfWhatItRead() throws {
        let session = try datasetsSession()
        #expect(try session.query("from student_aid | take 3").provenance == .synthetic)
        #expect(try session.query("from counties | filter key_county").provenance == .published)
        // Grouped, joined, appended: one synthetic input makes the whole result synthetic.
        #expect(try session.query("""
            from counties | join side:left (from student_aid | group county_code (aggregate {t = sum amount_yuan})) \
            (==county_code) | select {counties.county, t}
            """).provenance == .synthetic)
        #expect(try session.query("from targets | select {indicator} | append (from counties | select {indicator = county})")
            .provenance == .published)
        #expect(try session.query("from counties | select {county} | append (from schools | select {county})")
            .provenance == .synthetic)
        // A relation literal says nothing of where its figures came from.
        #expect(try session.query("from [{a = 1}, {a = 2}]").provenance == nil)
    }

    @Test func theLastResultAndIntoKeepTheLabel() throws {
        let session = try datasetsSession()
        _ = try session.run("from nutrition | take 5")
        #expect(try session.query("from _ | take 1").provenance == .synthetic)
        _ = try session.run("from nutrition | take 5 | into few")
        #expect(session.catalog.provenance("few") == .synthetic)
        #expect(try session.query("from few | select {year}").provenance == .synthetic)
        _ = try session.run("from standards | into rules")
        #expect(session.catalog.provenance("rules") == .published)
    }

    @Test func readingAFileDirectlyIsLabelledByItsDictionary() throws {
        let session = Session()
        let path = MeasureQueryTests.datasets + "/teachers.csv"
        #expect(try session.query("from (read_csv \"\(path)\") | take 1").provenance == .synthetic)
    }

    @Test func anExportOfSyntheticFiguresHasANoteBesideIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("provenance-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let session = try datasetsSession()
        session.baseDirectory = dir
        _ = try session.run("from student_aid | filter year == 2023 | take 4")
        guard case .message(let message) = try session.run(".export aid.csv") else {
            Issue.record("no message"); return
        }
        #expect(message.contains("合成数据 · synthetic"))
        let note = try String(contentsOfFile: dir + "/aid.csv.synthetic.txt", encoding: .utf8)
        #expect(note.hasPrefix("合成数据 · synthetic"))
        #expect(note.contains("aid.csv"))
        // The CSV itself stays a plain CSV: header first, five lines.
        let csv = try String(contentsOfFile: dir + "/aid.csv", encoding: .utf8)
        #expect(csv.hasPrefix("year,county_code,"))
        #expect(csv.split(separator: "\n").count == 5)
        // Overwritten with published figures, the note goes.
        _ = try session.run("from counties | take 2")
        _ = try session.run(".export aid.csv")
        #expect(!FileManager.default.fileExists(atPath: dir + "/aid.csv.synthetic.txt"))
        // Markdown is read by people: the mark is also at its foot. Workbooks get the note too.
        _ = try session.run("from schools | take 2")
        _ = try session.run(".export schools.md")
        #expect(try String(contentsOfFile: dir + "/schools.md", encoding: .utf8).hasSuffix("*合成数据 · synthetic*\n"))
        _ = try session.run(".export schools.xlsx")
        #expect(FileManager.default.fileExists(atPath: dir + "/schools.xlsx.synthetic.txt"))
        _ = try session.run("from measures | take 2")
        _ = try session.run(".export measures.md")
        #expect(!(try String(contentsOfFile: dir + "/measures.md", encoding: .utf8)).contains("合成"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/measures.md.synthetic.txt"))
    }

    @Test func combining() {
        #expect(Provenance.combined([nil, .published]) == .published)
        #expect(Provenance.combined([.published, nil, .synthetic, .published]) == .synthetic)
        #expect(Provenance.combined([Provenance?]()) == nil)
        #expect(Provenance.combined([nil, nil]) == nil)
    }
}
