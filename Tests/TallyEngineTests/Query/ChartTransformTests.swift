import Testing
@testable import TallyEngine

/// `chart`: parsed into a ChartSpec, checked against the columns, last in a query only.
@Suite("chart transform")
struct ChartTransformTests {
    func session() throws -> Session {
        let s = Session()
        try s.register(name: "rates", table: try Table(names: ["year", "city", "rate", "n"], columns: [
            Column(ints: [2021, 2021, 2022, 2022]),
            Column(texts: ["南宁市", "柳州市", "南宁市", "柳州市"]),
            Column(floats: [0.95, 0.93, 0.96, 0.94]),
            Column(ints: [10, 20, 30, 40]),
        ]))
        return s
    }

    func spec(_ query: String) throws -> (Table, ChartSpec) {
        guard case .chart(let table, let spec) = try session().run(query) else {
            Issue.record("not a chart: \(query)")
            throw TallyError(.usage, "not a chart")
        }
        return (table, spec)
    }

    func failure(_ query: String) -> TallyError? {
        do {
            _ = try session().run(query)
            return nil
        } catch let e as TallyError {
            return e
        } catch {
            return nil
        }
    }

    @Test func fullSpec() throws {
        let (table, spec) = try spec(#"from rates | sort year | chart line x:year y:rate by:city title:"巩固率" x_title:"年份" y_title:"比率""#)
        #expect(table.rowCount == 4)
        #expect(spec == ChartSpec(kind: .line, x: "year", y: ["rate"], by: "city", title: "巩固率", xTitle: "年份", yTitle: "比率"))
    }

    @Test func tupleOfYColumns() throws {
        let (_, spec) = try spec("from rates | chart column x:city y:{rate, n}")
        #expect(spec.kind == .column)
        #expect(spec.y == ["rate", "n"])
    }

    @Test func defaultsPickTextXAndNumberY() throws {
        let (_, spec) = try spec("from rates | select {city, n} | chart bar")
        #expect(spec.x == "city")
        #expect(spec.y == ["n"])
    }

    @Test func theTableStaysTheResult() throws {
        let s = try session()
        _ = try s.run("from rates | filter year == 2022 | chart bar x:city y:n")
        #expect(s.lastResult?.rowCount == 2)
        #expect(try s.query("from _ | aggregate {t = sum n}").columns[0].text(at: 0) == "70")
        #expect(try s.query("from rates | chart spark y:n").rowCount == 4)
    }

    @Test func unknownColumnSuggests() {
        let e = failure("from rates | chart line x:yeer y:rate")
        #expect(e?.kind == .name)
        #expect(e?.message == "unknown column `yeer`")
        #expect(e?.hint == "did you mean `year`?")
        #expect(e?.span == 26..<30)
    }

    @Test func unknownKindAndArgument() {
        #expect(failure("from rates | chart lines x:year y:rate")?.hint == "did you mean `line`?")
        let e = failure("from rates | chart line x:year y:rate titel:\"a\"")
        #expect(e?.message == "unknown chart argument `titel:`")
        #expect(e?.hint == "did you mean `title:`?")
    }

    @Test func yMustBeNumbers() {
        let e = failure("from rates | chart bar x:year y:city")
        #expect(e?.kind == .type)
        #expect(e?.message.contains("`city` is text") == true)
    }

    @Test func chartMustBeLast() {
        let e = failure("from rates | chart bar x:city y:n | take 1")
        #expect(e?.message == "`chart` must be the last transform of a query")
        #expect(failure("let r = (from rates | chart bar)")?.message == "`chart` must be the last transform of a query")
    }

    @Test func byTakesOneY() {
        #expect(failure("from rates | chart line x:year y:{rate, n} by:city")?.message == "with `by:`, `y:` takes one column")
        #expect(failure("from rates | chart scatter x:city y:n")?.kind == .type)
        #expect(failure("from rates | chart")?.message == "`chart` needs a kind")
    }
}
