import Foundation
import Testing

/// Runs the built `tally` binary as a user would: scripts on stdin, `-c`, `run`, exit statuses.
@Suite("tally command line")
struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL { root.appendingPathComponent(".build/debug/tally") }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func tally(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = NSTemporaryDirectory() + "tally-cli-tests"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
    }

    static func dataDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "tally-cli-data-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "year,county,amount\n2021,兴宁区,10.5\n2022,马山县,20\n2022,兴宁区,\n"
            .write(toFile: dir + "/aid.csv", atomically: true, encoding: .utf8)
        return dir
    }

    init() {}

    @Test func stdinScriptToCSV() throws {
        let data = try CLITests.dataDirectory()
        let script = """
        .load \(data)/aid.csv as aid
        from aid
        filter year == 2022

        select {county, amount}
        """
        let run = try tally(["--no-datasets", "--format", "csv"], stdin: script)
        #expect(run.status == 0)
        #expect(run.stdout == "county,amount\n马山县,20.0\n兴宁区,\n")
        #expect(run.stderr.contains("loaded aid: 3 rows × 3 columns"))
    }

    @Test func dashCRunsInOrder() throws {
        let data = try CLITests.dataDirectory()
        let run = try tally(["--no-datasets", "--data", data, "--format", "csv",
                             "-c", "from aid | aggregate {n = count this}", "-c", ".schema aid"])
        #expect(run.status == 0)
        #expect(run.stdout == "n\n3\ncolumn,type\nyear,int\ncounty,text\namount,float\n")
    }

    @Test func failingStatementExitsOneWithLocation() throws {
        let data = try CLITests.dataDirectory()
        let script = NSTemporaryDirectory() + "bad-\(getpid()).tally"
        try "from aid\nselect {county}\n\nfrom aid\nfilter amout > 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        let run = try tally(["run", script, "--no-datasets", "--data", data, "--format", "csv"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("unknown column `amout`"))
        #expect(run.stderr.contains("\(script):5:8"))
        #expect(run.stdout.hasPrefix("county\n"))
    }

    @Test func usageErrorExitsTwo() throws {
        let run = try tally(["--format", "xml"])
        #expect(run.status == 2)
        let other = try tally(["--no-such-flag"])
        #expect(other.status == 2)
    }

    @Test func parametersFromTheCommandLine() throws {
        let data = try CLITests.dataDirectory()
        let run = try tally(["--no-datasets", "--data", data, "--format", "csv", "--param", "year=2021",
                             "-c", "from aid | filter year == $year | select {county}"])
        #expect(run.stdout == "county\n兴宁区\n")
    }

    @Test func bundledDatasetsAreListed() throws {
        let run = try tally(["--format", "csv", "-c", ".tables"])
        #expect(run.status == 0)
        for name in ["counties", "student_aid", "nutrition", "enrolment", "measures"] {
            #expect(run.stdout.contains("\n\(name),"), "missing \(name)")
        }
    }

    @Test func versionAndHelp() throws {
        #expect(try tally(["--version"]).stdout.hasPrefix("0."))
        #expect(try tally(["--help"]).stdout.contains("--no-datasets"))
    }
}
