import TallyEngine

/// The numbers a chart draws, taken out of a table once and shared by the terminal and SVG
/// renderers: the x axis (categories or numbers), up to `maxSeries` series, and the titles.
public struct ChartData: Sendable {
    /// Most series drawn; more are left out and counted in `hiddenSeries` (eight colours and
    /// eight markers are as many as a reader tells apart).
    public static let maxSeries = 8

    public enum XAxis: Sendable, Equatable {
        /// Labels in order of first appearance; a point's x is its label's index.
        case categories([String])
        /// Points sit at their values (days since 1970 for dates).
        case numbers(NumberKind)
    }

    public enum NumberKind: Sendable, Equatable {
        /// Plain numbers; `integer` keeps ticks whole, `identifier` drops thousands separators (years).
        case plain(integer: Bool, identifier: Bool)
        case date
    }

    public struct Point: Sendable, Equatable {
        public var x: Double
        /// nil for a null: a line breaks there.
        public var y: Double?
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var points: [Point]
    }

    public var kind: ChartSpec.Kind
    public var axis: XAxis
    public var series: [Series]
    /// Series past `maxSeries`, not drawn.
    public var hiddenSeries: Int
    public var title: String?
    /// The figures come from a synthetic table: the chart says so beside its title or caption,
    /// so a ranking of real county names by synthetic counts is never read as an official one.
    public var synthetic: Bool
    public var xTitle: String?
    public var yTitle: String?
    /// Whether every y column holds integers (ticks then step by whole numbers).
    public var yInteger: Bool
    /// 万/亿 or k/M for large numbers: Chinese when the chart's text has Chinese in it.
    public var units: NumberUnits

    /// Whether any value can be drawn.
    public var isEmpty: Bool { !series.contains { $0.points.contains { $0.y != nil } } }

    public var categories: [String] {
        if case .categories(let labels) = axis { return labels }
        return []
    }

    /// The y values of every series, nulls left out.
    var allValues: [Double] { series.flatMap { $0.points.compactMap(\.y) } }

    public init(table: Table, spec: ChartSpec) {
        kind = spec.kind
        title = spec.title
        synthetic = table.provenance == .synthetic
        yInteger = spec.y.allSatisfy { table.column(named: $0)?.type == .int }
        let xColumn = spec.x.flatMap { table.column(named: $0) }
        let numericX = [.line, .area, .scatter].contains(spec.kind) && (xColumn.map {
            $0.type.isNumeric || $0.type == .date || $0.type == .timestamp } ?? false)

        // Where each row goes along x: a category index or a number.
        var labels: [String] = []
        var rowX = [Double?](repeating: nil, count: table.rowCount)
        if numericX, let column = xColumn {
            for row in 0..<table.rowCount where !column.isNull(row) {
                switch column.values {
                case .int(let v): rowX[row] = Double(v[row])
                case .float(let v): rowX[row] = v[row].isFinite ? v[row] : nil
                case .date(let v): rowX[row] = Double(v[row])
                case .timestamp(let v): rowX[row] = Double(v[row]) / 86_400_000_000
                default: break
                }
            }
            if column.type == .date || column.type == .timestamp {
                axis = .numbers(.date)
            } else {
                axis = .numbers(.plain(integer: column.type == .int,
                                       identifier: NumberFormatting.namesAnIdentifier(spec.x ?? "")))
            }
        } else if let column = xColumn {
            var index: [String: Int] = [:]
            for row in 0..<table.rowCount {
                guard let text = ChartData.label(column, row) else { continue }
                if let i = index[text] {
                    rowX[row] = Double(i)
                } else {
                    index[text] = labels.count
                    rowX[row] = Double(labels.count)
                    labels.append(text)
                }
            }
            axis = .categories(labels)
        } else {
            labels = (0..<table.rowCount).map { String($0 + 1) }
            for row in 0..<table.rowCount { rowX[row] = Double(row) }
            axis = .categories(labels)
        }

        // Series: one per y column, or one per value of `by`.
        var built: [(name: String, rows: [Int], column: Column)] = []
        if let byName = spec.by, let byColumn = table.column(named: byName), let yName = spec.y.first,
           let yColumn = table.column(named: yName) {
            var index: [String: Int] = [:]
            for row in 0..<table.rowCount {
                let key = ChartData.label(byColumn, row) ?? "null"
                if let i = index[key] {
                    built[i].rows.append(row)
                } else {
                    index[key] = built.count
                    built.append((key, [row], yColumn))
                }
            }
        } else {
            for name in spec.y {
                guard let column = table.column(named: name) else { continue }
                built.append((name, Array(0..<table.rowCount), column))
            }
        }
        hiddenSeries = max(0, built.count - ChartData.maxSeries)
        let categorical = !numericX
        series = built.prefix(ChartData.maxSeries).map { entry in
            var points: [Point] = []
            if categorical {
                // Repeated categories add up (a bar per category, whatever the rows).
                var sums = [Double?](repeating: nil, count: labels.count)
                var seen = [Bool](repeating: false, count: labels.count)
                for row in entry.rows {
                    guard let x = rowX[row] else { continue }
                    let i = Int(x)
                    seen[i] = true
                    if let y = ChartData.number(entry.column, row) { sums[i] = (sums[i] ?? 0) + y }
                }
                for i in labels.indices where seen[i] { points.append(Point(x: Double(i), y: sums[i])) }
            } else {
                for row in entry.rows {
                    guard let x = rowX[row] else { continue }
                    points.append(Point(x: x, y: ChartData.number(entry.column, row)))
                }
            }
            return Series(name: entry.name, points: points)
        }
        let single = spec.y.count == 1 && spec.by == nil
        xTitle = spec.xTitle ?? (spec.kind == .pie || spec.kind == .spark ? nil : spec.x)
        yTitle = spec.yTitle ?? (single && spec.kind != .pie && spec.kind != .spark ? spec.y.first : nil)
        let texts = [spec.title, xTitle, yTitle].compactMap { $0 } + labels + series.map(\.name)
        units = texts.contains(where: ChartData.hasChinese) ? .chinese : .western
    }

    /// A finite number from a numeric column, nil for nulls and NaN.
    static func number(_ column: Column, _ row: Int) -> Double? {
        guard !column.isNull(row) else { return nil }
        switch column.values {
        case .int(let v): return Double(v[row])
        case .float(let v): return v[row].isFinite ? v[row] : nil
        default: return nil
        }
    }

    /// A value as an axis or legend label: no thousands separators (years, codes), control
    /// characters made visible.
    static func label(_ column: Column, _ row: Int) -> String? {
        column.text(at: row).map(CellText.sanitized)
    }

    static func hasChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) }
    }
}
