import Foundation
import Testing
@testable import TallyEngine

/// `.load` and `.export` as a user meets them: what they say, and what they refuse.
@Suite("Load and export")
struct LoadAndExportTests {
    static func planFolder() throws -> String {
        let dir = TestFiles.directory + "/plan-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "county_code,county\n450102,兴宁区\n".write(toFile: dir + "/counties.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func loadOfOneRowSaysRow() throws {
        let path = TestFiles.write("one.csv", "a\n1\n")
        guard case .message(let text) = try Session().run(".load \(path) as one") else {
            Issue.record("expected a message"); return
        }
        #expect(text.hasPrefix("loaded one: 1 row × 1 column"), "\(text)")
    }

    @Test func exportToAMissingFolderNamesThePathAndTheReason() throws {
        let session = Session()
        _ = try session.run("from [{a = 1}]")
        do {
            _ = try session.run(".export /nonexistent/dir/a.csv")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "cannot write `/nonexistent/dir/a.csv`: the folder `/nonexistent/dir` does not exist")
            #expect(!error.rendered().contains("could not be completed"))
            #expect(error.hint != nil)
        }
    }

    @Test func exportOntoAFolderSaysSo() throws {
        let session = Session()
        _ = try session.run("from [{a = 1}]")
        #expect(throws: TallyError.self) { try session.run(".export \(TestFiles.directory)") }
    }

    @Test func loadRefusesToReplaceAPlanDatasetWithoutReplace() throws {
        let session = Session()
        try session.registerDirectory(try LoadAndExportTests.planFolder(), asPlanDatasets: true)
        let other = TestFiles.write("mine.csv", "x\n1\n2\n")
        do {
            _ = try session.run(".load \(other) as counties")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.message == "`counties` is a plan dataset; `.load` does not replace it")
            #expect(error.hint?.contains("replace:true") == true)
        }
        #expect(try session.table("counties").names == ["county_code", "county"])
        guard case .message(let text) = try session.run(".load \(other) as counties replace:true") else {
            Issue.record("expected a message"); return
        }
        #expect(text.contains("replaced the plan dataset `counties`"))
        #expect(try session.table("counties").names == ["x"])
        // Other names load as before, and user tables replace each other as before.
        _ = try session.run(".load \(other) as mine")
        _ = try session.run(".load \(other) as mine")
    }

    @Test func dataFolderSkipsPlanDatasetNamesAndSaysWhy() throws {
        let session = Session()
        try session.registerDirectory(try LoadAndExportTests.planFolder(), asPlanDatasets: true)
        let mine = TestFiles.directory + "/mine-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        try "x\n1\n".write(toFile: mine + "/counties.csv", atomically: true, encoding: .utf8)
        try "x\n1\n".write(toFile: mine + "/aid.csv", atomically: true, encoding: .utf8)
        try #"[{"x": 1}]"#.write(toFile: mine + "/aid.json", atomically: true, encoding: .utf8)
        var skipped: [Session.SkippedFile] = []
        let names = try session.registerDirectory(mine) { skipped.append($0) }
        #expect(names == ["aid"])
        #expect(skipped.map(\.path) == [mine + "/aid.json", mine + "/counties.csv"])
        #expect(skipped[1].reason.contains("`counties` is a plan dataset"))
        #expect(skipped[0].reason.contains("already registered as `aid`"))
        #expect(try session.table("counties").names == ["county_code", "county"])
    }

    /// Exports are exact: the shortest text that reads back as the same double, in every format.
    @Test(arguments: ["md", "csv", "tsv", "json"])
    func exportsKeepEveryDigit(format: String) throws {
        let session = Session()
        _ = try session.run("from [{r = 0.9289250000000001, s = 177620309.14000243}]")
        let path = TestFiles.directory + "/exact-" + UUID().uuidString + "." + format
        _ = try session.run(".export \(path)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("0.9289250000000001"))
        #expect(text.contains("177620309.14000243"))
    }
}
