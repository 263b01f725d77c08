import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `.connect` to a server that wants a password none was given for: at a terminal the shell asks
/// with echo off, the password is never on the screen, in history or in the journal, and the
/// terminal gets its echo back however the prompt ends; a pipe gets an error saying how to give one.
@Suite("Password prompt", .serialized)
struct PasswordPromptTests {
    /// A throwaway PostgreSQL whose role `tally` logs in over TCP with a password only
    /// (scram-sha-256), holding one table `t` (n = 42). Stopped by `stop()`, or by a watchdog
    /// when the test process dies first.
    final class Server {
        let port: Int
        let base: String
        let password = "pw-typed-7Q"
        private let stopCommand: String

        init() throws {
            var bin = Server.shell("pg_config --bindir 2>/dev/null").output.trimmingCharacters(in: .whitespacesAndNewlines)
            if !FileManager.default.isExecutableFile(atPath: bin + "/initdb") {
                let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
                bin = versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
                    .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") } ?? ""
            }
            guard FileManager.default.isExecutableFile(atPath: bin + "/initdb") else { throw Skip(reason: "initdb not found") }
            let psql = FileManager.default.isExecutableFile(atPath: bin + "/psql") ? bin + "/psql" : "psql"
            base = NSTemporaryDirectory() + "tally-pw-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: base + "/sock", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o777])
            _ = chmod(base, 0o777)
            let runAs = getuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : ""
            if getuid() == 0 { _ = Server.shell("chown -R postgres '\(base)'") }
            try password.write(toFile: base + "/pw", atomically: true, encoding: .utf8)
            _ = chmod(base + "/pw", 0o644)
            port = Server.freePort()
            stopCommand = runAs + "\(bin)/pg_ctl -D '\(base)/data' -m immediate stop >/dev/null 2>&1; rm -rf '\(base)'"
            let initdb = Server.shell(runAs + "\(bin)/initdb -D '\(base)/data' -U tally --pwfile='\(base)/pw' --auth-local=trust"
                                      + " --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync")
            guard initdb.status == 0 else { throw Skip(reason: "initdb failed: " + initdb.output.suffix(400)) }
            let start = Server.shell(runAs + "\(bin)/pg_ctl -D '\(base)/data' -l '\(base)/log' -w -t 30 -o"
                                     + " '-c listen_addresses=127.0.0.1 -p \(port) -k \(base)/sock -c fsync=off' start")
            guard start.status == 0 else { throw Skip(reason: "pg_ctl start failed: " + start.output.suffix(400)) }
            _ = system("(while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stopCommand)) >/dev/null 2>&1 </dev/null &")
            let table = Server.shell("\(psql) -h '\(base)/sock' -p \(port) -U tally -d postgres -c 'CREATE TABLE t AS SELECT 42::bigint AS n'")
            guard table.status == 0 else { throw Skip(reason: "psql failed: " + table.output.suffix(400)) }
        }

        func stop() { _ = system(stopCommand) }

        var url: String { "postgres://tally@127.0.0.1:\(port)/postgres" }

        struct Skip: Error { var reason: String }

        static func shell(_ command: String) -> (status: Int32, output: String) {
            let out = NSTemporaryDirectory() + "tally-pw-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            defer { try? FileManager.default.removeItem(atPath: out) }
            let status = system("(" + command + ") > '" + out + "' 2>&1 < /dev/null")
            return ((status >> 8) & 0xFF, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        }

        static func freePort() -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    /// The server, or nil after saying why there is none (a failure under CI=true).
    func server() -> Server? {
        do {
            return try Server()
        } catch let skip as Server.Skip {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("no PostgreSQL server: \(skip.reason)") }
            else { print("skipped: no PostgreSQL server could be started (\(skip.reason))") }
        } catch {
            Issue.record("\(error)")
        }
        return nil
    }

    /// No password from the environment or a ~/.pgpass.
    static let noStoredPassword = ["PGPASSWORD": "", "PGPASSFILE": "/nonexistent/tally-pgpass"]

    /// Whether the terminal echoes what is typed (the pty's settings, read on the master side).
    func echoes(_ terminal: PseudoTerminal) -> Bool {
        var settings = termios()
        guard tcgetattr(terminal.master, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ECHO) != 0
    }

    @Test func theTerminalAsksWithoutEchoAndTheConnectionWorks() throws {
        guard let server = server() else { return }
        defer { server.stop() }
        let state = server.base + "/state"
        let terminal = try PseudoTerminal(arguments: ["--no-datasets"],
                                          environment: Self.noStoredPassword.merging(["XDG_STATE_HOME": state]) { $1 })
        try #require(terminal.waitFor("tally> "), "no prompt: \(terminal.output.text)")
        var mark = terminal.output.count
        terminal.type(".connect \(server.url) as pg\r")
        try #require(terminal.waitFor("Password for tally@127.0.0.1: ", after: mark), "\(terminal.output.text(from: mark))")
        #expect(!echoes(terminal))
        let asked = terminal.output.count
        terminal.type(server.password + "\r")
        #expect(terminal.waitFor("connected `pg`", after: asked), "\(terminal.output.text(from: asked))")
        #expect(terminal.waitFor("tally> ", after: asked))
        mark = terminal.output.count
        terminal.type("from pg.t\r")
        #expect(terminal.waitFor("│ 42 │", after: mark), "\(terminal.output.text(from: mark))")
        #expect(terminal.waitFor("tally> ", after: mark + 10))

        // Ctrl-C at the prompt cancels the statement; the shell goes on.
        mark = terminal.output.count
        terminal.type(".connect \(server.url) as again\r")
        try #require(terminal.waitFor("Password for tally@127.0.0.1: ", after: mark))
        terminal.type("half-typ")
        usleep(100_000)
        terminal.type("\u{03}")
        #expect(terminal.waitFor("cancelled", after: mark), "\(terminal.output.text(from: mark))")
        #expect(terminal.waitFor("tally> ", after: mark + 40))
        terminal.type("\u{04}")
        #expect(terminal.exitStatus() == 0)
        // The terminal echoes again after the shell left it.
        #expect(echoes(terminal))

        let screen = terminal.output.text
        #expect(!screen.contains(server.password) && !screen.contains("half-typ"), "\(screen)")
        let history = (try? String(contentsOfFile: state + "/tally/history", encoding: .utf8)) ?? ""
        #expect(history.contains(".connect \(server.url) as pg"), "\(history)")
        #expect(!history.contains(server.password))
        let journals = (try? FileManager.default.contentsOfDirectory(atPath: state + "/tally/sessions")) ?? []
        #expect(!journals.isEmpty)
        for file in journals {
            let journal = (try? String(contentsOfFile: state + "/tally/sessions/" + file, encoding: .utf8)) ?? ""
            #expect(!journal.contains(server.password), "\(journal)")
        }
    }

    /// Killed while it waits for the password, the shell gives the terminal its echo back first.
    @Test func aSignalAtThePromptRestoresEcho() throws {
        guard let server = server() else { return }
        defer { server.stop() }
        let terminal = try PseudoTerminal(arguments: ["--no-datasets", "--connect", server.url, "as", "pg"],
                                          environment: Self.noStoredPassword)
        try #require(terminal.waitFor("Password for tally@127.0.0.1: "), "\(terminal.output.text)")
        #expect(!echoes(terminal))
        kill(terminal.pid, SIGTERM)
        #expect(terminal.exitStatus() == 128 + SIGTERM)
        #expect(echoes(terminal))
    }

    /// A pipe is never asked: the error says how to give the password.
    @Test func aPipeIsToldHowToGiveThePassword() throws {
        guard let server = server() else { return }
        defer { server.stop() }
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["--no-datasets"]
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = server.base + "/state"
        for (k, v) in Self.noStoredPassword { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(".connect \(server.url) as pg\n".utf8))
        try input.fileHandleForWriting.close()
        _ = output.fileHandleForReading.readDataToEndOfFile()
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(err.contains("tally@127.0.0.1:\(server.port)/postgres needs a password and none was given"), "\(err)")
        #expect(err.contains("PGPASSWORD") && err.contains("~/.pgpass"), "\(err)")
        #expect(!err.contains("Password for"))
    }
}
