import Foundation
import Testing
@testable import TallyEngine

/// A throwaway PostgreSQL server for the tests: `initdb` into a temporary directory, started on a
/// free loopback port with a socket directory of its own, stopped when the test process exits (and
/// by a watchdog if the process dies without exiting). As root, the server runs as the `postgres`
/// user, since it refuses to run as root.
///
/// One server per test process, started on first use. When none can be started, tests that need
/// it skip with the reason printed, except under `CI=true`, where they fail.
final class PostgresServer: @unchecked Sendable {
    let port: Int
    let directory: String
    let user = "tally"
    let password = "tally-secret"
    let database = "plan"
    private let binaries: String
    private let runAs: String?

    /// The URL of the test database, with the password.
    var url: String { "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)" }
    func url(database: String) -> String { "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)" }

    /// The shared server, or why there is none.
    static let shared: Result<PostgresServer, ServerUnavailable> = {
        do {
            let server = try PostgresServer.start()
            try server.loadFixtures()
            return .success(server)
        } catch let e as ServerUnavailable {
            return .failure(e)
        } catch {
            return .failure(ServerUnavailable(reason: "\(error)"))
        }
    }()

    struct ServerUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The server for a test: nil (after printing why) when none can be started, or a failure
    /// under `CI=true`.
    static func available(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> PostgresServer? {
        switch shared {
        case .success(let server): return server
        case .failure(let e):
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("no PostgreSQL server for the tests under CI=true: \(e.reason)", sourceLocation: sourceLocation)
            } else {
                print("skipped: no PostgreSQL server could be started (\(e.reason))")
            }
            return nil
        }
    }

    private init(port: Int, directory: String, binaries: String, runAs: String?) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.runAs = runAs
    }

    /// Where `initdb` and `pg_ctl` are: `pg_config --bindir`, Debian's versioned folders, PATH.
    static func findBinaries() -> String? {
        var candidates: [String] = []
        if let out = try? run(["/bin/sh", "-c", "pg_config --bindir 2>/dev/null"]).output {
            candidates.append(out.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += ["/usr/local/bin", "/usr/bin"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }

    static func start() throws -> PostgresServer {
        guard let binaries = findBinaries() else {
            throw ServerUnavailable(reason: "initdb and pg_ctl not found (Debian: apt-get install postgresql)")
        }
        let root = getuid() == 0
        let base = NSTemporaryDirectory() + "tally-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        let runAs: String? = root ? "postgres" : nil
        if root {
            guard (try? run(["/usr/bin/id", "-u", "postgres"]))?.status == 0 else {
                throw ServerUnavailable(reason: "running as root, and there is no `postgres` user to run the server as")
            }
            _ = try? run(["/bin/chown", "postgres", base])
        }
        let port = try freePort()
        let server = PostgresServer(port: port, directory: base, binaries: binaries, runAs: runAs)
        let passwordFile = base + "/pw"
        try server.password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        if root { _ = try? run(["/bin/chown", "postgres", passwordFile]) }
        let initdb = try server.asServerUser([binaries + "/initdb", "-D", base + "/data", "-U", server.user, "--pwfile=" + passwordFile,
                                              "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                                              "--no-sync"])
        guard initdb.status == 0 else {
            throw ServerUnavailable(reason: "initdb failed: " + initdb.output.suffix(600))
        }
        try FileManager.default.createDirectory(atPath: base + "/sock", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o777])
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(base)/sock -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=40"
        let started = try server.asServerUser([binaries + "/pg_ctl", "-D", base + "/data", "-o", options, "-l", base + "/log",
                                               "-w", "-t", "30", "start"])
        guard started.status == 0 else {
            let log = (try? String(contentsOfFile: base + "/log", encoding: .utf8)) ?? ""
            throw ServerUnavailable(reason: "pg_ctl start failed: " + (started.output + log).suffix(800))
        }
        server.stopAtExit()
        return server
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerUnavailable(reason: "no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ServerUnavailable(reason: "cannot bind a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Stops the server when the process exits, however the tests went; a watchdog shell stops
    /// it too if the process is killed.
    private func stopAtExit() {
        let stop = "\(binaries)/pg_ctl -D \(directory)/data -m immediate stop >/dev/null 2>&1; rm -rf \(directory)"
        let asUser = runAs.map { "/usr/sbin/runuser -u \($0) -- /bin/sh -c '\(binaries)/pg_ctl -D \(directory)/data -m immediate stop >/dev/null 2>&1'; rm -rf \(directory)" } ?? stop
        PostgresServer.stopLock.lock()
        PostgresServer.stopCommands.append(asUser)
        let first = PostgresServer.stopCommands.count == 1
        PostgresServer.stopLock.unlock()
        if first {
            atexit {
                for command in PostgresServer.stopCommands { _ = system(command) }
            }
        }
        let watchdog = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; " + asUser
        _ = try? PostgresServer.spawnDetached(["/bin/sh", "-c", watchdog])
    }

    /// Every server started, stopped at exit (guarded by `stopLock`).
    nonisolated(unsafe) static var stopCommands: [String] = []
    static let stopLock = NSLock()

    /// Runs `arguments` as the server's user (as root: through `runuser`).
    func asServerUser(_ arguments: [String]) throws -> (status: Int32, output: String) {
        if let runAs { return try PostgresServer.run(["/usr/sbin/runuser", "-u", runAs, "--"] + arguments) }
        return try PostgresServer.run(arguments)
    }

    /// Runs a program to its end, through `system` with the output in a file: Foundation's
    /// `Process` waits for every descriptor the child shares, and the server `pg_ctl` starts keeps
    /// them for its whole life.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "tally-pg-run-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let status = system(quoted + " > '" + outputPath + "' 2>&1 < /dev/null")
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // `system` gives a wait status: the exit code is in its second byte.
        return ((status >> 8) & 0xFF, text)
    }

    /// Starts a shell command in the background, not waited for.
    static func spawnDetached(_ arguments: [String]) throws {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        _ = system("(" + quoted + ") > /dev/null 2>&1 < /dev/null &")
    }

    // MARK: - Fixtures

    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let datasetsDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Datasets")

    /// The database `plan`: the plan datasets in `public`, the differential corpus's tables in the
    /// schema `diff`, and a few tables for the bad inputs.
    private func loadFixtures() throws {
        let admin = try PostgresConnection(name: "admin", ConnectionString(url(database: "postgres")))
        try admin.execute("CREATE DATABASE \(database)")
        admin.close()
        let session = Session()
        _ = try session.connect(url, as: "pg")
        guard let pg = session.connection("pg") else { throw ServerUnavailable(reason: "no connection after .connect") }
        try pg.execute("""
            CREATE SCHEMA diff;
            CREATE TABLE events (id integer, payload jsonb, at timestamptz, amount numeric(12,2), code numeric(30,0), label varchar(20), flag char(3));
            INSERT INTO events VALUES (1, '{"a": 1}', '2024-05-01 10:00:00+08', 12.50, 123456789012345678901234567890, 'one', 'ab'),
                                      (2, NULL, NULL, NULL, NULL, NULL, NULL);
            CREATE VIEW slow AS SELECT pg_sleep(30)::text AS s, 1::bigint AS n;
            """)
        for name in ["aid", "counties", "notes"] {
            try session.register(name: "local_\(name)", path: PostgresServer.testsDirectory
                .appendingPathComponent("Differential/data/\(name).csv").path)
            _ = try session.run("from local_\(name)")
            _ = try session.run(".export pg.diff.\(name)")
        }
        try pg.execute("CREATE SCHEMA conf")
        let conformance = PostgresServer.testsDirectory.appendingPathComponent("Conformance/data")
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: conformance.path)) ?? []).sorted() where file.hasSuffix(".csv") {
            let name = String(file.dropLast(4))
            try session.register(name: "conf_\(name)", path: conformance.appendingPathComponent(file).path)
            _ = try session.run("from conf_\(name)")
            _ = try session.run(".export pg.conf.\(name)")
        }
        let datasets = (try? FileManager.default.contentsOfDirectory(atPath: PostgresServer.datasetsDirectory.path)) ?? []
        for file in datasets.sorted() where file.hasSuffix(".csv") {
            let name = String(file.dropLast(4))
            try session.register(name: "plan_\(name)", path: PostgresServer.datasetsDirectory.appendingPathComponent(file).path)
            _ = try session.run("from plan_\(name)")
            _ = try session.run(".export pg.\(name)")
        }
        try pg.execute("ANALYZE")
        session.connection("pg")?.close()
    }

    /// A session connected to the test database as `pg`.
    func session(name: String = "pg") throws -> Session {
        let session = Session()
        _ = try session.connect(url, as: name)
        return session
    }
}
