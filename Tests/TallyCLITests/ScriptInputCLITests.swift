import Foundation
import Testing

/// Scripts read from stdin, and paths inside scripts and notebooks.
@Suite("tally scripts: stdin and paths")
struct ScriptInputCLITests {
    let cli = CLITests()

    @Test func stdinErrorsSayStdinAndTheScriptLine() throws {
        let data = try CLITests.dataDirectory()
        let script = "from aid\nselect {county}\n\n\n\n\nfrom aid | filter yeer == 2024\n"
        let run = try cli.tally(["--no-datasets", "--data", data, "--format", "csv"], stdin: script)
        #expect(run.status == 1)
        #expect(run.stderr.contains("<stdin>:7:19"), "\(run.stderr)")
        #expect(run.stderr.contains("7 | from aid | filter yeer == 2024"), "\(run.stderr)")
        #expect(!run.stderr.contains("1 | from aid | filter"))
    }

    @Test func dataFolderWithAPlanDatasetNameIsSkippedWithAWarning() throws {
        let dir = NSTemporaryDirectory() + "tally-cli-clash-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "x\n1\n".write(toFile: dir + "/counties.csv", atomically: true, encoding: .utf8)
        let run = try cli.tally(["--data", dir, "--format", "csv", "-c", ".schema counties"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: skipped `\(dir)/counties.csv`: `counties` is a plan dataset"), "\(run.stderr)")
        #expect(run.stdout.contains("county_code"))
        let load = try cli.tally(["--format", "csv", "-c", ".load \(dir)/counties.csv as counties"])
        #expect(load.status == 1)
        #expect(load.stderr.contains("replace:true"))
    }
}
