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
}
