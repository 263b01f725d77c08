import Foundation
import Testing
import TallyEngine
import TallyReport

@Suite("render entry and exports")
struct RenderTests {
    let table = makeTable([
        ("county", Column(texts: ["南宁市", "a|b"])),
        ("n", Column(ints: [12_345, nil])),
    ])

    @Test func formatsParseFromModeNames() {
        #expect(OutputFormat(rawValue: "markdown") == .markdown)
        #expect(OutputFormat(rawValue: "line") == .line)
        #expect(OutputFormat(rawValue: "box") == nil)
        #expect(OutputFormat.allCases.count == 6)
    }

    @Test func machineFormatsUseTheEngineWriters() {
        #expect(render(table, format: .csv) == "county,n\n南宁市,12345\na|b,\n")
        #expect(render(table, format: .tsv) == "county\tn\n南宁市\t12345\na|b\t\n")
        #expect(render(table, format: .json) == "[\n{\"county\":\"南宁市\",\"n\":12345},\n{\"county\":\"a|b\",\"n\":null}\n]\n")
        #expect(render(table, format: .markdown) == MarkdownWriter().string(table))
        #expect(render(table, format: .markdown).contains("| a\\|b   |"))
    }

    @Test func machineFormatsIgnoreTheRowLimit() {
        let long = makeTable([("i", Column(ints: (0..<100).map { Int64($0) }))])
        #expect(render(long, format: .csv, options: RenderOptions(maxRows: 4)).split(separator: "\n").count == 101)
    }

    @Test func tableAndLineModesUseTheRenderers() {
        let options = RenderOptions(width: 60, maxRows: 10, color: true)
        #expect(render(table, format: .table, options: options) == TableRenderer(options: options).render(table))
        #expect(render(table, format: .line, options: options) == LineRenderer(options: options).render(table))
        #expect(render(table, format: .table).contains("│ 南宁市 │ 12,345 │"))
    }

    @Test func defaultOptions() {
        let options = RenderOptions()
        #expect(options.width == 80)
        #expect(options.maxRows == 40)
        #expect(!options.color)
    }

    @Test func exportFormatFromFileName() {
        #expect(ExportFormat(path: "out/aid.csv") == .csv)
        #expect(ExportFormat(path: "aid.TSV") == .tsv)
        #expect(ExportFormat(path: "aid.jsonl") == .ndjson)
        #expect(ExportFormat(path: "notes.md") == .markdown)
        #expect(ExportFormat(path: "aid") == nil)
        #expect(ExportFormat(path: "dir.csv/aid") == nil)
    }

    @Test func exportWritesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-export-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("aid.csv").path
        try TableExport.write(table, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "county,n\n南宁市,12345\na|b,\n")
        try TableExport.write(table, to: path, format: .ndjson)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{\"county\":\"南宁市\""))
    }

    @Test func exportErrorsAreTallyErrors() {
        #expect(throws: TallyError.self) { try TableExport.write(table, to: "/tmp/no-extension") }
        do {
            try TableExport.write(table, to: "/nonexistent-dir-\(UUID())/x.csv")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.kind == .io)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
