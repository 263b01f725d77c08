import Foundation
import Testing
@testable import TallyDatagen

/// The committed `Datasets/` folder: up to date with the generator, and described by its README.
@Suite struct DatasetsFolderTests {
    let folder = packageRoot.appendingPathComponent("Datasets")

    @Test func committedFilesMatchTheGenerator() throws {
        for t in DatasetGenerator().tables() {
            let url = folder.appendingPathComponent(t.fileName)
            let committed = try Data(contentsOf: url)
            #expect(committed == Data(t.csvBytes()),
                    "Datasets/\(t.fileName) is stale: run `swift run tally-datagen datasets`")
        }
    }

    @Test func readmeDescribesEveryTableAndColumn() throws {
        let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("swift run tally-datagen datasets"))
        for t in DatasetGenerator().tables() {
            #expect(readme.contains("`\(t.name)`"), "README does not describe \(t.name)")
            for column in t.columns {
                #expect(readme.contains("`\(column)`"), "README does not describe \(t.name).\(column)")
            }
        }
        for column in RecordsWriter.columns { #expect(readme.contains("`\(column)`")) }
        // No yearly aid total is published for 2021–2025: the README says what the synthetic totals
        // are kept to (the 2016–2020 total and the 2026 advance allocation), in both languages.
        #expect(!readme.contains("about 4 billion") && !readme.contains("约 40 亿"))
        #expect(readme.contains("26.14 billion") && readme.contains("4.348 billion"))
        #expect(readme.contains("261.4 亿元") && readme.contains("43.48 亿元"))
        #expect(readme.contains("0.96") && readme.contains("十四五"))
        // Every synthetic table's section says so, in both languages.
        let real: Set<String> = ["counties", "measures", "targets", "standards"]
        let sections = readme.components(separatedBy: "\n### ")
        for name in DatasetGenerator.tableNames + ["student_aid_records"] where !real.contains(name) {
            let section = sections.first { $0.hasPrefix("`\(name)`") }
            #expect(section != nil, "no section for \(name)")
            #expect(section?.contains("synthetic") == true && section?.contains("合成") == true,
                    "the section of \(name) does not say synthetic / 合成")
        }
    }
}
