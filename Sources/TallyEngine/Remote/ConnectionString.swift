import Foundation
import CLibPQ

/// A PostgreSQL connection string as the user gave it (`postgres://user:pw@host:5432/db`,
/// `postgresql://…` or `host=… dbname=…`), parsed by libpq itself so every form libpq accepts
/// works, and kept in two shapes: the full text that is handed to libpq once, and a redacted text
/// without the password that is the only one ever shown, journalled or saved in a script.
public struct ConnectionString: Sendable, Equatable {
    /// What libpq is given. Never printed.
    let full: String
    /// The same string without its password: what `.tables`, errors and saved scripts show.
    public let redacted: String
    /// The parsed options that were set (keyword → value), password left out.
    public let options: [String: String]
    /// The password given in the string, kept only to scrub it from messages.
    let password: String?
    /// A password typed at the shell's prompt (the string had none and the server asked for one):
    /// sent to libpq after the string's own keywords, and scrubbed from messages like the other.
    private(set) var typedPassword: String?

    /// Seconds libpq waits for a server before giving up, when the string and `PGCONNECT_TIMEOUT`
    /// do not say: an unreachable host must fail in seconds, not after the system's TCP timeout.
    public static let defaultConnectTimeout = 5

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw TallyError(.usage, "`.connect` needs a connection string",
                             hint: "e.g. `.connect postgres://user@localhost:5432/db as pg` or `.connect \"host=localhost dbname=db\" as pg`")
        }
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let parsed = PQconninfoParse(trimmed, &errorMessage) else {
            var message = errorMessage.map { String(cString: $0) } ?? "not a connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            message = message.trimmingCharacters(in: .whitespacesAndNewlines)
            let shown = ConnectionString.redact(trimmed, password: nil)
            throw TallyError(.usage, "cannot read the connection string `\(shown)`: \(ConnectionString.scrub(message, shown: shown, raw: trimmed))",
                             hint: "a URL `postgres://user@host:port/database` or `key=value` pairs such as `host=localhost port=5432 dbname=db`")
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var password: String?
        var option = parsed
        while let keyword = option.pointee.keyword {
            let key = String(cString: keyword)
            if let value = option.pointee.val {
                if key == "password" { password = String(cString: value) } else { options[key] = String(cString: value) }
            }
            option = option.advanced(by: 1)
        }
        self.full = trimmed
        self.password = password
        self.options = options
        self.redacted = ConnectionString.redact(trimmed, password: password)
    }

    /// The keyword/value pairs libpq connects with: the string itself (expanded by libpq), then
    /// defaults for what it does not set.
    var connectParameters: [(String, String)] {
        var parameters: [(String, String)] = [("dbname", full)]
        if options["connect_timeout"] == nil, ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"] == nil {
            parameters.append(("connect_timeout", String(ConnectionString.defaultConnectTimeout)))
        }
        if options["application_name"] == nil { parameters.append(("application_name", "tally")) }
        if let typedPassword { parameters.append(("password", typedPassword)) }
        return parameters
    }

    /// The same string with `password` typed at a prompt.
    func with(typedPassword password: String) -> ConnectionString {
        var copy = self
        copy.typedPassword = password
        return copy
    }

    /// `text` without any password: the `:password` of a URL's user part, a `password=` pair, and a
    /// `password=` URL parameter.
    static func redact(_ text: String, password: String?) -> String {
        var out = text
        if let scheme = out.range(of: "://"), out.lowercased().hasPrefix("postgres") {
            let rest = out[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    out.removeSubrange(colon..<at)
                }
            }
            // `?password=…` among the URL's parameters.
            if let query = out.firstIndex(of: "?") {
                let head = out[..<query]
                let pairs = out[out.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
                let kept = pairs.filter { !$0.lowercased().hasPrefix("password=") }
                out = kept.isEmpty ? String(head) : String(head) + "?" + kept.joined(separator: "&")
            }
        } else {
            out = redactKeywordPairs(out)
        }
        if let password, !password.isEmpty { out = out.replacingOccurrences(of: password, with: "…") }
        return out
    }

    /// `host=h password='a b' dbname=d` without the password pair (values may be quoted, with `\'`).
    private static func redactKeywordPairs(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            // One `key = value` pair, with the spaces before it.
            let start = i
            while i < chars.count, chars[i] == " " { i += 1 }
            let keyStart = i
            while i < chars.count, chars[i] != "=", chars[i] != " " { i += 1 }
            let key = String(chars[keyStart..<i])
            while i < chars.count, chars[i] == " " { i += 1 }
            if i < chars.count, chars[i] == "=" { i += 1 }
            while i < chars.count, chars[i] == " " { i += 1 }
            if i < chars.count, chars[i] == "'" {
                i += 1
                while i < chars.count, chars[i] != "'" {
                    if chars[i] == "\\" { i += 1 }
                    i += 1
                }
                i += 1
            } else {
                while i < chars.count, chars[i] != " " { i += 1 }
            }
            if key.lowercased() != "password" { out += String(chars[start..<min(i, chars.count)]) }
            if i == start { i += 1 }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// A libpq message with the password (if any) and the raw string replaced by their safe forms.
    static func scrub(_ message: String, shown: String, raw: String) -> String {
        message.replacingOccurrences(of: raw, with: shown)
    }

    /// `message` without the password.
    func scrub(_ message: String) -> String {
        var out = message.replacingOccurrences(of: full, with: redacted)
        for secret in [password, typedPassword] {
            if let secret, !secret.isEmpty { out = out.replacingOccurrences(of: secret, with: "…") }
        }
        return out
    }

    /// `user@host:port/db`, from what libpq will use (defaults from the environment included).
    public var target: String {
        let user = options["user"] ?? ProcessInfo.processInfo.environment["PGUSER"]
        let host = options["host"] ?? options["hostaddr"] ?? ProcessInfo.processInfo.environment["PGHOST"] ?? "localhost"
        let port = options["port"] ?? ProcessInfo.processInfo.environment["PGPORT"] ?? "5432"
        let db = options["dbname"] ?? ProcessInfo.processInfo.environment["PGDATABASE"]
        return (user.map { $0 + "@" } ?? "") + host + ":" + port + (db.map { "/" + $0 } ?? "")
    }

    /// A statement as history, the journal and saved scripts keep it: a `.connect` line with its
    /// connection string redacted, anything else as it is.
    public static func redactedStatement(_ statement: String) -> String {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(".connect"), let words = try? CommandWords.parse(trimmed), words.name == "connect",
              let (url, _) = Session.connectionWords(words.rest) else { return statement }
        let redacted = (try? ConnectionString(url).redacted) ?? ConnectionString.redact(url, password: nil)
        guard redacted != url else { return statement }
        return statement.replacingOccurrences(of: url, with: redacted)
    }
}
