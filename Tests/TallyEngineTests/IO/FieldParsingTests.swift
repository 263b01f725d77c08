import Testing
@testable import TallyEngine

/// Integer fields as the CSV reader meets them: the short path for plain digits and the checked
/// path for everything else must agree with a plain reading of the digits, and keep as text what
/// an int would change (leading zeros, 18-digit identity numbers).
@Suite("Field parsing: integers")
struct FieldParsingTests {
    enum Read: Equatable { case value(Int64), overflow, invalid }

    func read(_ text: String, keepingText: Bool) -> Read {
        var bytes = Array(text.utf8)
        bytes.append(0x2C)  // a delimiter after the field, as in a file: it must not be read
        return bytes.withUnsafeBufferPointer { b -> Read in
            guard let base = b.baseAddress else { return .invalid }
            switch FieldParsing.parseInt(base, b.count - 1, keepingText: keepingText) {
            case .value(let v): return .value(v)
            case .overflow: return .overflow
            case .invalid: return .invalid
            }
        }
    }

    @Test func plainDigitsOfEveryLength() {
        var digits = ""
        for length in 1...19 {
            digits += String((length * 7) % 10 == 0 ? 1 : (length * 7) % 10)
            let expected = Int64(digits).map(Read.value) ?? .overflow
            let keep = length == 18 ? Read.invalid : expected
            #expect(read(digits, keepingText: false) == expected, "\(digits)")
            #expect(read(digits, keepingText: true) == keep, "\(digits)")
        }
    }

    @Test func edgesAndOtherForms() {
        let cases: [(String, Read, Read)] = [
            // text, keepingText: false, keepingText: true
            ("0", .value(0), .value(0)),
            ("7", .value(7), .value(7)),
            ("10", .value(10), .value(10)),
            ("0012", .value(12), .invalid),
            ("08123", .value(8123), .invalid),
            ("-5", .value(-5), .value(-5)),
            ("-0", .value(0), .value(0)),
            ("-007", .value(-7), .invalid),
            ("+3", .value(3), .value(3)),
            (" 42 ", .value(42), .value(42)),
            ("\t9", .value(9), .value(9)),
            ("12a", .invalid, .invalid),
            ("1 2", .invalid, .invalid),
            ("4.5", .invalid, .invalid),
            ("", .invalid, .invalid),
            ("-", .invalid, .invalid),
            ("9223372036854775807", .value(Int64.max), .value(Int64.max)),
            ("9223372036854775808", .overflow, .overflow),
            ("-9223372036854775808", .value(Int64.min), .value(Int64.min)),
            ("-9223372036854775809", .overflow, .overflow),
            ("99999999999999999999", .overflow, .overflow),
            ("12345678901234567", .value(12_345_678_901_234_567), .value(12_345_678_901_234_567)),
            ("450102199001011234", .value(450_102_199_001_011_234), .invalid),
        ]
        for (text, plain, keeping) in cases {
            #expect(read(text, keepingText: false) == plain, "\(text)")
            #expect(read(text, keepingText: true) == keeping, "\(text)")
        }
    }

    /// The short path the CSV field loop tries first answers only for fields that read the same
    /// with or without `keepingText`, and then gives the checked path's value.
    @Test func shortPathAnswersOnlyForPlainDigits() {
        func plain(_ text: String) -> Int64? {
            let bytes = Array(text.utf8) + [0x2C]
            return bytes.withUnsafeBufferPointer { b in b.baseAddress.flatMap { FieldParsing.plainInt($0, b.count - 1) } }
        }
        for text in ["0", "7", "10", "123456789", "12345678901234567", "99999999999999999"] {
            #expect(plain(text) == Int64(text), "\(text)")
            #expect(read(text, keepingText: true) == .value(Int64(text) ?? -1), "\(text)")
        }
        for text in ["", "00", "0012", "-5", "+3", " 42", "12a", "4.5", "123456789012345678", "1234567a"] {
            #expect(plain(text) == nil, "\(text)")
        }
    }
}

/// The count of quotes and line ends that cuts a file into chunks: every length around the 32-
/// and 8-byte steps and past 255 blocks of 32 bytes, against a byte-by-byte count.
@Suite("CSV split counts")
struct SplitCountTests {
    @Test func countsMatchAByteLoop() {
        let pattern = Array("ab\"c\nd,\"\"e\n\n中\"x,1\r\n".utf8)
        for n in [0, 1, 7, 8, 31, 32, 33, 63, 64, 65, 255 * 32 - 1, 255 * 32, 255 * 32 + 1, 255 * 32 * 2 + 77, 100_003] {
            let bytes = (0..<n).map { pattern[$0 % pattern.count] }
            let expected = (bytes.filter { $0 == 0x22 }.count, bytes.filter { $0 == 0x0A }.count)
            let counted = bytes.withUnsafeBufferPointer { b -> (Int, Int) in
                guard let base = b.baseAddress else { return (0, 0) }
                let c = CSVParse.countQuotesAndLineEnds(base, b.count)
                return (c.quotes, c.lineEnds)
            }
            #expect(counted == expected, "\(n)")
        }
    }
}

/// Decimal fields: the short path for plain decimals and the general one must both give the
/// Double that Swift's own reading of the text gives, to the bit.
@Suite("Field parsing: decimals")
struct DecimalParsingTests {
    func read(_ text: String, keepingText: Bool = false) -> Double? {
        var bytes = Array(text.utf8)
        bytes.append(0x2C)
        return bytes.withUnsafeBufferPointer { b in
            b.baseAddress.flatMap { FieldParsing.parseDouble($0, b.count - 1, keepingText: keepingText) }
        }
    }

    @Test func plainDecimalsMatchSwiftToTheBit() {
        var texts = ["0", "0.5", "5.", "400.00", "1.1", "0.1", "0.3", "9007199254740.99", "123456789012345",
                     "999999999999999.", "1.000000000000001", "3.14159265358979", "0.000000000000001"]
        var seed: UInt64 = 42
        for _ in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let whole = seed >> 40 % 1_000_000
            let fraction = (seed >> 8) % 100_000
            texts.append("\(whole).\(String(fraction).padding(toLength: Int(seed % 5) + 1, withPad: "0", startingAt: 0))")
        }
        for text in texts {
            let expected = Double(text.hasSuffix(".") ? text + "0" : text)
            #expect(read(text)?.bitPattern == expected?.bitPattern, "\(text)")
        }
    }

    @Test func otherFormsTakeTheGeneralPath() {
        #expect(read("-2.5") == -2.5)
        #expect(read(" 7.25 ") == 7.25)
        #expect(read("1e3") == 1000)
        #expect(read(".5") == 0.5)
        #expect(read("1.2.3") == nil)
        #expect(read("12a") == nil)
        #expect(read("") == nil)
        #expect(read("00.5") == 0.5)
        #expect(read("00.5", keepingText: true) == nil)
        #expect(read("0.5", keepingText: true) == 0.5)
        // 16 digits of an integer: kept as text when a Double would round it.
        #expect(read("9007199254740993", keepingText: true) == nil)
        #expect(read("1234567890123456.5") == 1234567890123456.5)
    }

    /// The short decimal path refuses what needs the general reading rather than misreading it.
    @Test func shortPathRefusesOtherForms() {
        func plain(_ text: String) -> Double? {
            let bytes = Array(text.utf8) + [0x2C]
            return bytes.withUnsafeBufferPointer { b in b.baseAddress.flatMap { FieldParsing.plainDecimal($0, b.count - 1) } }
        }
        #expect(plain("400.50") == 400.5)
        #expect(plain("0.25") == 0.25)
        #expect(plain("123456789012345") == 123456789012345)
        for text in ["", "-2.5", ".5", "00.5", "1e3", "1.2.3", "12a", " 7", "9007199254740993", "12345678901234567.5"] {
            #expect(plain(text) == nil, "\(text)")
        }
    }
}

/// The eight-digit step of integer parsing: any byte that is not a digit, at any of the eight
/// places, must stop it (the bytes just below `0` and just above `9` especially), and eight digits
/// must give their value.
@Suite("Field parsing: eight digits at once")
struct EightDigitTests {
    func eight(_ bytes: [UInt8]) -> UInt64? {
        bytes.withUnsafeBufferPointer { b in b.baseAddress.flatMap { FieldParsing.eightDigits($0) } }
    }

    @Test func everyNonDigitAtEveryPlaceIsRefused() {
        let digits = Array("31415926".utf8)
        #expect(eight(digits) == 31_415_926)
        for place in 0..<8 {
            for byte in 0...255 where !(0x30...0x39).contains(byte) {
                var bytes = digits
                bytes[place] = UInt8(byte)
                #expect(eight(bytes) == nil, "byte \(byte) at \(place)")
            }
        }
    }

    @Test func digitsGiveTheirValue() {
        var seed: UInt64 = 7
        var samples = ["00000000", "99999999", "10000000", "00000001", "45102940"]
        for _ in 0..<1000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples.append(String(String(seed % 100_000_000).reversed()).padding(toLength: 8, withPad: "0", startingAt: 0))
        }
        for text in samples {
            #expect(eight(Array(text.utf8)) == UInt64(text), "\(text)")
        }
    }

    /// Integers of 8 to 17 digits with a non-digit at each place go the checked way; the digits
    /// before and after the eight-digit steps are read too.
    @Test func longIntegersAroundTheSteps() {
        for length in 8...17 {
            let text = String("4510294011982736154".prefix(length))
            var bytes = Array(text.utf8)
            bytes.append(0x2C)
            let value = bytes.withUnsafeBufferPointer { b -> Int64? in
                guard let base = b.baseAddress, case .value(let v) = FieldParsing.parseInt(base, length, keepingText: true) else { return nil }
                return v
            }
            #expect(value == Int64(text), "\(text)")
            for place in 1..<length {
                var broken = Array(text.utf8)
                broken[place] = UInt8(ascii: "x")
                broken.append(0x2C)
                let read = broken.withUnsafeBufferPointer { b -> Bool in
                    guard let base = b.baseAddress, case .invalid = FieldParsing.parseInt(base, length, keepingText: true) else { return false }
                    return true
                }
                #expect(read, "\(text) with x at \(place)")
            }
        }
    }
}

/// The text dictionary of a CSV worker: one code per distinct byte string, whatever its length,
/// including values that differ in a single byte where the short-value and tail words look.
@Suite("CSV text dictionary")
struct ByteStringTableTests {
    func code(_ table: inout ByteStringTable, _ bytes: [UInt8]) -> UInt32 {
        var padded = bytes
        padded.append(0x2C)
        return padded.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return .max }
            return table.code(base, bytes.count)
        }
    }

    @Test func distinctValuesGetDistinctCodesAndRepeatsTheirOwn() {
        var table = ByteStringTable()
        var values: [[UInt8]] = [[]]
        let base = Array("学前教育资助abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        for length in 1...40 {
            let value = Array(base.prefix(length))
            values.append(value)
            // The same length, one byte changed at each place.
            for place in 0..<length {
                var other = value
                other[place] ^= 0x01
                values.append(other)
            }
        }
        var codes: [[UInt8]: UInt32] = [:]
        for value in values {
            let c = code(&table, value)
            if let earlier = codes[value] {
                #expect(c == earlier)
            } else {
                #expect(Int(c) == codes.count, "new value \(value) gets the next code")
                codes[value] = c
            }
        }
        // A second round finds every value, after the table has grown several times.
        for value in values {
            #expect(code(&table, value) == codes[value])
        }
        #expect(table.count == codes.count)
        for (value, c) in codes {
            #expect(table.withValue(Int(c)) { p, n in Array(UnsafeBufferPointer(start: p, count: n)) } == value)
        }
    }
}
