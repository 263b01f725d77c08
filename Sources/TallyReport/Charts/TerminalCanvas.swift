import TallyEngine

/// A grid of terminal cells, each a character (or a wide character's right half) with an optional
/// series colour. Charts are drawn into one and then printed line by line.
struct TerminalCanvas {
    struct Cell {
        var text: String = " "
        /// Series index for colour; nil draws in the default colour; `dim` for axes.
        var series: Int?
        var dim = false
        /// The right half of a wide character: prints nothing.
        var continuation = false
    }

    let width: Int
    let height: Int
    private(set) var cells: [Cell]

    init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: Cell(), count: self.width * self.height)
    }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    mutating func set(_ x: Int, _ y: Int, _ character: Character, series: Int? = nil, dim: Bool = false) {
        guard contains(x, y) else { return }
        self[x, y] = Cell(text: String(character), series: series, dim: dim)
    }

    /// Writes `text` from column `x`, wide characters taking two cells; returns the cells used.
    /// Text past the right edge is cut.
    @discardableResult
    mutating func write(_ text: String, x: Int, y: Int, series: Int? = nil, dim: Bool = false) -> Int {
        guard y >= 0, y < height else { return 0 }
        var column = x
        for character in text {
            let w = character.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
            if w == 0 { continue }
            if column + w > width { break }
            if column >= 0 {
                self[column, y] = Cell(text: String(character), series: series, dim: dim)
                if w == 2 { self[column + 1, y] = Cell(text: "", series: series, dim: dim, continuation: true) }
            }
            column += w
        }
        return column - x
    }

    /// The lines, trailing spaces trimmed, with ANSI colour when `color`.
    func lines(color: Bool) -> [String] {
        var out: [String] = []
        for y in 0..<height {
            var line = ""
            var active: String? = nil
            for x in 0..<width {
                let cell = self[x, y]
                if cell.continuation { continue }
                let style: String? = !color ? nil
                    : cell.series.map(ChartPalette.ansi) ?? (cell.dim ? ChartPalette.dim : nil)
                if style != active && cell.text != " " {
                    if active != nil { line += ChartPalette.reset }
                    if let style { line += style }
                    active = style
                }
                line += cell.text
            }
            // Trailing spaces go; a colour still open is closed.
            while line.hasSuffix(" ") { line.removeLast() }
            if active != nil { line += ChartPalette.reset }
            out.append(line)
        }
        return out
    }
}

/// A drawing surface of braille dots, 2 × 4 per cell, for lines finer than the cells.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    var dotsWide: Int { columns * 2 }
    var dotsHigh: Int { rows * 4 }
    private var bits: [UInt8]
    /// The last series to set a dot in each cell gives its colour.
    private var owner: [Int?]

    init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        owner = [Int?](repeating: nil, count: self.columns * self.rows)
    }

    private static let bit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < dotsWide, y < dotsHigh else { return }
        let index = (y / 4) * columns + x / 2
        bits[index] |= BrailleCanvas.bit[x % 2][y % 4]
        owner[index] = series
    }

    /// A straight line of dots (Bresenham).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        var guardCount = 0
        while guardCount <= dx - dy + 1 {
            set(x, y, series: series)
            if x == x1 && y == y1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
            guardCount += 1
        }
    }

    /// Copies the dots onto `canvas` with its top-left cell at (`left`, `top`).
    func draw(into canvas: inout TerminalCanvas, left: Int, top: Int) {
        for row in 0..<rows {
            for column in 0..<columns {
                let index = row * columns + column
                guard bits[index] != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(bits[index])) else { continue }
                canvas.set(left + column, top + row, Character(scalar), series: owner[index])
            }
        }
    }
}
