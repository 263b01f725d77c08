import TallyEngine

/// One step of a presentation laid out on a screen of `width` × `height` cells: exactly `height`
/// lines, none wider than `width` cells, the last one a status line (title, step k of n, keys).
///
/// The layout is for a classroom: margins on both sides, prose and code in a column of readable
/// width centred on a wide screen, charts as large as the screen allows, tables showing as many rows
/// as fit. Content taller than the screen is clipped at a line (never wrapped mid-box) with a
/// `↓ more` hint, and `scroll` moves it up.
public struct PresentationRenderer: Sendable {
    public var width: Int
    public var height: Int
    public var color: Bool

    /// The widest column prose and code take on a wide screen (longer lines are hard to follow).
    public static let proseWidth = 96

    public init(width: Int, height: Int, color: Bool = false) {
        self.width = max(20, width)
        self.height = max(6, height)
        self.color = color
    }

    /// What a step looks like.
    public struct Screen: Sendable {
        /// Exactly `height` lines, each at most `width` cells (ANSI codes take none).
        public var lines: [String]
        /// The scroll offset used, clamped to what the content allows.
        public var scroll: Int
        /// The largest useful scroll offset (0 when everything fits).
        public var maxScroll: Int
    }

    // MARK: - Geometry

    /// Blank lines above the content.
    var topMargin: Int { height >= 36 ? 2 : (height >= 16 ? 1 : 0) }
    /// The status line, and a blank line (a rule without colour) above it on screens tall enough.
    var bottomRows: Int { height >= 12 ? 2 : 1 }
    /// Lines for content.
    var areaHeight: Int { max(1, height - topMargin - bottomRows) }
    /// Cells on each side of the content.
    var sideMargin: Int { width >= 120 ? width / 16 : (width >= 60 ? 2 : 1) }
    /// Width of the content area (charts and tables use all of it).
    var areaWidth: Int { max(10, width - 2 * sideMargin) }
    /// Width of the prose and code column.
    var columnWidth: Int { min(areaWidth, PresentationRenderer.proseWidth) }

    // MARK: - Rendering

    public func render(_ presentation: Presentation, step index: Int, scroll: Int = 0) -> Screen {
        let count = presentation.steps.count
        let clamped = count == 0 ? 0 : min(max(0, index), count - 1)
        let content: Content
        if count == 0 {
            content = Content(lines: [ScreenLine("(this notebook has nothing to present)")], width: columnWidth, centredVertically: true)
        } else {
            content = layout(presentation.steps[clamped])
        }
        var lines: [String] = Array(repeating: "", count: topMargin)
        let area = areaHeight
        let maxScroll = max(0, content.lines.count - area)
        // When clipped, the last line of the area is the hint; so the content shows one line less.
        let shown = maxScroll > 0 ? max(1, area - 1) : area
        let maxUseful = maxScroll > 0 ? content.lines.count - shown : 0
        let offset = min(max(0, scroll), maxUseful)
        var body = Array(content.lines.dropFirst(offset).prefix(shown))
        let left = max(0, (width - content.width) / 2)
        if content.centredVertically && body.count < area {
            let pad = (area - body.count) / 2
            body = Array(repeating: .empty, count: pad) + body
        }
        for line in body { lines.append(ScreenText.clip(line.indented(left), to: width).text) }
        if maxScroll > 0 {
            while lines.count < topMargin + area - 1 { lines.append("") }
            let below = content.lines.count - offset - shown
            let hint = below > 0 ? "↓ more (\(below) line\(below == 1 ? "" : "s"); ↓ scrolls)" : "↑ scrolled to the end (↑ scrolls back)"
            let cut = CellText.truncated(hint, width: max(1, width - left))
            let text = String(repeating: " ", count: max(0, min(width - cut.width, left + content.width - cut.width))) + cut.text
            lines.append(ScreenLine(ScreenText.styled(text, [.dim, .accent]), color: color).text)
        }
        while lines.count < height - 1 { lines.append("") }
        if bottomRows == 2 && !color {
            lines[height - 2] = String(repeating: "─", count: width)
        }
        lines.append(statusLine(title: presentation.title, step: clamped, count: count,
                                kind: count == 0 ? "" : presentation.steps[clamped].kind))
        return Screen(lines: Array(lines.prefix(height)), scroll: offset, maxScroll: maxUseful)
    }

    /// The bottom line: the notebook's title on the left, the step and the keys on the right.
    func statusLine(title: String, step: Int, count: Int, kind: String) -> String {
        let position = count == 0 ? "0/0" : "\(step + 1)/\(count)"
        let keys: String
        if width >= 110 {
            keys = "→ space next · ← back · g/G first/last · ↓↑ scroll · q quit"
        } else if width >= 64 {
            keys = "→ next · ← back · q quit"
        } else {
            keys = "q quit"
        }
        let right = " " + position + "  " + keys + " "
        let rightWidth = DisplayWidth.of(right)
        let room = max(0, width - rightWidth - 2)
        let cutTitle = CellText.truncated(CellText.sanitized(title.replacingOccurrences(of: "\n", with: " ")), width: room)
        let gap = max(1, width - 1 - cutTitle.width - rightWidth)
        var text = " " + cutTitle.text + String(repeating: " ", count: gap) + right
        var line = ScreenLine(text: text, width: 1 + cutTitle.width + gap + rightWidth)
        if line.width > width {
            line = ScreenText.clip(line, to: width)
            text = line.text
        }
        if color {
            return "\u{1B}[0;7m" + text + String(repeating: " ", count: max(0, width - line.width)) + "\u{1B}[0m"
        }
        return text
    }

    // MARK: - Steps

    struct Content {
        var lines: [ScreenLine]
        /// Width of the block, for centring it on the screen.
        var width: Int
        var centredVertically = false
    }

    func layout(_ step: PresentationStep) -> Content {
        switch step {
        case .title(let page): return titlePage(page)
        case .prose(let text): return Content(lines: ProseLayout(width: columnWidth, color: color).lines(text), width: columnWidth)
        case .query(let query): return queryStep(query)
        case .result(let result): return resultStep(result)
        }
    }

    private func label(_ text: String) -> ScreenLine {
        ScreenLine(ScreenText.styled(text, [.dim]), color: color)
    }

    func titlePage(_ page: PresentationStep.TitlePage) -> Content {
        let w = columnWidth
        var lines: [ScreenLine] = []
        func centred(_ chars: [StyledChar]) {
            for piece in ScreenText.wrap(chars, width: w) {
                let line = ScreenLine(piece, color: color)
                lines.append(line.indented((w - line.width) / 2))
            }
        }
        // `中文 · English` titles read best as two lines on a narrow screen.
        let titleParts = page.title.components(separatedBy: " · ")
        let titleWidth = DisplayWidth.of(page.title)
        if titleParts.count == 2 && titleWidth > w {
            for part in titleParts { centred(ScreenText.styled(part, [.bold, .accent])) }
        } else {
            centred(ScreenText.styled(page.title, [.bold, .accent]))
        }
        let widest = lines.map(\.width).max() ?? 0
        let rule = String(repeating: "═", count: max(8, min(w, widest)))
        centred(ScreenText.styled(rule, [.accent]))
        if let subtitle = page.subtitle {
            lines.append(.empty)
            centred(ScreenText.styled(subtitle))
        }
        if !page.meta.isEmpty {
            lines.append(.empty)
            centred(ScreenText.styled(page.meta.joined(separator: " · "), [.dim]))
        }
        if !page.parameters.isEmpty {
            lines.append(.empty)
            centred(ScreenText.styled("Parameters · 参数: " + page.parameters.joined(separator: ", "), [.dim]))
        }
        lines.append(.empty)
        lines.append(.empty)
        centred(ScreenText.styled("→ or space to begin · 按 → 或空格开始", [.dim]))
        return Content(lines: lines, width: w, centredVertically: true)
    }

    func queryStep(_ query: PresentationStep.Query) -> Content {
        let w = columnWidth
        var lines: [ScreenLine] = [label("Query · 查询 — cell \(query.cell)" + (query.ran ? "" : " (not run · 未运行)")), .empty]
        let gutter = ScreenText.styled("│ ", [.dim, .accent])
        for raw in query.source.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = raw.prefix(while: { $0 == " " }).count
            let hang = ScreenText.styled(String(repeating: " ", count: min(w / 3, indent + 4)))
            let pieces = ScreenText.wrap(CodeLayout.highlighted(String(raw.dropFirst(indent))), width: w - 2,
                                         first: ScreenText.styled(String(repeating: " ", count: min(w / 3, indent))), rest: hang)
            for piece in pieces { lines.append(ScreenLine(gutter + piece, color: color)) }
        }
        return Content(lines: lines, width: w)
    }

    func resultStep(_ result: PresentationStep.Result) -> Content {
        let w = areaWidth
        var lines: [ScreenLine] = [label("Result · 结果 — cell \(result.cell)")]
        if let caption = result.caption {
            lines += ScreenText.wrap(ProseLayout.inline(caption, base: [.bold]), width: w).map { ScreenLine($0, color: color) }
        }
        lines.append(.empty)
        var blockWidth = 0
        for (n, item) in result.items.enumerated() {
            if n > 0 { lines.append(.empty) }
            // What is left of the screen for this item (an item after a first one gets at least a few lines).
            let room = max(8, areaHeight - lines.count)
            switch item {
            case .chart(let table, let spec):
                let text = TerminalChart.render(table, spec, width: w, height: room, color: color)
                let chart = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { ScreenLine(String($0)) }
                lines += chart
                blockWidth = w
            case .table(let table, let maxRows):
                // Box, header and rule, bottom, footer and a `… more rows` line take 6 lines.
                let fit = max(2, room - 6 - (table.columnCount > 0 ? 0 : 1))
                let options = RenderOptions(width: w, maxRows: min(maxRows, fit), color: color, maxColumnWidth: 40)
                let text = TableRenderer(options: options).render(table)
                let box = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { ScreenLine(String($0)) }
                // Centre the box in the area: indent it as a block.
                let boxWidth = box.map(\.width).max() ?? 0
                lines += box
                blockWidth = max(blockWidth, boxWidth)
            case .message(let text):
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    lines += ScreenText.wrap(ScreenText.styled(CellText.sanitized(String(line)), [.dim]), width: w)
                        .map { ScreenLine($0, color: color) }
                }
                blockWidth = w
            case .error(let text):
                // Clipped, not wrapped: the caret must stay under the column it points at.
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    let styled = ScreenText.styled(CellText.sanitized(String(line)), [.error])
                    lines.append(ScreenText.clip(ScreenLine(styled, color: color), to: w))
                }
                blockWidth = w
            }
        }
        if result.synthetic && result.items.contains(where: { if case .table = $0 { return true } else { return false } }) {
            // A chart carries the mark by its title; a table says it on the line below.
            lines += ScreenText.wrap(ScreenText.styled(Provenance.syntheticMark, [.dim]), width: w).map { ScreenLine($0, color: color) }
        }
        // A narrow table is centred; so is its caption line with it (the block moves as one).
        let width = blockWidth == 0 ? w : min(w, max(blockWidth, lines.map(\.width).max() ?? 0))
        return Content(lines: lines, width: width)
    }
}
