import TallyEngine

/// A run notebook as a sequence of steps to show one at a time (`tally present`): a title step from
/// the front matter, then each prose block, each cell's query and each cell's result, in the
/// notebook's order. Cell options are respected the way the HTML report respects them: `echo:
/// false` hides the query step, `output: false` hides the result step (unless the cell failed), and
/// an `eval: false` cell has no result step.
///
/// Pure data: building steps needs no terminal, so the presentation is tested without one.
public struct Presentation: Sendable {
    public var title: String
    public var steps: [PresentationStep]

    public init(title: String, steps: [PresentationStep]) {
        self.title = title
        self.steps = steps
    }

    /// The steps of `run`. Charts are recognised from each statement's text (as in HTML reports),
    /// with the run's parameter values for `$name` titles.
    public init(_ run: NotebookRun) {
        let notebook = run.notebook
        title = notebook.title ?? "Tally notebook"
        let parameters = Dictionary(run.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        var steps: [PresentationStep] = []
        if notebook.title != nil || notebook.subtitle != nil {
            steps.append(.title(PresentationStep.TitlePage(
                title: notebook.title ?? "", subtitle: notebook.subtitle,
                meta: [notebook.author, notebook.date].compactMap { $0 },
                parameters: run.parameters.map { "\($0.name) = \($0.value)" })))
        }
        var cellNumber = 0
        for block in run.blocks {
            switch block {
            case .prose(let text):
                steps += Presentation.sections(of: text).map { .prose($0) }
            case .cell(let result):
                cellNumber += 1
                let options = result.cell.options
                if options.echo {
                    steps.append(.query(PresentationStep.Query(cell: cellNumber, source: result.cell.source,
                                                               ran: result.ran)))
                }
                let showOutput = result.ran && (options.output || result.failed)
                guard showOutput else { continue }
                var items: [PresentationStep.Item] = []
                for output in result.outputs {
                    switch output {
                    case .table(let table, let statement, let maxRows):
                        if let spec = ChartSpec.of(statement: statement, table: table, parameters: parameters) {
                            items.append(.chart(table, spec))
                        } else {
                            items.append(.table(table, maxRows: maxRows))
                        }
                    case .message(let text):
                        if options.output { items.append(.message(text)) }
                    case .error(let text):
                        items.append(.error(text))
                    }
                }
                guard !items.isEmpty else { continue }
                steps.append(.result(PresentationStep.Result(cell: cellNumber, caption: options.caption, items: items)))
            }
        }
        self.steps = steps
    }
}

extension Presentation {
    /// A prose block split before each `#` or `##` heading that follows other text: one section a
    /// step, so a heading that introduces the next cell starts a new screen instead of trailing at
    /// the bottom of the one before it.
    static func sections(of text: String) -> [String] {
        var sections: [[Substring]] = [[]]
        var fence: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
            } else if let level = ProseLayout.headingLevel(trimmed), level <= 2,
                      sections[sections.count - 1].contains(where: { !$0.trimmingSpaces().isEmpty }) {
                sections.append([])
            }
            sections[sections.count - 1].append(line)
        }
        return sections.compactMap { lines in
            var lines = lines[...]
            while let f = lines.first, f.trimmingSpaces().isEmpty { lines.removeFirst() }
            while let l = lines.last, l.trimmingSpaces().isEmpty { lines.removeLast() }
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        }
    }
}

/// One screenful of a presentation.
public enum PresentationStep: Sendable {
    /// The notebook's front matter: title, subtitle, author and date, parameter values.
    case title(TitlePage)
    /// A prose block, as Markdown.
    case prose(String)
    /// A cell's code.
    case query(Query)
    /// What a cell gave: charts, tables, messages, errors.
    case result(Result)

    public struct TitlePage: Sendable, Equatable {
        public var title: String
        public var subtitle: String?
        public var meta: [String]
        public var parameters: [String]
    }

    public struct Query: Sendable, Equatable {
        /// 1-based number of the cell in the notebook.
        public var cell: Int
        public var source: String
        /// False for an `eval: false` cell (shown, never run).
        public var ran: Bool
    }

    public struct Result: Sendable {
        public var cell: Int
        public var caption: String?
        public var items: [Item]
        public var failed: Bool { items.contains { if case .error = $0 { return true } else { return false } } }
        /// Whether a chart or table shown was computed from a synthetic table.
        public var synthetic: Bool {
            items.contains {
                switch $0 {
                case .chart(let table, _), .table(let table, _): return table.provenance == .synthetic
                case .message, .error: return false
                }
            }
        }
    }

    public enum Item: Sendable {
        /// A statement that ended in `chart`: drawn, not tabulated.
        case chart(Table, ChartSpec)
        case table(Table, maxRows: Int)
        case message(String)
        /// The error as the terminal shows it, with its location and caret.
        case error(String)
    }

    /// A short name for the status line.
    public var kind: String {
        switch self {
        case .title: return "title"
        case .prose: return "text"
        case .query(let q): return "query \(q.cell)"
        case .result(let r): return "result \(r.cell)"
        }
    }
}
