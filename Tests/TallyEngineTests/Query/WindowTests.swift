import Testing
@testable import TallyEngine

/// Window frames at the edges, window functions, pivot / unpivot / describe edge cases and errors.
@Suite("Windows and reshaping")
struct WindowTests {
    func session() throws -> Session {
        let s = Session()
        try s.register(name: "t", table: try Table(names: ["g", "k", "x"], columns: [
            Column(texts: ["a", "a", "a", "b", "b"]),
            Column(ints: [1, 2, 2, 1, 5]),
            Column(ints: [10, nil, 30, 40, 50]),
        ]))
        return s
    }

    func column(_ query: String, _ name: String) throws -> [String] {
        let t = try session().query(query)
        guard let c = t.column(named: name) else { return [] }
        return (0..<t.rowCount).map { c.text(at: $0) ?? "null" }
    }

    func message(_ query: String) throws -> TallyError? {
        do { _ = try session().query(query) } catch let e as TallyError { return e }
        return nil
    }

    @Test func rowsFrameAtTheEdges() throws {
        #expect(try column("from t | window rows:-1..1 (derive {s = sum x})", "s") == ["10", "40", "70", "120", "90"])
        #expect(try column("from t | window rows:1..2 (derive {s = sum x})", "s") == ["30", "70", "90", "50", "null"])
        #expect(try column("from t | window rows:-9..-5 (derive {n = count this})", "n") == ["0", "0", "0", "0", "0"])
    }

    @Test func rollingAndExpanding() throws {
        #expect(try column("from t | window rolling:2 (derive {m = max x})", "m") == ["10", "10", "30", "40", "50"])
        #expect(try column("from t | window expanding:true (derive {a = average x})", "a") == ["10.0", "10.0", "20.0", "26.666666666666668", "32.5"])
        #expect(try column("from t | window expanding:true (derive {f = first x, l = last x})", "l") == ["10", "null", "30", "40", "50"])
    }

    @Test func frameAggregatesFallBackForMedian() throws {
        #expect(try column("from t | window rolling:3 (derive {m = median x})", "m") == ["10.0", "10.0", "20.0", "35.0", "40.0"])
    }

    @Test func rangeFrameUsesTheSortKeyAndPeers() throws {
        #expect(try column("from t | sort k | window range:0..0 (derive {n = count this})", "n") == ["2", "2", "2", "2", "1"])
        #expect(try column("from t | sort -k | window range:..0 (derive {n = count this})", "n") == ["1", "3", "3", "5", "5"])
    }

    @Test func rangeNeedsOneSortKey() throws {
        #expect(try message("from t | window range:-1..0 (derive {n = count this})")?.message.contains("sorted") == true)
        #expect(try message("from t | sort {k, x} | window range:-1..0 (derive {n = count this})")?.message.contains("exactly one") == true)
        #expect(try message("from t | sort g | window range:-1..0 (derive {n = count this})")?.hint?.contains("rows:") == true)
    }

    @Test func windowFunctionsFollowTheSortAndGroups() throws {
        #expect(try column("from t | sort k | derive {r = rank k}", "r") == ["1", "1", "3", "3", "5"])
        #expect(try column("from t | sort k | derive {r = rank_dense k}", "r") == ["1", "1", "2", "2", "3"])
        #expect(try column("from t | group g (sort -k | derive {r = row_number this})", "r") == ["1", "2", "3", "1", "2"])
        #expect(try column("from t | derive {p = lag 1 x, n = lead 1 x}", "p") == ["null", "10", "null", "30", "40"])
        #expect(try column("from t | derive {z = lag 0 x}", "z") == ["10", "null", "30", "40", "50"])
    }

    @Test func growthIsNullAfterNullOrZero() throws {
        let s = Session()
        try s.register(name: "u", table: try Table(names: ["x"], columns: [Column(floats: [2, 3, nil, 4, 0, 5])]))
        let t = try s.query("from u | derive {g = growth x}")
        let g = t.columns[1]
        #expect((0..<6).map { g.text(at: $0) ?? "null" } == ["null", "0.5", "null", "null", "-1.0", "null"])
    }

    @Test func windowErrors() throws {
        #expect(try message("from t | window rows:1 (derive {s = sum x})")?.hint?.contains("rows:-2..0") == true)
        #expect(try message("from t | window rolling:0 (derive {s = sum x})")?.message.contains("1 or more") == true)
        #expect(try message("from t | window sideways:true (derive {s = sum x})")?.message.contains("no option") == true)
        #expect(try message("from t | aggregate {r = row_number this}")?.message.contains("cannot be used in `aggregate`") == true)
        #expect(try message("from t | derive {p = lag x}")?.kind == .type)
        #expect(try message("from t | derive {g = growth g}")?.message.contains("number") == true)
    }

    @Test func pivotMakesNullForMissingCells() throws {
        let t = try session().query("from t | select {g, k, x} | pivot k (sum x)")
        #expect(t.names == ["g", "1", "2", "5"])
        #expect((0..<2).map { t.columns[3].text(at: $0) ?? "null" } == ["null", "50"])
    }

    @Test func unpivotSkipsNullsAndNamesColumns() throws {
        let t = try session().query("from t | select {g, k, x} | unpivot {k, x} name:field value:v")
        #expect(t.names == ["g", "field", "v"])
        #expect(t.rowCount == 9)
        #expect(try message("from t | unpivot {g, x}")?.message.contains("share a type") == true)
    }

    @Test func describeCountsNulls() throws {
        let t = try session().query("from t | describe")
        #expect(t.names == ["column", "type", "count", "nulls", "distinct", "min", "max", "mean", "median"])
        #expect((0..<9).map { t.columns[$0].text(at: 2) ?? "null" } == ["x", "int", "4", "1", "4", "10", "50", "32.5", "35.0"])
    }
}
