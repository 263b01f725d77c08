import CEditLine
import TallyEngine
#if canImport(Glibc)
import Glibc
#endif

/// Line input through libedit: emacs keys, history with Up/Down and Ctrl-R, Tab completion.
///
/// libedit calls back into C function pointers, so the editor keeps itself in libedit's client data
/// and the callbacks find it there.
public final class LineEditor {
    public enum Input {
        case line(String)
        /// Ctrl-C: drop what was typed.
        case interrupted
        /// Ctrl-D on an empty line.
        case endOfInput
    }

    private let el: OpaquePointer
    private let history: OpaquePointer
    /// The prompt libedit shows; a C string we own.
    private var promptPointer: UnsafeMutablePointer<CChar>
    /// Called with the text before the cursor; returns completions for the last word.
    public var completer: ((String) -> Completion)?

    public struct Completion {
        /// Where the word being completed starts, as a count of characters from the end of the text.
        public var wordLength: Int
        public var candidates: [String]
        public init(wordLength: Int, candidates: [String]) {
            self.wordLength = wordLength
            self.candidates = candidates
        }
    }

    public init?(program: String) {
        guard let el = el_init(program, tally_stdin(), tally_stdout(), tally_stderr()) else { return nil }
        self.el = el
        self.history = tally_history_init(5000)
        self.promptPointer = strdup("tally> ")
        tally_el_set_editor(el, "emacs")
        tally_el_set_signal(el, 0)
        tally_el_set_history(el, history)
        tally_el_set_prompt(el) { el in
            guard let el, let data = tally_el_get_clientdata(el) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptPointer
        }
        tally_el_add_function(el, "tally-complete", "Complete the word before the cursor") { el, _ in
            guard let el, let data = tally_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        tally_el_bind(el, "^I", "tally-complete")
        tally_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        el_end(el)
        history_end(history)
        free(promptPointer)
    }

    /// Adds an entry to the in-memory history (Up/Down, Ctrl-R).
    public func addHistory(_ entry: String) {
        tally_history_enter(history, entry)
    }

    /// Reads one line (without its line end).
    public func readLine(prompt: String) -> Input {
        free(promptPointer)
        promptPointer = strdup(prompt)
        _ = tally_take_interrupt()
        var count: Int32 = 0
        guard let line = el_gets(el, &count) else {
            if tally_take_interrupt() != 0 {
                Terminal.write("\n")
                return .interrupted
            }
            return .endOfInput
        }
        if tally_take_interrupt() != 0 { return .interrupted }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Tab: completes the word before the cursor to the candidates' common prefix, and lists the
    /// candidates when there is more than one.
    private func complete() -> UInt8 {
        guard let info = el_line(el)?.pointee, let completer else { return UInt8(CC_ERROR) }
        let length = info.cursor - info.buffer
        let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: length), as: UTF8.self)
        let completion = completer(before)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let word = String(before.suffix(completion.wordLength))
        let common = LineEditor.commonPrefix(completion.candidates)
        if common.count > word.count {
            let insert = String(common.dropFirst(word.count))
            let isWhole = completion.candidates.count == 1
            let text = insert + (isWhole && !insert.hasSuffix("/") ? " " : "")
            _ = el_insertstr(el, text)
            return UInt8(CC_REFRESH)
        }
        if completion.candidates.count == 1 {
            _ = el_insertstr(el, completion.candidates[0].hasSuffix("/") ? "" : " ")
            return UInt8(CC_REFRESH)
        }
        let width = (completion.candidates.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perLine = max(1, Terminal.columns / max(1, width))
        var out = "\n"
        for (i, candidate) in completion.candidates.prefix(200).enumerated() {
            out += candidate + String(repeating: " ", count: max(1, width - DisplayWidth.of(candidate)))
            if (i + 1) % perLine == 0 { out += "\n" }
        }
        if !out.hasSuffix("\n") { out += "\n" }
        if completion.candidates.count > 200 { out += "… \(completion.candidates.count - 200) more\n" }
        Terminal.write(out)
        return UInt8(CC_REDISPLAY)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
