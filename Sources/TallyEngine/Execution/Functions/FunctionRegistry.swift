/// A scalar (row-by-row) function of the query language: `round 2 x`, `text.upper s`, `date.year d`.
///
/// Parameters are positional in PRQL order: the value the function works on comes last, so
/// `x | round 2` and `round 2 x` are the same call. The resolver asks `resultType` while it types the
/// plan (with the argument types it knows), and the executor calls `evaluate` with one vector per
/// argument. Every function here gives null for a row where any argument is null.
package struct ScalarFunction: Sendable {
    /// Full name as written in a query, e.g. `text.replace` (or an alias such as `round`).
    package let name: String
    /// Parameter names in PRQL order; the last one is the value when the function has one.
    package let parameters: [String]
    /// A short description for completion and `.help`.
    package let summary: String

    typealias Signature = @Sendable (_ args: [DataType]) throws -> DataType
    typealias Kernel = @Sendable (_ args: [Vector], _ rowCount: Int, _ resultType: DataType) throws -> Vector

    let signature: Signature
    let kernel: Kernel

    init(_ name: String, _ parameters: [String], _ summary: String,
         signature: @escaping Signature, kernel: @escaping Kernel) {
        self.name = name
        self.parameters = parameters
        self.summary = summary
        self.signature = signature
        self.kernel = kernel
    }

    /// Number of positional parameters.
    package var arity: Int { parameters.count }

    /// The call written out, e.g. `text.extract offset length column`.
    package var callForm: String { ([name] + parameters).joined(separator: " ") }

    /// `callForm`, for hints (optional to fit the binder's `usage.map { … }`).
    package var usage: String? { callForm }

    /// The type of the result for arguments of these types; throws a `.type` error that names the
    /// function and the types it takes.
    package func resultType(_ args: [DataType]) throws -> DataType {
        guard args.count == arity else {
            throw TallyError(.type, "`\(name)` takes \(arity) argument\(arity == 1 ? "" : "s"), got \(args.count)",
                             hint: "write it as `\(callForm)`")
        }
        return try signature(args)
    }

    /// Evaluates the function over `rowCount` rows. Constants in give a constant out; a null constant
    /// argument gives a null constant; otherwise the result is a column of `rowCount` rows.
    package func evaluate(_ args: [Vector], rowCount: Int) throws -> Vector {
        let type = try resultType(args.map(\.type))
        var allConstant = true
        for arg in args {
            switch arg {
            case .constant(.null, _): return .constant(.null, type)
            case .constant: continue
            case .column: allConstant = false
            }
        }
        if allConstant {
            // Fold on a one-row column with the same kernel, so constants and columns agree exactly.
            let one = args.map { Vector.column($0.materialize(count: 1)) }
            let out = try kernel(one, 1, type).materialize(count: 1)
            return .constant(out.scalar(at: 0), type)
        }
        return try kernel(args, rowCount, type)
    }
}

/// The function library the resolver looks names up in.
package enum FunctionRegistry {
    /// The scalar function called `name` (`round`, `math.sqrt`, `text.length`, `date.to_text`, …);
    /// PRQL's fully qualified spelling `std.math.sqrt` finds the same function.
    package static func scalar(named name: String) -> ScalarFunction? {
        if let function = table[name] { return function }
        if name.hasPrefix("std.") { return table[String(name.dropFirst(4))] }
        return nil
    }

    /// Every scalar function name, sorted (completion, "did you mean").
    package static let scalarNames: [String] = table.keys.sorted()

    /// Same as `scalarNames` (the name the binder uses).
    package static var names: [String] { scalarNames }

    /// Whether `name` is an aggregate (`sum`, `count`, …, `spark`).
    package static func isAggregate(_ name: String) -> Bool { AggregateKernel.isAggregate(name) }

    /// Every aggregate name, sorted.
    package static var aggregateNames: [String] { AggregateKernel.names }

    private static let table: [String: ScalarFunction] = {
        var all: [ScalarFunction] = []
        all += MathFunctions.all
        all += TextFunctions.all
        all += DateFunctions.all
        var byName: [String: ScalarFunction] = [:]
        for function in all { byName[function.name] = function }
        return byName
    }()
}

// MARK: - Signature helpers shared by the function files.

enum Signatures {
    static func mismatch(_ name: String, expected: String, got args: [DataType]) -> TallyError {
        let got = args.map(\.rawValue).joined(separator: ", ")
        return TallyError(.type, "`\(name)` expects \(expected), got (\(got))")
    }

    static func isNumber(_ t: DataType) -> Bool { t == .int || t == .float }
}
