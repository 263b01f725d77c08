import Foundation
import Testing
import TallyEngine
@testable import TallyReport

/// Front matter read with Yams: any YAML a user writes, errors on the notebook's line.
@Suite("front matter as YAML")
struct FrontMatterYAMLTests {
    func error(_ text: String) -> TallyError? {
        do { _ = try NotebookParser.parse(text, file: "fm.md"); return nil } catch { return error as? TallyError }
    }

    @Test func quotedKeysCommentsAndBlockStrings() throws {
        let notebook = try NotebookParser.parse("""
        ---
        # a comment line
        "title": |
          Student aid
          学生资助
        'subtitle': >
          folded
          into one line
        author: "A: B"  # trailing comment
        params:
          "year": 2023   # the year
          code: "08123"
          flag: yes
        ---
        Text.
        """)
        #expect(notebook.title == "Student aid\n学生资助\n")
        #expect(notebook.subtitle == "folded into one line\n")
        #expect(notebook.author == "A: B")
        #expect(notebook.params == [Notebook.Param(name: "year", defaultValue: "2023"),
                                    Notebook.Param(name: "code", defaultValue: "08123"),
                                    Notebook.Param(name: "flag", defaultValue: "yes")])
        #expect(notebook.blocks == [.prose("Text.")])
    }

    @Test func listsOfChoicesFlowAndBlock() throws {
        let notebook = try NotebookParser.parse("""
        ---
        params:
          year: {value: 2024, choices: [2023, 2024, "2025"]}
          level:
            choices:
            - 小学
            - "初中, 高中"
          n: {"value": 1e3}
        ---
        """)
        #expect(notebook.params == [Notebook.Param(name: "year", defaultValue: "2024", choices: ["2023", "2024", "2025"]),
                                    Notebook.Param(name: "level", defaultValue: "小学", choices: ["小学", "初中, 高中"]),
                                    Notebook.Param(name: "n", defaultValue: "1e3")])
    }

    @Test func badIndentNamesTheFileLine() {
        let bad = error("---\ntitle: x\nparams:\n  year: 1\n level: 2\n---\n")
        #expect(bad?.file == "fm.md")
        #expect(bad?.line == 5)
        #expect(bad?.message.hasPrefix("bad front matter: ") == true)
        #expect(bad?.hint != nil)
        #expect(bad?.rendered().contains("--> fm.md:5") == true)
    }

    @Test func semanticErrorsNameTheirLine() {
        let list = error("---\ntitle: x\nauthor: [a, b]\n---\n")
        #expect(list?.line == 3)
        #expect(list?.message == "bad front matter: `author` takes one value, not a list")
        let paramList = error("---\nparams:\n  a: 1\n  year: [2023, 2024]\n---\n")
        #expect(paramList?.line == 4)
        #expect(paramList?.message == "bad front matter: parameter `year` needs one default value, not a list")
        #expect(paramList?.hint == "to offer choices write `year: {value: …, choices: [2023, 2024]}`")
        let nested = error("---\nparams:\n  year:\n    value: 1\n    choices: [1, [2]]\n---\n")
        #expect(nested?.line == 5)
        let unknown = error("---\ntitle: x\n\ntags: [a, b]\n---\n")
        #expect(unknown?.line == 4)
        #expect(unknown?.message == "bad front matter: unknown key `tags`")
        let field = error("---\nparams:\n  year:\n    valeu: 1\n---\n")
        #expect(field?.line == 4)
        #expect(field?.hint == "did you mean `value`?")
        let notChoice = error("---\nparams:\n  year: {value: 9, choices: [1, 2]}\n---\n")
        #expect(notChoice?.line == 3)
        #expect(notChoice?.message.contains("not one of its choices") == true)
    }

    @Test func hostileInputIsRefusedNotCrashed() {
        let deep = error("---\ntitle: " + String(repeating: "[", count: 10_000) + "\n---\n")
        #expect(deep?.line == 2)
        #expect(deep?.message.contains("nest deeper") == true)
        let dashes = error("---\ntitle: x\nparams:\n  a: " + String(repeating: "- ", count: 10_000) + "x\n---\n")
        #expect(dashes != nil)
        let laughs = """
        ---
        a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        params:
          year: {value: 1, choices: *c}
        ---
        """
        let bomb = error(laughs)
        #expect(bomb?.line == 2)
        #expect(bomb?.message.contains("anchors and aliases") == true)
        #expect(error("---\nparams:\n  year: *x\n---\n")?.line == 3)
        #expect(error("---\ntitle: x\n\tauthor: y\n---\n")?.line == 3)
        // Invalid UTF-8 is decoded with replacement characters before it gets here: it still reads.
        let bytes: [UInt8] = Array("---\ntitle: a".utf8) + [0xFF, 0xFE] + Array("b\n---\n".utf8)
        let decoded = String(decoding: bytes, as: UTF8.self)
        #expect((try? NotebookParser.parse(decoded))?.title == "a\u{FFFD}\u{FFFD}b")
        // A control character is a reader error, still on its line.
        #expect(error("---\ntitle: x\nauthor: a\u{1}b\n---\n")?.line == 3)
        // `&` and `*` inside values are text.
        #expect((try? NotebookParser.parse("---\ntitle: R&D * 2\nauthor: \"&x\"\n---\n"))?.title == "R&D * 2")
    }
}
