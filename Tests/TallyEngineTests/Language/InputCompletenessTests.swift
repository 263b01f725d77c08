import Testing
@testable import TallyEngine

@Suite("REPL input completeness")
struct InputCompletenessTests {
    @Test(arguments: [
        "from aid",
        "from aid | take 5",
        "from aid\nfilter x",
        "let target = 0.95",
        ".load Datasets/aid.csv as aid",
        ".load (",
        "",
        "# only a comment",
        "from a | take 5..",
        "from a | derive x = \"unterminated",   // shown as an error at once
        "from a | take 3)",                     // a stray bracket is an error, not a wait
        "from a | derive x = (a]",
        "from a | derive x = @2021-13-01",     // lex errors are shown at once
        "from a | sort -year",
        "from a |\nfilter x",
    ])
    func complete(input: String) {
        #expect(InputCompleteness.isComplete(input))
    }

    @Test(arguments: [
        "from aid |",
        "from aid | filter x >",
        "from aid | derive {",
        "from aid | derive {a,\n",
        "from aid | join (",
        "from aid | derive x = [1,",
        "from aid | derive x =",
        "let f = x ->",
        "from a | derive c = case [x => ",
        "from a | filter x &&",
        "from a | filter x ||",
        "from a | derive y = x ??",
        "from a | derive y = x *",
        "from a | filter y ==",
        "from a | join side:",
        "from a | derive s = \"\"\"first line",
        "from a | derive y = x +  # comment after the operator",
        "from a\nfilter x |",
    ])
    func incomplete(input: String) {
        #expect(!InputCompleteness.isComplete(input))
    }
}
