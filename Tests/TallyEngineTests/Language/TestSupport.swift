import Testing
@testable import TallyEngine

/// Token kinds of `source`, without the final `.eof`.
func kinds(_ source: String) throws -> [TokenKind] {
    try Lexer.tokenize(source).map(\.kind).filter { $0 != .eof }
}

/// The single token of `source` (which must lex to exactly one).
func onlyToken(_ source: String) throws -> TokenKind? {
    let all = try kinds(source)
    return all.count == 1 ? all[0] : nil
}

/// A statement's tree as an S-expression.
func sexp(_ statement: String) throws -> String {
    try Parser.parse(statement: statement).sExpression
}

/// An expression's tree as an S-expression.
func expr(_ text: String) throws -> String {
    try Parser.parseExpression(text).sExpression
}

/// The error parsing `statement` throws, if any.
func failure(_ statement: String) -> TallyError? {
    do {
        _ = try Parser.parse(statement: statement)
        return nil
    } catch let error as TallyError {
        return error
    } catch {
        return nil
    }
}

/// The source text a byte span covers.
func text(_ source: String, _ span: Range<Int>?) -> String? {
    guard let span else { return nil }
    let bytes = Array(source.utf8)
    guard span.lowerBound >= 0, span.upperBound <= bytes.count, span.lowerBound <= span.upperBound else { return nil }
    return String(decoding: bytes[span], as: UTF8.self)
}

/// Byte offset of the first occurrence of `needle` in `source`.
func offset(of needle: String, in source: String) -> Int? {
    let s = Array(source.utf8), n = Array(needle.utf8)
    guard !n.isEmpty, n.count <= s.count else { return nil }
    for i in 0...(s.count - n.count) where Array(s[i..<i + n.count]) == n { return i }
    return nil
}
