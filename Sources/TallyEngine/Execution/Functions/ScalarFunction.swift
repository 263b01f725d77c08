import Foundation

/// A function of the scalar library: `round 2 x`, `math.sqrt x`, `text.upper s`, `date.year d`.
public struct ScalarFunction: Sendable {
    public let name: String
    /// Positional parameters, in the order PRQL writes them (the piped value last).
    public let arity: Int
    public let usage: String?
    let result: @Sendable ([DataType]) throws -> DataType
    let body: @Sendable ([Vector], Int) throws -> Vector

    public func resultType(_ args: [DataType]) throws -> DataType { try result(args) }

    public func evaluate(_ args: [Vector], rowCount: Int) throws -> Vector { try body(args, rowCount) }
}

/// The scalar functions by name.
public enum FunctionRegistry {
    public static func scalar(named name: String) -> ScalarFunction? { table[name] }

    public static var names: [String] { table.keys.sorted() }

    static func typeError(_ name: String, _ expected: String, _ got: [DataType]) -> TallyError {
        TallyError(.type, "`\(name)` expects \(expected), got \(got.map(\.rawValue).joined(separator: ", "))")
    }

    private static let table: [String: ScalarFunction] = {
        var t: [String: ScalarFunction] = [:]
        func add(_ f: ScalarFunction) { t[f.name] = f }
        // Numbers.
        let roundFunction = { (name: String) in
            ScalarFunction(name: name, arity: 2, usage: "\(name) DIGITS x", result: { args in
                guard args[0] == .int, args[1].isNumeric else { throw typeError(name, "whole-number digits and a number", args) }
                return args[1]
            }, body: { args, n in try NumericFunctions.round(args[0], args[1], rowCount: n) })
        }
        add(roundFunction("round"))
        add(roundFunction("math.round"))
        for (name, f) in NumericFunctions.unaryDouble {
            add(ScalarFunction(name: name, arity: 1, usage: "\(name) x", result: { args in
                guard args[0].isNumeric else { throw typeError(name, "a number", args) }
                return .float
            }, body: { args, n in NumericFunctions.mapDouble(args[0], rowCount: n, f) }))
        }
        add(ScalarFunction(name: "math.abs", arity: 1, usage: "math.abs x", result: { args in
            guard args[0].isNumeric else { throw typeError("math.abs", "a number", args) }
            return args[0]
        }, body: { args, n in try NumericFunctions.abs(args[0], rowCount: n) }))
        for name in ["math.floor", "math.ceil"] {
            add(ScalarFunction(name: name, arity: 1, usage: "\(name) x", result: { args in
                guard args[0].isNumeric else { throw typeError(name, "a number", args) }
                return args[0]
            }, body: { args, n in
                args[0].type == .int ? args[0]
                    : NumericFunctions.mapDouble(args[0], rowCount: n, name == "math.floor" ? { $0.rounded(.down) } : { $0.rounded(.up) })
            }))
        }
        add(ScalarFunction(name: "math.pow", arity: 2, usage: "math.pow EXPONENT x", result: { args in
            guard args.allSatisfy(\.isNumeric) else { throw typeError("math.pow", "numbers", args) }
            return .float
        }, body: { args, n in try Kernels.binary(.pow, args[1], args[0], resultType: .float, rowCount: n) }))
        // Text.
        for (name, f) in TextFunctions.unaryText {
            add(ScalarFunction(name: name, arity: 1, usage: "\(name) s", result: { args in
                guard args[0] == .text else { throw typeError(name, "text", args) }
                return .text
            }, body: { args, n in TextFunctions.mapText(args[0], rowCount: n, f) }))
        }
        add(ScalarFunction(name: "text.length", arity: 1, usage: "text.length s", result: { args in
            guard args[0] == .text else { throw typeError("text.length", "text", args) }
            return .int
        }, body: { args, n in TextFunctions.length(args[0], rowCount: n) }))
        for (name, test) in TextFunctions.predicates {
            add(ScalarFunction(name: name, arity: 2, usage: "\(name) \"part\" s", result: { args in
                guard args == [.text, .text] else { throw typeError(name, "two texts", args) }
                return .bool
            }, body: { args, n in TextFunctions.predicate(args[1], args[0], rowCount: n, test) }))
        }
        add(ScalarFunction(name: "text.replace", arity: 3, usage: "text.replace \"old\" \"new\" s", result: { args in
            guard args == [.text, .text, .text] else { throw typeError("text.replace", "three texts", args) }
            return .text
        }, body: { args, n in try TextFunctions.replace(args[2], args[0], args[1], rowCount: n) }))
        add(ScalarFunction(name: "text.extract", arity: 3, usage: "text.extract START LENGTH s", result: { args in
            guard args[0] == .int, args[1] == .int, args[2] == .text else { throw typeError("text.extract", "start, length and text", args) }
            return .text
        }, body: { args, n in try TextFunctions.extract(args[2], args[0], args[1], rowCount: n) }))
        // Dates.
        for name in ["date.year", "date.month", "date.day"] {
            add(ScalarFunction(name: name, arity: 1, usage: "\(name) d", result: { args in
                guard args[0] == .date || args[0] == .timestamp else { throw typeError(name, "a date", args) }
                return .int
            }, body: { args, n in DateFunctions.part(name, args[0], rowCount: n) }))
        }
        add(ScalarFunction(name: "date.to_text", arity: 2, usage: "date.to_text \"%Y-%m\" d", result: { args in
            guard args[0] == .text, args[1] == .date || args[1] == .timestamp else { throw typeError("date.to_text", "a format and a date", args) }
            return .text
        }, body: { args, n in try DateFunctions.toText(args[1], args[0], rowCount: n) }))
        return t
    }()
}
