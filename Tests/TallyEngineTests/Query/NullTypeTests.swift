import Testing
@testable import TallyEngine

/// A column with no values has the null type, which takes the type of what it meets (as in DuckDB).
@Suite("The null type")
struct NullTypeTests {
    static func session() throws -> Session {
        let session = Session()
        _ = try session.run(".load \(TestFiles.write("e.csv", "a,n,s\n1,,x\n2,,y\n")) as e")
        return session
    }

    @Test func aNullLiteralColumnMeetsAnInt() throws {
        let table = try Session().query("from [{n = null}] | derive c = n ?? 7")
        #expect(table.columns[1].type == .int)
        #expect(TestFiles.cells(table) == [["null", "7"]])
        let mixed = try Session().query("from [{n = null}, {n = 3}] | derive c = n ?? 7")
        #expect(TestFiles.cells(mixed) == [["null", "7"], ["3", "3"]])
    }

    @Test func anEmptyCSVColumnMeetsWhatItMeets() throws {
        let session = try NullTypeTests.session()
        let table = try session.query("""
            from e | derive {c = n ?? 7, f = n ?? 1.5, t = n ?? "none", d = n + 1, b = n ?? a, r = round 2 n}
            select {c, f, t, d, b, r}
            """)
        #expect(table.columns.map(\.type) == [.int, .float, .text, .int, .int, .int])
        #expect(TestFiles.cells(table) == [["7", "1.5", "none", "null", "1", "null"], ["7", "1.5", "none", "null", "2", "null"]])
    }

    @Test func aggregatesOfTheNullType() throws {
        let table = try NullTypeTests.session().query("from e | aggregate {s = sum n, c = count n, m = max n, av = average n}")
        #expect(TestFiles.cells(table) == [["0", "0", "null", "null"]])
    }

    @Test func aTextColumnWithValuesIsStillText() throws {
        #expect(throws: TallyError.self) { try NullTypeTests.session().query("from e | derive c = s ?? 7") }
    }
}
