import Foundation
import TallyEngine
import TallyReport

/// The notebook behind a preview: read from its file, run for each set of parameter values a page
/// asks for, re-run from the first changed cell when the file or its data change.
///
/// Sessions are not thread-safe and runs are CPU work, so every run happens on one serial queue
/// (off Swift's cooperative threads, which serve the connections meanwhile).
public final class PreviewEngine: @unchecked Sendable {
    public let path: String
    /// Parameter values from the command line: the page's defaults.
    public let overrides: [(String, String)]
    private let makeSession: @Sendable () throws -> Session
    private let queue = DispatchQueue(label: "tally.preview.run")

    // State below is touched only on `queue`.
    private var notebook: Notebook?
    /// Why the file does not read as a notebook now (rendered with file and line), if it doesn't.
    private var readError: String?
    private var version = 0
    private var runs: [String: RunSlot] = [:]
    private var useOrder: [String] = []

    /// Parameter sets kept with their results; the least recently used is dropped beyond this.
    static let keptParameterSets = 8
    /// Longest parameter value taken from an address.
    static let maxValueLength = 200

    final class RunSlot {
        let runner: LiveNotebookRunner
        var version = -1
        var page: PageContent?
        init(runner: LiveNotebookRunner) { self.runner = runner }
    }

    /// What a page shows for one set of parameter values.
    public struct PageContent: Sendable, Codable, Equatable {
        /// Bumped on every change of the notebook or its data.
        public var version: Int
        public var title: String
        /// The form of parameter controls.
        public var form: String
        /// Errors above the report: a notebook that no longer reads, a bad parameter in the address.
        public var notices: String
        /// The report: header, prose, cells with their outputs or errors.
        public var content: String
        /// Cells kept from the run before and cells run anew (for the status line and tests).
        public var keptCells: Int
        public var rerunCells: Int
    }

    public init(path: String, overrides: [(String, String)] = [], makeSession: @escaping @Sendable () throws -> Session) {
        self.path = path
        self.overrides = overrides
        self.makeSession = makeSession
        queue.sync { self.reread() }
    }

    /// The notebook's current read error, if any (for the command line's first message).
    public var currentReadError: String? { queue.sync { readError } }
    public var currentVersion: Int { queue.sync { version } }

    /// The files to watch: the notebook and every file its cells `.load` or `.run`.
    public var watchedFiles: [String] {
        queue.sync {
            [path] + (notebook.map { LiveNotebookRunner.dataFiles(of: $0, file: path) } ?? [])
        }
    }

    /// The notebook or its data changed: read it again; the next page or event runs it anew.
    public func changed(dataFiles: [String]) {
        queue.sync {
            reread()
            for slot in runs.values {
                slot.runner.dataChanged(dataFiles)
            }
            version += 1
        }
    }

    private func reread() {
        do {
            notebook = try NotebookParser.read(path: path)
            readError = nil
        } catch let error as TallyError {
            // The last notebook that read stays on the page, under the error.
            readError = error.rendered()
        } catch {
            readError = "error: \(error)\n  --> \(path)"
        }
    }

    /// The page for the parameter values in an address (`?year=2024`), the command line's values
    /// for the others. A name the notebook does not declare, a value too long or not among the
    /// parameter's choices is said above the report and the default is used.
    public func page(query: [(name: String, value: String)]) async -> PageContent {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.pageNow(query: query))
            }
        }
    }

    private func pageNow(query: [(name: String, value: String)]) -> PageContent {
        var notices: [String] = []
        if let readError {
            notices.append("<div class=\"notice error\"><strong>The notebook does not read · 笔记本无法解析</strong>"
                           + "<pre>\(HTMLText.escape(readError))</pre>"
                           + (notebook == nil ? "" : "<p>Showing the last version that read · 下面是上次可解析的版本</p>")
                           + "</div>")
        }
        guard let notebook else {
            return PageContent(version: version, title: "Tally preview", form: "", notices: notices.joined(),
                               content: "", keptCells: 0, rerunCells: 0)
        }
        var values: [(String, String)] = []
        for (name, value) in overrides where notebook.params.contains(where: { $0.name == name }) {
            values.append((name, value))
        }
        for (name, value) in query {
            guard let param = notebook.params.first(where: { $0.name == name }) else {
                notices.append(notice("The notebook has no parameter `\(name)` · 笔记本没有参数 `\(name)`"))
                continue
            }
            guard value.count <= PreviewEngine.maxValueLength else {
                notices.append(notice("The value of `\(name)` is longer than \(PreviewEngine.maxValueLength) characters · 参数值过长"))
                continue
            }
            if !param.choices.isEmpty && !param.choices.contains(value) {
                notices.append(notice("`\(value)` is not one of the choices of `\(name)` (\(param.choices.joined(separator: ", "))) · 不是可选值"))
                continue
            }
            values.removeAll { $0.0 == name }
            values.append((name, value))
        }
        let parameters = (try? NotebookRunner.parameters(for: notebook, overrides: values, file: path))
            ?? notebook.params.map { (name: $0.name, value: $0.defaultValue) }
        let key = parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1F}")
        let slot: RunSlot
        if let existing = runs[key] {
            slot = existing
        } else {
            slot = RunSlot(runner: LiveNotebookRunner(file: path, makeSession: makeSession))
            runs[key] = slot
        }
        useOrder.removeAll { $0 == key }
        useOrder.append(key)
        while useOrder.count > PreviewEngine.keptParameterSets {
            runs[useOrder.removeFirst()] = nil
        }
        let form = PreviewPage.form(notebook.params, values: parameters)
        if slot.version != version || slot.page == nil {
            var content: String
            var kept = 0, rerun = 0
            do {
                let update = try slot.runner.run(notebook, overrides: parameters.map { ($0.name, $0.value) })
                let values = Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
                content = HTMLReport(chartRenderer: SVGChart.reportRenderer(parameters: values))
                    .content(update.run, parametersInHeader: false)
                kept = update.keptCells
                rerun = update.rerunCells
            } catch let error as TallyError {
                content = "<pre class=\"error\">\(HTMLText.escape(error.rendered()))</pre>"
            } catch {
                content = "<pre class=\"error\">\(HTMLText.escape("error: \(error)"))</pre>"
            }
            slot.page = PageContent(version: version, title: notebook.title ?? "Tally notebook", form: form,
                                    notices: "", content: content, keptCells: kept, rerunCells: rerun)
            slot.version = version
        }
        var page = slot.page ?? PageContent(version: version, title: "", form: form, notices: "", content: "",
                                            keptCells: 0, rerunCells: 0)
        page.form = form
        page.notices = notices.joined()
        page.version = version
        return page
    }

    private func notice(_ text: String) -> String {
        "<div class=\"notice\">\(HTMLText.escape(text))</div>"
    }
}
