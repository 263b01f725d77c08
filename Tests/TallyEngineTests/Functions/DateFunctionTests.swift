import Testing
@testable import TallyEngine

@Suite("Date functions")
struct DateFunctionTests {
    /// Oracle: `from t | derive {y = (d | date.to_text "%Y/%m")}` → 2021/03, 2022/12, null, 2020/02, 2021/01.
    @Test func toTextFormatsDates() throws {
        let d = F.dates(["2021-03-05", "2022-12-31", nil, "2020-02-29", "2021-01-01"])
        let out = try F.call("date.to_text", F.text("%Y/%m"), d)
        #expect(out.type == .text)
        #expect(F.texts(of: out) == ["2021/03", "2022/12", nil, "2020/02", "2021/01"])
    }

    /// Oracle: `strftime(date '2021-03-05', '%Y|%m|%d|%H|%M|%S|%y|%b|%B|%j|%%|%-m|%-d|%a|%A|%I|%p|%f|%-j|%-y|%w|%u')`
    /// → '2021|03|05|00|00|00|21|Mar|March|064|%|3|5|Fri|Friday|12|AM|000000|64|21|5|5'.
    @Test func everySpecifier() throws {
        let format = try DateFormat("%Y|%m|%d|%H|%M|%S|%y|%b|%B|%j|%%|%-m|%-d|%a|%A|%I|%p|%f|%-j|%-y|%w|%u")
        #expect(format.format(days: F.day("2021-03-05"))
                == "2021|03|05|00|00|00|21|Mar|March|064|%|3|5|Fri|Friday|12|AM|000000|64|21|5|5")
    }

    /// Oracle: `strftime(timestamp '2021-03-05 15:08:09.25', '%I:%M %p %f')` → '03:08 PM 250000';
    /// `strftime(timestamp '1969-12-31 23:59:59', '%Y-%m-%d %H:%M:%S')` → '1969-12-31 23:59:59'.
    @Test func toTextFormatsTimestamps() throws {
        let ts = Column(.timestamp([F.micros("2021-03-05", 15, 8, 9, 250_000), F.micros("1969-12-31", 23, 59, 59)]))
        let a = try F.call("date.to_text", F.text("%I:%M %p %f"), .column(ts))
        #expect(F.texts(of: a)[0] == "03:08 PM 250000")
        let b = try F.call("date.to_text", F.text("%Y-%m-%d %H:%M:%S"), .column(ts))
        #expect(F.texts(of: b) == ["2021-03-05 15:08:09", "1969-12-31 23:59:59"])
        // Without time fields: formatted once per day.
        #expect(F.texts(of: try F.call("date.to_text", F.text("%d.%m.%Y"), .column(ts))) == ["05.03.2021", "31.12.1969"])
    }

    /// Oracle: `strftime(date '0099-01-01', '%Y %y')` → '0099 99'; `strftime(date '2020-12-31', '%j')` → '366';
    /// `strftime(date '2021-03-05', '南%Y年')` → '南2021年'.
    @Test func yearPaddingDayOfYearAndLiterals() throws {
        #expect(try DateFormat("%Y %y").format(days: F.day("0099-01-01")) == "0099 99")
        #expect(try DateFormat("%j").format(days: F.day("2020-12-31")) == "366")
        #expect(try DateFormat("南%Y年%-m月").format(days: F.day("2021-03-05")) == "南2021年3月")
        #expect(try DateFormat("%Y").format(days: F.day("12345-01-01")) == "12345")
    }

    /// Oracle: `strftime(date '2021-03-05', '%Q')` → "Unrecognized format", `'abc%'` → "Trailing format character".
    @Test func unknownSpecifiersAreErrors() throws {
        let d = F.dates(["2021-03-05"])
        let error = #expect(throws: TallyError.self) { try F.call("date.to_text", F.text("%Q"), d) }
        #expect(error?.message.contains("unknown specifier `%Q`") == true)
        #expect(throws: TallyError.self) { try F.call("date.to_text", F.text("abc%"), d) }
        let padded = #expect(throws: TallyError.self) { try F.call("date.to_text", F.text("%-B"), d) }
        #expect(padded?.message.contains("`%-B`: a padding modifier goes with a number") == true)
        #expect(throws: TallyError.self) { try F.call("date.to_text", F.text("%.4f"), d) }
    }

    /// chrono's specifiers beyond DuckDB's: space padding, centuries, week numbers, ISO weeks,
    /// epoch seconds, fractions, the combinations and the padding modifiers.
    @Test func chronoSpecifiers() throws {
        let day = F.day("2021-03-04")  // a Thursday
        func text(_ format: String, _ days: Int32) throws -> String { try DateFormat(format).format(days: days) }
        #expect(try text("%e|%k|%l|%C|%P|%t|%n|%Z|%z", day) == " 4| 0|12|20|am|\t|\n|UTC|+0000")
        #expect(try text("%U %W %G %g %V %w %u %s", day) == "09 09 2021 21 09 4 4 1614816000")
        #expect(try text("%v|%c", day) == " 4-Mar-2021|Thu Mar  4 00:00:00 2021")
        #expect(try text("%_d|%-d|%0e|%_m|%-j", day) == " 4|4|04| 3|63")
        // ISO weeks at the turn of the year: 2020-12-31 is in 2020-W53, 1999-01-03 in 1998-W53.
        #expect(try text("%G-W%V-%u", F.day("2020-12-31")) == "2020-W53-4")
        #expect(try text("%G-W%V-%u %U %W", F.day("1999-01-03")) == "1998-W53-7 01 00")
        #expect(try text("%U %W", F.day("2020-01-01")) == "00 00")
        let ts = F.micros("2021-03-05", 15, 8, 9, 89_000)
        let format = try DateFormat("%.f|%.3f|%.6f|%.9f|%3f|%6f|%9f|%+")
        #expect(format.format(micros: ts) == ".089|.089|.089000|.089000000|089|089000|089000000|2021-03-05T15:08:09.089000Z")
        #expect(try DateFormat("%S%.f").format(micros: F.micros("2021-03-05", 15, 8, 9)) == "09")
    }

    @Test func toTextDeduplicatesAndFoldsConstants() throws {
        let days = (0..<1000).map { _ in Optional("2021-03-05") } + [Optional("2021-04-01")]
        let out = try F.call("date.to_text", F.text("%Y-%m"), F.dates(days))
        guard case .column(let c) = out, case .text(_, let dictionary) = c.values else { Issue.record("not text"); return }
        #expect(dictionary.strings == ["2021-03", "2021-04"])
        let constant = try F.call("date.to_text", F.text("%B"), .constant(.date(F.day("2021-09-01")), .date), rows: 7)
        guard case .constant(.text("September"), .text) = constant else { Issue.record("\(constant)"); return }
    }

    @Test func yearAndMonthAreInts() throws {
        let d = F.dates(["2021-03-05", nil, "1969-12-31", "0001-01-01"])
        #expect(F.values(try F.call("date.year", d)) == [.int(2021), .null, .int(1969), .int(1)])
        #expect(F.values(try F.call("date.month", d)) == [.int(3), .null, .int(12), .int(1)])
        let ts = Column(.timestamp([F.micros("1969-12-31", 23, 59, 59), F.micros("2024-02-29", 1)]))
        #expect(F.values(try F.call("date.year", .column(ts))) == [.int(1969), .int(2024)])
        #expect(F.values(try F.call("date.month", .column(ts))) == [.int(12), .int(2)])
        let f = try #require(FunctionRegistry.scalar(named: "date.year"))
        #expect(throws: TallyError.self) { try f.resultType([.text]) }
    }
}
