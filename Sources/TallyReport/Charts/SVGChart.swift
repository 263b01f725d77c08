#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TallyEngine

/// Charts as standalone SVG for HTML reports: the same kinds as the terminal, with axes,
/// gridlines, a legend and a title, sized for a projector (1200 × 675 by default), a CJK font
/// stack and no scripts or external resources. The output is deterministic and can be embedded
/// inline in HTML.
public enum SVGChart {
    public static let fontStack = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"

    /// Font sizes in SVG units. A chart is read at the size it is shown, so the sizes go with the
    /// width it is drawn for: `.svg` files (1200 wide) use `standard`; HTML reports draw at
    /// `reportWidth` and show the figure at about that width, with `report` sizes.
    public struct Typography: Sendable, Equatable {
        public var title: Double
        public var label: Double
        public var tick: Double
        public init(title: Double, label: Double, tick: Double) {
            self.title = title
            self.label = label
            self.tick = tick
        }

        public static let standard = Typography(title: 30, label: 18, tick: 16)
        /// For a 960-wide figure shown at 768–960 px: ticks 16–20 px and titles 24–30 px on screen,
        /// readable from the back of a classroom.
        public static let report = Typography(title: 30, label: 22, tick: 20)
    }

    /// The width and height HTML reports draw charts at (the page shows them at most this wide).
    public static let reportWidth = 960
    public static let reportHeight = 600

    /// The hook for `HTMLReport`: a cell whose statement ends in `chart` gets its SVG.
    public static func reportRenderer(parameters: [String: String] = [:]) -> ChartSVGRenderer {
        { table, statement in
            ChartSpec.of(statement: statement, table: table, parameters: parameters).map {
                render(table, $0, width: reportWidth, height: reportHeight, typography: .report)
            }
        }
    }

    public static func render(_ table: Table, _ spec: ChartSpec, width: Int = 1200, height: Int = 675,
                              typography: Typography = .standard) -> String {
        var renderer = SVGChartRenderer(data: ChartData(table: table, spec: spec),
                                        width: Double(max(200, width)), height: Double(max(150, height)),
                                        typography: typography)
        return renderer.render()
    }
}

struct SVGChartRenderer {
    let data: ChartData
    let width: Double
    let height: Double
    var svg = SVGBuilder()
    /// Set when category labels are drawn slanted (see `planCategoryLabels`).
    private var slantLength: Double?

    let titleSize: Double
    let labelSize: Double
    let tickSize: Double
    /// Spacing grows with the type: gaps below were set for 16-unit ticks.
    var k: Double { tickSize / 16 }
    static let grid = "#E3E3E3"
    static let axis = "#666"
    static let ink = "#333"

    init(data: ChartData, width: Double, height: Double, typography: SVGChart.Typography = .standard) {
        self.data = data
        self.width = width
        self.height = height
        titleSize = typography.title
        labelSize = typography.label
        tickSize = typography.tick
    }

    mutating func render() -> String {
        var top = 24.0
        if let title = data.title {
            svg.text(title, x: width / 2, y: top + titleSize, size: titleSize,
                     anchor: "middle", fill: "#222", weight: "bold")
            top += titleSize + 16
        }
        if data.isEmpty {
            svg.text("(no values to chart)", x: width / 2, y: height / 2, size: labelSize, anchor: "middle", fill: "#888")
        } else {
            if data.kind != .pie && data.kind != .spark && (data.series.count > 1 || data.hiddenSeries > 0) {
                top = legend(top: top)
            }
            let caption = data.synthetic ? tickSize + 8 : 0
            let frame = (left: 24.0, top: top + 8, right: width - 32, bottom: height - 24 - caption)
            switch data.kind {
            case .line, .area, .scatter, .column: axesChart(frame)
            case .bar: barChart(frame)
            case .pie: pieChart(frame)
            case .spark: sparkChart(frame)
            }
        }
        if data.synthetic {
            // A caption at the foot, right-aligned, as a figure's source line would be.
            svg.text(Provenance.syntheticMark, x: width - 16, y: height - 12, size: tickSize, anchor: "end", fill: "#777",
                     extra: [.s("class", "provenance")])
        }
        let label = (data.title ?? "chart") + (data.synthetic ? " · " + Provenance.syntheticMark : "")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(SVGBuilder.escape(label))\" "
            + "font-family=\"\(SVGChart.fontStack)\">\n"
            + "<title>\(SVGBuilder.escape(label))</title>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#FFFFFF\"/>\n"
            + svg.body + "</svg>\n"
    }

    /// One centred row (or more) of legend items; returns the y below it.
    private mutating func legend(top: Double) -> Double {
        let size = labelSize
        let items = data.series.map { $0.name } + (data.hiddenSeries > 0 ? ["+\(data.hiddenSeries) more"] : [])
        let widths = items.map { SVGBuilder.textWidth($0, size: size) + 34 * k }
        var rows: [[Int]] = [[]]
        var used = 0.0
        for (i, w) in widths.enumerated() {
            if used + w > width - 80, !(rows.last?.isEmpty ?? true) { rows.append([]); used = 0 }
            rows[rows.count - 1].append(i)
            used += w
        }
        var y = top + size
        for row in rows {
            let total = row.reduce(0.0) { $0 + widths[$1] }
            var x = (width - total) / 2
            for i in row {
                if i < data.series.count {
                    switch data.kind {
                    case .bar, .column:
                        svg.element("rect", [.n("x", x), .n("y", y - size * 0.8), .n("width", 18 * k), .n("height", 18 * k), .s("fill", ChartPalette.color(i))])
                    default:
                        svg.line(x - 2, y - size * 0.3, x + 20 * k, y - size * 0.3, stroke: ChartPalette.color(i), width: 3)
                        svg.marker(i, x: x + 9 * k, y: y - size * 0.3, size: 5 * k)
                    }
                }
                svg.text(items[i], x: x + 26 * k, y: y, size: size, fill: SVGChartRenderer.ink)
                x += widths[i]
            }
            y += size + 10
        }
        return y
    }

    // MARK: - Axes charts

    private mutating func axesChart(_ frame: (left: Double, top: Double, right: Double, bottom: Double)) {
        let isColumn = data.kind == .column
        let values = data.allValues
        let ticks = NiceTicks(min: values.min() ?? 0, max: values.max() ?? 1, count: 6, integer: data.yInteger,
                              includeZero: isColumn || data.kind == .area)
        let labels = ticks.labels(units: data.units)
        let labelWidth = labels.map { SVGBuilder.textWidth($0, size: tickSize) }.max() ?? 20
        let left = frame.left + (data.yTitle == nil ? 0 : labelSize + 16 * k) + labelWidth + 12 * k
        planCategoryLabels(isColumn ? Array(data.categories.prefix(60)) : data.categories, across: frame.right - left)
        let slantRoom = slantLength.map { $0 * 0.64 + tickSize * 0.3 } ?? 0
        let bottom = frame.bottom - (tickSize + 18 * k) - slantRoom - (data.xTitle == nil ? 0 : labelSize + 16 * k)
        let plotTop = frame.top + 10
        let y = LinearScale(domain: ticks.lower, ticks.upper, range: bottom, plotTop)
        for (value, label) in zip(ticks.values, labels) {
            svg.line(left, y(value), frame.right, y(value), stroke: value == 0 ? SVGChartRenderer.axis : SVGChartRenderer.grid,
                     width: value == 0 ? 1.5 : 1)
            svg.text(label, x: left - 10 * k, y: y(value) + 5 * k, size: tickSize, anchor: "end", fill: "#555")
        }
        svg.line(left, bottom, frame.right, bottom, stroke: SVGChartRenderer.axis, width: 1.5)
        if let yTitle = data.yTitle {
            let cy = (plotTop + bottom) / 2, cx = frame.left + 16 * k
            svg.text(yTitle, x: cx, y: cy, size: labelSize, anchor: "middle", fill: SVGChartRenderer.ink,
                     extra: [.s("transform", "rotate(-90 \(SVGBuilder.number(cx)) \(SVGBuilder.number(cy)))")])
        }
        if let xTitle = data.xTitle {
            svg.text(xTitle, x: (left + frame.right) / 2, y: frame.bottom - 6, size: labelSize,
                     anchor: "middle", fill: SVGChartRenderer.ink)
        }
        let plot = (left: left, right: frame.right, top: plotTop, bottom: bottom)
        if isColumn { columns(plot, y: y, ticks: ticks) } else { xy(plot, y: y, ticks: ticks) }
    }

    /// Category labels along the bottom, thinned so they never overlap. When `slant` is set (more
    /// categories than fit side by side), they are drawn at -40°, cut to `slant` units long.
    private mutating func xLabels(_ labels: [String], at positions: [Double], bottom: Double, room: Double) {
        var nextFree = -Double.infinity
        let size = tickSize
        for (label, x) in zip(labels, positions) {
            var text = label
            var w = SVGBuilder.textWidth(text, size: size)
            if let slant = slantLength {
                if w > slant {
                    text = CellText.truncated(text, width: max(3, Int(slant / (size * 0.55)))).text
                }
                // Slanted labels need about a line's height between them.
                guard x - size * 0.6 >= nextFree else { continue }
                svg.line(x, bottom, x, bottom + 6 * k, stroke: SVGChartRenderer.axis)
                let tx = x + size * 0.35, ty = bottom + 8 * k + size * 0.8
                svg.text(text, x: tx, y: ty, size: size, anchor: "end", fill: "#555",
                         extra: [.s("transform", "rotate(-40 \(SVGBuilder.number(tx)) \(SVGBuilder.number(ty)))")])
                nextFree = x + size * 0.6
                continue
            }
            if w > max(room, 60) {
                text = CellText.truncated(text, width: max(3, Int(max(room, 60) / (size * 0.55)))).text
                w = SVGBuilder.textWidth(text, size: size)
            }
            guard x - w / 2 >= nextFree else { continue }
            svg.line(x, bottom, x, bottom + 6 * k, stroke: SVGChartRenderer.axis)
            svg.text(text, x: x, y: bottom + 10 * k + size, size: size, anchor: "middle", fill: "#555")
            nextFree = x + w / 2 + 12
        }
    }

    /// How long slanted category labels may be, or nil when the labels fit side by side: set
    /// before the plot's bottom is placed, since slanted labels need room below it.
    private mutating func planCategoryLabels(_ names: [String], across span: Double) {
        slantLength = nil
        guard names.count > 1 else { return }
        let spacing = span / Double(names.count)
        let widest = names.map { SVGBuilder.textWidth($0, size: tickSize) }.max() ?? 0
        if widest + 12 > max(spacing, 60) {
            slantLength = min(widest, max(60, height * 0.22))
        }
    }

    private mutating func xy(_ plot: (left: Double, right: Double, top: Double, bottom: Double), y: LinearScale, ticks: NiceTicks) {
        let x: LinearScale
        let inset = 24.0
        switch data.axis {
        case .categories(let names):
            x = LinearScale(domain: 0, Double(max(1, names.count - 1)), range: plot.left + inset, plot.right - inset)
            let positions = names.indices.map { names.count == 1 ? (plot.left + plot.right) / 2 : x(Double($0)) }
            xLabels(names, at: positions, bottom: plot.bottom, room: (plot.right - plot.left) / Double(max(1, names.count)))
        case .numbers(let kind):
            let xs = data.series.flatMap { $0.points.map(\.x) }
            var integer = false, identifier = false
            if case .plain(let i, let id) = kind { integer = i; identifier = id }
            let tickValues: [Double], labels: [String]
            if kind == .date {
                let dates = DateTicks(min: xs.min() ?? 0, max: xs.max() ?? 1, count: 8)
                x = LinearScale(domain: dates.lower, dates.upper, range: plot.left + inset, plot.right - inset)
                tickValues = dates.values
                labels = dates.labels
            } else {
                let xTicks = NiceTicks(min: xs.min() ?? 0, max: xs.max() ?? 1, count: 8, integer: integer)
                x = LinearScale(domain: xTicks.lower, xTicks.upper, range: plot.left + inset, plot.right - inset)
                tickValues = xTicks.values
                labels = xTicks.labels(units: data.units, identifier: identifier || (integer && xs.allSatisfy { $0 >= 1000 && $0 <= 3000 }))
            }
            for value in tickValues { svg.line(x(value), plot.top, x(value), plot.bottom, stroke: SVGChartRenderer.grid) }
            xLabels(labels, at: tickValues.map { x($0) }, bottom: plot.bottom, room: 200)
        }
        let baseline = y(min(max(0, ticks.lower), ticks.upper))
        for (s, series) in data.series.enumerated() {
            let color = ChartPalette.color(s)
            // Runs of points between nulls.
            var runs: [[(Double, Double)]] = [[]]
            for point in series.points {
                guard let value = point.y else { if !(runs.last?.isEmpty ?? true) { runs.append([]) }; continue }
                let px = data.categories.count == 1 ? (plot.left + plot.right) / 2 : x(point.x)
                runs[runs.count - 1].append((px, y(value)))
            }
            for run in runs where !run.isEmpty {
                if data.kind == .area, let first = run.first, let last = run.last {
                    let d = SVGBuilder.path([(first.0, baseline)] + run + [(last.0, baseline)]) + " Z"
                    svg.element("path", [.s("d", d), .s("fill", color), .n("fill-opacity", data.series.count > 2 ? 0.1 : 0.18)])
                }
                if data.kind != .scatter && run.count > 1 {
                    svg.element("path", [.s("d", SVGBuilder.path(run)), .s("fill", "none"), .s("stroke", color), .n("stroke-width", 3),
                                         .s("stroke-linejoin", "round"), .s("stroke-linecap", "round")])
                }
            }
            let count = series.points.count
            if data.kind == .scatter || count <= 60 {
                for run in runs { for p in run { svg.marker(s, x: p.0, y: p.1, size: data.kind == .scatter ? 5 : 5.5) } }
            }
        }
    }

    private mutating func columns(_ plot: (left: Double, right: Double, top: Double, bottom: Double), y: LinearScale, ticks: NiceTicks) {
        let names = data.categories
        let shown = min(names.count, 60)
        let band = BandScale(count: shown, start: plot.left, length: plot.right - plot.left)
        let seriesCount = Double(max(1, data.series.count))
        let groupWidth = band.width * 0.78
        let barWidth = groupWidth / seriesCount
        let zero = y(min(max(0, ticks.lower), ticks.upper))
        for (s, series) in data.series.enumerated() {
            for point in series.points {
                let i = Int(point.x)
                guard i < shown, let value = point.y else { continue }
                let x0 = band.center(i) - groupWidth / 2 + Double(s) * barWidth
                let top = min(y(value), zero), h = abs(y(value) - zero)
                svg.element("rect", [.n("x", x0 + 1), .n("y", top), .n("width", max(1, barWidth - 2)), .n("height", h),
                                     .s("fill", ChartPalette.color(s))])
            }
        }
        svg.line(plot.left, zero, plot.right, zero, stroke: SVGChartRenderer.axis, width: 1.5)
        xLabels(Array(names.prefix(shown)), at: (0..<shown).map { band.center($0) }, bottom: plot.bottom, room: band.width)
        if shown < names.count {
            svg.text("+\(names.count - shown) more", x: plot.right, y: plot.top - 4, size: tickSize, anchor: "end", fill: "#888")
        }
    }

    // MARK: - Bars

    private mutating func barChart(_ frame: (left: Double, top: Double, right: Double, bottom: Double)) {
        let names = data.categories
        let size = tickSize
        let bottom = frame.bottom - (tickSize + 18 * k) - (data.yTitle == nil ? 0 : labelSize + 16 * k)
        let top = frame.top + (data.xTitle == nil ? 0 : labelSize + 10 * k)
        let seriesCount = max(1, data.series.count)
        let maxShown = max(1, Int((bottom - top) / Double(10 * seriesCount + 6)))
        let shown = min(names.count, maxShown)
        let labelWidth = min((frame.right - frame.left) / 3, (names.prefix(shown).map { SVGBuilder.textWidth($0, size: size) }.max() ?? 20))
        let valueTexts = data.series.map { $0.points.map { $0.y.map(data.units.format) ?? "" } }
        let valueWidth = valueTexts.flatMap { $0 }.map { SVGBuilder.textWidth($0, size: size) }.max() ?? 20
        let left = frame.left + labelWidth + 14
        let right = frame.right - valueWidth - 10
        let values = data.allValues
        let ticks = NiceTicks(min: values.min() ?? 0, max: values.max() ?? 1, count: 6, integer: data.yInteger, includeZero: true)
        let x = LinearScale(domain: ticks.lower, ticks.upper, range: left, right)
        for (value, label) in zip(ticks.values, ticks.labels(units: data.units)) {
            svg.line(x(value), top, x(value), bottom, stroke: value == 0 ? SVGChartRenderer.axis : SVGChartRenderer.grid,
                     width: value == 0 ? 1.5 : 1)
            svg.text(label, x: x(value), y: bottom + 10 * k + size, size: size, anchor: "middle", fill: "#555")
        }
        if let xTitle = data.xTitle {
            svg.text(xTitle, x: frame.left, y: frame.top + 18, size: labelSize, fill: SVGChartRenderer.ink, weight: "bold")
        }
        if let yTitle = data.yTitle {
            svg.text(yTitle, x: (left + right) / 2, y: frame.bottom - 6, size: labelSize, anchor: "middle",
                     fill: SVGChartRenderer.ink)
        }
        let band = BandScale(count: shown, start: top, length: bottom - top)
        let groupHeight = band.width * 0.76
        let barHeight = groupHeight / Double(seriesCount)
        let zero = x(0)
        for i in 0..<shown {
            let label = CellText.truncated(names[i], width: max(3, Int(labelWidth / (size * 0.55)))).text
            svg.text(label, x: left - 10, y: band.center(i) + size * 0.35, size: size, anchor: "end", fill: SVGChartRenderer.ink)
        }
        for (s, series) in data.series.enumerated() {
            for (index, point) in series.points.enumerated() {
                let i = Int(point.x)
                guard i < shown, let value = point.y else { continue }
                let y0 = band.center(i) - groupHeight / 2 + Double(s) * barHeight
                let x0 = min(x(value), zero), w = abs(x(value) - zero)
                svg.element("rect", [.n("x", x0), .n("y", y0 + 1), .n("width", w), .n("height", max(1, barHeight - 2)),
                                     .s("fill", ChartPalette.color(s))])
                if barHeight >= 12 {
                    svg.text(valueTexts[s][index], x: max(x(value), zero) + 6, y: y0 + barHeight / 2 + size * 0.35,
                             size: min(size, barHeight), fill: "#444")
                }
            }
        }
        if shown < names.count {
            svg.text("+\(names.count - shown) more", x: frame.right, y: bottom + 10 * k + size, size: size, anchor: "end", fill: "#888")
        }
    }

    // MARK: - Pie

    private mutating func pieChart(_ frame: (left: Double, top: Double, right: Double, bottom: Double)) {
        let slices = PieSlices(data)
        guard slices.total > 0 else {
            svg.text("(no positive values to chart)", x: width / 2, y: height / 2, size: labelSize, anchor: "middle")
            return
        }
        let radius = min((frame.bottom - frame.top) / 2 - 10, (frame.right - frame.left) / 4)
        let cx = frame.left + (frame.right - frame.left) * 0.34, cy = (frame.top + frame.bottom) / 2
        var start = 0.0
        for (i, item) in slices.items.enumerated() {
            let share = item.value / slices.total
            let end = start + share
            let color = ChartPalette.color(i)
            if share >= 0.9999 {
                svg.element("circle", [.n("cx", cx), .n("cy", cy), .n("r", radius), .s("fill", color), .s("stroke", "#fff"), .n("stroke-width", 2)])
            } else {
                let a0 = start * 2 * Double.pi, a1 = end * 2 * Double.pi
                let p0 = (cx + radius * sin(a0), cy - radius * cos(a0)), p1 = (cx + radius * sin(a1), cy - radius * cos(a1))
                let d = "M\(SVGBuilder.number(cx)) \(SVGBuilder.number(cy)) L\(SVGBuilder.number(p0.0)) \(SVGBuilder.number(p0.1)) "
                    + "A\(SVGBuilder.number(radius)) \(SVGBuilder.number(radius)) 0 \(share > 0.5 ? 1 : 0) 1 "
                    + "\(SVGBuilder.number(p1.0)) \(SVGBuilder.number(p1.1)) Z"
                svg.element("path", [.s("d", d), .s("fill", color), .s("stroke", "#fff"), .n("stroke-width", 2)])
            }
            // Percent inside slices big enough to hold it.
            if share >= 0.05 {
                let mid = (start + end) * Double.pi
                svg.text(PieSlices.percent(share), x: cx + radius * 0.66 * sin(mid), y: cy - radius * 0.66 * cos(mid) + 6,
                         size: tickSize, anchor: "middle", fill: "#fff", weight: "bold")
            }
            start = end
        }
        // Legend on the right: swatch, name, value, share.
        let size = labelSize
        let lx = cx + radius + 60
        var ly = cy - Double(slices.items.count) * (size + 14) / 2 + size
        for (i, item) in slices.items.enumerated() {
            svg.element("rect", [.n("x", lx), .n("y", ly - size * 0.8), .n("width", 18), .n("height", 18), .s("fill", ChartPalette.color(i))])
            svg.text(item.label, x: lx + 28, y: ly, size: size, fill: SVGChartRenderer.ink)
            svg.text(data.units.format(item.value) + "  " + PieSlices.percent(item.value / slices.total), x: frame.right, y: ly,
                     size: size, anchor: "end", fill: "#555")
            ly += size + 14
        }
    }

    // MARK: - Sparklines

    private mutating func sparkChart(_ frame: (left: Double, top: Double, right: Double, bottom: Double)) {
        let size = labelSize
        let rowHeight = min(80, (frame.bottom - frame.top) / Double(max(1, data.series.count)))
        let nameWidth = min((frame.right - frame.left) / 4, data.series.map { SVGBuilder.textWidth($0.name, size: size) }.max() ?? 40)
        let texts = data.series.map { series -> String in
            let ys = series.points.compactMap(\.y)
            guard let first = ys.first, let last = ys.last else { return "" }
            return data.units.format(first) + " → " + data.units.format(last)
        }
        let textWidth = texts.map { SVGBuilder.textWidth($0, size: size) }.max() ?? 40
        let left = frame.left + nameWidth + 20, right = frame.right - textWidth - 20
        // Each line on its own scale: a sparkline shows a shape; the numbers beside it give the size.
        for (s, series) in data.series.enumerated() {
            let own = series.points.compactMap(\.y)
            let low = own.min() ?? 0, high = own.max() ?? 1
            let top = frame.top + Double(s) * rowHeight
            let mid = top + rowHeight / 2
            svg.text(series.name, x: left - 20, y: mid + size * 0.35, size: size, anchor: "end", fill: SVGChartRenderer.ink)
            let n = max(1, series.points.count - 1)
            let y = LinearScale(domain: low, high == low ? low + 1 : high, range: top + rowHeight * 0.85, top + rowHeight * 0.15)
            var run: [(Double, Double)] = []
            var runs: [[(Double, Double)]] = []
            for (i, point) in series.points.enumerated() {
                guard let value = point.y else { if !run.isEmpty { runs.append(run); run = [] }; continue }
                run.append((left + (right - left) * Double(i) / Double(n), y(value)))
            }
            if !run.isEmpty { runs.append(run) }
            for r in runs {
                svg.element("path", [.s("d", SVGBuilder.path(r)), .s("fill", "none"), .s("stroke", ChartPalette.color(s)), .n("stroke-width", 2.5),
                                     .s("stroke-linejoin", "round")])
            }
            if let last = runs.last?.last {
                svg.element("circle", [.n("cx", last.0), .n("cy", last.1), .n("r", 4), .s("fill", ChartPalette.color(s))])
            }
            svg.text(texts[s], x: frame.right, y: mid + size * 0.35, size: size, anchor: "end", fill: "#555")
        }
    }
}
