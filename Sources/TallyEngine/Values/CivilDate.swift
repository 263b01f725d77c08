/// Conversions between proleptic Gregorian calendar dates and day numbers (days since 1970-01-01).
///
/// The algorithm is Howard Hinnant's `days_from_civil`, exact for every year an Int32 day count holds,
/// and free of Foundation so the CSV reader can call it per field without allocating.
public enum CivilDate {
    /// Day number of a calendar date, or nil when the month or day is out of range.
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int32? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              (-100_000...100_000).contains(year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    /// Calendar date of a day number.
    @inlinable
    public static func civil(fromDays days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    @inlinable
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public static func format(days: Int32) -> String {
        let (y, m, d) = civil(fromDays: days)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `YYYY-MM-DD HH:MM:SS` with `.ffffff` only when there are fractional seconds.
    public static func format(micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var day = micros / perDay
        var rem = micros % perDay
        if rem < 0 { rem += perDay; day -= 1 }
        let secs = Int(rem / 1_000_000), frac = Int(rem % 1_000_000)
        var out = format(days: Int32(clamping: day)) + " " + pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2)
            + ":" + pad(secs % 60, 2)
        if frac != 0 { out += "." + pad(frac, 6) }
        return out
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(abs(value))
        let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return value < 0 ? "-" + padded : padded
    }
}
