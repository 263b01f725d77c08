/// A `strftime` format with chrono's specifiers (the ones PRQL documents for `date.to_text`),
/// compiled once per call.
///
/// Numbers: `%Y` year (4 digits), `%C` century, `%y` year % 100, `%m` month, `%d` day, `%e` day
/// space-padded, `%j` day of year, `%H` `%k` hour (zero / space padded), `%I` `%l` 12-hour hour,
/// `%M` minute, `%S` second, `%w` weekday (0 = Sunday), `%u` weekday (7 = Sunday), `%U` `%W` week
/// of the year (weeks from the first Sunday / Monday), `%G` `%g` `%V` ISO 8601 year and week,
/// `%s` seconds since 1970. Fractions: `%f` microseconds (6 digits, as DuckDB prints them), `%.f`
/// (a dot and 3, 6 or 9 digits as needed, nothing when zero), `%.3f` `%.6f` `%.9f`, `%3f` `%6f`
/// `%9f`. Names: `%b` `%h` `%B` month, `%a` `%A` weekday, `%p` `%P` AM/am. Combinations: `%D` and
/// `%x` (`%m/%d/%y`), `%F` (`%Y-%m-%d`), `%v` (`%e-%b-%Y`), `%R` (`%H:%M`), `%T` and `%X`
/// (`%H:%M:%S`), `%r` (`%I:%M:%S %p`), `%c` (`%a %b %e %H:%M:%S %Y`), `%+` (ISO 8601 with
/// microseconds and `Z`, as the reference database gives it). Time zones (values carry none, so
/// they read as UTC): `%Z` `UTC`, `%z` `+0000`. Others: `%t` tab, `%n` line break, `%%` percent.
/// A number takes the padding modifiers `%-d` (none), `%_d` (spaces), `%0d` (zeros). An unknown
/// specifier or a trailing `%` is an error that names it.
struct DateFormat: Sendable {
    enum Pad: Sendable, Equatable { case zero, space, none }

    enum Number: Sendable, Equatable {
        case year, century, year2, month, day, dayOfYear, hour, hour12, minute, second
        case weekday0, weekday1, weekSunday, weekMonday, isoYear, isoYear2, isoWeek, epochSeconds
    }

    enum Name: Sendable, Equatable { case monthShort, monthLong, weekdayShort, weekdayLong, ampmUpper, ampmLower }

    enum Part: Sendable, Equatable {
        case literal(String)
        case number(Number, width: Int, pad: Pad)
        case name(Name)
        /// Fractional seconds: `digits` 3, 6 or 9 (nil: as many as needed), with a leading dot or not.
        case fraction(digits: Int?, dot: Bool)
    }

    let parts: [Part]
    /// Whether the format reads the time of day (a date's is midnight).
    let usesTime: Bool

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The combinations, spelled out.
    static let composites: [Unicode.Scalar: String] = [
        "D": "%m/%d/%y", "x": "%m/%d/%y", "F": "%Y-%m-%d", "v": "%e-%b-%Y", "R": "%H:%M", "T": "%H:%M:%S",
        "X": "%H:%M:%S", "r": "%I:%M:%S %p", "c": "%a %b %e %H:%M:%S %Y", "+": "%Y-%m-%dT%H:%M:%S.%fZ",
    ]

    /// Each number's natural width and padding.
    static let numbers: [Unicode.Scalar: (Number, Int, Pad)] = [
        "Y": (.year, 4, .zero), "C": (.century, 2, .zero), "y": (.year2, 2, .zero), "m": (.month, 2, .zero),
        "d": (.day, 2, .zero), "e": (.day, 2, .space), "j": (.dayOfYear, 3, .zero), "H": (.hour, 2, .zero),
        "k": (.hour, 2, .space), "I": (.hour12, 2, .zero), "l": (.hour12, 2, .space), "M": (.minute, 2, .zero),
        "S": (.second, 2, .zero), "w": (.weekday0, 1, .zero), "u": (.weekday1, 1, .zero),
        "U": (.weekSunday, 2, .zero), "W": (.weekMonday, 2, .zero), "G": (.isoYear, 4, .zero),
        "g": (.isoYear2, 2, .zero), "V": (.isoWeek, 2, .zero), "s": (.epochSeconds, 1, .zero),
    ]

    static let names: [Unicode.Scalar: Name] = [
        "b": .monthShort, "h": .monthShort, "B": .monthLong, "a": .weekdayShort, "A": .weekdayLong,
        "p": .ampmUpper, "P": .ampmLower,
    ]

    init(_ format: String) throws {
        var parts: [Part] = []
        try DateFormat.compile(format, whole: format, into: &parts)
        self.parts = parts
        usesTime = parts.contains { part in
            switch part {
            case .number(let n, _, _): return [.hour, .hour12, .minute, .second, .epochSeconds].contains(n)
            case .name(let n): return n == .ampmUpper || n == .ampmLower
            case .fraction: return true
            case .literal: return false
            }
        }
    }

    private static func compile(_ format: String, whole: String, into parts: inout [Part]) throws {
        var literal = ""
        var it = Array(format.unicodeScalars)[...]
        func fail(_ why: String) -> TallyError {
            TallyError(.runtime, "`date.to_text`: \(why) in format \"\(whole)\"",
                       hint: "e.g. %Y-%m-%d, %-d/%-m/%Y, %B %e, %H:%M:%S, %a %j; %% for a percent sign")
        }
        func flush() {
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
        }
        while let c = it.popFirst() {
            guard c == "%" else { literal.unicodeScalars.append(c); continue }
            guard var spec = it.popFirst() else { throw fail("a trailing %") }
            var pad: Pad?
            if spec == "-" || spec == "_" || spec == "0" {
                pad = spec == "-" ? Pad.none : spec == "_" ? .space : .zero
                guard let next = it.popFirst() else { throw fail("a trailing %\(spec)") }
                spec = next
            }
            let written = "%" + (pad.map { $0 == .none ? "-" : $0 == .space ? "_" : "0" } ?? "") + String(spec)
            if let (number, width, natural) = numbers[spec] {
                flush()
                parts.append(.number(number, width: width, pad: pad ?? natural))
                continue
            }
            guard pad == nil else { throw fail("`\(written)`: a padding modifier goes with a number, not %\(spec)") }
            switch spec {
            case "%": literal += "%"
            case "t": literal += "\t"
            case "n": literal += "\n"
            case "Z": literal += "UTC"
            case "z": literal += "+0000"
            case "f":
                flush()
                parts.append(.fraction(digits: 6, dot: false))
            case "3", "6", "9":
                guard it.popFirst() == "f" else { throw fail("unknown specifier `%\(spec)`") }
                flush()
                parts.append(.fraction(digits: Int(String(spec)), dot: false))
            case ".":
                var digits: Int?
                if let d = it.first, d == "3" || d == "6" || d == "9" {
                    digits = Int(String(d))
                    it.removeFirst()
                }
                guard it.popFirst() == "f" else { throw fail("unknown specifier `%.\(digits.map(String.init) ?? "")`") }
                flush()
                parts.append(.fraction(digits: digits, dot: true))
            default:
                if let name = names[spec] {
                    flush()
                    parts.append(.name(name))
                } else if let expansion = composites[spec] {
                    flush()
                    try compile(expansion, whole: whole, into: &parts)
                } else {
                    throw fail("unknown specifier `\(written)`")
                }
            }
        }
        flush()
    }

    /// The text of a date (day number).
    func format(days: Int32) -> String { format(days: Int64(days), microsOfDay: 0) }

    /// The text of a timestamp (microseconds since 1970-01-01T00:00:00).
    func format(micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var day = micros / perDay
        var rem = micros % perDay
        if rem < 0 { rem += perDay; day -= 1 }
        return format(days: day, microsOfDay: rem)
    }

    private func format(days: Int64, microsOfDay: Int64) -> String {
        let dayNumber = Int32(clamping: days)
        let (y, m, d) = CivilDate.civil(fromDays: dayNumber)
        let seconds = Int(microsOfDay / 1_000_000)
        let hour = seconds / 3600, minute = seconds / 60 % 60, second = seconds % 60
        let micros = Int(microsOfDay % 1_000_000)
        let weekday = Self.weekday(dayNumber)
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .number(let number, let width, let pad):
                let value: Int
                switch number {
                case .year: value = y
                case .century: value = Int((Double(y) / 100).rounded(.down))
                case .year2: value = ((y % 100) + 100) % 100
                case .month: value = m
                case .day: value = d
                case .dayOfYear: value = Self.dayOfYear(y, dayNumber)
                case .hour: value = hour
                case .hour12: value = hour % 12 == 0 ? 12 : hour % 12
                case .minute: value = minute
                case .second: value = second
                case .weekday0: value = weekday
                case .weekday1: value = weekday == 0 ? 7 : weekday
                case .weekSunday: value = (Self.dayOfYear(y, dayNumber) - 1 + 7 - weekday) / 7
                case .weekMonday: value = (Self.dayOfYear(y, dayNumber) - 1 + 7 - (weekday + 6) % 7) / 7
                case .isoYear: value = Self.isoWeek(dayNumber).year
                case .isoYear2: value = ((Self.isoWeek(dayNumber).year % 100) + 100) % 100
                case .isoWeek: value = Self.isoWeek(dayNumber).week
                case .epochSeconds: value = Int(days) * 86_400 + seconds
                }
                out += Self.padded(value, width: width, pad: pad)
            case .name(let name):
                switch name {
                case .monthShort: out += String(Self.monthNames[m - 1].prefix(3))
                case .monthLong: out += Self.monthNames[m - 1]
                case .weekdayShort: out += String(Self.weekdayNames[weekday].prefix(3))
                case .weekdayLong: out += Self.weekdayNames[weekday]
                case .ampmUpper: out += hour < 12 ? "AM" : "PM"
                case .ampmLower: out += hour < 12 ? "am" : "pm"
                }
            case .fraction(let digits, let dot):
                let nanos = micros * 1000
                let shown: Int
                if let digits { shown = digits } else if nanos == 0 { continue } else {
                    shown = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9
                }
                let text = CivilDate.pad(nanos, 9)
                out += (dot ? "." : "") + String(text.prefix(shown))
            }
        }
        return out
    }

    static func padded(_ value: Int, width: Int, pad: Pad) -> String {
        switch pad {
        case .zero: return CivilDate.pad(value, width)
        case .none: return String(value)
        case .space:
            let s = String(value)
            return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
        }
    }

    /// 1-based day of the year.
    static func dayOfYear(_ year: Int, _ days: Int32) -> Int {
        guard let first = CivilDate.days(year: year, month: 1, day: 1) else { return 1 }
        return Int(days) - Int(first) + 1
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(_ days: Int32) -> Int {
        let w = (Int(days) + 4) % 7
        return w < 0 ? w + 7 : w
    }

    /// The ISO 8601 week-numbering year and week: weeks start on Monday, and week 1 holds the
    /// year's first Thursday.
    static func isoWeek(_ days: Int32) -> (year: Int, week: Int) {
        let mondayBased = (weekday(days) + 6) % 7            // 0 = Monday
        let thursday = Int32(clamping: Int(days) - mondayBased + 3)
        let year = CivilDate.civil(fromDays: thursday).0
        return (year, (dayOfYear(year, thursday) - 1) / 7 + 1)
    }
}
