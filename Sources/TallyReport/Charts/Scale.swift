/// A linear map from data values to positions (cells, braille dots or SVG pixels).
struct LinearScale: Sendable {
    var domain: (lower: Double, upper: Double)
    var range: (start: Double, end: Double)

    init(domain lower: Double, _ upper: Double, range start: Double, _ end: Double) {
        self.domain = (lower, upper)
        self.range = (start, end)
    }

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0, span.isFinite else { return range.start }
        return range.start + (value - domain.lower) / span * (range.end - range.start)
    }
}

/// Evenly spaced slots for categories: slot `i` spans `[start + i·width, start + (i+1)·width)`.
struct BandScale: Sendable {
    var count: Int
    var start: Double
    var length: Double

    var width: Double { count > 0 ? length / Double(count) : length }

    func slotStart(_ index: Int) -> Double { start + Double(index) * width }
    func center(_ index: Int) -> Double { slotStart(index) + width / 2 }
}
