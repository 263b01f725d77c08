import Testing
@testable import TallyShell

@Suite("presenter keys")
struct PresenterKeyTests {
    func action(_ s: String) -> Presenter.Action { Presenter.action(for: Array(s.utf8)) }

    @Test func nextAndPrevious() {
        for key in ["\u{1B}[C", "\u{1B}OC", " ", "\r", "\n", "n", "\u{1B}[6~"] { #expect(action(key) == .next, "\(Array(key.utf8))") }
        for key in ["\u{1B}[D", "\u{1B}OD", "\u{7F}", "\u{08}", "p", "\u{1B}[5~"] { #expect(action(key) == .previous, "\(Array(key.utf8))") }
    }

    @Test func firstLastScrollQuit() {
        for key in ["\u{1B}[H", "\u{1B}[1~", "\u{1B}OH", "g"] { #expect(action(key) == .first) }
        for key in ["\u{1B}[F", "\u{1B}[4~", "\u{1B}OF", "G"] { #expect(action(key) == .last) }
        #expect(action("\u{1B}[B") == .scrollDown && action("j") == .scrollDown)
        #expect(action("\u{1B}[A") == .scrollUp && action("k") == .scrollUp)
        for key in ["q", "\u{1B}", "\u{03}"] { #expect(action(key) == .quit) }
        #expect(action("x") == .none && action("\u{1B}[15~") == .none)
    }

    @Test func escapeSequencesAreWholeAtTheirFinalByte() {
        #expect(!Presenter.isComplete([0x1B]))
        #expect(!Presenter.isComplete(Array("\u{1B}[".utf8)))
        #expect(!Presenter.isComplete(Array("\u{1B}[6".utf8)))
        #expect(Presenter.isComplete(Array("\u{1B}[6~".utf8)))
        #expect(Presenter.isComplete(Array("\u{1B}[C".utf8)))
        #expect(Presenter.isComplete(Array("\u{1B}OH".utf8)))
    }
}
