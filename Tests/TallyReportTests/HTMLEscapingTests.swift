import Foundation
import Testing
import TallyEngine
@testable import TallyReport

/// Hostile text from every place a report takes text from: parameters, cells, column names, captions,
/// labels, chart categories and titles, the front matter, error messages. None of it becomes markup.
@Suite("HTML and SVG escaping")
struct HTMLEscapingTests {
    static let hostile = "<img src=x onerror=alert(1)>"

    static func run(keepGoing: Bool = true) throws -> (html: String, run: NotebookRun) {
        let session = Session()
        try session.register(name: "t", table: makeTable([
            ("k", Column(texts: [hostile, "<script>alert(2)</script>"])),
            ("<b>n</b>", Column(ints: [1, 2])),
        ]))
        let text = """
        ---
        title: "<script>alert(3)</script>"
        subtitle: "<svg onload=alert(4)>"
        author: "<iframe>"
        params:
          who: plain
        ---

        Hello $who, and `$who` in code, and [a link]($who).

        ```tally
        #| caption: "<img src=c onerror=alert(5)>"
        #| label: "x\\"><img src=l>"
        from t
        ```

        ```tally
        from t | derive {n = `<b>n</b>`} | chart bar x:k y:n title:$who x_title:"<img src=xt>"
        ```

        ```tally
        #| error: true
        from t | filter `<img src=e>` > 1
        ```

        """
        let notebook = try NotebookParser.parse(text, file: "esc.md")
        let parameters = [("who", hostile)]
        let result = try NotebookRunner(session: session, file: "esc.md", keepGoing: keepGoing).run(notebook, overrides: parameters)
        let html = HTMLReport(chartRenderer: SVGChart.reportRenderer(parameters: ["who": hostile])).render(result)
        return (html, result)
    }

    @Test func noHostileTextBecomesMarkup() throws {
        let (html, run) = try HTMLEscapingTests.run()
        #expect(run.errorCount == 1)
        for tag in ["<img", "<script", "<iframe", "<svg onload", "<b>"] {
            #expect(!html.contains(tag), "\(tag) in the report")
        }
        // The prose still says what the parameter holds, as text.
        #expect(html.contains("Hello &lt;img src=x onerror=alert(1)&gt;, and <code>&lt;img"))
        #expect(html.contains("<svg xmlns="))
        #expect(html.contains("<title>&lt;img src=x onerror=alert(1)&gt;</title>"))
    }

    @Test func svgFilesEscapeLabelsAndTitles() throws {
        let table = makeTable([("k", Column(texts: ["<a>&", "b"])), ("n", Column(ints: [1, 2]))])
        let spec = try #require(ChartSpec.of(statement: "from t | chart bar x:k y:n title:\"<script>\" y_title:\"'\\\"\"",
                                             table: table))
        let svg = SVGChart.render(table, spec)
        #expect(!svg.contains("<script") && !svg.contains("<a>"))
        #expect(svg.contains("&lt;a&gt;&amp;"))
    }
}
