import Foundation
import Testing
import TallyEngine
import TallyReport

/// Every notebook in `Notebooks/` runs on the plan datasets without an error and renders to HTML and
/// Markdown, twice to the same bytes.
@Suite("the project's notebooks")
struct AllNotebooksTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var notebooks: [String] {
        let dir = root.appendingPathComponent("Notebooks").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted().map { dir + "/" + $0 }
    }

    @Test func thereAreAtLeastSix() {
        #expect(AllNotebooksTests.notebooks.count >= 6)
    }

    @Test(arguments: AllNotebooksTests.notebooks)
    func rendersWithoutErrors(_ path: String) throws {
        func render() throws -> (html: String, markdown: String, run: NotebookRun) {
            let notebook = try NotebookParser.read(path: path)
            let session = Session()
            try session.registerDirectory(AllNotebooksTests.root.appendingPathComponent("Datasets").path)
            let run = try NotebookRunner(session: session, file: path).run(notebook)
            return (HTMLReport().render(run), MarkdownReport().render(run), run)
        }
        let first = try render()
        #expect(first.run.stoppedBy == nil, "\(first.run.stoppedBy ?? "")")
        #expect(first.run.errorCount == 0)
        #expect(first.run.cells.allSatisfy { $0.ran })
        #expect(first.run.notebook.title != nil)
        #expect(!first.html.contains("class=\"error\""))
        #expect(first.markdown.contains("synthetic") && first.markdown.contains("合成"))
        let second = try render()
        #expect(first.html == second.html)
        #expect(first.markdown == second.markdown)
    }
}

/// What the notebooks' prose claims about the data and the language stays true.
@Suite("the notebooks' prose")
struct NotebookProseTests {
    @Test(arguments: AllNotebooksTests.notebooks)
    func noStaleClaims(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("Joins are not") && !text.contains("还没有连接"), "joins are in the language")
        #expect(!text.contains("about 4 billion") && !text.contains("约 40 亿"), "no such published aid figure")
        #expect(!text.contains("< 0.95 "), "the 2025 retention target is 0.96")
    }
}
