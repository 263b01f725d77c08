/// `date.to_text FORMAT d` as SQL: the format is compiled by the same parser the in-memory kernel
/// uses, and each part becomes a piece of text (`EXTRACT`, `TO_CHAR` for the English month and
/// weekday names, padding with `LPAD`), concatenated. PostgreSQL's own `TO_CHAR` templates differ
/// from chrono's specifiers in too many corners (padding, `%e`, `%j`) to translate one to the other.
enum DateFormatSQL {
    static func sql(format: String, value: String, type: DataType) throws -> String {
        let compiled: DateFormat
        do { compiled = try DateFormat(format) } catch { throw NotLowerable("a date format the kernel refuses") }
        let v = type == .date ? "(" + value + ")::timestamp" : value
        var pieces: [String] = []
        for part in compiled.parts {
            switch part {
            case .literal(let text):
                pieces.append(PostgresTypes.quoteLiteral(text))
            case .number(let number, let width, let pad):
                let n = try self.number(number, v)
                let digits = "(" + n + ")::text"
                switch pad {
                case .none: pieces.append(digits)
                case .zero: pieces.append("LPAD(" + digits + ", GREATEST(\(width), LENGTH(" + digits + ")), '0')")
                case .space: pieces.append("LPAD(" + digits + ", GREATEST(\(width), LENGTH(" + digits + ")), ' ')")
                }
            case .name(let name):
                switch name {
                case .monthShort: pieces.append("TO_CHAR(" + v + ", 'Mon')")
                case .monthLong: pieces.append("TO_CHAR(" + v + ", 'FMMonth')")
                case .weekdayShort: pieces.append("TO_CHAR(" + v + ", 'Dy')")
                case .weekdayLong: pieces.append("TO_CHAR(" + v + ", 'FMDay')")
                case .ampmUpper: pieces.append("TO_CHAR(" + v + ", 'AM')")
                case .ampmLower: pieces.append("TO_CHAR(" + v + ", 'am')")
                }
            case .fraction(let digits, let dot):
                guard let digits else { throw NotLowerable("`%.f` in a date format") }
                let micros = "(EXTRACT(MICROSECONDS FROM " + v + ")::bigint % 1000000)"
                let scaled: String
                switch digits {
                case 3: scaled = "(" + micros + " / 1000)"
                case 6: scaled = micros
                default: scaled = "(" + micros + " * 1000)"
                }
                pieces.append((dot ? "'.' || " : "") + "LPAD((" + scaled + ")::text, \(digits), '0')")
            }
        }
        guard !pieces.isEmpty else { return "(CASE WHEN " + value + " IS NULL THEN NULL ELSE '' END)" }
        // `||` with a null gives null, as the kernel does for a missing date.
        return "(CASE WHEN " + value + " IS NULL THEN NULL ELSE " + pieces.joined(separator: " || ") + " END)"
    }

    private static func number(_ number: DateFormat.Number, _ v: String) throws -> String {
        func extract(_ field: String) -> String { "EXTRACT(" + field + " FROM " + v + ")::bigint" }
        switch number {
        case .year: return extract("YEAR")
        case .century: return "FLOOR(EXTRACT(YEAR FROM " + v + ") / 100)::bigint"
        case .year2: return "MOD(" + extract("YEAR") + ", 100)"
        case .month: return extract("MONTH")
        case .day: return extract("DAY")
        case .dayOfYear: return extract("DOY")
        case .hour: return extract("HOUR")
        case .hour12: return "(MOD(" + extract("HOUR") + " + 11, 12) + 1)"
        case .minute: return extract("MINUTE")
        case .second: return "FLOOR(EXTRACT(SECOND FROM " + v + "))::bigint"
        case .weekday0: return extract("DOW")
        case .weekday1: return extract("ISODOW")
        case .isoYear: return extract("ISOYEAR")
        case .isoYear2: return "MOD(" + extract("ISOYEAR") + ", 100)"
        case .isoWeek: return extract("WEEK")
        case .epochSeconds: return "FLOOR(EXTRACT(EPOCH FROM " + v + "))::bigint"
        case .weekSunday, .weekMonday: throw NotLowerable("`%U` / `%W` in a date format")
        }
    }
}
