import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `tally preview` and `tally notebook --to slides` through the built binary.
@Suite("tally preview on the command line", .serialized)
struct PreviewCLITests {
    /// A started `tally preview`; stopped by SIGTERM in `stop`, and killed on deinit if still running.
    final class Preview {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        var printed = ""

        init(_ arguments: [String]) throws {
            process.executableURL = CLITests.binary
            process.arguments = ["preview"] + arguments
            var env = ProcessInfo.processInfo.environment
            env["XDG_STATE_HOME"] = NSTemporaryDirectory() + "tally-cli-tests"
            process.environment = env
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        /// The address `tally preview` printed, once it printed one (nil after 30 s or an early exit).
        func address() -> String? {
            let deadline = Date().addingTimeInterval(30)
            let handle = output.fileHandleForReading
            while Date() < deadline {
                if let range = printed.range(of: #"http://[^ \n]+"#, options: .regularExpression) {
                    return String(printed[range])
                }
                let data = handle.availableData
                if data.isEmpty { return nil }
                printed += String(decoding: data, as: UTF8.self)
            }
            return nil
        }

        /// SIGTERM, then the exit status (nil when it does not stop within 10 s).
        func stop() -> Int32? {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            guard !process.isRunning else { return nil }
            return process.terminationStatus
        }

        var stderr: String {
            String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    func write(_ text: String) throws -> String {
        let dir = NSTemporaryDirectory() + "tally-cli-preview-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/nb.md"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let notebook = """
    ---
    title: 预览 · Preview
    params:
      year: {value: 2022, choices: [2021, 2022]}
    ---

    ```tally
    from aid | filter year == $year | select {county}
    ```
    """

    func fetch(_ address: String) async throws -> (status: Int, body: String) {
        guard let url = URL(string: address) else { throw URLError(.badURL) }
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func port(of address: String) -> UInt16? {
        guard let components = URLComponents(string: address) else { return nil }
        return components.port.flatMap { UInt16(exactly: $0) }
    }

    /// Whether something accepts connections on the loopback port.
    static func listening(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    @Test func servesOnLoopbackAndStopsOnSIGTERM() async throws {
        let data = try CLITests.dataDirectory()
        let path = try write(PreviewCLITests.notebook)
        let preview = try Preview([path, "--no-datasets", "--data", data, "--param", "year=2021"])
        let address = try #require(preview.address(), "no address printed: \(preview.printed)")
        #expect(address.hasPrefix("http://127.0.0.1:") && !address.contains("token"))
        let port = try #require(PreviewCLITests.port(of: address))
        let page = try await fetch(address)
        #expect(page.status == 200)
        #expect(page.body.contains("<td>兴宁区</td>") && !page.body.contains("马山县"), "--param sets the default")
        let chosen = try await fetch(address + "?year=2022")
        #expect(chosen.body.contains("<td>马山县</td>"))
        #expect(preview.stop() == 0)
        #expect(!PreviewCLITests.listening(port), "the port is released")
    }

    @Test func aHostNeedsTheToken() async throws {
        let data = try CLITests.dataDirectory()
        let path = try write(PreviewCLITests.notebook)
        let preview = try Preview([path, "--no-datasets", "--data", data, "--host", "127.0.0.1"])
        let address = try #require(preview.address(), "no address printed: \(preview.printed)")
        let token = try #require(URLComponents(string: address)?.queryItems?.first { $0.name == "token" }?.value)
        #expect(token.count == 32)
        let port = try #require(PreviewCLITests.port(of: address))
        let refused = try await fetch("http://127.0.0.1:\(port)/")
        #expect(refused.status == 403)
        let wrong = try await fetch("http://127.0.0.1:\(port)/?token=" + String(token.reversed()))
        #expect(wrong.status == 403)
        let page = try await fetch(address)
        #expect(page.status == 200 && page.body.contains("<td>马山县</td>"))
        #expect(preview.stop() == 0)
        #expect(preview.stderr.contains("warning: listening on 127.0.0.1"))
    }

    @Test func badUsage() throws {
        let cli = CLITests()
        let missing = try cli.tally(["preview", "/nonexistent/nb.md"])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read notebook"))
        let path = try write(PreviewCLITests.notebook)
        let unknown = try cli.tally(["preview", path, "--no-datasets", "--param", "yeer=1"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no parameter `yeer`"))
        let port = try cli.tally(["preview", path, "--port", "70000"])
        #expect(port.status == 2)
        let help = try cli.tally(["preview", "--help"])
        #expect(help.stdout.contains("--host") && help.stdout.contains("预览"))
    }

    @Test func slidesFile() throws {
        let data = try CLITests.dataDirectory()
        let path = try write(PreviewCLITests.notebook + "\n\n## 第二节 · Part two\n\nText.\n")
        let out = path + ".slides.html"
        let run = try CLITests().tally(["notebook", path, "--to", "slides", "-o", out, "--no-datasets", "--data", data])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        // Title, query, result, the second section.
        #expect(html.components(separatedBy: "<section class=\"slide").count - 1 == 4)
        #expect(html.contains("1 / 4"))
        #expect(!html.contains("http") && !html.contains(" src=") && !html.contains("<link"))
    }
}
