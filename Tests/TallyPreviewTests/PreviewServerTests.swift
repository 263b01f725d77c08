import Foundation
import Testing
import TallyEngine
import TallyReport
@testable import TallyPreview

/// The preview server in this process, on a free loopback port, fetched over real sockets.
@Suite("tally preview server", .serialized)
struct PreviewServerTests {
    /// A folder with `aid.csv` and the notebook `nb.md`.
    static func folder(_ notebook: String) throws -> String {
        let dir = NSTemporaryDirectory() + "tally-preview-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "year,county,amount\n2021,兴宁区,10.5\n2022,马山县,20\n2022,兴宁区,7\n"
            .write(toFile: dir + "/aid.csv", atomically: true, encoding: .utf8)
        try notebook.write(toFile: dir + "/nb.md", atomically: true, encoding: .utf8)
        return dir
    }

    /// Runs `body` with a started server; the server is stopped whether `body` throws or not.
    static func withServer(_ notebook: String, token: String? = nil,
                           _ body: (PreviewServer, UInt16, String) async throws -> Void) async throws {
        let dir = try folder(notebook)
        let engine = PreviewEngine(path: dir + "/nb.md") {
            let session = Session()
            try session.registerDirectory(dir)
            return session
        }
        let server = try PreviewServer(engine: engine, options: .init(
            host: "127.0.0.1", port: 0, token: token, pollInterval: .milliseconds(50), dataDirectories: [dir]))
        let port = try await server.start()
        do {
            try await body(server, port, dir)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static let twoCells = """
    ---
    title: 资助 · Aid
    params:
      year: {value: 2022, choices: [2021, 2022]}
    ---

    # Aid in $year

    ```tally
    let base = 100
    from aid | filter year == $year | select {county}
    ```

    ```tally
    from aid | aggregate {n = count this, b = sum amount + base}
    ```
    """

    @Test func pageThenChangePushedOverEvents() async throws {
        try await PreviewServerTests.withServer(PreviewServerTests.twoCells) { server, port, dir in
            let page = try await LoopbackClient.get(port: port, "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.body.contains("<td>马山县</td>"))
            #expect(page.body.contains("new EventSource"))
            #expect(page.body.contains("<select id=\"p-year\" name=\"year\"><option value=\"2021\">2021</option>"
                                       + "<option value=\"2022\" selected>2022</option></select>"))
            let version = server.engine.currentVersion
            let events = try await LoopbackClient.events(port: port, "/events?_v=\(version)")
            let opened = try await events.wait(for: ": tally preview")
            #expect(opened.contains("retry: 1000"))
            #expect(EventStream.updates(in: opened).isEmpty, "the page is current: no update yet")

            // Edit the second cell: the first keeps its result, the second runs anew and still sees `base`.
            let edited = PreviewServerTests.twoCells.replacingOccurrences(of: "b = sum amount + base", with: "b = max amount + base")
            try edited.write(toFile: dir + "/nb.md", atomically: true, encoding: .utf8)
            let body = try await events.wait(for: "event: update")
            let updates = EventStream.updates(in: body)
            try #require(updates.count == 1, "\(body)")
            let json = try JSONDecoder().decode(PreviewEngine.PageContent.self, from: Data(updates[0].utf8))
            #expect(json.keptCells == 1)
            #expect(json.rerunCells == 1)
            #expect(json.content.contains("<td class=\"num\">120.0</td>"), "\(json.content)")
            #expect(json.content.contains("<td>马山县</td>"))
        }
    }

    @Test func dataFileChangeIsPushed() async throws {
        try await PreviewServerTests.withServer(PreviewServerTests.twoCells) { server, port, dir in
            _ = try await LoopbackClient.get(port: port, "/")
            let events = try await LoopbackClient.events(port: port, "/events?_v=\(server.engine.currentVersion)")
            _ = try await events.wait(for: ": tally preview")
            try "year,county,amount\n2022,上林县,1\n".write(toFile: dir + "/aid.csv", atomically: true, encoding: .utf8)
            let body = try await events.wait(for: "event: update")
            let update = try #require(EventStream.updates(in: body).first)
            #expect(update.contains("上林县"))
            #expect(!update.contains("马山县"))
        }
    }

    @Test func parametersFromTheAddress() async throws {
        try await PreviewServerTests.withServer(PreviewServerTests.twoCells) { _, port, _ in
            let page = try await LoopbackClient.get(port: port, "/?year=2021")
            #expect(page.status == 200)
            #expect(page.body.contains("<h1>Aid in 2021</h1>"))
            #expect(page.body.contains("<td>兴宁区</td>") && !page.body.contains("<td>马山县</td>"))
            #expect(page.body.contains("<option value=\"2021\" selected>"))

            let outside = try await LoopbackClient.get(port: port, "/?year=1999")
            #expect(outside.body.contains("`1999` is not one of the choices of `year`"))
            #expect(outside.body.contains("<option value=\"2022\" selected>"), "the default is used")

            let unknown = try await LoopbackClient.get(port: port, "/?yeer=2021")
            #expect(unknown.body.contains("The notebook has no parameter `yeer`"))

            // A changed control re-listens with its values; the stream answers with that run at once.
            let events = try await LoopbackClient.events(port: port, "/events?year=2021&_v=-1")
            let body = try await events.wait(for: "event: update")
            let update = try #require(EventStream.updates(in: body).first)
            #expect(update.contains("Aid in 2021") && update.contains("兴宁区"))
        }
    }

    @Test func failingCellAndBrokenFrontMatterStayServed() async throws {
        let notebook = """
        ```tally
        from aid | filter amout > 1
        ```

        ```tally
        from aid | aggregate {n = count this}
        ```
        """
        try await PreviewServerTests.withServer(notebook) { server, port, dir in
            let page = try await LoopbackClient.get(port: port, "/")
            #expect(page.status == 200)
            #expect(page.body.contains("<pre class=\"error\">error: unknown column `amout`"))
            #expect(page.body.contains("nb.md:2:"), "the error names the file and line")
            #expect(page.body.contains("<td class=\"num\">3</td>"), "the cell after the failing one still runs")

            let events = try await LoopbackClient.events(port: port, "/events?_v=\(server.engine.currentVersion)")
            _ = try await events.wait(for: ": tally preview")
            try ("---\ntitle: [unclosed\nparams:\n  year 2021\n---\n" + notebook)
                .write(toFile: dir + "/nb.md", atomically: true, encoding: .utf8)
            let body = try await events.wait(for: "event: update")
            let update = try #require(EventStream.updates(in: body).first)
            #expect(update.contains("The notebook does not read"))
            // YAML reads `[unclosed` as a list never closed: the line it opens on.
            #expect(update.contains("nb.md:2"), "\(update)")
            #expect(update.contains("unknown column"), "the last version that read stays below the error")

            let again = try await LoopbackClient.get(port: port, "/")
            #expect(again.status == 200)
            #expect(again.body.contains("bad front matter"))
        }
    }

    @Test func tokenIsRequiredWhenSet() async throws {
        let token = PreviewServer.makeToken()
        #expect(token.count == 32 && token.allSatisfy(\.isHexDigit))
        #expect(PreviewServer.makeToken() != token)
        try await PreviewServerTests.withServer(PreviewServerTests.twoCells, token: token) { _, port, _ in
            let r1 = try await LoopbackClient.get(port: port, "/")
            #expect(r1.status == 403)
            let r2 = try await LoopbackClient.get(port: port, "/?token=0123")
            #expect(r2.status == 403)
            let r3 = try await LoopbackClient.get(port: port, "/events")
            #expect(r3.status == 403)
            let page = try await LoopbackClient.get(port: port, "/?token=\(token)&year=2021")
            #expect(page.status == 200)
            #expect(page.body.contains("<input type=\"hidden\" name=\"token\" value=\"\(token)\">"))
            #expect(page.body.contains("<h1>Aid in 2021</h1>"))
        }
    }

    @Test func onlyTheNotebookIsServed() async throws {
        try await PreviewServerTests.withServer(PreviewServerTests.twoCells) { _, port, _ in
            let r4 = try await LoopbackClient.get(port: port, "/aid.csv")
            #expect(r4.status == 404)
            let r5 = try await LoopbackClient.get(port: port, "/../../etc/passwd")
            #expect(r5.status == 404)
            let r6 = try await LoopbackClient.get(port: port, "/nb.md")
            #expect(r6.status == 404)
            // A page elsewhere reaching the port through another host name is refused.
            let r7 = try await LoopbackClient.get(port: port, "/", host: "attacker.example:\(port)")
            #expect(r7.status == 403)
            let r8 = try await LoopbackClient.get(port: port, "/", host: "localhost:\(port)")
            #expect(r8.status == 200)
        }
    }

    @Test func loopbackHostNames() {
        #expect(PreviewServer.isLoopbackHost("127.0.0.1:8000"))
        #expect(PreviewServer.isLoopbackHost("localhost"))
        #expect(PreviewServer.isLoopbackHost("[::1]:8000"))
        #expect(!PreviewServer.isLoopbackHost("127.0.0.1.evil.example"))
        #expect(!PreviewServer.isLoopbackHost("example.com:8000"))
        #expect(!PreviewServer.isLoopbackHost(""))
    }
}

extension PreviewServerTests {
    @Test func loopbackLookalikesAreNotLoopback() {
        #expect(!PreviewServer.isLoopbackHost("127.evil.example.com"))
        #expect(PreviewServer.isLoopbackHost("127.0.0.2:80"))
    }
}
