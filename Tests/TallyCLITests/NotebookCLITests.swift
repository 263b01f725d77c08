import Foundation
import Testing

/// `tally notebook` and `tally run` on saved scripts, through the built binary.
@Suite("tally notebook on the command line")
struct NotebookCLITests {
    let cli = CLITests()

    func write(_ text: String, _ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "tally-cli-nb-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let good = """
    ---
    title: Test
    params:
      year: 2022
    ---

    ```tally
    from aid | filter year == $year | select {county}
    ```
    """

    @Test func rendersMarkdownAndHTML() throws {
        let data = try CLITests.dataDirectory()
        let path = try write(NotebookCLITests.good, "good.md")
        let md = try cli.tally(["notebook", path, "--to", "md", "--no-datasets", "--data", data])
        #expect(md.status == 0)
        #expect(md.stdout.contains("| county |\n| ------ |\n| 马山县 |\n| 兴宁区 |"))
        let out = path + ".html"
        let html = try cli.tally(["notebook", path, "-o", out, "--no-datasets", "--data", data, "--param", "year=2021"])
        #expect(html.status == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>"))
        #expect(text.contains("<td>兴宁区</td>") && !text.contains("马山县"))
        // Same input, same bytes.
        let again = try cli.tally(["notebook", path, "--to", "html", "--no-datasets", "--data", data, "--param", "year=2021"])
        #expect(again.stdout == text)
    }

    @Test func writesOneSheetPerTableCell() throws {
        let data = try CLITests.dataDirectory()
        let notebook = "```tally\n#| caption: 2021年各县资助\nfrom aid | filter year == 2021 | select {county}\n```\n\n"
            + "```tally\n#| label: all/years\nfrom aid | select {county, year}\n```\n"
        let path = try write(notebook, "sheets.md")
        let out = path + ".xlsx"
        let run = try cli.tally(["notebook", path, "--to", "xlsx", "-o", out, "--no-datasets", "--data", data])
        #expect(run.status == 0, "\(run.stderr)")
        let sheets = try cli.tally(["--no-datasets", "--format", "csv", "-c", ".sheets \(out)"])
        #expect(sheets.stdout.contains("1,2021年各县资助,A1:A"), "\(sheets.stdout)")
        #expect(sheets.stdout.contains("2,all_years,A1:B"), "\(sheets.stdout)")
        let noFile = try cli.tally(["notebook", path, "--to", "xlsx", "--no-datasets", "--data", data])
        #expect(noFile.status == 2)
    }

    @Test func failingCellExitsOneAndWritesNothing() throws {
        let data = try CLITests.dataDirectory()
        let path = try write("Intro.\n\n```tally\nfrom aid | take 1\n```\n\n```tally\nfrom aid\nfilter amout > 0\n```\n", "bad.md")
        let out = path + ".html"
        try? FileManager.default.removeItem(atPath: out)
        let run = try cli.tally(["notebook", path, "-o", out, "--no-datasets", "--data", data])
        #expect(run.status == 1)
        #expect(run.stderr.contains("unknown column `amout`"))
        #expect(run.stderr.contains("\(path):9:8"))
        #expect(!FileManager.default.fileExists(atPath: out))

        let kept = try cli.tally(["notebook", path, "-o", out, "--keep-going", "--no-datasets", "--data", data])
        #expect(kept.status == 1)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<pre class=\"error\">error: unknown column `amout`"))
    }

    @Test func usageErrorsExitTwo() throws {
        let missing = try cli.tally(["notebook", "/no/such/notebook.md"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read notebook `/no/such/notebook.md`"))

        let front = try write("---\ntitle: x\nparms:\n  year: 1\n---\n", "front.md")
        let badFront = try cli.tally(["notebook", front, "--no-datasets"])
        #expect(badFront.status == 2)
        #expect(badFront.stderr.contains("unknown key `parms`") && badFront.stderr.contains("\(front):3"))

        let option = try write("```tally\n#| cpation: x\nfrom aid\n```\n", "option.md")
        let badOption = try cli.tally(["notebook", option, "--no-datasets"])
        #expect(badOption.status == 2)
        #expect(badOption.stderr.contains("unknown cell option `cpation`") && badOption.stderr.contains("\(option):2"))

        let good = try write(NotebookCLITests.good, "good2.md")
        let badParam = try cli.tally(["notebook", good, "--no-datasets", "--param", "yaer=1"])
        #expect(badParam.status == 2)
        #expect(badParam.stderr.contains("no parameter `yaer`"))
        #expect(try cli.tally(["notebook", good, "--to", "pdf"]).status == 2)
    }

    @Test func savedScriptReplaysThroughRun() throws {
        let data = try CLITests.dataDirectory()
        let saved = NSTemporaryDirectory() + "tally-cli-saved-\(getpid()).tally"
        let session = """
        let recent = (from aid | filter year == $year)
        from recent
        .save \(saved)
        """
        let first = try cli.tally(["--no-datasets", "--data", data, "--format", "csv", "--param", "year=2022"], stdin: session)
        #expect(first.status == 0)
        let replay = try cli.tally(["run", saved, "--no-datasets", "--data", data, "--format", "csv", "--param", "year=2022"])
        #expect(replay.status == 0)
        #expect(replay.stdout == first.stdout)
        #expect(replay.stdout == "year,county,amount\n2022,马山县,20.0\n2022,兴宁区,\n")
    }
}
