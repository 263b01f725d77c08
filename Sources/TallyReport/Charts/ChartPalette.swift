/// Colours, markers and fills that tell series apart, the same order everywhere: series 1 is blue
/// with `●` in the terminal and in SVG. Markers and fills keep series apart without colour too
/// (`NO_COLOR`, a black-and-white printout).
enum ChartPalette {
    /// Tableau 10, reordered so the first colours differ most, brown in place of the pale yellow.
    static let hex = ["#4E79A7", "#F28E2B", "#E15759", "#59A14F", "#B07AA1", "#76B7B2", "#9C755F", "#FF9DA7"]
    /// The nearest xterm-256 colours.
    static let ansi256 = [67, 208, 167, 71, 139, 109, 137, 211]
    static let markers: [Character] = ["●", "■", "▲", "◆", "✚", "○", "□", "△"]
    /// Fills for bars and pie slices when colour is off.
    static let fills: [Character] = ["█", "▓", "▒", "░", "▚", "▞", "▙", "▟"]

    static func marker(_ series: Int) -> Character { markers[series % markers.count] }
    static func fill(_ series: Int) -> Character { fills[series % fills.count] }
    static func color(_ series: Int) -> String { hex[series % hex.count] }

    /// ANSI foreground for `series`.
    static func ansi(_ series: Int) -> String { "\u{1B}[38;5;\(ansi256[series % ansi256.count])m" }
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let dim = "\u{1B}[2m"
}
