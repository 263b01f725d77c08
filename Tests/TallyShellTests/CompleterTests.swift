import Foundation
import Testing
import TallyEngine
@testable import TallyShell

/// Tab's candidates by position: commands, paths, tables, transforms, columns with their types,
/// functions, parameters.
@Suite("Completion")
struct CompleterTests {
    let completer: Completer

    init() throws {
        let session = Session(parameters: ["year": "2024", "city": "南宁市"])
        try session.register(name: "aid", table: Table(names: ["县名", "资助人数", "amount", "year"], columns: [
            Column(texts: ["兴宁区"]), Column(ints: [5]), Column(floats: [1.5]), Column(ints: [2021]),
        ]))
        try session.register(name: "counties", table: Table(names: ["county", "city"], columns: [
            Column(texts: ["兴宁区"]), Column(texts: ["南宁市"]),
        ]))
        _ = try session.run("let cap = 10")
        completer = Completer(session: session)
    }

    func texts(_ before: String) -> [String] { completer.candidates(before).1.map(\.text) }

    @Test func commandsAndTheirArguments() {
        #expect(texts(".sa") == [".save"])
        #expect(texts(".s").sorted() == [".save", ".schema", ".sheets", ".store", ".svg"])
        #expect(texts(".schema ") == ["aid", "counties"])
        #expect(texts(".mode c") == ["csv"])
        #expect(texts(".pager o") == ["on", "off"])
        #expect(texts(".journal ") == ["list"])
        #expect(texts(".st") == [".store"])
        #expect(texts(".store ") == ["aid", "counties"])
        #expect(texts(".store aid ") == ["into"])
        #expect(texts(".store aid into pg.t r") == ["replace:true"])
        #expect(texts(".load x.csv ").contains("as"))
        #expect(completer.candidates(".ed").1.first?.note.contains("EDITOR") == true)
    }

    @Test func tablesAfterFromAndJoin() {
        #expect(texts("from ") == ["aid", "counties"])
        #expect(texts("from co") == ["counties"])
        #expect(texts("from aid | join side:left c = co") == ["counties"])
    }

    @Test func transformsAfterAPipe() {
        #expect(texts("from aid | fi") == ["filter"])
        #expect(texts("from aid |\nse") == ["select"])
        #expect(texts("from aid | group year (ag") == ["aggregate"])
        #expect(!texts("from aid | ").contains("from"))
    }

    @Test func columnsOfTheRelationAtThatPointWithTypes() {
        let (length, found) = completer.candidates("from aid | derive r = 资")
        #expect(length == 1)
        #expect(found == [Completer.Candidate(text: "资助人数", note: "int")])
        // A column made by an earlier step; one dropped by an earlier step is gone.
        #expect(texts("from aid | derive rate = amount / 2 | select !{year} | sort r").first == "rate")
        #expect(!texts("from aid | select {amount} | filter ").contains("year"))
        #expect(texts("from aid | select {amount} | filter ") == ["amount"])
        // Inside a group's aggregate: the group's input; then functions and `let` names.
        #expect(texts("from aid | group 县名 (aggregate {t = sum am") == ["amount"])
        #expect(texts("from aid | filter c") .starts(with: ["cap"]))
        #expect(texts("from aid | derive x = math.sq") == ["math.sqrt"])
        // A join's condition sees the joined table too.
        #expect(texts("from aid | join c = counties (this.县名 == that.ci") == ["that.city"])
    }

    @Test func parametersAfterADollar() {
        #expect(texts("from aid | filter year == $") == ["$city", "$year"])
        #expect(texts("from aid | filter year == $y") == ["$year"])
    }

    @Test func namesThatNeedBackticks() {
        #expect(Completer.quotedIfNeeded("县名") == "县名")
        #expect(Completer.quotedIfNeeded("amount (yuan)") == "`amount (yuan)`")
        #expect(Completer.quotedIfNeeded("2021") == "`2021`")
    }

    @Test func aListShowsEachCandidateWithItsNote() {
        let completion = LineEditor.Completion(wordLength: 1, candidates: ["amount", "area"], notes: ["float", "text"])
        let list = LineEditor.candidateList(completion, columns: 80)
        #expect(list == "\namount  float\narea    text\n")
    }
}
