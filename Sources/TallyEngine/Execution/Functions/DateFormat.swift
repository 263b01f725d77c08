/// A `strftime` format, compiled once per call: what `date.to_text "%Y-%m" d` uses.
///
/// Specifiers (as in DuckDB, which PRQL's `date.to_text` compiles to): `%Y` (4 digits, zero-padded;
/// `-5` for year -5), `%y`, `%m`, `%d`, `%H`, `%M`, `%S`, `%f` (microseconds), `%j` (day of year),
/// `%b` / `%B` (month name), `%a` / `%A` (weekday name), `%w` (0 = Sunday), `%u` (1 = Monday),
/// `%I` / `%p` (12-hour clock), `%%`, and `%-m`, `%-d`, `%-H`, `%-M`, `%-S`, `%-j`, `%-y`, `%-I`
/// without padding. An unknown specifier or a trailing `%` is an error, as in DuckDB.
struct DateFormat: Sendable {
    enum Part: Sendable, Equatable {
        case literal(String)
        case year, year2, month, day, hour, minute, second, micros, dayOfYear
        case monthShort, monthLong, weekdayShort, weekdayLong, weekday0, weekday1, hour12, ampm
        case unpadded(Field)
    }

    enum Field: Sendable, Equatable { case month, day, hour, minute, second, dayOfYear, year2, hour12 }

    let parts: [Part]
    /// Whether the format reads hours, minutes or seconds (a date has them all zero).
    let usesTime: Bool

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    init(_ format: String) throws {
        var parts: [Part] = []
        var literal = ""
        var it = Array(format.unicodeScalars)[...]
        func fail(_ why: String) -> TallyError {
            TallyError(.runtime, "`date.to_text`: \(why) in format \"\(format)\"",
                       hint: "use %Y %m %d %H %M %S %y %b %B %j %a %A %f %I %p %w %u %% (and %-m, %-d, … unpadded)")
        }
        while let c = it.popFirst() {
            guard c == "%" else { literal.unicodeScalars.append(c); continue }
            guard var spec = it.popFirst() else { throw fail("a trailing %") }
            var unpadded = false
            if spec == "-" {
                guard let next = it.popFirst() else { throw fail("a trailing %-") }
                spec = next
                unpadded = true
            }
            if spec == "%" && !unpadded { literal += "%"; continue }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            let part: Part
            switch (spec, unpadded) {
            case ("Y", false): part = .year
            case ("y", false): part = .year2
            case ("m", false): part = .month
            case ("d", false): part = .day
            case ("H", false): part = .hour
            case ("M", false): part = .minute
            case ("S", false): part = .second
            case ("f", false): part = .micros
            case ("j", false): part = .dayOfYear
            case ("b", false), ("h", false): part = .monthShort
            case ("B", false): part = .monthLong
            case ("a", false): part = .weekdayShort
            case ("A", false): part = .weekdayLong
            case ("w", false): part = .weekday0
            case ("u", false): part = .weekday1
            case ("I", false): part = .hour12
            case ("p", false): part = .ampm
            case ("m", true): part = .unpadded(.month)
            case ("d", true): part = .unpadded(.day)
            case ("H", true): part = .unpadded(.hour)
            case ("M", true): part = .unpadded(.minute)
            case ("S", true): part = .unpadded(.second)
            case ("j", true): part = .unpadded(.dayOfYear)
            case ("y", true): part = .unpadded(.year2)
            case ("I", true): part = .unpadded(.hour12)
            default: throw fail("unknown specifier %\(unpadded ? "-" : "")\(spec)")
            }
            parts.append(part)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
        usesTime = parts.contains { part in
            switch part {
            case .hour, .minute, .second, .micros, .hour12, .ampm,
                 .unpadded(.hour), .unpadded(.minute), .unpadded(.second), .unpadded(.hour12): return true
            default: return false
            }
        }
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
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .year: out += y < 0 ? String(y) : CivilDate.pad(y, 4)
            case .year2: out += CivilDate.pad(Swift.abs(y) % 100, 2)
            case .month: out += CivilDate.pad(m, 2)
            case .day: out += CivilDate.pad(d, 2)
            case .hour: out += CivilDate.pad(hour, 2)
            case .minute: out += CivilDate.pad(minute, 2)
            case .second: out += CivilDate.pad(second, 2)
            case .micros: out += CivilDate.pad(Int(microsOfDay % 1_000_000), 6)
            case .dayOfYear: out += CivilDate.pad(Self.dayOfYear(y, dayNumber), 3)
            case .monthShort: out += String(Self.monthNames[m - 1].prefix(3))
            case .monthLong: out += Self.monthNames[m - 1]
            case .weekdayShort: out += String(Self.weekdayNames[Self.weekday(dayNumber)].prefix(3))
            case .weekdayLong: out += Self.weekdayNames[Self.weekday(dayNumber)]
            case .weekday0: out += String(Self.weekday(dayNumber))
            case .weekday1: out += String(Self.weekday(dayNumber) == 0 ? 7 : Self.weekday(dayNumber))
            case .hour12: out += CivilDate.pad(hour % 12 == 0 ? 12 : hour % 12, 2)
            case .ampm: out += hour < 12 ? "AM" : "PM"
            case .unpadded(let field):
                switch field {
                case .month: out += String(m)
                case .day: out += String(d)
                case .hour: out += String(hour)
                case .minute: out += String(minute)
                case .second: out += String(second)
                case .dayOfYear: out += String(Self.dayOfYear(y, dayNumber))
                case .year2: out += String(Swift.abs(y) % 100)
                case .hour12: out += String(hour % 12 == 0 ? 12 : hour % 12)
                }
            }
        }
        return out
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
}
