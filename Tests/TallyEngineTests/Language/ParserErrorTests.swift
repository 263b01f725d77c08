import Testing
@testable import TallyEngine

@Suite("Parser: errors")
struct ParserErrorTests {
    @Test func unclosedParenthesisNamesWhereItOpened() throws {
        let source = "from a | filter (amount > 1"
        let error = try #require(failure(source))
        #expect(error.kind == .parse)
        #expect(error.message == "expected `)` to close the `(` at 1:17")
        #expect(error.hint == "add `)`")
        #expect(error.span == 27..<27)
        #expect(error.source == source)
    }

    @Test func unclosedBracketColumnCountsCharacters() throws {
        let error = try #require(failure("from 县 | select {县名"))
        #expect(error.message == "expected `}` to close the `{` at 1:17")
    }

    @Test func wrongClosingBracket() throws {
        let source = "from a | select {a, b)"
        let error = try #require(failure(source))
        #expect(error.message == "expected `,` or `}` in the tuple opened at 1:17")
        #expect(text(source, error.span) == ")")
    }

    @Test func mismatchedCloseInParentheses() throws {
        let source = "from a | filter (a > 1]"
        let error = try #require(failure(source))
        #expect(error.message == "expected `)` to close the `(` at 1:17")
        #expect(error.hint == "found `]`")
        #expect(text(source, error.span) == "]")
    }

    @Test func unclosedOnAnEarlierLine() throws {
        let error = try #require(failure("from a\njoin (\n  from b\n"))
        #expect(error.message == "expected `)` to close the `(` at 2:6")
    }

    @Test func strayClosingBracket() throws {
        let source = "from a | take 3)"
        let error = try #require(failure(source))
        #expect(error.message == "unexpected `)` here")
        #expect(error.hint == "there is no `(` to close")
        #expect(error.span == 15..<16)
    }

    @Test func missingValueAfterEquals() throws {
        let source = "from a | derive x ="
        let error = try #require(failure(source))
        #expect(error.message == "expected a value after `=`")
        #expect(error.hint == "found end of input")
        #expect(error.span == 19..<19)
    }

    @Test func missingOperand() throws {
        let source = "from a | filter x > )"
        let error = try #require(failure(source))
        #expect(error.message == "expected a value after `>`")
        #expect(text(source, error.span) == ")")
    }

    @Test func danglingPipeAtEnd() throws {
        let error = try #require(failure("from a |"))
        #expect(error.message == "expected a transform after `|`")
    }

    @Test func doublePipe() throws {
        let source = "from a | | take 3"
        let error = try #require(failure(source))
        #expect(error.message == "expected a transform after `|`")
        #expect(error.hint == "a transform is missing between the two `|`")
        #expect(error.span == 9..<10)
    }

    @Test func assignmentInFilterSuggestsEquality() throws {
        let source = "from a | filter year = 2021"
        let error = try #require(failure(source))
        #expect(error.message == "`=` gives a name; to compare, use `==`")
        #expect(error.span == 21..<22)
    }

    @Test func fatArrowOutsideCase() throws {
        let source = "from a | derive x => 1"
        let error = try #require(failure(source))
        #expect(error.message == "unexpected `=>` here")
        #expect(error.hint == "`=>` belongs inside `case [condition => value]`")
        #expect(text(source, error.span) == "=>")
    }

    @Test func caseArmWithoutArrow() throws {
        let source = "from a | derive c = case [x > 1, true => 0]"
        let error = try #require(failure(source))
        #expect(error.message == "expected `=>` after the condition")
        #expect(text(source, error.span) == ",")
    }

    @Test func caseWithoutBrackets() throws {
        let error = try #require(failure("from a | derive c = case x"))
        #expect(error.message == "expected `[` after `case`")
    }

    @Test func namedArgumentWithoutValue() throws {
        let source = "from a | join side: | take 1"
        let error = try #require(failure(source))
        #expect(error.message == "expected a value after `side:`")
        #expect(text(source, error.span) == "|")
    }

    @Test func letWithoutName() throws {
        let source = "let = 3"
        let error = try #require(failure(source))
        #expect(error.message == "expected a name after `let`")
        #expect(error.span == 4..<5)
    }

    @Test func letWithDoubleEquals() throws {
        let error = try #require(failure("let x == 3"))
        #expect(error.message == "expected `=` after `let x`")
        #expect(error.hint == "declare with a single `=`")
    }

    @Test func letInsideAnExpression() throws {
        let error = try #require(failure("from a | derive y = let"))
        #expect(error.message == "expected a value after `=`")
        #expect(error.hint?.contains("starts a statement of its own") == true)
    }

    @Test func spacedRange() throws {
        let source = "from a | take 1 .. 3"
        let error = try #require(failure(source))
        #expect(error.message == "expected the end of the range right after `..`")
        #expect(error.hint == "ranges are written without spaces, as in `1..3` or `..10`")
        #expect(text(source, error.span) == "3")
    }

    @Test func emptyParentheses() throws {
        let source = "from a | derive x = ()"
        let error = try #require(failure(source))
        #expect(error.message == "empty `()`")
        #expect(text(source, error.span) == "()")
    }

    @Test func dotWithoutName() throws {
        let source = "from a | select {a.}"
        let error = try #require(failure(source))
        #expect(error.message == "expected a name after `.`")
        #expect(text(source, error.span) == "}")
    }

    @Test func namedArrayItem() throws {
        let error = try #require(failure("from a | derive x = [a = 1]"))
        #expect(error.message == "array items cannot be named")
    }

    @Test func commaBetweenTransforms() throws {
        let source = "from a, take 3"
        let error = try #require(failure(source))
        #expect(error.message == "unexpected `,` here")
        #expect(error.span == 6..<7)
    }

    @Test func emptyInput() throws {
        let error = try #require(failure("   # just a comment\n"))
        #expect(error.message == "nothing to run")
    }

    @Test func interpolationError() throws {
        let source = "from a | derive s = f\"{a +}\""
        let error = try #require(failure(source))
        #expect(error.message == "expected a value after `+`")
        #expect(error.span == 26..<26)
    }

    @Test func emptyInterpolation() throws {
        let error = try #require(failure("from a | derive s = f\"{ }\""))
        #expect(error.kind == .lex)
        #expect(error.message == "empty `{}` in an interpolated string")
    }

    @Test func errorsRenderWithACaret() throws {
        let error = try #require(failure("from aid | filter (amount > 1"))
        #expect(error.rendered() == """
            error: expected `)` to close the `(` at 1:19
            1 | from aid | filter (amount > 1
              |                              ^ add `)`
            """)
    }

    @Test func tooDeepNestingIsAnErrorNotACrash() throws {
        let depth = 200
        let source = "from a | derive x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        let error = try #require(failure(source))
        #expect(error.message == "the expression is nested too deeply")
    }

    @Test func deepButAllowedNesting() throws {
        let depth = 60
        let source = "from a | derive x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(failure(source) == nil)
    }

    @Test func tooLongOperatorChainIsAnError() throws {
        let source = "from a | filter " + Array(repeating: "x == 1", count: 400).joined(separator: " || ")
        let error = try #require(failure(source))
        #expect(error.message == "the expression is nested too deeply")
    }

    @Test func longButAllowedOperatorChain() throws {
        let source = "from a | filter " + Array(repeating: "x == 1", count: 120).joined(separator: " || ")
        #expect(failure(source) == nil)
    }

    @Test func manyUnaryMinusesDoNotCrash() throws {
        let error = try #require(failure("from a | derive x = " + String(repeating: "-", count: 10_000) + "1"))
        #expect(error.message == "the expression is nested too deeply")
    }

    /// Arbitrary input must give a statement or a `TallyError`, never a crash.
    @Test(arguments: [
        "", "(", ")", "{", "[", "]", "}", "|", "||", "=", "==", "=>", "->", ":", ",", ".", "..", "...", "@", "$",
        "\"", "'''", "`", "f\"{", "f\"}", "s\"{}\"", "r\"", "from", "let", "let x", "let x =", "prql", "case", "case [",
        "case [a =>", "from a | join", "x -> ", "a b: -> c", "a..b..c", "-", "!", "0x", "0b2", "1e+", "@2021-", "@2021-02-",
        "@08:", "@08:30:", "@2021-01-01T", "\\", "from a\n\\", "\u{0}", "from a | derive x = \"\\u{110000}\"",
        "from a | sort -", "sort -year", "from a | derive {a = }", "[1,,2]", "{,}", "(a | )", "f\"{(}\"",
        "from a | filter f\"{a\"}\"", "from 县 | select {县名，}", "🙂", "from a\n  | | b",
    ])
    func neverCrashes(input: String) {
        do {
            _ = try Parser.parse(statement: input)
        } catch let error as TallyError {
            #expect(error.kind == .lex || error.kind == .parse)
            if let span = error.span {
                #expect(span.lowerBound >= 0 && span.upperBound <= input.utf8.count && span.lowerBound <= span.upperBound)
            }
            _ = error.rendered()
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }
}
