import Foundation
import Testing
@testable import TallyEngine

/// Statements written to break things: each gives a clear error (message, line, hint) or the right
/// answer in bounded time, and the session goes on.
@Suite("Hostile statements")
struct HostileStatementTests {
    /// Runs `statement`, expecting a TallyError; returns it.
    func failure(_ session: Session, _ statement: String) throws -> TallyError {
        do {
            _ = try session.run(statement)
        } catch let error as TallyError {
            return error
        }
        Issue.record("expected an error")
        return TallyError(.runtime, "no error")
    }

    func table(_ session: Session, _ statement: String) throws -> Table {
        guard case .table(let table) = try session.run(statement) else {
            Issue.record("no table")
            return try Table(names: [], columns: [])
        }
        return table
    }

    /// The session still answers.
    func stillWorks(_ session: Session) throws {
        #expect(TestFiles.cells(try table(session, "from [{a = 41}] | derive b = a + 1")) == [["41", "42"]])
    }

    // MARK: - Deep nesting

    static let depth = 100_000

    @Test(arguments: [
        ("parentheses", String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)),
        ("arrays", String(repeating: "[", count: depth) + "a" + String(repeating: "]", count: depth)),
        ("tuples", String(repeating: "{", count: depth) + "a" + String(repeating: "}", count: depth)),
        ("minus signs", String(repeating: "-", count: depth) + "a"),
        ("negations", String(repeating: "!", count: depth) + "true"),
        ("a chain of additions", Array(repeating: "a", count: depth).joined(separator: " + ")),
        ("powers", Array(repeating: "a", count: depth).joined(separator: " ** ")),
        ("calls", String(repeating: "math.abs (", count: depth) + "a" + String(repeating: ")", count: depth)),
        ("case", String(repeating: "case [true => ", count: depth) + "1" + String(repeating: "]", count: depth)),
    ])
    func deepNestingIsAnErrorNamingTheLine(_ name: String, _ expression: String) throws {
        let session = Session()
        let statement = "from [{a = 1}]\n| derive b = " + expression
        let error = try failure(session, statement)
        #expect(error.message == "the expression is nested too deeply", "\(name): \(error.message)")
        #expect(error.hint == "split it into steps or `let` declarations")
        let rendered = error.rendered()
        #expect(rendered.contains("\n2 | "), "\(name): no line 2 in \(rendered.prefix(300))")
        #expect(rendered.utf8.count < 1_000, "\(name): \(rendered.utf8.count) bytes of message")
        try stillWorks(session)
    }

    @Test func deeplyNestedPipelines() throws {
        let session = Session()
        let statement = String(repeating: "from (", count: HostileStatementTests.depth) + "from [{a = 1}]"
            + String(repeating: ")", count: HostileStatementTests.depth)
        let error = try failure(session, statement)
        #expect(error.message == "the expression is nested too deeply")
        try stillWorks(session)
    }

    @Test func deeplyNestedFunctions() throws {
        let session = Session()
        let error = try failure(session, "let f = " + String(repeating: "x -> ", count: HostileStatementTests.depth) + "x")
        #expect(error.message == "the expression is nested too deeply", "\(error.message)")
        try stillWorks(session)
    }

    @Test func deepNestingInAScript() throws {
        let script = "from [{a = 1}]\n" + String(repeating: "(", count: HostileStatementTests.depth) + "\n"
        #expect(throws: TallyError.self) { _ = try Parser.parseScript(script) }
    }

    // MARK: - Huge statements

    @Test func tenMegabyteQuery() throws {
        let session = Session()
        let text = String(repeating: "南宁x", count: (10 << 20) / 4)
        let statement = "# " + String(repeating: "c", count: 1 << 20) + "\nfrom [{a = 1}]\n| derive {s = \"\(text)\"}\n"
            + "| derive {n = text.length s} | select {n}"
        #expect(statement.utf8.count > 10 << 20)
        #expect(TestFiles.cells(try table(session, statement)) == [["\(text.count)"]])
    }

    @Test func tenMegabyteErrorShowsAWindowOfTheLine() throws {
        let session = Session()
        let statement = "from [{a = 1}] | derive {s = \"" + String(repeating: "x", count: 10 << 20) + "\"} | filter nope > 1"
        let error = try failure(session, statement)
        let rendered = error.rendered()
        #expect(rendered.contains("nope"))
        #expect(rendered.contains("…"))
        #expect(rendered.utf8.count < 1_000, "\(rendered.utf8.count) bytes")
        try stillWorks(session)
    }

    @Test func longPipeline() throws {
        let session = Session()
        let steps = Array(repeating: "derive a = a + 1", count: 20_000).joined(separator: " | ")
        #expect(TestFiles.cells(try table(session, "from [{a = 0}] | " + steps)) == [["20000"]])
    }

    @Test func millionElementRelationLiteral() throws {
        let session = Session()
        var statement = "from ["
        statement.reserveCapacity(16 << 20)
        for i in 0..<1_000_000 { statement += i == 0 ? "{a = \(i)}" : ", {a = \(i)}" }
        statement += "] | aggregate {n = count this, s = sum a}"
        let start = Date()
        #expect(TestFiles.cells(try table(session, statement)) == [["1000000", "499999500000"]])
        #expect(Date().timeIntervalSince(start) < 120)
    }

    // MARK: - Regular expressions

    @Test func catastrophicBacktrackingIsStoppedWithAnError() throws {
        let session = Session()
        let start = Date()
        let error = try failure(session, #"from [{s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}] | filter s ~= "(a+)+$""#)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(error.message.contains("took over 1 s"), "\(error.message)")
        #expect(error.hint?.contains("nested repetition") == true)
        try stillWorks(session)
    }

    @Test func ordinaryRegularExpressionsStillMatch() throws {
        let session = Session()
        let rows = try table(session, #"from [{s = "南宁市"}, {s = "柳州市"}, {s = "aaa!"}] | filter s ~= "^(南宁|aa+)""#)
        #expect(TestFiles.cells(rows) == [["南宁市"], ["aaa!"]])
    }

    // MARK: - take

    static let three = "from [{a = 1}, {a = 2}, {a = 3}]"

    @Test(arguments: [
        ("take 9223372036854775807", ["1", "2", "3"]),
        ("take 2..9223372036854775807", ["2", "3"]),
        ("take 9223372036854775807..", []),
        ("take 4..", []),
        ("take 5..2", []),
        ("take 2..2", ["2"]),
        ("take 0", []),
        ("take ..2", ["1", "2"]),
        ("take 1..0", []),
    ])
    func takeWithHugeOrEmptyRanges(_ step: String, _ expected: [String]) throws {
        let session = Session()
        #expect(TestFiles.cells(try table(session, HostileStatementTests.three + " | " + step)).map { $0[0] } == expected, "\(step)")
        let grouped = try table(session, HostileStatementTests.three + " | group a (" + step + ")")
        #expect(grouped.rowCount <= 3)
    }

    @Test(arguments: [
        ("window rows:-9223372036854775807..9223372036854775807 (derive {s = sum a})", ["6", "6", "6"]),
        ("window rows:5..-5 (derive {s = sum a})", ["null", "null", "null"]),
        ("window rows:9223372036854775807..9223372036854775807 (derive {s = sum a})", ["null", "null", "null"]),
        ("sort a | window range:-9223372036854775807..0 (derive {s = sum a})", ["1", "3", "6"]),
        ("sort a | window range:9223372036854775807..9223372036854775807 (derive {s = sum a})", ["null", "null", "null"]),
        ("derive {s = lag 2147483647 a}", ["null", "null", "null"]),
    ])
    func windowsWithHugeOrReversedFrames(_ step: String, _ expected: [String]) throws {
        let session = Session()
        #expect(TestFiles.cells(try table(session, HostileStatementTests.three + " | " + step)).map { $0[1] } == expected, "\(step)")
    }

    @Test func windowFramesSaturateAtTheEndsOfInt64() throws {
        let session = Session()
        let rows = try table(session, "from [{a = -9223372036854775807}, {a = 9223372036854775807}] | sort a"
            + " | window range:-9223372036854775807..9223372036854775807 (derive {n = count a})")
        #expect(TestFiles.cells(rows).map { $0[1] } == ["1", "1"])
    }

    @Test(arguments: [
        ("take (-5)", "`take` needs a count of 0 or more, got -5"),
        ("take (-3)..(-1)", "`take` counts rows from 1, got -3"),
        ("take 0..2", "`take` counts rows from 1, got 0"),
        ("take (-9223372036854775807 - 1)..3", "`take` needs a whole number"),
        ("take ..(-1)", "`take` counts rows from 1, got -1"),
        ("take 99999999999999999999", "`take` needs a whole number"),
        ("take -5", "`take -` reads as arithmetic (`take - …`), not a transform"),
    ])
    func negativeTakeIsAClearError(_ step: String, _ message: String) throws {
        let session = Session()
        let error = try failure(session, HostileStatementTests.three + "\n| " + step)
        #expect(error.message == message, "\(step): \(error.message)")
        #expect(error.hint != nil)
        #expect(error.rendered().contains("\n2 | "))
        try stillWorks(session)
    }
}
