import TallyEngine

/// A small SVG writer: elements appended as text, attributes escaped, numbers in one fixed format
/// (at most two decimals, no exponent), so the same chart gives the same bytes everywhere.
///
/// Our own code rather than a package: SVG output is a few element kinds, and a dependency would
/// not make the bytes more stable.
struct SVGBuilder {
    private(set) var body = ""

    /// `12`, `12.5`, `12.25`; never `1e-05` or `-0`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        var text = NumberFormatting.format(rounded == 0 ? 0 : rounded, style: .init(decimals: 2, grouping: false))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in CellText.sanitized(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    enum Attribute {
        case n(String, Double)
        case s(String, String)
    }

    private static func attributes(_ list: [Attribute]) -> String {
        list.map { attribute -> String in
            switch attribute {
            case .n(let name, let value): return " \(name)=\"\(number(value))\""
            case .s(let name, let value): return " \(name)=\"\(escape(value))\""
            }
        }.joined()
    }

    mutating func element(_ name: String, _ attributes: [Attribute], text: String? = nil) {
        body += "<\(name)" + SVGBuilder.attributes(attributes)
        if let text { body += ">" + SVGBuilder.escape(text) + "</\(name)>\n" } else { body += "/>\n" }
    }

    mutating func open(_ name: String, _ attributes: [Attribute]) {
        body += "<\(name)" + SVGBuilder.attributes(attributes) + ">\n"
    }

    mutating func close(_ name: String) { body += "</\(name)>\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) {
        element("line", [.n("x1", x1), .n("y1", y1), .n("x2", x2), .n("y2", y2), .s("stroke", stroke), .n("stroke-width", width)])
    }

    mutating func text(_ text: String, x: Double, y: Double, size: Double, anchor: String = "start", fill: String = "#333",
                       weight: String? = nil, extra: [Attribute] = []) {
        var list: [Attribute] = [.n("x", x), .n("y", y), .n("font-size", size), .s("text-anchor", anchor), .s("fill", fill)]
        if let weight { list.append(.s("font-weight", weight)) }
        element("text", list + extra, text: text)
    }

    /// A path through points: `M x y L x y …`.
    static func path(_ points: [(Double, Double)]) -> String {
        points.enumerated().map { (i, p) in (i == 0 ? "M" : "L") + number(p.0) + " " + number(p.1) }.joined(separator: " ")
    }

    /// The marker shape of a series (circle, square, triangle, diamond, cross, rings…), so series
    /// stay apart in grey print.
    mutating func marker(_ series: Int, x: Double, y: Double, size: Double = 6) {
        let color = ChartPalette.color(series)
        let hollow = series % 8 >= 5
        let fill: [Attribute] = hollow ? [.s("fill", "#fff"), .s("stroke", color), .n("stroke-width", 2)]
            : [.s("fill", color), .s("stroke", "#fff"), .n("stroke-width", 1)]
        switch series % 8 {
        case 0, 5: element("circle", [.n("cx", x), .n("cy", y), .n("r", size)] + fill)
        case 1, 6: element("rect", [.n("x", x - size), .n("y", y - size), .n("width", size * 2), .n("height", size * 2)] + fill)
        case 2, 7:
            element("path", [.s("d", SVGBuilder.path([(x, y - size * 1.2), (x + size * 1.1, y + size * 0.8), (x - size * 1.1, y + size * 0.8)]) + " Z")] + fill)
        case 3:
            element("path", [.s("d", SVGBuilder.path([(x, y - size * 1.3), (x + size * 1.3, y), (x, y + size * 1.3), (x - size * 1.3, y)]) + " Z")] + fill)
        default:
            let a = size * 1.2, b = size * 0.4
            element("path", [.s("d", SVGBuilder.path([(x - b, y - a), (x + b, y - a), (x + b, y - b), (x + a, y - b), (x + a, y + b),
                                                       (x + b, y + b), (x + b, y + a), (x - b, y + a), (x - b, y + b), (x - a, y + b),
                                                       (x - a, y - b), (x - b, y - b)]) + " Z")] + fill)
        }
    }

    /// Estimated width of `text` at `size` px: CJK characters are about 1 em, others about 0.55 em.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(DisplayWidth.of(text)) * size * 0.55
    }
}
