/// The words of a dot-command line: split on spaces, with `"..."`, `'...'` and `` `...` `` quoting
/// (so paths with spaces work), and `key:value` options recognised.
public struct CommandWords: Sendable, Equatable {
    /// The command name without its dot, e.g. `load`.
    public var name: String
    /// Positional words in order.
    public var positional: [String]
    /// `key:value` options (the value unquoted).
    public var options: [(key: String, value: String)]
    /// Everything after the command name, as written (`.explain from aid | take 5` gives the query).
    public var rest: String = ""

    public static func == (a: CommandWords, b: CommandWords) -> Bool {
        a.name == b.name && a.positional == b.positional
            && a.options.map { "\($0.key)=\($0.value)" } == b.options.map { "\($0.key)=\($0.value)" }
    }

    /// Splits `line` (which starts with `.`). An unclosed quote is an error.
    public static func parse(_ line: String) throws -> CommandWords {
        var words: [(text: String, quoted: Bool, raw: String)] = []
        var current = ""
        var raw = ""
        var quote: Character?
        var inWord = false
        var quoted = false
        for ch in line.trimmingCharacters(in: " \t\r\n") {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                raw.append(ch)
                continue
            }
            if ch == " " || ch == "\t" {
                if inWord { words.append((current, quoted, raw)) }
                current = ""; raw = ""; inWord = false; quoted = false
                continue
            }
            inWord = true
            raw.append(ch)
            if ch == "\"" || ch == "'" || ch == "`" { quote = ch; quoted = true } else { current.append(ch) }
        }
        if quote != nil {
            throw TallyError(.usage, "unclosed quote in `\(line)`", hint: "close it with \(quote.map { "`\($0)`" } ?? "")")
        }
        if inWord { words.append((current, quoted, raw)) }
        guard let first = words.first, first.text.hasPrefix(".") else {
            throw TallyError(.usage, "not a command: `\(line)`", hint: "commands start with `.`, e.g. `.help`")
        }
        var result = CommandWords(name: String(first.text.dropFirst()), positional: [], options: [])
        let trimmed = line.trimmingCharacters(in: " \t\r\n")
        if let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            result.rest = String(trimmed[space...]).trimmingCharacters(in: " \t")
        }
        for word in words.dropFirst() {
            // `key:value` with an identifier key; a quoted word or a path like `C:\x` stays positional.
            if let colon = word.raw.firstIndex(of: ":"), !word.raw.hasPrefix("\"") && !word.raw.hasPrefix("'"),
               word.raw[..<colon].allSatisfy({ $0.isLetter || $0 == "_" }), colon != word.raw.startIndex {
                let key = String(word.raw[..<colon])
                var value = String(word.raw[word.raw.index(after: colon)...])
                if value.count >= 2, let f = value.first, f == value.last, f == "\"" || f == "'" || f == "`" {
                    value = String(value.dropFirst().dropLast())
                }
                result.options.append((key, value))
            } else {
                result.positional.append(word.text)
            }
        }
        return result
    }

    public func option(_ key: String) -> String? { options.last { $0.key == key }?.value }

    /// The command as a line that parses back to these words: a word with spaces or quotes is
    /// quoted with a quote character it does not contain.
    public var line: String {
        func quoted(_ word: String, positional: Bool) -> String {
            let plain = !word.isEmpty && !word.contains { " \t\"'`".contains($0) }
                && !(positional && word.contains(":"))
            if plain { return word }
            let q = ["\"", "'", "`"].first { !word.contains($0) } ?? "\""
            return q + word + q
        }
        var parts = ["." + name]
        parts += positional.map { quoted($0, positional: true) }
        parts += options.map { $0.key + ":" + quoted($0.value, positional: false) }
        return parts.joined(separator: " ")
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
