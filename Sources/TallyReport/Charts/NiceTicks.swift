import TallyEngine

/// How large numbers are shortened on axes and labels: 万 (10⁴) and 亿 (10⁸) for Chinese charts,
/// k, M, B for others.
public enum NumberUnits: Sendable, Equatable {
    case chinese, western

    /// The divisor and suffix for numbers as large as `magnitude`. Below 100,000 numbers are
    /// written out with thousands separators.
    func unit(for magnitude: Double) -> (exponent: Int, suffix: String) {
        switch self {
        case .chinese:
            if magnitude >= 1e8 { return (8, "亿") }
            if magnitude >= 1e5 { return (4, "万") }
        case .western:
            if magnitude >= 1e9 { return (9, "B") }
            if magnitude >= 1e6 { return (6, "M") }
            if magnitude >= 1e5 { return (3, "k") }
        }
        return (0, "")
    }

    /// A single value, shortened to about four significant digits: `12.35万`, `3.4M`, `1,234`,
    /// `0.953`. For bar ends, pie slices and sparkline ranges.
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return Column.formatFloat(value) }
        let (exponent, suffix) = unit(for: value.magnitude)
        let scaled = value / NiceTicks.power10(exponent)
        let decimals: Int
        if exponent > 0 {
            decimals = scaled.magnitude < 10 ? 2 : scaled.magnitude < 100 ? 1 : 0
        } else if scaled == scaled.rounded() {
            decimals = 0
        } else {
            decimals = min(NumberFormatting.floatStyle(for: [scaled]).decimals ?? 3, scaled.magnitude >= 100 ? 1 : 3)
        }
        var text = NumberFormatting.format(scaled, style: .init(decimals: decimals, grouping: true))
        // `12.50万` → `12.5万`: trailing zeros add nothing once a unit is shown.
        if exponent > 0, text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + suffix
    }
}

/// Round tick values for an axis: steps of 1, 2 or 5 × 10ⁿ covering the data
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
///
/// Tick values are computed as integers times the step's power of ten, so they print exactly
/// (0.3, never 0.30000000000000004).
public struct NiceTicks: Sendable, Equatable {
    /// Tick values from `lower` to `upper`, evenly spaced.
    public var values: [Double]
    public var lower: Double
    public var upper: Double
    public var step: Double
    /// step = mantissa × 10^exponent, mantissa 1, 2 or 5.
    var exponent: Int

    /// Ticks covering `min...max` with about `count` intervals. `integer` keeps the step whole
    /// (counts, years); `includeZero` stretches the range to 0 (bars and areas start there).
    public init(min low: Double, max high: Double, count: Int, integer: Bool = false, includeZero: Bool = false) {
        var lo = low.isFinite ? low : 0
        var hi = high.isFinite ? high : 1
        if lo > hi { swap(&lo, &hi) }
        if includeZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        if lo == hi {
            // One value: a range around it (or 0…1 for zero).
            if lo == 0 { hi = 1 } else if includeZero { } else {
                let pad = Swift.max(lo.magnitude * 0.1, integer ? 1 : 0)
                lo -= pad; hi += pad
            }
            if lo == hi { if lo > 0 { lo = 0 } else { hi = 0 } }
        }
        let intervals = Swift.max(1, count)
        let rough = (hi - lo) / Double(intervals)
        var exponent = Int((rough.magnitude).log10Floor)
        let fraction = exponent >= 0 ? rough / NiceTicks.power10(exponent) : rough * NiceTicks.power10(-exponent)
        var mantissa: Int64
        if fraction <= 1 { mantissa = 1 } else if fraction <= 2 { mantissa = 2 } else if fraction <= 5 { mantissa = 5 } else {
            mantissa = 1; exponent += 1
        }
        if integer && exponent < 0 { mantissa = 1; exponent = 0 }
        let step = NiceTicks.value(mantissa, exponent: exponent)
        let first = Int64((lo / step).rounded(.down))
        let last = Int64((hi / step).rounded(.up))
        var values: [Double] = []
        let cap = first + 200  // never more than 200 ticks, whatever the input
        var k = first
        while k <= last && k <= cap {
            values.append(NiceTicks.value(k * mantissa, exponent: exponent))
            k += 1
        }
        self.values = values
        self.lower = values.first ?? lo
        self.upper = values.last ?? hi
        self.step = step
        self.exponent = exponent
    }

    /// `units` × 10^exponent, exact for the decimal digits it has.
    static func value(_ units: Int64, exponent: Int) -> Double {
        exponent >= 0 ? Double(units) * power10(exponent) : Double(units) / power10(-exponent)
    }

    static func power10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<Swift.min(Swift.max(0, n), 308) { result *= 10 }
        return result
    }

    /// Labels for the ticks: one unit for the whole axis (from its largest tick) and the decimals
    /// the step needs, e.g. `0`, `50万`, `100万`, `150万` or `0.90`, `0.95`, `1.00`.
    /// `identifier` prints years and codes without separators.
    public func labels(units: NumberUnits, identifier: Bool = false) -> [String] {
        let magnitude = values.map(\.magnitude).max() ?? 0
        let (unitExponent, suffix) = identifier ? (0, "") : units.unit(for: magnitude)
        let decimals = Swift.max(0, unitExponent - exponent)
        let divisor = NiceTicks.power10(unitExponent)
        return values.map { value in
            let scaled = value / divisor
            return NumberFormatting.format(scaled == 0 ? 0 : scaled, style: .init(decimals: decimals, grouping: !identifier))
                + (value == 0 ? "" : suffix)
        }
    }
}

extension Double {
    /// ⌊log₁₀ x⌋ for x > 0 (0 for 0), without Foundation.
    var log10Floor: Double {
        guard self > 0, isFinite else { return 0 }
        var e = 0
        var x = self
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return Double(e)
    }
}

/// Ticks for a date axis on calendar boundaries: the first of a month every 1, 2, 3 or 6 months,
/// or the first of January every 1, 2, 5, 10… years — the fewest steps that keep at most `count`
/// ticks. Labels are `2021` for year steps and `2021-03` for month steps. A span too short for
/// two month boundaries falls back to round day counts labelled with the full date.
///
/// Values are days since 1970-01-01; the axis runs over the data (`lower`…`upper`), not out to the
/// ticks, so a series from March to November does not start in an empty January.
public struct DateTicks: Sendable, Equatable {
    public var values: [Double]
    public var labels: [String]
    public var lower: Double
    public var upper: Double

    static let monthSteps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200]

    public init(min low: Double, max high: Double, count: Int) {
        let lowDay = Int(low.rounded(.down)), highDay = Int(high.rounded(.up))
        lower = Double(lowDay)
        upper = Double(max(highDay, lowDay + 1))
        let start = CivilDate.civil(fromDays: Int32(clamping: lowDay))
        let end = CivilDate.civil(fromDays: Int32(clamping: highDay))
        // Months counted from year 0, so steps line up with calendar years (and decades).
        let firstMonth = start.year * 12 + (start.month - 1) + (start.day == 1 ? 0 : 1)
        let lastMonth = end.year * 12 + (end.month - 1)
        let limit = Swift.max(2, count)
        for step in DateTicks.monthSteps {
            let first = (firstMonth + step - 1) / step * step
            guard first <= lastMonth else { break }
            let n = (lastMonth - first) / step + 1
            if n > limit { continue }
            guard n >= 2 else { break }
            var values: [Double] = [], labels: [String] = []
            var m = first
            while m <= lastMonth {
                let year = m / 12, month = m % 12 + 1
                if let days = CivilDate.days(year: year, month: month, day: 1) {
                    values.append(Double(days))
                    labels.append(step % 12 == 0 ? String(year) : String(year) + "-" + (month < 10 ? "0" : "") + String(month))
                }
                m += step
            }
            self.values = values
            self.labels = labels
            return
        }
        // Shorter than two month boundaries: round numbers of days.
        let ticks = NiceTicks(min: low, max: high, count: limit, integer: true)
        values = ticks.values
        labels = ticks.values.map { CivilDate.format(days: Int32(clamping: Int($0))) }
        lower = ticks.lower
        upper = ticks.upper
    }
}
