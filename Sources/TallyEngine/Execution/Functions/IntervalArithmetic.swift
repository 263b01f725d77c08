/// `d + 2days`, `t - 3hours`, `d + 1months`: a date or timestamp moved by PRQL's value-and-unit
/// interval literal. As in DuckDB (what PRQL's intervals compile to), the result is a timestamp;
/// months and years move the calendar date and keep the day, or the month's last day when the
/// month is shorter (2021-01-31 + 1months is 2021-02-28).
enum IntervalArithmetic {
    static let microsPerDay: Int64 = 86_400_000_000

    /// The function that adds `amount` `unit`s (negative to subtract).
    static func function(_ amount: Int64, _ unit: IntervalUnit) -> ScalarFunction {
        ScalarFunction("+ \(amount)\(unit.rawValue)", ["column"], "move by an interval", signature: { args in
            guard let t = args.first, t == .date || t == .timestamp else {
                throw TallyError(.type, "an interval moves a date or a timestamp, not \(args.first?.rawValue ?? "nothing")",
                                 hint: "e.g. `hire_date + 30days`")
            }
            return .timestamp
        }) { args, rows, _ in
            let input = args[0].materialize(count: rows)
            let micros: [Int64]
            switch input.values {
            case .date(let days):
                micros = try days.map { day in
                    let (value, overflow) = Int64(day).multipliedReportingOverflow(by: microsPerDay)
                    guard !overflow else { throw TallyError(.runtime, "a date is out of the range an interval can move") }
                    return value
                }
            case .timestamp(let values): micros = values
            default: micros = [Int64](repeating: 0, count: rows)
            }
            var out = [Int64](repeating: 0, count: micros.count)
            for i in micros.indices where !input.isNull(i) {
                out[i] = try move(micros[i], by: amount, unit)
            }
            return .column(Column(.timestamp(out), validity: input.validity))
        }
    }

    static func move(_ micros: Int64, by amount: Int64, _ unit: IntervalUnit) throws -> Int64 {
        func overflow() -> TallyError {
            TallyError(.runtime, "a date moved by \(amount) \(unit.rawValue) is out of range")
        }
        let perUnit: Int64
        switch unit {
        case .microseconds: perUnit = 1
        case .milliseconds: perUnit = 1_000
        case .seconds: perUnit = 1_000_000
        case .minutes: perUnit = 60_000_000
        case .hours: perUnit = 3_600_000_000
        case .days: perUnit = microsPerDay
        case .weeks: perUnit = 7 * microsPerDay
        case .months, .years:
            let months: (partialValue: Int64, overflow: Bool) = unit == .years ? amount.multipliedReportingOverflow(by: 12) : (amount, false)
            guard !months.overflow, abs(months.partialValue) < 2_400_000 else { throw overflow() }
            var day = micros / microsPerDay
            var rest = micros % microsPerDay
            if rest < 0 { rest += microsPerDay; day -= 1 }
            guard let dayNumber = Int32(exactly: day) else { throw overflow() }
            let (y, m, d) = CivilDate.civil(fromDays: dayNumber)
            let total = y * 12 + (m - 1) + Int(months.partialValue)
            let year = Int((Double(total) / 12).rounded(.down)), month = total - year * 12 + 1
            let clamped = min(d, CivilDate.daysInMonth(year: year, month: month))
            guard let moved = CivilDate.days(year: year, month: month, day: clamped) else { throw overflow() }
            return Int64(moved) * microsPerDay + rest
        }
        let (delta, o1) = amount.multipliedReportingOverflow(by: perUnit)
        let (sum, o2) = micros.addingReportingOverflow(delta)
        guard !o1, !o2 else { throw overflow() }
        return sum
    }
}
