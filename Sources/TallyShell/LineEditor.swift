import CEditLine
import TallyEngine
#if canImport(Glibc)
import Glibc
#endif

/// Line input through libedit: emacs keys, history with Up/Down and Ctrl-R, Tab completion, any
/// UTF-8 text (a CJK character moves the cursor one character and takes two cells).
///
/// libedit calls back into C function pointers, so the editor keeps itself in libedit's client data
/// and the callbacks find it there. How Ctrl-C, Ctrl-Z, resizes and UTF-8 input reach libedit is
/// in the C shim (`tally_edit_install`): the terminal sends no signals while a line is edited.
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
    /// The history, oldest first, for Ctrl-R (libedit's own list is not searched: see the shim).
    private(set) var entries: [String] = []
    /// The Ctrl-R search under way, if any.
    var search: HistorySearch?
    private var prompt = "tally> "

    public struct Completion {
        /// Where the word being completed starts, as a count of characters from the end of the text.
        public var wordLength: Int
        public var candidates: [String]
        /// Shown beside each candidate in a list (a type, a form); empty strings for none.
        public var notes: [String]
        public init(wordLength: Int, candidates: [String], notes: [String] = []) {
            self.wordLength = wordLength
            self.candidates = candidates
            self.notes = notes
        }
    }

    /// What the locale said about input, for the one-time note at start.
    public enum LocaleCheck {
        case utf8
        /// The environment's locale is not UTF-8; C.UTF-8 is used for editing.
        case replaced(String)
        /// No UTF-8 locale exists on this system.
        case unavailable(String)
    }

    public private(set) var localeCheck: LocaleCheck = .utf8

    public init?(program: String) {
        let environmentLocale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .compactMap { (name: String) -> String? in getenv(name).map { String(cString: $0) } }
            .first { !$0.isEmpty } ?? "C"
        switch tally_use_utf8_ctype() {
        case 1: localeCheck = .utf8
        case 0: localeCheck = .replaced(environmentLocale)
        default: localeCheck = .unavailable(environmentLocale)
        }
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
        tally_edit_install(el)
        tally_el_add_function(el, "tally-search", "Search the history as you type") { el, _ in
            guard let el, let data = tally_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().startSearch()
        }
        tally_el_bind(el, "^R", "tally-search")
        tally_set_search_hook { el, key in
            guard let el, let data = tally_el_get_clientdata(el) else { return 1 }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().searchKey(UInt32(truncatingIfNeeded: key))
        }
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
        if entries.last != entry { entries.append(entry) }
    }

    /// Reads one line (without its line end).
    public func readLine(prompt: String) -> Input {
        self.prompt = prompt
        setPrompt(prompt)
        search = nil
        tally_set_search_active(0)
        _ = tally_take_interrupt()
        tally_edit_reset()
        var count: Int32 = 0
        let line = el_gets(el, &count)
        let interrupted = tally_edit_was_interrupted() != 0 || tally_take_interrupt() != 0
        _ = tally_take_interrupt()
        tally_edit_reset()
        if interrupted { return .interrupted }
        guard let line else { return .endOfInput }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    private func setPrompt(_ text: String) {
        free(promptPointer)
        promptPointer = strdup(text)
    }

    // MARK: - Ctrl-R

    /// An incremental search back through the history, as readline's: each key extends the
    /// pattern, Ctrl-R finds an older match, Backspace shortens it, Enter runs the match, Ctrl-G or
    /// Ctrl-C gives the line back as it was, any other key (an arrow, Ctrl-A, …) keeps the match
    /// to edit.
    struct HistorySearch {
        var pattern = ""
        /// The entry shown, an index into `entries`; nil before anything matched.
        var match: Int?
        var original: String
        var failing = false
    }

    private func startSearch() -> UInt8 {
        search = HistorySearch(original: currentLine())
        tally_set_search_active(1)
        showSearchPrompt()
        return UInt8(CC_REDISPLAY)
    }

    /// A key typed during a search; 0 to draw the line again, 1 to let libedit have the key.
    private func searchKey(_ key: UInt32) -> Int32 {
        guard var state = search else { return 1 }
        switch key {
        case 0x12:  // Ctrl-R: an older match
            if let found = findMatch(state.pattern, before: state.match ?? entries.count) {
                state.match = found
                state.failing = false
            } else {
                state.failing = true
            }
        case 0x7F, 0x08:  // Backspace: a shorter pattern, matched from the newest entry again
            if !state.pattern.isEmpty { state.pattern.removeLast() }
            state.match = state.pattern.isEmpty ? nil : findMatch(state.pattern, before: entries.count)
            state.failing = !state.pattern.isEmpty && state.match == nil
        case 0x07, 0x03:  // Ctrl-G, Ctrl-C: the line as it was
            replaceLine(with: state.original)
            endSearch()
            return 0
        case 0x0D, 0x0A:  // Enter: run the match
            endSearch()
            tally_set_pending_key(0x0A)
            return 0
        default:
            guard key >= 0x20, key != 0x7F, let scalar = Unicode.Scalar(key) else {
                // Any other control key or escape sequence: keep the match and let libedit have it.
                endSearch()
                tally_set_pending_key(Int32(bitPattern: key))
                return 0
            }
            let extended = state.pattern + String(Character(scalar))
            // The current match still counts if it holds the longer pattern.
            let from = state.match.map { $0 + 1 } ?? entries.count
            if let found = findMatch(extended, before: from) {
                state.match = found
                state.failing = false
            } else {
                state.failing = true
            }
            state.pattern = extended
        }
        search = state
        if let match = state.match { replaceLine(with: entries[match]) }
        showSearchPrompt()
        return 0
    }

    /// The newest entry before index `end` that contains `pattern`.
    private func findMatch(_ pattern: String, before end: Int) -> Int? {
        guard !pattern.isEmpty else { return nil }
        var i = min(end, entries.count) - 1
        while i >= 0 {
            if entries[i].contains(pattern) { return i }
            i -= 1
        }
        return nil
    }

    private func endSearch() {
        search = nil
        tally_set_search_active(0)
        setPrompt(prompt)
    }

    private func showSearchPrompt() {
        guard let state = search else { return }
        setPrompt("(\(state.failing ? "failing " : "")reverse-i-search)`\(state.pattern)': ")
    }

    private func currentLine() -> String {
        guard let info = el_line(el)?.pointee else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: info.lastchar - info.buffer), as: UTF8.self)
    }

    /// Puts `text` in the line, the cursor at its end.
    private func replaceLine(with text: String) {
        if let line = el_wline(el)?.pointee {
            _ = el_cursor(el, Int32(line.lastchar - line.cursor))
            el_deletestr(el, Int32(line.lastchar - line.buffer))
        }
        _ = el_insertstr(el, text)
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
        Terminal.write(LineEditor.candidateList(completion, columns: Terminal.columns))
        return UInt8(CC_REDISPLAY)
    }

    /// The candidates as a list under the line: with notes, one per line (name, then its type or
    /// form, dimmed); without, in columns across the terminal.
    static func candidateList(_ completion: Completion, columns: Int, limit: Int = 200) -> String {
        let shown = completion.candidates.prefix(limit)
        let width = (shown.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        var out = "\n"
        let hasNotes = completion.notes.contains { !$0.isEmpty }
        if hasNotes {
            let dim = Terminal.colorEnabled
            for (i, candidate) in shown.enumerated() {
                let note = i < completion.notes.count ? completion.notes[i] : ""
                var line = candidate + String(repeating: " ", count: max(1, width - DisplayWidth.of(candidate)))
                let room = max(0, columns - 1 - DisplayWidth.of(line))
                let clipped = LineEditor.clip(note, to: room)
                line += dim && !clipped.isEmpty ? "\u{1B}[2m" + clipped + "\u{1B}[0m" : clipped
                out += line + "\n"
            }
        } else {
            let perLine = max(1, columns / max(1, width))
            for (i, candidate) in shown.enumerated() {
                out += candidate + String(repeating: " ", count: max(1, width - DisplayWidth.of(candidate)))
                if (i + 1) % perLine == 0 { out += "\n" }
            }
            if !out.hasSuffix("\n") { out += "\n" }
        }
        if completion.candidates.count > limit { out += "… \(completion.candidates.count - limit) more\n" }
        return out
    }

    /// The longest start of `text` that fits in `width` cells.
    static func clip(_ text: String, to width: Int) -> String {
        var out = "", used = 0
        for ch in text {
            let w = DisplayWidth.of(String(ch))
            if used + w > width { break }
            out.append(ch)
            used += w
        }
        return out
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
