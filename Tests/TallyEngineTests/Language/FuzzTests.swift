import Testing
@testable import TallyEngine

/// Random token soups: every input must give a result or a `TallyError` with a valid span — never a
/// crash — from the parser, the splitter and the completeness check alike.
@Suite("Robustness")
struct FuzzTests {
    static let fragments = [
        "from", "let", "prql", "case", "sort", "filter", "x", "县名", "`a b`", " ", " ", "\n", "\n", "|", "||", "(", ")",
        "{", "}", "[", "]", ",", "=", "==", "=>", "->", ":", ".", "..", "-", "+", "*", "**", "/", "//", "%", "!", "!=",
        "<", ">=", "~=", "??", "&&", "1", "2.5", "0x1F", "1e3", "3days", "\"s\"", "'t'", "\"", "'", "\"\"\"", "r\"\\d\"",
        "f\"{", "f\"{x}\"", "}", "s\"{y}\"", "@2021-09-01", "@08:30", "@", "$p", "$", "#", "# c\n", "\\", "\t", "true",
        "null", "，", "😀", "\u{3000}",
    ]

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test func randomInputsNeverCrash() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 24)
            var input = ""
            for _ in 0..<count {
                input += FuzzTests.fragments[Int(generator.next() % UInt64(FuzzTests.fragments.count))]
            }
            check(input)
        }
    }

    private func check(_ input: String) {
        do {
            _ = try Parser.parse(statement: input)
        } catch let error as TallyError {
            let length = input.utf8.count
            if let span = error.span {
                #expect(span.lowerBound >= 0 && span.lowerBound <= span.upperBound && span.upperBound <= length,
                        "bad span \(span) for \(input.debugDescription)")
            }
            _ = error.rendered()
        } catch {
            Issue.record("unexpected error type for \(input.debugDescription)")
        }
        _ = StatementSplitter.split(input)
        _ = InputCompleteness.isComplete(input)
        _ = try? Parser.parseScript(input)
    }
}
