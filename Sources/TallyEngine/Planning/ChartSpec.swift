/// What a `chart` transform asks for: the kind of chart and which columns it draws.
///
/// The engine only checks and records the request (columns exist, `y` is numeric, `chart` ends the
/// query); drawing belongs to TallyReport, which turns a table plus a spec into terminal text or SVG.
/// Every column name here is resolved: `x` and `y` are filled in when the query left them out.
public struct ChartSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Lines through the points, one per series.
        case line
        /// Horizontal bars, one per category (grouped when there are several series).
        case bar
        /// Vertical bars.
        case column
        /// Lines with the area under them filled.
        case area
        /// Points, x against y.
        case scatter
        /// Shares of a whole, one slice per category.
        case pie
        /// One small line per series, no axes.
        case spark
    }

    public var kind: Kind
    /// The column along the horizontal axis (the categories of bars and pie slices); nil for a
    /// sparkline of a table without a non-numeric column.
    public var x: String?
    /// The columns drawn as values: one series each (one column when `by` is given).
    public var y: [String]
    /// One series per distinct value of this column.
    public var by: String?
    public var title: String?
    public var xTitle: String?
    public var yTitle: String?

    public init(kind: Kind, x: String?, y: [String], by: String? = nil, title: String? = nil,
                xTitle: String? = nil, yTitle: String? = nil) {
        self.kind = kind
        self.x = x
        self.y = y
        self.by = by
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// The named arguments `chart` takes.
    public static let argumentNames = ["x", "y", "by", "title", "x_title", "y_title"]
}
