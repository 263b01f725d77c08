import Testing
@testable import TallyEngine

@Suite("Casts")
struct CastTests {
    func cast(_ v: Vector, _ to: DataType) throws -> [Scalar] {
        F.values(try Casts.cast(v, to: to, rowCount: 0))
    }

    @Test func targetTypeNames() {
        #expect(Casts.targetType(named: "int") == .int)
        #expect(Casts.targetType(named: "float") == .float)
        #expect(Casts.targetType(named: "text") == .text)
        #expect(Casts.targetType(named: "bool") == .bool)
        #expect(Casts.targetType(named: "date") == .date)
        #expect(Casts.targetType(named: "timestamp") == .timestamp)
        #expect(Casts.targetType(named: "VARCHAR") == .text)
        #expect(Casts.targetType(named: "decimal(3)") == nil)
    }

    /// Oracle: `SQL: select cast(2.5::double as bigint), cast(-2.5::double as bigint), cast(3.5::double as bigint),
    /// cast(0.5::double as bigint)` → 2, -2, 4, 0 (half to even).
    @Test func floatToIntRoundsHalfToEven() throws {
        #expect(try cast(F.floats([2.5, -2.5, 3.5, 0.5, 1.4, -1.6, nil]), .int)
                == [.int(2), .int(-2), .int(4), .int(0), .int(1), .int(-2), .null])
    }

    /// Oracle: `cast(1e300::double as bigint)` → "value is out of range for the destination type INT64".
    @Test func floatToIntOutOfRangeIsAnError() throws {
        let error = #expect(throws: TallyError.self) { try cast(F.floats([1, 1e300]), .int) }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("1e+300") == true)
        #expect(throws: TallyError.self) { try cast(F.floats([.nan]), .int) }
        #expect(throws: TallyError.self) { try cast(F.floats([9_223_372_036_854_775_808.0]), .int) }
        #expect(try cast(F.floats([-9_223_372_036_854_775_808.0]), .int) == [.int(.min)])
        // The placeholder of a null row is never checked.
        let column = Column(.float([.infinity, 2]), validity: Validity([false, true]))
        #expect(try cast(.column(column), .int) == [.null, .int(2)])
    }

    /// Oracle: `SQL: select cast(' 12 ' as bigint), cast('1.5' as bigint), cast('+7' as bigint), cast('1e3' as bigint),
    /// cast('0x10' as bigint), cast('1_000' as bigint)` → 12, 2, 7, 1000, 16, 1000; and '2.5' → 3, '-2.5' → -3,
    /// '2.49999' → 2, '.5' → 1, '1.45e1' → 15, '15e-1' → 2, '0b101' → 5, '1_000.5' → 1001.
    @Test func textToIntReadsWhatDuckDBReads() throws {
        let input = [" 12 ", "1.5", "+7", "1e3", "0x10", "1_000", "2.5", "-2.5", "2.49999", ".5", "1.45e1", "15e-1",
                     "0b101", "1_000.5", "0X1f", "\t5\n", "-9223372036854775808", "00012", "1."]
        let expected: [Int64] = [12, 2, 7, 1000, 16, 1000, 3, -3, 2, 1, 15, 2, 5, 1001, 31, 5, .min, 12, 1]
        #expect(try cast(F.texts(input), .int) == expected.map { .int($0) })
    }

    /// Oracle: each of these is "Could not convert string '…' to INT64".
    @Test func textToIntFailuresNameTheValue() throws {
        for bad in ["abc", "", "1_", "_1", "1__0", "0o17", "1,000", "9223372036854775808", "- 5", "1.2.3", "0x",
                    "1e", "1e19", "-0x10", "٣"] {
            let error = #expect(throws: TallyError.self, "\(bad)") { try cast(F.texts(["1", bad]), .int) }
            #expect(error?.message == "cannot convert text '\(bad)' to int with `as int`", "\(bad)")
        }
    }

    @Test func textEntriesOfNullRowsAreNotParsed() throws {
        let column = Column(.text(codes: [0, 1, 1], dictionary: TextDictionary(["7", "oops"])),
                            validity: Validity([true, false, false]))
        #expect(try cast(.column(column), .int) == [.int(7), .null, .null])
    }

    /// Oracle: `cast('1_000.5' as double)` → 1000.5, `'  nan '` → nan, `'-Infinity'` → -inf, `'1e400'` → inf,
    /// `'.5'` → 0.5, `'5.'` → 5.0; `'0x10'`, `'1e'`, `'1d'` fail.
    @Test func textToFloat() throws {
        let out = try cast(F.texts(["1_000.5", "-Infinity", "1e400", ".5", "5.", " 1.5 ", nil]), .float)
        #expect(out == [.float(1000.5), .float(-.infinity), .float(.infinity), .float(0.5), .float(5), .float(1.5), .null])
        guard case .float(let nan) = try cast(F.texts(["  nan "]), .float)[0] else { Issue.record("no float"); return }
        #expect(nan.isNaN)
        for bad in ["0x10", "1e", "1d", "", "_1"] {
            #expect(throws: TallyError.self, "\(bad)") { try cast(F.texts([bad]), .float) }
        }
    }

    /// Oracle: 't', 'yes', '1', 'TRUE', 'y' → true; 'F', 'no', '0' → false; ' true', 'off', '2' fail.
    @Test func textToBool() throws {
        #expect(try cast(F.texts(["t", "yes", "1", "TRUE", "y", "F", "no", "0", "n", nil]), .bool)
                == [true, true, true, true, true, false, false, false, false].map { .bool($0) } + [.null])
        for bad in [" true", "off", "2", "maybe"] {
            #expect(throws: TallyError.self, "\(bad)") { try cast(F.texts([bad]), .bool) }
        }
    }

    /// Oracle: '2021-1-5', ' 2021-01-05 ', '2021-01-05 10:00:00', '2021/01/05', '2021 01 05', '2021-01-05T10:00'
    /// → 2021-01-05; '20210105', '2021-02-30', '2021.01.05', '2021-01/05', '2021-01-05 xyz' fail.
    @Test func textToDate() throws {
        let good = ["2021-1-5", " 2021-01-05 ", "2021-01-05 10:00:00", "2021/01/05", "2021 01 05", "2021-01-05T10:00"]
        #expect(try cast(F.texts(good), .date) == Array(repeating: .date(F.day("2021-01-05")), count: good.count))
        #expect(try cast(F.texts(["2020-02-29"]), .date) == [.date(F.day("2020-02-29"))])
        for bad in ["20210105", "2021-02-30", "2021.01.05", "2021-01/05", "2021-01-05 xyz", "2021-01-05Z"] {
            let error = #expect(throws: TallyError.self, "\(bad)") { try cast(F.texts([bad]), .date) }
            #expect(error?.hint?.contains("2024-09-01") == true)
        }
    }

    /// Oracle: '2021-03-05 07:08:09.5' → 07:08:09.500000; '2021-03-05 24:00:00' → 2021-03-06 00:00;
    /// '2021-03-05 7:8:9' → 07:08:09; '2021-03-05 07' fails.
    @Test func textToTimestamp() throws {
        #expect(try cast(F.texts(["2021-03-05 07:08:09.5", "2021-03-05 24:00:00", "2021-03-05 7:8:9", "2021-03-05",
                                  "2021-03-05T07:08:09Z", "2021-03-05 07:08:09+02"]), .timestamp)
                == [.timestamp(F.micros("2021-03-05", 7, 8, 9, 500_000)), .timestamp(F.micros("2021-03-06")),
                    .timestamp(F.micros("2021-03-05", 7, 8, 9)), .timestamp(F.micros("2021-03-05")),
                    .timestamp(F.micros("2021-03-05", 7, 8, 9)), .timestamp(F.micros("2021-03-05", 7, 8, 9))])
        #expect(throws: TallyError.self) { try cast(F.texts(["2021-03-05 07"]), .timestamp) }
    }

    /// Oracle: `cast(2.0::double as text)` → '2.0', 0.1 → '0.1', 1e16 → '1e+16', 1e15 → '1000000000000000.0',
    /// 1e-5 → '1e-05', nan → 'nan', -0.0 → '-0.0'; `cast(true as text)` → 'true'.
    @Test func valuesToText() throws {
        #expect(F.texts(of: try Casts.cast(F.ints([1, -20, nil, 1]), to: .text, rowCount: 4)) == ["1", "-20", nil, "1"])
        #expect(F.texts(of: try Casts.cast(F.floats([2, 0.1, 1e16, 1e15, 1e-5, .nan, -0.0, 1.5]), to: .text, rowCount: 8))
                == ["2.0", "0.1", "1e+16", "1000000000000000.0", "1e-05", "nan", "-0.0", "1.5"])
        #expect(F.texts(of: try Casts.cast(F.bools([true, false, nil]), to: .text, rowCount: 3)) == ["true", "false", nil])
        #expect(F.texts(of: try Casts.cast(F.dates(["2021-03-05", "0099-01-01"]), to: .text, rowCount: 2))
                == ["2021-03-05", "0099-01-01"])
    }

    /// Oracle: `cast(timestamp '2021-03-05 07:08:09.123' as text)` → '2021-03-05 07:08:09.123',
    /// without a fraction → '2021-03-05 07:08:09'.
    @Test func timestampToTextTrimsTheFraction() throws {
        let ts = Column(.timestamp([F.micros("2021-03-05", 7, 8, 9, 123_000), F.micros("2021-03-05", 7, 8, 9),
                                    F.micros("2021-03-05", 7, 8, 9, 1)]))
        #expect(F.texts(of: try Casts.cast(.column(ts), to: .text, rowCount: 3))
                == ["2021-03-05 07:08:09.123", "2021-03-05 07:08:09", "2021-03-05 07:08:09.000001"])
    }

    /// Oracle: `cast(true as bigint)` → 1, `cast(true as double)` → 1.0, `cast(2 as boolean)` → true,
    /// `cast(0.5::double as boolean)` → true.
    @Test func numbersAndBools() throws {
        #expect(try cast(F.ints([3, nil]), .float) == [.float(3), .null])
        #expect(try cast(F.bools([true, false]), .int) == [.int(1), .int(0)])
        #expect(try cast(F.bools([true, false]), .float) == [.float(1), .float(0)])
        #expect(try cast(F.ints([2, 0]), .bool) == [.bool(true), .bool(false)])
        #expect(try cast(F.floats([0.5, 0]), .bool) == [.bool(true), .bool(false)])
    }

    /// Oracle: `cast(timestamp '1969-12-31 23:59:59' as date)` → 1969-12-31; `cast(date '2021-03-05' as timestamp)`
    /// → 2021-03-05 00:00:00.
    @Test func datesAndTimestamps() throws {
        #expect(try cast(F.dates(["2021-03-05", nil]), .timestamp) == [.timestamp(F.micros("2021-03-05")), .null])
        let ts = Column(.timestamp([F.micros("1969-12-31", 23, 59, 59), F.micros("2021-03-05", 23, 59, 59)]))
        #expect(try cast(.column(ts), .date) == [.date(F.day("1969-12-31")), .date(F.day("2021-03-05"))])
    }

    /// Oracle: `cast(date '2021-01-02' as bigint)` and `cast(5::bigint as date)` → "Unimplemented type for cast".
    @Test func datesAndNumbersDoNotConvert() throws {
        let error = #expect(throws: TallyError.self) { try Casts.resultType(from: .date, to: .int) }
        #expect(error?.kind == .type)
        #expect(error?.message == "cannot convert date to int with `as int`")
        #expect(error?.hint?.contains("date.year") == true)
        #expect(throws: TallyError.self) { try cast(F.ints([5]), .date) }
        #expect(throws: TallyError.self) { try cast(F.bools([true]), .date) }
        #expect(Casts.canCast(from: .text, to: .timestamp) && Casts.canCast(from: .timestamp, to: .text))
    }

    @Test func constantsStayConstant() throws {
        let out = try Casts.cast(.constant(.text(" 42 "), .text), to: .int, rowCount: 1000)
        guard case .constant(.int(42), .int) = out else { Issue.record("\(out)"); return }
        let null = try Casts.cast(.constant(.null, .text), to: .date, rowCount: 3)
        guard case .constant(.null, .date) = null else { Issue.record("\(null)"); return }
        #expect(throws: TallyError.self) { try Casts.cast(.constant(.text("x"), .text), to: .int, rowCount: 1) }
    }

    @Test func sameTypeIsTheSameColumn() throws {
        let out = try Casts.cast(Column(texts: ["a", nil]), to: .text)
        #expect(F.values(out) == [.text("a"), .null])
    }
}
