/// Provisional splitter; replaced by the language front end.
public struct ScriptStatement: Sendable, Equatable {
    public var text: String
    public var line: Int
}

public enum StatementSplitter {
    public static func split(_ script: String) -> [ScriptStatement] {
        var out: [ScriptStatement] = []
        var current: [Substring] = []
        var start = 1
        for (i, line) in script.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let begins = line.hasPrefix(".") || line.hasPrefix("from") || line.hasPrefix("let") || line.hasPrefix("prql")
            if begins || line.hasPrefix(".") {
                if current.contains(where: { !$0.trimmingCharacters(in: " \t\r").isEmpty }) {
                    out.append(ScriptStatement(text: current.joined(separator: "\n"), line: start))
                }
                current = [line]
                start = i + 1
            } else {
                if current.isEmpty { start = i + 1 }
                current.append(line)
            }
        }
        if current.contains(where: { !$0.trimmingCharacters(in: " \t\r").isEmpty }) {
            out.append(ScriptStatement(text: current.joined(separator: "\n"), line: start))
        }
        return out
    }
}

public enum InputCompleteness {
    public static func isComplete(_ input: String) -> Bool {
        var depth = 0
        for ch in input { if "([{".contains(ch) { depth += 1 } else if ")]}".contains(ch) { depth -= 1 } }
        let t = input.trimmingCharacters(in: " \t\r\n")
        if t.hasPrefix(".") { return true }
        return depth <= 0 && !(t.hasSuffix("|") || t.hasSuffix(",") || t.hasSuffix("=") || t.hasSuffix("->"))
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
