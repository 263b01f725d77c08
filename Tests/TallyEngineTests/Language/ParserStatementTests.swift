import Testing
@testable import TallyEngine

@Suite("Parser: pipelines and transforms")
struct PipelineTests {
    @Test func pipeSeparatedTransforms() throws {
        #expect(try sexp("from aid | filter amount > 0 | take 5") ==
                "(pipe (from aid) (filter (gt amount 0)) (take 5))")
    }

    @Test func newlineSeparatedTransforms() throws {
        #expect(try sexp("from aid\nfilter amount > 0\ntake 5") ==
                "(pipe (from aid) (filter (gt amount 0)) (take 5))")
    }

    @Test func singleTransformIsStillAPipeline() throws {
        #expect(try sexp("from aid") == "(pipe (from aid))")
    }

    @Test func blankLinesAndCommentsBetweenTransforms() throws {
        #expect(try sexp("from aid\n\n# keep the paid ones\nfilter paid  # trailing\n\n\ntake 1\n") ==
                "(pipe (from aid) (filter paid) (take 1))")
    }

    @Test func assignBindsOnlyTheFirstOperandOfAnAlias() throws {
        // As in PRQL: `derive x = a | b` is two transforms.
        #expect(try sexp("from a | derive x = b | select {x}") == "(pipe (from a) (derive (= x b)) (select {x}))")
    }

    @Test func aliasInArgumentsBindsAnOperatorExpression() throws {
        #expect(try sexp("from a | derive total = x + y") == "(pipe (from a) (derive (= total (add x y))))")
    }

    @Test func aliasedCallArgumentIsPRQLsReading() throws {
        // PRQL reads `derive x = round 2 y` as `derive (x = round) 2 y`; the resolver explains it.
        #expect(try sexp("from a | derive x = round 2 y") == "(pipe (from a) (derive (= x round) 2 y))")
    }

    @Test func fromWithAlias() throws {
        #expect(try sexp("from a = aid") == "(pipe (from (= a aid)))")
    }

    @Test func fromFile() throws {
        #expect(try sexp("from (read_csv \"file.csv\")") == "(pipe (from (read_csv \"file.csv\")))")
    }

    @Test func fromBacktickPath() throws {
        #expect(try sexp("from `Datasets/aid.csv`") == "(pipe (from `Datasets/aid.csv`))")
    }

    @Test func fromRelationLiteral() throws {
        #expect(try sexp("from [{year = 2021, n = 3}, {year = 2022, n = 5}]") ==
                "(pipe (from [{(= year 2021) (= n 3)} {(= year 2022) (= n 5)}]))")
    }

    @Test func groupWithInnerPipeline() throws {
        #expect(try sexp("from aid | group {city, year} (aggregate {n = count this})") ==
                "(pipe (from aid) (group {city year} (aggregate {(= n (count this))})))")
    }

    @Test func groupWithSortDescending() throws {
        #expect(try sexp("from aid | group county (sort -year | take 1)") ==
                "(pipe (from aid) (group county (pipe (sort (neg year)) (take 1))))")
    }

    @Test func sortDescendingAsTransform() throws {
        // PRQL 0.13 reads `sort -year` as `sort - year` and fails; Tally's guide writes it.
        #expect(try sexp("from aid | sort -year") == "(pipe (from aid) (sort (neg year)))")
        #expect(try sexp("from aid\nsort +year") == "(pipe (from aid) (sort (pos year)))")
    }

    @Test func onlySortTakesANegatedArgumentThatWay() throws {
        // Everywhere else `a -1` keeps PRQL's reading: subtraction.
        #expect(try sexp("from a | derive y = (x -1)") == "(pipe (from a) (derive (= y (sub x 1))))")
        #expect(try sexp("let n = total -1") == "(let n (sub total 1))")
        #expect(try sexp("from a | sort - year") == "(pipe (from a) (sub sort year))")
    }

    @Test func sortTuple() throws {
        #expect(try sexp("from aid | sort {-total, county}") == "(pipe (from aid) (sort {(neg total) county}))")
    }

    @Test func takeRange() throws {
        #expect(try sexp("from aid | take 11..20") == "(pipe (from aid) (take (range 11 20)))")
    }

    @Test func takeOpenRanges() throws {
        #expect(try sexp("from aid | take ..10") == "(pipe (from aid) (take (range _ 10)))")
        #expect(try sexp("from aid | take 11..") == "(pipe (from aid) (take (range 11 _)))")
    }

    @Test func rangeDotsMustTouchTheirOperands() throws {
        // As in PRQL: `a ..b` is `a` applied to `..b`, and `a.. b` is `(a..)` applied to `b`.
        #expect(try expr("a ..b") == "(a (range _ b))")
        #expect(try expr("a.. b") == "((range a _) b)")
        #expect(try expr("(a)..b") == "(range a b)")
    }

    @Test func joinWithSideAliasAndSelfEquality() throws {
        #expect(try sexp("from aid | join side:left c = counties (==county_code)") ==
                "(pipe (from aid) (join side:left (= c counties) (selfEquals county_code)))")
    }

    @Test func joinWithThisAndThat() throws {
        #expect(try sexp("from a | join s (this.id == that.sid)") ==
                "(pipe (from a) (join s (eq this.id that.sid)))")
    }

    @Test func joinWithNestedPipelineOverLines() throws {
        #expect(try sexp("from a\njoin (\n  from b\n  filter c\n) (==id)") ==
                "(pipe (from a) (join (pipe (from b) (filter c)) (selfEquals id)))")
    }

    @Test func appendNestedPipeline() throws {
        #expect(try sexp("from a | append (from b | select {x})") ==
                "(pipe (from a) (append (pipe (from b) (select {x}))))")
    }

    @Test func windowOptions() throws {
        #expect(try sexp("from a | window rolling:3 (derive {avg3 = average n})") ==
                "(pipe (from a) (window rolling:3 (derive {(= avg3 (average n))})))")
        #expect(try sexp("from a | window rows:-2..0 expanding:true (derive {s = sum n})") ==
                "(pipe (from a) (window rows:(range (neg 2) 0) expanding:true (derive {(= s (sum n))})))")
    }

    @Test func loopTransform() throws {
        #expect(try sexp("from t | loop (filter n < 10 | derive n = n + 1)") ==
                "(pipe (from t) (loop (pipe (filter (lt n 10)) (derive (= n (add n 1))))))")
    }

    @Test func pivotUnpivotDescribeChart() throws {
        #expect(try sexp("from a | pivot year (sum amount)") == "(pipe (from a) (pivot year (sum amount)))")
        #expect(try sexp("from a | unpivot {y2021, y2022} name:year value:amount") ==
                "(pipe (from a) (unpivot {y2021 y2022} name:year value:amount))")
        #expect(try sexp("from a | describe") == "(pipe (from a) describe)")
        #expect(try sexp("from a\nchart line x:year y:rate by:city title:\"资助\"") ==
                "(pipe (from a) (chart line x:year y:rate by:city title:\"资助\"))")
    }

    @Test func derivedShareOverGroup() throws {
        #expect(try sexp("from a | derive share = amount / (sum amount)") ==
                "(pipe (from a) (derive (= share (div amount (sum amount)))))")
    }

    @Test func filterWithChineseText() throws {
        #expect(try sexp("from a | filter year >= 2021 && level == \"小学\"") ==
                "(pipe (from a) (filter (and (ge year 2021) (eq level \"小学\"))))")
    }

    @Test func pipedInAsLastTransformStep() throws {
        // At the top level `|` separates transforms: `filter x | in 1..3` is two steps, as in PRQL.
        #expect(try sexp("from a | filter x | in 1..3") == "(pipe (from a) (filter x) (in (range 1 3)))")
    }

    @Test func lineEndingInPipeContinues() throws {
        #expect(try sexp("from a |\nfilter x") == "(pipe (from a) (filter x))")
    }

    @Test func lineStartingWithPipeContinues() throws {
        #expect(try sexp("from a\n| filter x") == "(pipe (from a) (filter x))")
    }

    @Test func lineEndingInOperatorContinues() throws {
        #expect(try sexp("from a\nfilter x > 1 &&\n  y < 2") == "(pipe (from a) (filter (and (gt x 1) (lt y 2))))")
    }

    @Test func lineStartingWithInfixOperatorContinues() throws {
        #expect(try sexp("from a\nfilter x > 1\n  && y < 2") == "(pipe (from a) (filter (and (gt x 1) (lt y 2))))")
    }

    @Test func lineEndingInEqualsOrCommaContinues() throws {
        #expect(try sexp("from a\nderive x =\n  1") == "(pipe (from a) (derive (= x 1)))")
        #expect(try sexp("from a\nselect {a,\nb}") == "(pipe (from a) (select {a b}))")
    }

    @Test func backslashContinuation() throws {
        #expect(try sexp("from a\nderive x = a\n\\ + b") == "(pipe (from a) (derive (= x (add a b))))")
    }

    @Test func pipelineSpanCoversAllSteps() throws {
        let source = "from aid | take 5  "
        guard case .query(let e) = try Parser.parse(statement: source) else {
            Issue.record("not a query")
            return
        }
        #expect(e.span == 0..<17)
    }

    @Test func crlfLineEndings() throws {
        #expect(try sexp("from a\r\nfilter x\r\n") == "(pipe (from a) (filter x))")
    }
}

@Suite("Parser: statements")
struct StatementTests {
    @Test func letRelation() throws {
        #expect(try sexp("let big = (from aid | filter amount > 1000)") ==
                "(let big (pipe (from aid) (filter (gt amount 1000))))")
    }

    @Test func letRelationWithoutParentheses() throws {
        #expect(try sexp("let big = from aid | filter amount > 1000") ==
                "(let big (pipe (from aid) (filter (gt amount 1000))))")
    }

    @Test func letFunction() throws {
        #expect(try sexp("let f = a b:2 -> a + b") == "(let f (fn (a b:2) (add a b)))")
    }

    @Test func letScalar() throws {
        #expect(try sexp("let target = 0.95") == "(let target 0.95)")
    }

    @Test func letSpan() throws {
        let source = "let target = 0.95 # goal"
        guard case .letDecl(let name, let value, let span) = try Parser.parse(statement: source) else {
            Issue.record("not a let")
            return
        }
        #expect(name == "target")
        #expect(value.span == 13..<17)
        #expect(span == 0..<17)
    }

    @Test func prqlHeader() throws {
        let statement = try Parser.parse(statement: "prql target:sql.duckdb version:\"0.13\"")
        guard case .prqlHeader(let e) = statement else {
            Issue.record("not a header")
            return
        }
        #expect(e.sExpression == "(prql target:sql.duckdb version:\"0.13\")")
    }

    @Test func command() throws {
        #expect(try Parser.parse(statement: ".load Datasets/aid.csv as aid\n") == .command(".load Datasets/aid.csv as aid"))
    }

    @Test func commandAfterComments() throws {
        #expect(try Parser.parse(statement: "# load the data\n  .load aid.csv") == .command(".load aid.csv"))
    }

    @Test func commandIsNotLexed() throws {
        #expect(try Parser.parse(statement: ".save \"unclosed") == .command(".save \"unclosed"))
    }
}

@Suite("Parser: scripts")
struct ScriptTests {
    @Test func parsesEachStatementWithItsLine() throws {
        let script = "# report\n.load aid.csv\nlet big = (from aid | filter amount > 1000)\n\nfrom big\n\ntake 3\n"
        let parsed = try Parser.parseScript(script)
        #expect(parsed.map(\.line) == [2, 3, 5])
        #expect(parsed.map(\.statement.sExpression) ==
                ["(command \".load aid.csv\")", "(let big (pipe (from aid) (filter (gt amount 1000))))", "(pipe (from big) (take 3))"])
    }

    @Test func errorIsMovedIntoScriptCoordinates() throws {
        let script = "from a\n\nfrom b | derive x =\n"
        do {
            _ = try Parser.parseScript(script)
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.source == script)
            #expect(error.span == 27..<27)
            #expect(error.rendered().contains("3 | from b | derive x ="))
        }
    }
}

@Suite("Syntax helpers")
struct SyntaxHelperTests {
    @Test func exprTextIsItsSource() throws {
        let source = "from aid | derive {sum amount, 县名}"
        guard case .query(let q) = try Parser.parse(statement: source),
              case .pipeline(let steps) = q.kind,
              case .call(_, let args) = steps[1].kind,
              case .tuple(let fields) = args[0].value.kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(fields.map { $0.text(in: source) } == ["sum amount", "县名"])
        #expect(fields[1].identPath == ["县名"])
        #expect(fields[0].identPath == nil)
    }

    @Test func caretsLineUpUnderChineseText() throws {
        let error = try #require(failure("from 资助 | filter 县名 = 1"))
        #expect(error.rendered() == """
            error: `=` gives a name; to compare, use `==`
            1 | from 资助 | filter 县名 = 1
              |                         ^ write `县名 == …`
            """)
    }
}
