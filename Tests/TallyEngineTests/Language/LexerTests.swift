import Testing
@testable import TallyEngine

@Suite("Lexer: names and punctuation")
struct LexerNameTests {
    @Test func asciiNames() throws {
        #expect(try kinds("amount _x1 x_") == [.ident("amount"), .ident("_x1"), .ident("x_")])
    }

    @Test func unicodeNamesAreIdentifiers() throws {
        #expect(try kinds("县名 资助金额 café") == [.ident("县名"), .ident("资助金额"), .ident("café")])
    }

    @Test func unicodeNameSpansAreByteOffsets() throws {
        let tokens = try Lexer.tokenize("县名 + x")
        #expect(tokens[0].span == 0..<6)
        #expect(tokens[1].span == 7..<8)
        #expect(tokens[2].span == 9..<10)
    }

    @Test func backtickNames() throws {
        #expect(try kinds("`amount (yuan)` `Datasets/aid.csv`") == [.quotedIdent("amount (yuan)"), .quotedIdent("Datasets/aid.csv")])
    }

    @Test func keywordsAndLiteralsWords() throws {
        #expect(try kinds("let case prql true false null") ==
                [.keyword(.let), .keyword(.case), .keyword(.prql), .keyword(.true), .keyword(.false), .keyword(.null)])
    }

    @Test func prqlOnlyKeywordsStayNames() throws {
        // PRQL reserves these; Tally keeps them usable as column names.
        #expect(try kinds("type module into") == [.ident("type"), .ident("module"), .ident("into")])
    }

    @Test func thisAndThatAreNames() throws {
        #expect(try kinds("this.id that.sid") == [.ident("this"), .dot, .ident("id"), .ident("that"), .dot, .ident("sid")])
    }

    @Test func operators() throws {
        #expect(try kinds("== != < <= > >= ~= ?? && || ! + - * / // % **") ==
                [.eqEq, .bangEq, .less, .lessEq, .greater, .greaterEq, .tildeEq, .questionQuestion, .ampAmp,
                 .pipePipe, .bang, .plus, .minus, .star, .slash, .slashSlash, .percent, .starStar])
    }

    @Test func punctuation() throws {
        #expect(try kinds("= -> => | : , . .. ( ) { } [ ]") ==
                [.assign, .arrow, .fatArrow, .pipe, .colon, .comma, .dot, .dotDot,
                 .lParen, .rParen, .lBrace, .rBrace, .lBracket, .rBracket])
    }

    @Test func params() throws {
        #expect(try kinds("$year $1 $a.b") == [.param("year"), .param("1"), .param("a.b")])
    }

    @Test func rangeBetweenIntegersIsNotAFloat() throws {
        #expect(try kinds("1..3") == [.int(1), .dotDot, .int(3)])
        #expect(try kinds("a..b") == [.ident("a"), .dotDot, .ident("b")])
    }

    @Test func newlinesAreTokens() throws {
        #expect(try kinds("from a\nfilter b") == [.ident("from"), .ident("a"), .newline, .ident("filter"), .ident("b")])
    }

    @Test func commentsAreSkipped() throws {
        #expect(try kinds("a # the rest\n#! doc comment\nb") == [.ident("a"), .newline, .newline, .ident("b")])
    }

    @Test func commentsCanBeKeptForHighlighting() throws {
        let tokens = try Lexer.tokenize("a # note", keepComments: true)
        #expect(tokens.map(\.kind) == [.ident("a"), .comment, .eof])
        #expect(tokens[1].span == 2..<8)
    }

    @Test func lenientLexingStopsAtTheFirstError() {
        let (tokens, error) = Lexer.tokenizeLeniently("from a # c\nderive x = \"open")
        #expect(tokens.map(\.kind) == [.ident("from"), .ident("a"), .comment, .newline, .ident("derive"), .ident("x"), .assign])
        #expect(error?.message == "unterminated string")
    }

    @Test func backslashContinuesThePreviousLine() throws {
        #expect(try kinds("a\n  \\ + b") == [.ident("a"), .plus, .ident("b")])
    }

    @Test func ideographicSpaceIsWhitespace() throws {
        #expect(try kinds("a\u{3000}b") == [.ident("a"), .ident("b")])
    }
}

@Suite("Lexer: numbers")
struct LexerNumberTests {
    @Test func integers() throws {
        #expect(try onlyToken("42") == .int(42))
        #expect(try onlyToken("5_000_000") == .int(5_000_000))
    }

    @Test func floats() throws {
        #expect(try onlyToken("3.14") == .float(3.14))
        #expect(try onlyToken("5e9") == .float(5e9))
        #expect(try onlyToken("1.5e-3") == .float(1.5e-3))
        #expect(try onlyToken("2.5E+3") == .float(2500))
    }

    @Test func otherBases() throws {
        #expect(try onlyToken("0x80") == .int(128))
        #expect(try onlyToken("0o777") == .int(511))
        #expect(try onlyToken("0b0011") == .int(3))
        #expect(try onlyToken("0xFF_FF") == .int(65535))
    }

    @Test func largestInteger() throws {
        #expect(try onlyToken("9223372036854775807") == .int(Int64.max))
    }

    @Test func tooLargeDecimalIntegerBecomesFloatAsInPRQL() throws {
        #expect(try onlyToken("9223372036854775808") == .float(9223372036854775808.0))
        #expect(try onlyToken("99999999999999999999") == .float(1e20))
    }

    @Test func hugeLiteralDoesNotCrash() throws {
        let digits = String(repeating: "9", count: 400)
        let error = try #require(failure("from a | derive x = \(digits)"))
        #expect(error.kind == .lex)
        #expect(error.message.contains("too large"))
    }

    @Test func tooLargeHexIsAnError() {
        let error = failure("from a | derive x = 0x1_0000_0000_0000_0000")
        #expect(error?.kind == .lex)
        #expect(error?.message.contains("does not fit in 64 bits") == true)
    }

    @Test func intervals() throws {
        #expect(try onlyToken("2days") == .interval(2, .days))
        #expect(try onlyToken("3months") == .interval(3, .months))
        #expect(try onlyToken("5_000years") == .interval(5000, .years))
    }

    @Test func singularUnitHint() throws {
        let error = try #require(failure("from a | derive x = d + 1day"))
        #expect(error.hint == "interval units are plural: `1days`")
        #expect(text(error.source ?? "", error.span) == "1day")
    }

    @Test func numberGluedToNameIsAnError() throws {
        let source = "from a | derive x = 3foo"
        let error = try #require(failure(source))
        #expect(error.kind == .lex)
        #expect(text(source, error.span) == "3foo")
    }

    @Test func missingExponent() throws {
        let error = try #require(failure("from a | derive x = 1e"))
        #expect(error.message == "number `1e` has no exponent")
    }

    @Test func emptyHex() throws {
        let error = try #require(failure("from a | derive x = 0x"))
        #expect(error.message == "invalid hexadecimal number `0x`")
    }

    @Test func dotWithoutFractionDigitsIsNotANumber() throws {
        #expect(try kinds("1.") == [.int(1), .dot])
    }
}

@Suite("Lexer: strings")
struct LexerStringTests {
    @Test func doubleAndSingleQuotes() throws {
        #expect(try onlyToken(#""小学""#) == .string("小学"))
        #expect(try onlyToken("'it\\'s'") == .string("it's"))
    }

    @Test func escapes() throws {
        #expect(try onlyToken(#""a\nb\tc\\d\"e\'f""#) == .string("a\nb\tc\\d\"e'f"))
    }

    @Test func unicodeEscape() throws {
        #expect(try onlyToken(#""\u{4e2d}\u{6587}""#) == .string("中文"))
    }

    @Test func hexEscape() throws {
        #expect(try onlyToken(#""\x41""#) == .string("A"))
    }

    @Test func stringsMaySpanLines() throws {
        #expect(try onlyToken("\"a\nb\"") == .string("a\nb"))
    }

    @Test func tripleQuoted() throws {
        #expect(try onlyToken("\"\"\"line one\nsaid \"hi\" twice\"\"\"") == .string("line one\nsaid \"hi\" twice"))
        #expect(try onlyToken("'''it's'''") == .string("it's"))
    }

    @Test func rawStringKeepsBackslashes() throws {
        #expect(try onlyToken(#"r"\d+\n""#) == .string(#"\d+\n"#))
    }

    @Test func fString() throws {
        let source = #"f"{city} {year}!""#
        let token = try #require(try Lexer.tokenize(source).first)
        guard case .interpolated(.format, let pieces) = token.kind else {
            Issue.record("not an f-string: \(token.kind)")
            return
        }
        #expect(pieces == [.code(3..<7), .text(" "), .code(10..<14), .text("!")])
        #expect(text(source, 3..<7) == "city")
    }

    @Test func fStringDoubledBracesAreLiteral() throws {
        #expect(try onlyToken(#"f"{{x}}""#) == .interpolated(.format, [.text("{x}")]))
    }

    @Test func sStringIsLexedAsInterpolation() throws {
        #expect(try onlyToken(#"s"UPPER({a})""#) == .interpolated(.sql, [.text("UPPER("), .code(9..<10), .text(")")]))
    }

    @Test func prefixLetterAloneIsAName() throws {
        #expect(try kinds(#"r "x""#) == [.ident("r"), .string("x")])
    }

    @Test func unterminatedStringPointsAtItsQuote() throws {
        let source = "from a | derive x = \"abc"
        let error = try #require(failure(source))
        #expect(error.kind == .lex)
        #expect(error.message == "unterminated string")
        #expect(error.hint == "close it with `\"`")
        #expect(error.span == 20..<21)
        #expect(error.source == source)
    }

    @Test func unterminatedTripleQuotedString() throws {
        let error = try #require(failure("from a | derive x = \"\"\"abc"))
        #expect(error.message == "unterminated triple-quoted string")
        #expect(error.span == 20..<23)
    }

    @Test func unknownEscapeIsAnError() throws {
        let source = #"from a | filter name ~= "\d+""#
        let error = try #require(failure(source))
        #expect(error.kind == .lex)
        #expect(error.message == #"unknown escape `\d` in a string"#)
        #expect(text(source, error.span) == #"\d"#)
        #expect(error.hint?.contains("raw string") == true)
    }

    @Test func badUnicodeEscape() throws {
        let error = try #require(failure(#"from a | derive x = "\u{zz}""#))
        #expect(error.message == "invalid Unicode escape")
    }

    @Test func unclosedInterpolation() throws {
        let error = try #require(failure(#"from a | derive x = f"{a""#))
        #expect(error.message == "unclosed `{` in an interpolated string")
        #expect(error.span == 22..<23)
    }

    @Test func loneClosingBraceInFString() throws {
        let error = try #require(failure(#"from a | derive x = f"a}""#))
        #expect(error.hint == "write `}}` for a literal brace")
    }

    @Test func unterminatedBacktickName() throws {
        let error = try #require(failure("from `aid"))
        #expect(error.message == "unterminated quoted name")
        #expect(error.span == 5..<6)
    }
}

@Suite("Lexer: dates and times")
struct LexerDateTimeTests {
    @Test func date() throws {
        #expect(try onlyToken("@2021-09-01") == .date(DateLiteral(year: 2021, month: 9, day: 1)))
    }

    @Test func leapDay() throws {
        #expect(try onlyToken("@2024-02-29") == .date(DateLiteral(year: 2024, month: 2, day: 29)))
    }

    @Test func times() throws {
        #expect(try onlyToken("@08:30") == .time(TimeLiteral(hour: 8, minute: 30)))
        #expect(try onlyToken("@08:30:15") == .time(TimeLiteral(hour: 8, minute: 30, second: 15)))
        #expect(try onlyToken("@08:30:15.25") == .time(TimeLiteral(hour: 8, minute: 30, second: 15, microsecond: 250_000)))
    }

    @Test func timestamps() throws {
        let date = DateLiteral(year: 2021, month: 9, day: 1)
        #expect(try onlyToken("@2021-09-01T08:30") == .timestamp(date, TimeLiteral(hour: 8, minute: 30)))
        #expect(try onlyToken("@2021-09-01T08:30:15.123456") ==
                .timestamp(date, TimeLiteral(hour: 8, minute: 30, second: 15, microsecond: 123_456)))
    }

    @Test func timeZoneOffsets() throws {
        let date = DateLiteral(year: 2021, month: 9, day: 1)
        #expect(try onlyToken("@2021-09-01T08:30Z") == .timestamp(date, TimeLiteral(hour: 8, minute: 30, utcOffsetMinutes: 0)))
        #expect(try onlyToken("@2021-09-01T08:30:00+08:00") ==
                .timestamp(date, TimeLiteral(hour: 8, minute: 30, utcOffsetMinutes: 480)))
    }

    @Test func dateInARange() throws {
        #expect(try kinds("@2021-01-01..@2021-12-31").count == 3)
    }

    @Test func invalidMonth() throws {
        let source = "from a | filter d > @2021-13-40"
        let error = try #require(failure(source))
        #expect(error.kind == .lex)
        #expect(error.message == "invalid date `@2021-13-40`: month 13 is not 1 to 12")
        #expect(text(source, error.span) == "@2021-13-40")
    }

    @Test func invalidDay() throws {
        let error = try #require(failure("from a | filter d > @2023-02-29"))
        #expect(error.message == "invalid date `@2023-02-29`: day 29 is not 1 to 28")
    }

    @Test func invalidTime() throws {
        let error = try #require(failure("from a | filter t > @25:00"))
        #expect(error.message == "invalid time `@25:00`")
    }

    @Test func malformedLiteral() throws {
        let source = "from a | filter d > @2021-9-1"
        let error = try #require(failure(source))
        #expect(error.message.hasPrefix("malformed date/time literal"))
        #expect(text(source, error.span) == "@2021-9-1")
    }

    @Test func atWithoutDate() throws {
        let error = try #require(failure("from a | filter d > @x"))
        #expect(error.message == "expected a date or time after `@`")
    }
}

@Suite("Lexer: unexpected characters")
struct LexerCharacterTests {
    @Test func fullWidthCommaGetsAHint() throws {
        let source = "from a | select {县名，年份}"
        let error = try #require(failure(source))
        #expect(error.message == "unexpected character `，`")
        #expect(error.hint?.contains("use `,`") == true)
        #expect(text(source, error.span) == "，")
    }

    @Test func curlyQuotesGetAHint() throws {
        let error = try #require(failure("from a | filter level == “小学”"))
        #expect(error.hint?.contains("use `\"`") == true)
    }

    @Test func singleAmpersand() throws {
        let error = try #require(failure("from a | filter x & y"))
        #expect(error.hint == "logical and is `&&`")
    }

    @Test func semicolon() throws {
        let error = try #require(failure("from a; take 3"))
        #expect(error.message == "unexpected `;`")
        #expect(error.span == 6..<7)
    }

    @Test func emoji() throws {
        let error = try #require(failure("from a | derive 😀 = 1"))
        #expect(error.message == "unexpected character `😀`")
        #expect(error.span == 16..<20)
    }
}
