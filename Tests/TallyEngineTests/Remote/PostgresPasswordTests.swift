import Foundation
import Testing
@testable import TallyEngine

/// A server that wants a password when none was given: outside the interactive shell `.connect`
/// says how to give one; with a prompt (the shell's, reading the terminal with echo off) it asks
/// once and connects with what was typed, which no message, hint or saved text shows.
@Suite("PostgreSQL: asking for a password")
struct PostgresPasswordTests {
    /// The test role's connection string without a password, and with no ~/.pgpass to find one in.
    func passwordless(_ server: PostgresServer) -> String? {
        // PGPASSWORD in the environment would answer for the prompt.
        guard ProcessInfo.processInfo.environment["PGPASSWORD"] == nil else {
            print("skipped: PGPASSWORD is set")
            return nil
        }
        return "host=127.0.0.1 port=\(server.port) dbname=\(server.database) user=\(server.user) passfile=/nonexistent/tally-pgpass"
    }

    /// What a prompt was asked, in order.
    final class Asked: @unchecked Sendable {
        private let lock = NSLock()
        private var prompts: [String] = []
        func add(_ prompt: String) { lock.lock(); prompts.append(prompt); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return prompts }
    }

    @Test func withoutAPromptTheErrorSaysHowToGiveOne() throws {
        guard let server = PostgresServer.available(), let url = passwordless(server) else { return }
        let session = Session()
        let error = #expect(throws: TallyError.self) { try session.run(".connect \"\(url)\" as pg") }
        #expect(error?.message == "\(server.user)@127.0.0.1:\(server.port)/\(server.database) needs a password and none was given")
        let hint = error?.hint ?? ""
        #expect(hint.contains("PGPASSWORD") && hint.contains("~/.pgpass") && hint.contains("postgres://user:PASSWORD@host/db"), "\(hint)")
        #expect(session.connectionNames.isEmpty)
    }

    @Test func theTypedPasswordConnectsAndIsShownNowhere() throws {
        guard let server = PostgresServer.available(), let url = passwordless(server) else { return }
        let session = Session()
        let asked = Asked()
        let password = server.password
        session.passwordPrompt = { prompt in
            asked.add(prompt)
            return password
        }
        guard case .message(let connected) = try session.run(".connect \"\(url)\" as pg") else { Issue.record("no message"); return }
        defer { session.connection("pg")?.close() }
        #expect(asked.all == ["Password for \(server.user)@127.0.0.1: "])
        #expect(!connected.contains(password), "\(connected)")
        #expect(try session.query("from pg.counties | aggregate {n = count this}")[0, "n"] == .int(111))
        let connection = try #require(session.connection("pg"))
        #expect(!connection.connectionString.redacted.contains(password))
        // A query the server refuses names neither the password nor the string that holds it.
        let refused = #expect(throws: TallyError.self) { try connection.execute("SELECT '\(password)'::int") }
        #expect(refused?.rendered().contains(password) == false, "\(String(describing: refused?.rendered()))")
    }

    @Test func aWrongTypedPasswordIsAskedOnceAndNotShown() throws {
        guard let server = PostgresServer.available(), let url = passwordless(server) else { return }
        let session = Session()
        let asked = Asked()
        session.passwordPrompt = { prompt in
            asked.add(prompt)
            return "typed-but-wrong"
        }
        let error = #expect(throws: TallyError.self) { try session.run(".connect \"\(url)\" as pg") }
        #expect(error?.message == "authentication failed for \(server.user)@127.0.0.1:\(server.port)/\(server.database)")
        #expect(error?.rendered().contains("typed-but-wrong") == false)
        #expect(asked.all.count == 1)
    }

    @Test func nothingTypedLeavesItUnconnected() throws {
        guard let server = PostgresServer.available(), let url = passwordless(server) else { return }
        let session = Session()
        session.passwordPrompt = { _ in nil }
        let error = #expect(throws: TallyError.self) { try session.run(".connect \"\(url)\" as pg") }
        #expect(error?.message == "no password given: `pg` is not connected to \(server.user)@127.0.0.1:\(server.port)/\(server.database)")
        #expect(session.connectionNames.isEmpty)
        // Ctrl-C at the prompt: the statement is cancelled.
        session.passwordPrompt = { _ in throw TallyError.cancelled() }
        let cancelled = #expect(throws: TallyError.self) { try session.run(".connect \"\(url)\" as pg") }
        #expect(cancelled?.kind == .cancelled)
    }

    /// A server that needs no password is never asked for one.
    @Test func aServerThatNeedsNoneIsNotAsked() throws {
        guard let server = PostgresServer.available() else { return }
        let session = Session()
        let asked = Asked()
        session.passwordPrompt = { prompt in
            asked.add(prompt)
            return nil
        }
        _ = try session.connect(server.url, as: "pg")
        session.connection("pg")?.close()
        #expect(asked.all.isEmpty)
    }
}
