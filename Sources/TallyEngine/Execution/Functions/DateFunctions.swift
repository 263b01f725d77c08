/// `date.to_text format d`, `date.year d` and `date.month d` (the last two are Tally's).
enum DateFunctions {
    static let all: [ScalarFunction] = [toText, year, month]

    static func isDateLike(_ t: DataType) -> Bool { t == .date || t == .timestamp }

    /// Oracle: `from t | derive {y = (d | date.to_text "%Y/%m")}` → strftime(d, '%Y/%m'), e.g.
    /// 2021-03-05 → "2021/03"; `strftime(date '2021-03-05', '%j %b %B %a')` → "064 Mar March Fri".
    static let toText = ScalarFunction("date.to_text", ["format", "column"], "format a date (strftime)",
                                       signature: { args in
        guard args[0] == .text, isDateLike(args[1]) else {
            throw Signatures.mismatch("date.to_text", expected: "(text format, date or timestamp), as in `date.to_text \"%Y-%m\" d`",
                                      got: args)
        }
        return .text
    }, kernel: { args, rows, _ in
        guard case .constant(.text(let pattern), _) = args[0], case .column(let column) = args[1] else {
            return .column(try DictionaryKernels.mapTuples(args, rows: rows, type: .text) { scalars in
                let format = try DateFormat(scalars[0].textValue)
                switch scalars[1] {
                case .date(let d): return .text(format.format(days: d))
                case .timestamp(let t): return .text(format.format(micros: t))
                default: return .null
                }
            })
        }
        let format = try DateFormat(pattern)
        switch column.values {
        case .date(let days):
            return .column(formatDays(days, validity: column.validity) { format.format(days: $0) })
        case .timestamp(let micros):
            if format.usesTime {
                return .column(formatEach(micros, validity: column.validity) { format.format(micros: $0) })
            }
            // Only the date part shows: format once per day.
            let perDay: Int64 = 86_400_000_000
            let days = micros.map { m -> Int32 in
                var d = m / perDay
                if m % perDay < 0 { d -= 1 }
                return Int32(clamping: d)
            }
            return .column(formatDays(days, validity: column.validity) { format.format(days: $0) })
        default:
            return .constant(.null, .text)
        }
    })

    /// `text(v)` for each row, computed once per distinct value and dictionary-encoded. When
    /// `distinctTexts` is set, different values are known to give different texts (`String(int)`),
    /// so the dictionary needs no second, string-keyed deduplication.
    static func formatEach<T: BinaryInteger>(_ values: [T], validity: Validity?, distinctTexts: Bool = false,
                                             _ text: (T) -> String) -> Column {
        var builder = TextDictionaryBuilder()
        var strings: [String] = []
        var table = CodeTable()
        let n = values.count
        var codes = [UInt32](repeating: 0, count: n)
        withValidBits(validity) { bits in
            values.withUnsafeBufferPointer { src in
                codes.withUnsafeMutableBufferPointer { dst in
                    var lastValue: T? = nil
                    var lastCode: UInt32 = 0
                    for i in 0..<n {
                        if let bits, !bits.isValid(i) { continue }
                        let v = src[i]
                        // Sorted or clustered data repeats the previous value: skip the lookup.
                        if v == lastValue { dst[i] = lastCode; continue }
                        let key = UInt64(truncatingIfNeeded: v)
                        let code: UInt32
                        if let known = table.code(for: key) {
                            code = known
                        } else if distinctTexts {
                            code = UInt32(truncatingIfNeeded: strings.count)
                            strings.append(text(v))
                            table.insert(key, code)
                        } else {
                            code = builder.code(for: text(v))
                            table.insert(key, code)
                        }
                        lastValue = v
                        lastCode = code
                        dst[i] = code
                    }
                }
            }
        }
        let dictionary = distinctTexts ? TextDictionary(strings) : builder.build()
        return Column(.text(codes: codes, dictionary: dictionary), validity: validity)
    }

    /// `text(day)` for each row of a date column: a lookup table over the column's range of days
    /// when that range is not much larger than the column, the hashed path otherwise.
    static func formatDays(_ days: [Int32], validity: Validity?, distinctTexts: Bool = false,
                           _ text: (Int32) -> String) -> Column {
        let n = days.count
        var low = Int32.max, high = Int32.min
        withValidBits(validity) { bits in
            days.withUnsafeBufferPointer { src in
                for i in 0..<n where bits?.isValid(i) ?? true {
                    low = Swift.min(low, src[i]); high = Swift.max(high, src[i])
                }
            }
        }
        guard low <= high else { return formatEach(days, validity: validity, distinctTexts: distinctTexts, text) }
        let span = Int(high) - Int(low) + 1
        guard span <= Swift.max(4 * n, 1 << 16) else {
            return formatEach(days, validity: validity, distinctTexts: distinctTexts, text)
        }
        var table = [UInt32](repeating: .max, count: span)
        var builder = TextDictionaryBuilder()
        let codes: [UInt32] = withValidBits(validity) { bits in
            days.withUnsafeBufferPointer { src in
                table.withUnsafeMutableBufferPointer { table in
                    buildArray(n) { dst in
                        for i in 0..<n {
                            if let bits, !bits.isValid(i) { dst.initializeElement(at: i, to: 0); continue }
                            let slot = Int(src[i]) - Int(low)
                            var code = table[slot]
                            if code == .max {
                                code = builder.code(for: text(src[i]))
                                table[slot] = code
                            }
                            dst.initializeElement(at: i, to: code)
                        }
                    }
                }
            }
        }
        return Column(.text(codes: codes, dictionary: builder.build()), validity: validity)
    }

    /// `date.year d` (Tally): the calendar year as an int.
    static let year = part("date.year", "calendar year") { $0.year }
    /// `date.month d` (Tally): the month 1…12 as an int.
    static let month = part("date.month", "month number (1-12)") { $0.month }

    static func part(_ name: String, _ summary: String,
                     _ pick: @escaping @Sendable ((year: Int, month: Int, day: Int)) -> Int) -> ScalarFunction {
        ScalarFunction(name, ["column"], summary, signature: { args in
            guard isDateLike(args[0]) else {
                throw Signatures.mismatch(name, expected: "a date or timestamp", got: args)
            }
            return .int
        }, kernel: { args, rows, _ in
            let column = args[0].materialize(count: rows)
            let n = column.count
            switch column.values {
            case .date(let days):
                let out: [Int64] = days.withUnsafeBufferPointer { src in
                    buildArray(n) { dst in
                        for i in 0..<n { dst.initializeElement(at: i, to: Int64(pick(CivilDate.civil(fromDays: src[i])))) }
                    }
                }
                return .column(Column(.int(out), validity: column.validity))
            case .timestamp(let micros):
                let perDay: Int64 = 86_400_000_000
                let out: [Int64] = micros.withUnsafeBufferPointer { src in
                    buildArray(n) { dst in
                        for i in 0..<n {
                            var d = src[i] / perDay
                            if src[i] % perDay < 0 { d -= 1 }
                            dst.initializeElement(at: i, to: Int64(pick(CivilDate.civil(fromDays: Int32(clamping: d)))))
                        }
                    }
                }
                return .column(Column(.int(out), validity: column.validity))
            default:
                return .constant(.null, .int)
            }
        })
    }
}
