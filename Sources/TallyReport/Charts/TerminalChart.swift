#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TallyEngine

/// Charts drawn with text for a terminal: braille dots for lines and areas, eighth blocks for bars,
/// round axis ticks, a legend, up to eight series in distinct colours and markers (so they stay
/// apart without colour), Chinese labels aligned by display width.
///
/// The output is exactly `width` cells wide at most and `height` lines at most (unless the
/// terminal is too small for any chart), deterministic, and ends with a newline.
public enum TerminalChart {
    public static func render(_ table: Table, _ spec: ChartSpec, width: Int, height: Int, color: Bool) -> String {
        let data = ChartData(table: table, spec: spec)
        var renderer = TerminalChartRenderer(data: data, width: max(20, width), height: max(6, height), color: color)
        return renderer.render()
    }
}

struct TerminalChartRenderer {
    let data: ChartData
    let width: Int
    let height: Int
    let color: Bool

    /// Lines above the chart body (title, legend) and notes below it.
    private var header: [String] = []
    private var notes: [String] = []

    init(data: ChartData, width: Int, height: Int, color: Bool) {
        self.data = data
        self.width = width
        self.height = height
        self.color = color
    }

    mutating func render() -> String {
        let mark = data.synthetic ? "(" + Provenance.syntheticMark + ")" : ""
        let markWidth = DisplayWidth.of(mark)
        if let title = data.title {
            // The mark is never cut: the title gives way to it.
            let room = data.synthetic ? max(1, width - markWidth - 2) : width
            let cut = CellText.truncated(CellText.sanitized(title), width: room)
            let lineWidth = cut.width + (data.synthetic ? markWidth + 2 : 0)
            let pad = max(0, (width - lineWidth) / 2)
            var line = String(repeating: " ", count: pad) + (color ? ChartPalette.bold + cut.text + ChartPalette.reset : cut.text)
            if data.synthetic { line += "  " + style(mark, dim: true) }
            header.append(line)
        } else if data.synthetic {
            header.append(String(repeating: " ", count: max(0, (width - markWidth) / 2)) + style(mark, dim: true))
        }
        if data.isEmpty {
            return (header + ["(no values to chart)"]).joined(separator: "\n") + "\n"
        }
        if data.kind != .pie && data.kind != .spark && (data.series.count > 1 || data.hiddenSeries > 0) {
            header += legend()
        }
        if data.hiddenSeries > 0 {
            notes.append(style("\(data.hiddenSeries) more series not drawn (a chart shows \(ChartData.maxSeries))", dim: true))
        }
        let body: [String]
        let room = max(3, height - header.count - notes.count)
        switch data.kind {
        case .line, .area, .scatter, .column: body = axesChart(rows: room)
        case .bar: body = barChart(rows: room)
        case .pie: body = pieChart(rows: room)
        case .spark: body = sparkChart()
        }
        return (header + body + notes).joined(separator: "\n") + "\n"
    }

    // MARK: - Pieces

    private func style(_ text: String, series: Int? = nil, dim: Bool = false) -> String {
        guard color else { return text }
        if let series { return ChartPalette.ansi(series) + text + ChartPalette.reset }
        return dim ? ChartPalette.dim + text + ChartPalette.reset : text
    }

    /// The symbol a series is drawn with: its marker for lines and points, its fill for bars.
    private func symbol(_ series: Int) -> Character {
        switch data.kind {
        case .bar, .column, .pie: return color ? "█" : ChartPalette.fill(series)
        default: return ChartPalette.marker(series)
        }
    }

    /// `● 南宁市  ■ 柳州市  …`, wrapped to the width.
    private func legend() -> [String] {
        var lines: [String] = []
        var line = "", used = 0
        for (i, series) in data.series.enumerated() {
            let name = CellText.truncated(CellText.sanitized(series.name), width: max(4, width / 2))
            let itemWidth = 2 + name.width
            if used > 0 && used + 2 + itemWidth > width {
                lines.append(line)
                line = ""; used = 0
            }
            if used > 0 { line += "  "; used += 2 }
            line += style(String(symbol(i)), series: i) + " " + name.text
            used += itemWidth
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Labels placed centred at `positions` along a line of `width` cells; a label that would
    /// touch the one before it is left out.
    private func placeLabels(_ labels: [String], at positions: [Int], into canvas: inout TerminalCanvas, row: Int,
                             maxWidth: Int) {
        var nextFree = 0
        for (label, position) in zip(labels, positions) {
            let cut = CellText.truncated(label, width: max(1, maxWidth))
            var start = position - (cut.width - 1) / 2
            start = min(max(start, 0), canvas.width - cut.width)
            guard start >= nextFree, start >= 0 else { continue }
            canvas.write(cut.text, x: start, y: row)
            nextFree = start + cut.width + 1
        }
    }

    // MARK: - Line, area, scatter, column

    private mutating func axesChart(rows room: Int) -> [String] {
        let yTitleRows = data.yTitle == nil ? 0 : 1
        let xTitleRows = data.xTitle == nil ? 0 : 1
        let plotRows = max(2, room - yTitleRows - xTitleRows - 2)
        let values = data.allValues
        let isColumn = data.kind == .column
        let ticks = NiceTicks(min: values.min() ?? 0, max: values.max() ?? 1, count: max(2, plotRows / 3),
                              integer: data.yInteger, includeZero: isColumn || data.kind == .area)
        let tickLabels = ticks.labels(units: data.units)
        let labelWidth = tickLabels.map(DisplayWidth.of).max() ?? 1
        let left = labelWidth + 2
        let plotColumns = max(4, width - left - 1)
        var canvas = TerminalCanvas(width: width, height: yTitleRows + plotRows + 2 + xTitleRows)
        let top = yTitleRows
        if let yTitle = data.yTitle {
            canvas.write(CellText.truncated(CellText.sanitized(yTitle), width: width).text, x: 0, y: 0)
        }

        // The y axis and its ticks. Columns put 0 on the x axis line itself.
        for row in 0..<plotRows { canvas.set(left - 1, top + row, "│", dim: true) }
        let axisRow = top + plotRows
        func tickRow(_ value: Double) -> Int {
            if isColumn {
                let eighths = LinearScale(domain: ticks.lower, ticks.upper, range: 0, Double(plotRows * 8))(value)
                return top + plotRows - Int((eighths / 8).rounded())
            }
            let dot = LinearScale(domain: ticks.lower, ticks.upper, range: Double(plotRows * 4 - 1), 0)(value)
            return top + Int(dot.rounded()) / 4
        }
        for (value, label) in zip(ticks.values, tickLabels) {
            let row = tickRow(value)
            canvas.write(CellText.padded(label, textWidth: DisplayWidth.of(label), to: labelWidth, right: true), x: 0, y: row)
            canvas.set(left - 1, row, row == axisRow ? "┼" : "┤", dim: true)
        }
        canvas.set(left - 1, axisRow, ticks.values.contains { tickRow($0) == axisRow } ? "┼" : "└", dim: true)
        for column in 0..<plotColumns { canvas.set(left + column, axisRow, "─", dim: true) }

        // Where x labels and their ticks go.
        var xLabels: [String] = []
        var xPositions: [Int] = []
        var labelRoom = 12
        if isColumn {
            drawColumns(&canvas, ticks: ticks, left: left, top: top, plotColumns: plotColumns, plotRows: plotRows,
                        labels: &xLabels, positions: &xPositions, labelRoom: &labelRoom)
        } else {
            drawXY(&canvas, ticks: ticks, left: left, top: top, plotColumns: plotColumns, plotRows: plotRows,
                   labels: &xLabels, positions: &xPositions, labelRoom: &labelRoom)
        }
        for position in xPositions where position >= left && position < left + plotColumns {
            canvas.set(position, axisRow, "┬", dim: true)
        }
        placeLabels(xLabels, at: xPositions, into: &canvas, row: axisRow + 1, maxWidth: labelRoom)
        if let xTitle = data.xTitle {
            let cut = CellText.truncated(CellText.sanitized(xTitle), width: plotColumns)
            canvas.write(cut.text, x: left + max(0, (plotColumns - cut.width) / 2), y: axisRow + 2)
        }
        return canvas.lines(color: color)
    }

    private func drawXY(_ canvas: inout TerminalCanvas, ticks: NiceTicks, left: Int, top: Int, plotColumns: Int, plotRows: Int,
                        labels: inout [String], positions: inout [Int], labelRoom: inout Int) {
        var braille = BrailleCanvas(columns: plotColumns, rows: plotRows)
        let yDot = LinearScale(domain: ticks.lower, ticks.upper, range: Double(braille.dotsHigh - 1), 0)
        let xDot: (Double) -> Double
        switch data.axis {
        case .categories(let names):
            // One cell of margin each side, so the first and last labels fit.
            let scale = LinearScale(domain: 0, Double(max(1, names.count - 1)), range: 2, Double(braille.dotsWide - 3))
            xDot = names.count == 1 ? { _ in Double(braille.dotsWide / 2) } : { scale($0) }
            labels = names
            positions = names.indices.map { left + Int(xDot(Double($0)).rounded()) / 2 }
            labelRoom = max(4, plotColumns / max(1, names.count) - 1)
        case .numbers(let kind):
            let xs = data.series.flatMap { $0.points.map(\.x) }
            var integer = false, identifier = false
            if case .plain(let i, let id) = kind { integer = i; identifier = id }
            let tickValues: [Double]
            let scale: LinearScale
            if kind == .date {
                // Month labels (`2021-03`) are 7 cells: about one a dozen columns.
                let dates = DateTicks(min: xs.min() ?? 0, max: xs.max() ?? 1, count: max(2, plotColumns / 12))
                scale = LinearScale(domain: dates.lower, dates.upper, range: 2, Double(braille.dotsWide - 3))
                tickValues = dates.values
                labels = dates.labels
            } else {
                let xTicks = NiceTicks(min: xs.min() ?? 0, max: xs.max() ?? 1, count: max(2, plotColumns / 10), integer: integer)
                scale = LinearScale(domain: xTicks.lower, xTicks.upper, range: 2, Double(braille.dotsWide - 3))
                tickValues = xTicks.values
                labels = xTicks.labels(units: data.units, identifier: identifier || (xs.allSatisfy { $0 >= 1000 && $0 <= 3000 } && integer))
            }
            xDot = { scale($0) }
            positions = tickValues.map { left + Int(scale($0).rounded()) / 2 }
            labelRoom = 12
        }
        let baseline = yDot(min(max(0, ticks.lower), ticks.upper))
        // Areas: fill under each line, biggest series first so smaller ones stay in view.
        var order = Array(data.series.indices)
        if data.kind == .area {
            let peak = data.series.map { $0.points.compactMap(\.y).max() ?? 0 }
            order.sort { peak[$0] > peak[$1] || (peak[$0] == peak[$1] && $0 < $1) }
        }
        var markers: [(Int, Int, Int)] = []
        // Areas first: a light texture of dots under each line (one dot in four, so lines drawn
        // over it stay readable, with or without colour).
        if data.kind == .area {
            for s in order {
                var previous: (Int, Int)?
                for point in data.series[s].points {
                    guard let y = point.y else { previous = nil; continue }
                    let px = Int(xDot(point.x).rounded()), py = Int(yDot(y).rounded())
                    if let (qx, qy) = previous, px != qx {
                        for fx in min(qx, px)...max(qx, px) where fx % 2 == 0 {
                            let fy = Double(qy) + Double(py - qy) * Double(fx - qx) / Double(px - qx)
                            let from = Int(fy.rounded()), to = Int(baseline.rounded())
                            for dy in min(from, to)...max(from, to) where dy % 2 == 1 { braille.set(fx, dy, series: s) }
                        }
                    }
                    previous = (px, py)
                }
            }
        }
        for s in data.series.indices {
            var previous: (Int, Int)?
            for point in data.series[s].points {
                guard let y = point.y else { previous = nil; continue }
                let px = Int(xDot(point.x).rounded()), py = Int(yDot(y).rounded())
                if data.kind != .scatter {
                    if let (qx, qy) = previous { braille.line(qx, qy, px, py, series: s) } else { braille.set(px, py, series: s) }
                }
                markers.append((px / 2, py / 4, s))
                previous = (px, py)
            }
        }
        braille.draw(into: &canvas, left: left, top: top)
        // Markers at the data points tell series apart without colour; skipped when the points
        // are so dense they would hide the lines.
        let pointCount = data.series.map(\.points.count).max() ?? 0
        if data.kind == .scatter || (pointCount * 3 <= plotColumns && (data.series.count > 1 || pointCount <= 24)) {
            for (x, y, s) in markers { canvas.set(left + x, top + y, ChartPalette.marker(s), series: s) }
        }
    }

    private mutating func drawColumns(_ canvas: inout TerminalCanvas, ticks: NiceTicks, left: Int, top: Int, plotColumns: Int,
                                      plotRows: Int, labels: inout [String], positions: inout [Int], labelRoom: inout Int) {
        let names = data.categories
        let seriesCount = data.series.count
        // Each category needs a cell per series and a gap; more categories than fit are cut.
        let fitting = max(1, plotColumns / (seriesCount + 1))
        let shown = min(names.count, fitting)
        if shown < names.count {
            notes.append(style("… \(names.count - shown) more categories not drawn (a wider terminal shows more)", dim: true))
        }
        let band = BandScale(count: shown, start: 0, length: Double(plotColumns))
        let barWidth = max(1, min(8, (Int(band.width) - 1) / max(1, seriesCount)))
        let eighths = LinearScale(domain: ticks.lower, ticks.upper, range: 0, Double(plotRows * 8))
        let zero = eighths(min(max(0, ticks.lower), ticks.upper))
        let lower: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for category in 0..<shown {
            let groupWidth = barWidth * seriesCount
            let start = left + Int((band.slotStart(category) + (band.width - Double(groupWidth)) / 2).rounded(.down))
            for (s, series) in data.series.enumerated() {
                guard let point = series.points.first(where: { Int($0.x) == category }), let y = point.y else { continue }
                let top8 = eighths(y)
                let fill: Character = color || seriesCount == 1 ? "█" : ChartPalette.fill(s)
                for row in 0..<plotRows {
                    let cellLow = Double(row * 8), cellHigh = Double(row * 8 + 8)
                    let from = min(top8, zero), to = max(top8, zero)
                    let covered = max(0, min(to, cellHigh) - max(from, cellLow))
                    guard covered > 0 else { continue }
                    var character: Character?
                    if covered >= 7.5 {
                        character = fill
                    } else if y >= 0 && from <= cellLow && fill == "█" {
                        let n = Int(covered.rounded())
                        character = n >= 1 ? lower[n - 1] : nil
                    } else if covered >= 4 {
                        character = y >= 0 ? (fill == "█" ? "▄" : fill) : (fill == "█" ? "▀" : fill)
                    }
                    guard let character else { continue }
                    for dx in 0..<barWidth {
                        canvas.set(start + s * barWidth + dx, top + plotRows - 1 - row, character, series: s)
                    }
                }
            }
            labels.append(names[category])
            positions.append(start + (groupWidth - 1) / 2)
        }
        labelRoom = max(2, Int(band.width) - 1)
    }

    // MARK: - Bars

    private mutating func barChart(rows room: Int) -> [String] {
        let names = data.categories
        let seriesCount = data.series.count
        let perCategory = seriesCount + (seriesCount > 1 ? 1 : 0)
        let titleRows = (data.xTitle == nil ? 0 : 1)
        let valueTitleRows = (data.yTitle == nil ? 0 : 1)
        let available = max(1, room - 2 - titleRows - valueTitleRows)
        var shown = min(names.count, max(1, (available + (seriesCount > 1 ? 1 : 0)) / perCategory))
        if shown < names.count {
            shown = max(1, (available - 1 + (seriesCount > 1 ? 1 : 0)) / perCategory)
            notes.append(style("… \(names.count - shown) more categories not drawn (`take` or `filter` picks which)", dim: true))
        }
        let values = data.allValues
        let valueText = data.series.map { series in
            series.points.map { $0.y.map(data.units.format) ?? "null" }
        }
        let labelWidth = min(max(4, width / 3), names.prefix(shown).map(DisplayWidth.of).max() ?? 1)
        let valueWidth = valueText.flatMap { $0 }.map(DisplayWidth.of).max() ?? 1
        let barColumns = max(4, width - labelWidth - 2 - valueWidth - 2)
        let ticks = NiceTicks(min: values.min() ?? 0, max: values.max() ?? 1, count: max(2, barColumns / 12),
                              integer: data.yInteger, includeZero: true)
        let eighths = LinearScale(domain: ticks.lower, ticks.upper, range: 0, Double(barColumns * 8))
        let zero = eighths(0)
        let partial: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
        let lineCount = titleRows + shown * perCategory - (seriesCount > 1 ? 1 : 0) + 2 + valueTitleRows
        var canvas = TerminalCanvas(width: width, height: lineCount)
        var row = 0
        if let xTitle = data.xTitle {
            canvas.write(CellText.truncated(CellText.sanitized(xTitle), width: width).text, x: 0, y: 0)
            row = 1
        }
        let left = labelWidth + 2
        for category in 0..<shown {
            let label = CellText.truncated(names[category], width: labelWidth)
            canvas.write(label.text, x: labelWidth - label.width, y: row + (seriesCount - 1) / 2)
            for (s, series) in data.series.enumerated() {
                canvas.set(left - 1, row, "│", dim: true)
                if let index = series.points.firstIndex(where: { Int($0.x) == category }), let y = series.points[index].y {
                    let end = eighths(y)
                    let fill: Character = color || seriesCount == 1 ? "█" : ChartPalette.fill(s)
                    var lastCell = Int(zero / 8)
                    if y >= 0 {
                        let total = Int((end - zero).rounded())
                        let startCell = Int(zero / 8)
                        let full = total / 8, rest = total % 8
                        for c in 0..<full { canvas.set(left + startCell + c, row, fill, series: s) }
                        if rest > 0 { canvas.set(left + startCell + full, row, fill == "█" ? partial[rest - 1] : fill, series: s) }
                        lastCell = startCell + full + (rest > 0 ? 1 : 0)
                    } else {
                        let from = Int((end / 8).rounded()), to = Int(zero / 8)
                        for c in from..<max(from, to) { canvas.set(left + c, row, fill, series: s) }
                        lastCell = max(from, to)
                    }
                    canvas.write(valueText[s][index], x: left + lastCell + 1, y: row)
                }
                row += 1
            }
            if seriesCount > 1 && category < shown - 1 {
                canvas.set(left - 1, row, "│", dim: true)
                row += 1
            }
        }
        // The value axis along the bottom.
        canvas.set(left - 1, row, "└", dim: true)
        for c in 0..<barColumns { canvas.set(left + c, row, "─", dim: true) }
        let positions = ticks.values.map { left + min(barColumns - 1, Int((eighths($0) / 8).rounded(.down))) }
        for p in positions { canvas.set(p, row, "┬", dim: true) }
        placeLabels(ticks.labels(units: data.units), at: positions, into: &canvas, row: row + 1, maxWidth: 12)
        if let yTitle = data.yTitle {
            let cut = CellText.truncated(CellText.sanitized(yTitle), width: barColumns)
            canvas.write(cut.text, x: left + max(0, (barColumns - cut.width) / 2), y: row + 2)
        }
        return canvas.lines(color: color)
    }

    // MARK: - Pie

    private mutating func pieChart(rows room: Int) -> [String] {
        let slices = PieSlices(data)
        if slices.dropped > 0 {
            notes.append(style("\(slices.dropped) zero or negative value\(slices.dropped == 1 ? "" : "s") left out", dim: true))
        }
        guard slices.total > 0 else { return ["(no positive values to chart)"] }
        let legendTexts = slices.items.map { item -> (String, String, String) in
            (item.label, data.units.format(item.value), PieSlices.percent(item.value / slices.total))
        }
        let nameWidth = min(24, legendTexts.map { DisplayWidth.of($0.0) }.max() ?? 1)
        let valueWidth = legendTexts.map { DisplayWidth.of($0.1) }.max() ?? 1
        let legendWidth = 2 + nameWidth + 2 + valueWidth + 2 + 6
        var rows = max(5, min(room, 20))
        // Cells are about twice as tall as wide: a round pie is twice as many cells across.
        while rows > 5 && rows * 2 + 3 + legendWidth > width { rows -= 1 }
        let radius = Double(rows) / 2
        let pieWidth = rows * 2
        var canvas = TerminalCanvas(width: width, height: max(rows, slices.items.count))
        for y in 0..<rows {
            for x in 0..<pieWidth {
                let dy = (Double(y) + 0.5 - radius) / radius
                let dx = (Double(x) + 0.5 - Double(pieWidth) / 2) / (Double(pieWidth) / 2)
                guard dx * dx + dy * dy <= 1 else { continue }
                // Clockwise from twelve o'clock.
                var angle = atan2(dx, -dy) / (2 * Double.pi)
                if angle < 0 { angle += 1 }
                let index = slices.index(atFraction: angle)
                canvas.set(x, y, symbol(index), series: index)
            }
        }
        let legendLeft = pieWidth + 3
        let top = max(0, (rows - slices.items.count) / 2)
        for (i, texts) in legendTexts.enumerated() {
            let y = top + i
            canvas.set(legendLeft, y, symbol(i), series: i)
            let name = CellText.truncated(texts.0, width: nameWidth)
            canvas.write(name.text, x: legendLeft + 2, y: y)
            let valueX = legendLeft + 2 + nameWidth + 2
            canvas.write(texts.1, x: valueX + valueWidth - DisplayWidth.of(texts.1), y: y)
            canvas.write(texts.2, x: valueX + valueWidth + 2 + 6 - texts.2.count, y: y)
        }
        return canvas.lines(color: color)
    }

    // MARK: - Sparklines

    private func sparkChart() -> [String] {
        let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let nameWidth = min(width / 3, data.series.map { DisplayWidth.of($0.name) }.max() ?? 1)
        var lines: [String] = []
        let ranges = data.series.map { series -> String in
            let ys = series.points.compactMap(\.y)
            guard let first = ys.first, let last = ys.last else { return "" }
            return data.units.format(first) + " → " + data.units.format(last)
        }
        let rangeWidth = ranges.map(DisplayWidth.of).max() ?? 0
        let sparkWidth = max(4, width - nameWidth - rangeWidth - 4)
        // Each line on its own scale: a sparkline shows a shape; the numbers beside it give the size.
        for (s, series) in data.series.enumerated() {
            let own = series.points.compactMap(\.y)
            let low = own.min() ?? 0, high = own.max() ?? 1
            var ys = series.points.map(\.y)
            if ys.count > sparkWidth {
                // Average into buckets so the line fits.
                ys = (0..<sparkWidth).map { b in
                    let slice = ys[(b * ys.count / sparkWidth)..<max(b * ys.count / sparkWidth + 1, (b + 1) * ys.count / sparkWidth)]
                    let present = slice.compactMap { $0 }
                    return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
                }
            }
            let spark = String(ys.map { y -> Character in
                guard let y else { return " " }
                let f = high > low ? (y - low) / (high - low) : 0.5
                return levels[min(7, max(0, Int((f * 7).rounded())))]
            })
            let name = CellText.truncated(CellText.sanitized(series.name), width: nameWidth)
            lines.append(CellText.padded(name.text, textWidth: name.width, to: nameWidth, right: false) + "  "
                         + style(spark, series: s) + "  " + ranges[s])
        }
        return lines
    }
}

/// The slices of a pie: the first series' positive values per category; past eight, the smallest
/// are merged into one "other" slice.
struct PieSlices {
    struct Item { var label: String; var value: Double }
    var items: [Item] = []
    var total = 0.0
    var dropped = 0

    init(_ data: ChartData) {
        guard let series = data.series.first else { return }
        let names = data.categories
        var all: [Item] = []
        for point in series.points {
            guard let y = point.y else { continue }
            guard y > 0 else { dropped += 1; continue }
            let i = Int(point.x)
            all.append(Item(label: i >= 0 && i < names.count ? names[i] : "", value: y))
        }
        if all.count > ChartData.maxSeries {
            let keep = Set(all.indices.sorted { all[$0].value > all[$1].value || (all[$0].value == all[$1].value && $0 < $1) }
                .prefix(ChartData.maxSeries - 1))
            let rest = all.indices.filter { !keep.contains($0) }.reduce(0.0) { $0 + all[$1].value }
            all = all.indices.filter { keep.contains($0) }.map { all[$0] }
            all.append(Item(label: data.units == .chinese ? "其他" : "other", value: rest))
        }
        items = all
        total = all.reduce(0) { $0 + $1.value }
    }

    /// The slice at `fraction` (0…1) of the way round.
    func index(atFraction fraction: Double) -> Int {
        var sum = 0.0
        for (i, item) in items.enumerated() {
            sum += item.value / total
            if fraction < sum { return i }
        }
        return max(0, items.count - 1)
    }

    static func percent(_ share: Double) -> String {
        NumberFormatting.format(share * 100, style: .init(decimals: 1, grouping: false)) + "%"
    }
}

