import Testing
@testable import TallyEngine

@Suite("Parser: operator precedence")
struct PrecedenceTests {
    @Test func multiplicationBeforeAddition() throws {
        #expect(try expr("a + b * c") == "(add a (mul b c))")
        #expect(try expr("a * b + c") == "(add (mul a b) c)")
    }

    @Test func leftAssociativity() throws {
        #expect(try expr("a - b - c") == "(sub (sub a b) c)")
        #expect(try expr("a / b // c % d") == "(mod (intDiv (div a b) c) d)")
    }

    @Test func powerIsRightAssociative() throws {
        #expect(try expr("2 ** 3 ** 2") == "(pow 2 (pow 3 2))")
    }

    @Test func unaryMinusBindsTighterThanPower() throws {
        // As in PRQL: `-a ** 2` is `(-a) ** 2`.
        #expect(try expr("-a ** 2") == "(pow (neg a) 2)")
    }

    @Test func powerBeforeMultiplication() throws {
        #expect(try expr("a * b ** c") == "(mul a (pow b c))")
    }

    @Test func coalesceIsLooserThanComparison() throws {
        #expect(try expr("a ?? b == c") == "(coalesce a (eq b c))")
    }

    @Test func andBeforeOr() throws {
        #expect(try expr("a || b && c") == "(or a (and b c))")
        #expect(try expr("!a && b || c") == "(or (and (not a) b) c)")
    }

    @Test func comparisonsAndRegex() throws {
        #expect(try expr("a != 1 && b <= 2 && c >= 3 && d < 4 && e > 5 && f ~= \"^x\"") ==
                "(and (and (and (and (and (ne a 1) (le b 2)) (ge c 3)) (lt d 4)) (gt e 5)) (regex f \"^x\"))")
    }

    @Test func additionBeforeComparison() throws {
        #expect(try expr("year >= 2021 + 1") == "(ge year (add 2021 1))")
    }

    @Test func rangeBindsTighterThanArithmetic() throws {
        #expect(try expr("1..3") == "(range 1 3)")
        #expect(try expr("-2..0") == "(range (neg 2) 0)")
    }

    @Test func openRanges() throws {
        #expect(try expr("5..") == "(range 5 _)")
        #expect(try expr("..5") == "(range _ 5)")
    }

    @Test func memberAccessIsTighterThanRange() throws {
        #expect(try expr("a.b..c") == "(range a.b c)")
    }

    @Test func subtractionWithNegativeOperand() throws {
        #expect(try expr("a - -1") == "(sub a (neg 1))")
        #expect(try expr("a == -1") == "(eq a (neg 1))")
    }

    @Test func spacingDoesNotChangeSubtractionInArguments() throws {
        #expect(try expr("a -1") == "(sub a 1)")
        #expect(try expr("a-1") == "(sub a 1)")
    }

    @Test func repeatedUnary() throws {
        #expect(try expr("!!a") == "(not (not a))")
    }

    @Test func parenthesesGroup() throws {
        #expect(try expr("(a + b) * c") == "(mul (add a b) c)")
    }

    @Test func parenthesisedSingleValueKeepsInnerSpan() throws {
        let e = try Parser.parseExpression("(a + b) * c")
        guard case .binary(_, let left, _) = e.kind else {
            Issue.record("not binary")
            return
        }
        #expect(left.span == 1..<6)
    }
}

@Suite("Parser: calls")
struct CallTests {
    @Test func callByJuxtaposition() throws {
        #expect(try expr("round 2 x") == "(round 2 x)")
        #expect(try expr("sum amount") == "(sum amount)")
    }

    @Test func callArgumentsAreOperatorExpressions() throws {
        #expect(try expr("round 2 x + 1") == "(round 2 (add x 1))")
    }

    @Test func parenthesisedCallInArithmetic() throws {
        #expect(try expr("amount / (sum amount)") == "(div amount (sum amount))")
    }

    @Test func namedArguments() throws {
        #expect(try expr("chart line x:year y:rate by:city title:\"趋势\"") ==
                "(chart line x:year y:rate by:city title:\"趋势\")")
    }

    @Test func namedArgumentWithSpaces() throws {
        #expect(try expr("f a: 1") == "(f a:1)")
    }

    @Test func qualifiedFunctionNames() throws {
        #expect(try expr("math.abs x") == "(math.abs x)")
        #expect(try expr("text.length \"南宁市\"") == "(text.length \"南宁市\")")
        #expect(try expr("date.to_text \"%Y-%m\" d") == "(date.to_text \"%Y-%m\" d)")
    }

    @Test func pipeInsideParentheses() throws {
        #expect(try expr("(x | in 1..3)") == "(pipe x (in (range 1 3)))")
    }

    @Test func asCast() throws {
        #expect(try expr("(x | as int)") == "(pipe x (as int))")
    }

    @Test func countThis() throws {
        #expect(try expr("count this") == "(count this)")
    }

    @Test func quantile() throws {
        #expect(try expr("quantile 0.9 x") == "(quantile 0.9 x)")
    }

    @Test func callSpanCoversArguments() throws {
        let source = "round 2 x"
        let e = try Parser.parseExpression(source)
        #expect(e.span == 0..<9)
        guard case .call(let callee, let args) = e.kind else {
            Issue.record("not a call")
            return
        }
        #expect(callee.span == 0..<5)
        #expect(args.map(\.value.span) == [6..<7, 8..<9])
    }

    @Test func namedArgumentSpanIncludesName() throws {
        let source = "window rolling:3 x"
        guard case .call(_, let args) = try Parser.parseExpression(source).kind else {
            Issue.record("not a call")
            return
        }
        #expect(args[0].name == "rolling")
        #expect(text(source, args[0].span) == "rolling:3")
    }
}

@Suite("Parser: names, literals, tuples, arrays")
struct PrimaryTests {
    @Test func qualifiedNames() throws {
        #expect(try expr("this.id") == "this.id")
        #expect(try expr("a.`amount (yuan)`") == "a.`amount (yuan)`")
        #expect(try expr("x.*") == "x.*")
    }

    @Test func identSpan() throws {
        #expect(try Parser.parseExpression("  a.amount").span == 2..<10)
    }

    @Test func literals() throws {
        #expect(try expr("[1, 2.5, \"s\", true, false, null, @2021-09-01, @08:30, 2days]") ==
                "[1 2.5 \"s\" true false null @2021-09-01 @08:30:00 2days]")
    }

    @Test func tupleWithNamedAndPlainFields() throws {
        #expect(try expr("{a, b = x + 1}") == "{a (= b (add x 1))}")
    }

    @Test func tupleFieldHoldsACall() throws {
        #expect(try expr("{n = count this, total = sum amount}") == "{(= n (count this)) (= total (sum amount))}")
    }

    @Test func tupleFieldMayBePiped() throws {
        #expect(try expr("{r = x | round 2}") == "{(= r (pipe x (round 2)))}")
    }

    @Test func tupleTrailingCommaAndEmpty() throws {
        #expect(try expr("{a,}") == "{a}")
        #expect(try expr("{}") == "{}")
    }

    @Test func tupleOverLines() throws {
        #expect(try expr("{\n  a,\n  b = 2\n}") == "{a (= b 2)}")
    }

    @Test func quotedFieldName() throws {
        #expect(try expr("{`amount (yuan)` = amount}") == "{(= amount (yuan) amount)}")
    }

    @Test func relationLiteral() throws {
        #expect(try expr("[{year = 2021, n = 3}, {year = 2022, n = 5}]") ==
                "[{(= year 2021) (= n 3)} {(= year 2022) (= n 5)}]")
    }

    @Test func sortTupleWithDescending() throws {
        #expect(try expr("{-total, county}") == "{(neg total) county}")
    }

    @Test func params() throws {
        #expect(try expr("year == $year") == "(eq year $year)")
    }

    @Test func caseExpression() throws {
        #expect(try expr("case [a > 1 => \"big\", true => \"small\"]") ==
                "(case ((gt a 1) => \"big\") (true => \"small\"))")
    }

    @Test func caseArmsOverLinesWithCalls() throws {
        #expect(try expr("case [\n  x == null => 0,\n  true => round 2 x,\n]") ==
                "(case ((eq x null) => 0) (true => (round 2 x)))")
    }

    @Test func fStringParts() throws {
        #expect(try expr("f\"{city} {year}年\"") == "(f {city} \" \" {year} \"年\")")
    }

    @Test func fStringInterpolatesExpressions() throws {
        #expect(try expr("f\"{amount | round 2} ({a ?? 'n/a'})\"") ==
                "(f {(pipe amount (round 2))} \" (\" {(coalesce a \"n/a\")} \")\")")
    }

    @Test func fStringExpressionSpansPointIntoTheStatement() throws {
        let source = "f\"x{县名}\""
        guard case .fString(let parts) = try Parser.parseExpression(source).kind,
              case .expr(let inner) = parts[1] else {
            Issue.record("not an f-string")
            return
        }
        #expect(text(source, inner.span) == "县名")
    }

    @Test func sString() throws {
        #expect(try expr("s\"UPPER({name})\"") == "(s \"UPPER(\" {name} \")\")")
    }

    @Test func rawStringLiteral() throws {
        #expect(try expr(#"text ~= r"^\d+$""#) == #"(regex text "^\\d+$")"#)
    }
}

@Suite("Parser: lambdas")
struct LambdaTests {
    @Test func positionalAndNamedParams() throws {
        #expect(try expr("a b:2 -> a + b") == "(fn (a b:2) (add a b))")
    }

    @Test func bodyMayBeACall() throws {
        #expect(try expr("x -> round 2 x") == "(fn (x) (round 2 x))")
    }

    @Test func noParams() throws {
        #expect(try expr("-> 1") == "(fn () 1)")
    }

    @Test func negativeDefault() throws {
        #expect(try expr("x lo:-1 -> x ?? lo") == "(fn (x lo:(neg 1)) (coalesce x lo))")
    }

    @Test func lambdaInParentheses() throws {
        #expect(try expr("(x -> x * 2)") == "(fn (x) (mul x 2))")
    }
}
