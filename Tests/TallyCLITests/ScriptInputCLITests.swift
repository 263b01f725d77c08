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

    /// A folder outside the working directory with a data file, a notebook and a script that name
    /// it by a relative path.
    static func notebookFolder() throws -> String {
        let dir = NSTemporaryDirectory() + "tally-cli-nbdir-\(getpid())/nbdir"
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try "k,v\n1,one\n2,two\n".write(toFile: dir + "/local.csv", atomically: true, encoding: .utf8)
        try ".load ../local.csv as again\n".write(toFile: dir + "/sub/inner.tally", atomically: true, encoding: .utf8)
        try """
        # Relative

        ```tally
        .load local.csv
        from local | aggregate {n = count this}
        from (read_csv "local.csv") | select {v}
        .run sub/inner.tally
        from again | take 1
        .export out.csv
        ```

        """.write(toFile: dir + "/rel.md", atomically: true, encoding: .utf8)
        try ".load local.csv\nfrom local | select {v}\n.run sub/inner.tally\nfrom again | take 1\n"
            .write(toFile: dir + "/rel.tally", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func notebookPathsAreFoundFromTheNotebooksFolder() throws {
        let dir = try ScriptInputCLITests.notebookFolder()
        #expect(!FileManager.default.currentDirectoryPath.hasPrefix(dir))
        let run = try cli.tally(["notebook", dir + "/rel.md", "--to", "md", "--no-datasets"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("|    2 |"))
        #expect(run.stdout.contains("| two |"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out.csv"))
    }

    @Test func scriptPathsAreFoundFromTheScriptsFolder() throws {
        let dir = try ScriptInputCLITests.notebookFolder()
        let run = try cli.tally(["run", dir + "/rel.tally", "--no-datasets", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "v\none\ntwo\nk,v\n1,one\n")
    }

    @Test func runningANotebookAsAScriptSaysUseNotebook() throws {
        let run = try cli.tally(["run", CLITests.root.appendingPathComponent("Notebooks/nutrition.md").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("is a notebook, not a script"))
        #expect(run.stderr.contains("tally notebook"))
        #expect(!run.stderr.contains("unexpected character"))
    }

    /// Twelve columns of 12 cells: about 170 cells wide.
    static let wide = "from [{" + (1...12).map { "column_\($0) = \"value_\($0)_abc\"" }.joined(separator: ", ") + "}]"

    @Test func pipedTablesAreNotCut() throws {
        let run = try cli.tally(["--no-datasets", "-c", ScriptInputCLITests.wide], environment: ["COLUMNS": ""])
        #expect(run.status == 0)
        #expect(run.stdout.contains("column_6") && run.stdout.contains("column_7") && run.stdout.contains("value_12_abc"))
        #expect(!run.stdout.contains("…"))
    }

    @Test func columnsVariableAndMaxwidthSetTheWidth() throws {
        let narrow = try cli.tally(["--no-datasets", "-c", ScriptInputCLITests.wide], environment: ["COLUMNS": "60"])
        #expect(narrow.stdout.contains("…"))
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 })
        let set = try cli.tally(["--no-datasets", "-c", ".maxwidth 80", "-c", ScriptInputCLITests.wide],
                                environment: ["COLUMNS": "300"])
        #expect(set.stdout.contains("…"))
        #expect(set.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func aSessionWithAChartAndSVGSavesANotebookThatRenders() throws {
        let data = try CLITests.dataDirectory()
        let dir = NSTemporaryDirectory() + "tally-cli-svg-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
        from aid | group county (aggregate {total = sum amount}) | chart bar x:county y:total
        .sv \(dir)/x.svg
        .save \(dir)/s.md
        """
        let session = try cli.tally(["--no-datasets", "--data", data], stdin: script)
        #expect(session.status == 0, "\(session.stderr)")
        let html = try cli.tally(["notebook", dir + "/s.md", "--to", "html", "-o", dir + "/s.html", "--no-datasets", "--data", data])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(try String(contentsOfFile: dir + "/s.html", encoding: .utf8).contains("<svg"))
    }
}
