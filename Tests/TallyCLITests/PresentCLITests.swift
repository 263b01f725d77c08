import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tally present` through the built binary: refused without a terminal, and driven end to end
/// through a pseudo-terminal.
@Suite("tally present on the command line")
struct PresentCLITests {
    let cli = CLITests()

    static let notebook = """
    ---
    title: Present test
    ---

    # First

    Some text.

    ```tally
    from aid | sort year | chart column x:county y:amount title:"Amounts"
    ```

    ```tally
    from aid | filter amout > 1
    ```
    """

    @Test func needsATerminal() throws {
        let path = try NotebookCLITests().write(PresentCLITests.notebook, "present.md")
        let run = try cli.tally(["present", path, "--no-datasets"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("present needs a terminal; use `tally notebook \(path) --to html` for a report"))
        #expect(run.stdout.isEmpty)
    }

    @Test func missingNotebookIsAUsageError() throws {
        // Checked after the terminal: without one, the terminal message comes first.
        let run = try cli.tally(["present", "/nonexistent/nb.md"])
        #expect(run.status == 2)
    }

    static func openPTY() -> (master: Int32, slave: String)? { PseudoTerminal.open() }

    typealias Screen = PseudoTerminal.Collected

    func waitFor(_ screen: Screen, _ needle: String, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if screen.text.contains(needle) { return true }
            usleep(20_000)
        }
        return false
    }

    @Test func stepsThroughInAPseudoTerminalAndRestoresIt() throws {
        let data = try CLITests.dataDirectory()
        let path = try NotebookCLITests().write(PresentCLITests.notebook, "present-pty.md")
        let (master, name) = try #require(PresentCLITests.openPTY())
        defer { close(master) }
        let slave = open(name, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)

        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["present", path, "--no-datasets", "--data", data]
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = NSTemporaryDirectory() + "tally-cli-tests"
        env["TERM"] = "xterm-256color"
        env["NO_COLOR"] = "1"
        process.environment = env
        let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = tty
        process.standardOutput = tty
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        close(slave)

        let screen = Screen()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                screen.append(Data(buffer[0..<n]))
            }
        }
        reader.start()
        func key(_ s: String) { _ = s.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, s.utf8.count) } }

        #expect(waitFor(screen, "\u{1B}[?1049h"))   // the alternate screen
        #expect(waitFor(screen, "1/6"))
        key("\u{1B}[C")                              // → : the prose
        #expect(waitFor(screen, "Some text."))
        key(" "); key("n")                           // the chart
        #expect(waitFor(screen, "Amounts"))
        #expect(waitFor(screen, "4/6"))
        key("G")                                     // the failing cell's error, last
        #expect(waitFor(screen, "unknown column `amout`"))
        key("g")
        #expect(waitFor(screen, "1/6 ") || screen.text.components(separatedBy: "1/6").count > 2)
        key("q")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(waitFor(screen, "\u{1B}[?1049l", seconds: 5))  // the main screen back
        #expect(screen.text.contains("\u{1B}[?25h"))           // and the cursor
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(err.contains("running 2 cells"))
    }

    @Test func aSignalRestoresTheTerminal() throws {
        let data = try CLITests.dataDirectory()
        let path = try NotebookCLITests().write(PresentCLITests.notebook, "present-sig.md")
        let (master, name) = try #require(PresentCLITests.openPTY())
        defer { close(master) }
        let slave = open(name, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["present", path, "--no-datasets", "--data", data]
        let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = tty
        process.standardOutput = tty
        process.standardError = Pipe()
        try process.run()
        close(slave)
        let screen = Screen()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                screen.append(Data(buffer[0..<n]))
            }
        }
        reader.start()
        #expect(waitFor(screen, "1/6"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        #expect(waitFor(screen, "\u{1B}[?1049l", seconds: 5))
    }
}
