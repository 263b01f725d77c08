import Testing
@testable import TallyEngine

@Suite("Text functions")
struct TextFunctionTests {
    /// Oracle: `from t | select {l = text.length s}` → 3 for 南宁市, 5 for Hello;
    /// `SQL: select length('e' || chr(769)), length('🦆')` → 2, 1 (code points, not graphemes).
    @Test func lengthCountsCharacters() throws {
        let out = try F.call("text.length", F.texts(["南宁市", "Hello", nil, "", "e\u{301}", "🦆"]))
        #expect(out.type == .int)
        #expect(F.values(out) == [.int(3), .int(5), .null, .int(0), .int(2), .int(1)])
    }

    @Test func lengthOfAConstantIsAConstant() throws {
        let out = try F.call("text.length", F.text("南宁市"), rows: 100)
        guard case .constant(.int(3), .int) = out else { Issue.record("\(out)"); return }
    }

    /// Oracle: upper/lower leave 南宁市 alone; `SQL: select upper('straße'), lower('ÉÀ'), lower('İ')`
    /// → 'STRAẞE', 'éà', 'i'.
    @Test func upperAndLowerMapCodePointsLikeDuckDB() throws {
        #expect(F.texts(of: try F.call("text.upper", F.texts(["南宁市", "Hello", nil, "straße", "éǆ"])))
                == ["南宁市", "HELLO", nil, "STRAẞE", "ÉǄ"])
        #expect(F.texts(of: try F.call("text.lower", F.texts(["南宁市", "HeLLo", "ÉÀ", "İ", nil])))
                == ["南宁市", "hello", "éà", "i", nil])
    }

    @Test func textResultsGetADeduplicatedDictionary() throws {
        let out = try F.call("text.lower", F.texts(["A", "a", "A", "b", "B"]))
        guard case .column(let c) = out, case .text(let codes, let dictionary) = c.values else {
            Issue.record("not text"); return
        }
        #expect(dictionary.strings.sorted() == ["a", "b"])
        #expect(codes[0] == codes[1] && codes[1] == codes[2] && codes[3] == codes[4])
    }

    /// Oracle: `from t | select {tr = text.trim s, lt = text.ltrim s, rt = text.rtrim s}` on " x " →
    /// "x", "x ", " x"; `SQL: select trim(chr(9)||' a '||chr(10))` keeps the tab and newline.
    @Test func trimRemovesSpacesOnly() throws {
        let input = F.texts([" x ", "\t a \n", "  ", nil, "南 "])
        #expect(F.texts(of: try F.call("text.trim", input)) == ["x", "\t a \n", "", nil, "南"])
        #expect(F.texts(of: try F.call("text.ltrim", input)) == ["x ", "\t a \n", "", nil, "南 "])
        #expect(F.texts(of: try F.call("text.rtrim", input)) == [" x", "\t a \n", "", nil, "南"])
    }

    /// Oracle: `from t | select {sw = text.starts_with "H" s, ew = text.ends_with "c" s, c = text.contains "l" s}`
    /// → Hello: true, false, true; abc: false, true, false; null: null.
    @Test func startsEndsContains() throws {
        let s = F.texts(["南宁市", "Hello", nil, "abc", " x "])
        #expect(F.values(try F.call("text.starts_with", F.text("H"), s)) == [.bool(false), .bool(true), .null, .bool(false), .bool(false)])
        #expect(F.values(try F.call("text.ends_with", F.text("c"), s)) == [.bool(false), .bool(false), .null, .bool(true), .bool(false)])
        #expect(F.values(try F.call("text.contains", F.text("l"), s)) == [.bool(false), .bool(true), .null, .bool(false), .bool(false)])
        #expect(F.values(try F.call("text.contains", F.text("宁"), s))[0] == .bool(true))
        #expect(F.values(try F.call("text.starts_with", F.text("南宁"), s))[0] == .bool(true))
        #expect(F.values(try F.call("text.ends_with", F.text(""), s))[3] == .bool(true))
    }

    /// PRQL compiles these to LIKE: `_` and `%` in the argument are wildcards. Oracle:
    /// `SQL: select '南' like '_', 'a%b' like concat('%','%','%'), 'a_c' like '%\_%', 'abc' like '%\_%'`
    /// → true, true, false, false.
    @Test func patternsAreLikePatterns() throws {
        let s = F.texts(["abc", "a", "", "南宁市", "a\\c"])
        #expect(F.values(try F.call("text.contains", F.text("_"), s)) == [.bool(true), .bool(true), .bool(false), .bool(true), .bool(true)])
        #expect(F.values(try F.call("text.starts_with", F.text("a_c"), s)) == [.bool(true), .bool(false), .bool(false), .bool(false), .bool(true)])
        // No escape character: `\_` is a backslash and then any one character.
        #expect(F.values(try F.call("text.contains", F.text("\\_"), s)) == [.bool(false), .bool(false), .bool(false), .bool(false), .bool(true)])
        #expect(F.values(try F.call("text.ends_with", F.text("宁_"), s))[3] == .bool(true))
        #expect(F.values(try F.call("text.contains", F.text("%"), s)) == Array(repeating: .bool(true), count: 5))
    }

    @Test func likeMatcherBacktracks() {
        #expect(LikePattern("a%b%c").matches("aXbYbZc"))
        #expect(!LikePattern("a%b%c").matches("aXbYbZ"))
        #expect(LikePattern("%a_c%").matches("zzabcz"))
        #expect(LikePattern("").matches("") && !LikePattern("").matches("a"))
        #expect(LikePattern("_%_").matches("南宁") && !LikePattern("_%_").matches("南"))
        // No Unicode normalisation: precomposed é is not e + U+0301.
        #expect(!LikePattern.contains("é").matches("e\u{301}"))
    }

    /// Oracle: `from t | select {ex = text.extract 2 3 s}` → "宁市", "ell", null, "bc", "x ".
    @Test func extractIsOneBasedSubstring() throws {
        let out = try F.call("text.extract", F.int(2), F.int(3), F.texts(["南宁市", "Hello", nil, "abc", " x "]))
        #expect(F.texts(of: out) == ["宁市", "ell", nil, "bc", "x "])
    }

    /// Oracle grid `select substring('hello', o, l)`: (0,2) h, (-2,2) lo, (3,-1) e, (7,-2) o,
    /// (-10,3) "", (6,2) "", (-4,-1) h, (1,0) "", (-6,2) h.
    @Test func extractFollowsDuckDBForZeroAndNegatives() {
        let cases: [(Int64, Int64, String)] = [(0, 2, "h"), (-2, 2, "lo"), (3, -1, "e"), (7, -2, "o"), (-10, 3, ""),
                                               (6, 2, ""), (-4, -1, "h"), (1, 0, ""), (-6, 2, "h"), (2, 100, "ello"),
                                               (Int64.max, Int64.min, "hello"), (Int64.min, Int64.max, "hell")]
        for (o, l, expected) in cases {
            #expect(TextFunctions.substring("hello", offset: o, length: l) == expected, "(\(o), \(l))")
        }
    }

    /// Oracle: `from t | select {rep = text.replace "l" "L" s}` → "HeLLo"; `replace('abc','','x')` = 'abc'.
    @Test func replaceEveryOccurrence() throws {
        #expect(F.texts(of: try F.call("text.replace", F.text("l"), F.text("L"), F.texts(["Hello", nil, "abc"])))
                == ["HeLLo", nil, "abc"])
        #expect(F.texts(of: try F.call("text.replace", F.text(""), F.text("x"), F.texts(["abc"]))) == ["abc"])
        #expect(F.texts(of: try F.call("text.replace", F.text("南宁"), F.text("NN"), F.texts(["南宁市南宁"]))) == ["NN市NN"])
        #expect(F.texts(of: try F.call("text.replace", F.text("aa"), F.text("b"), F.texts(["aaaaa"]))) == ["bba"])
    }

    @Test func argumentsFromColumnsWorkPerDistinctTuple() throws {
        let out = try F.call("text.contains", F.texts(["a", "z", nil, "a"]), F.texts(["abc", "abc", "abc", nil]))
        #expect(F.values(out) == [.bool(true), .bool(false), .null, .null])
        let ex = try F.call("text.extract", F.ints([1, 2, 3]), F.int(1), F.texts(["xyz", "xyz", "xyz"]))
        #expect(F.texts(of: ex) == ["x", "y", "z"])
        // A constant value with a column pattern.
        let c = try F.call("text.starts_with", F.texts(["南", "宁"]), F.text("南宁市"))
        #expect(F.values(c) == [.bool(true), .bool(false)])
    }

    @Test func onlyEntriesOfNonNullRowsAreComputed() throws {
        // Row 1 is null but its code points at "dropped": never evaluated, never in the result.
        let dictionary = TextDictionary(["keep", "dropped"])
        let column = Column(.text(codes: [0, 1], dictionary: dictionary), validity: Validity([true, false]))
        let out = try F.call("text.upper", .column(column))
        guard case .column(let c) = out, case .text(_, let d) = c.values else { Issue.record("not text"); return }
        #expect(d.strings == ["KEEP"])
        #expect(F.values(out) == [.text("KEEP"), .null])
    }

    @Test func textFunctionsRejectOtherTypesWithAHint() throws {
        let f = try #require(FunctionRegistry.scalar(named: "text.length"))
        let error = #expect(throws: TallyError.self) { try f.resultType([.int]) }
        #expect(error?.message.contains("`text.length` expects (text column), got (int)") == true)
        #expect(error?.hint?.contains("as text") == true)
        let extract = try #require(FunctionRegistry.scalar(named: "text.extract"))
        #expect(throws: TallyError.self) { try extract.resultType([.float, .int, .text]) }
        #expect(try extract.resultType([.int, .int, .text]) == .text)
    }
}
