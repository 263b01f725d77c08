import Testing
@testable import TallyEngine

/// Small helpers for calling library functions from tests.
enum F {
    static func ints(_ v: [Int64?]) -> Vector { .column(Column(ints: v)) }
    static func floats(_ v: [Double?]) -> Vector { .column(Column(floats: v)) }
    static func texts(_ v: [String?]) -> Vector { .column(Column(texts: v)) }
    static func bools(_ v: [Bool?]) -> Vector { .column(Column(bools: v)) }
    static func dates(_ v: [String?]) -> Vector { .column(Column(dates: v.map { $0.map(day) })) }
    static func int(_ v: Int64) -> Vector { .constant(.int(v), .int) }
    static func float(_ v: Double) -> Vector { .constant(.float(v), .float) }
    static func text(_ v: String) -> Vector { .constant(.text(v), .text) }

    /// Day number of `YYYY-MM-DD`.
    static func day(_ s: String) -> Int32 {
        let p = s.split(separator: "-").map { Int($0)! }
        return CivilDate.days(year: p[0], month: p[1], day: p[2])!
    }

    static func micros(_ date: String, _ h: Int64 = 0, _ m: Int64 = 0, _ s: Int64 = 0, _ us: Int64 = 0) -> Int64 {
        Int64(day(date)) * 86_400_000_000 + ((h * 60 + m) * 60 + s) * 1_000_000 + us
    }

    /// Calls the registered scalar function `name`.
    static func call(_ name: String, _ args: Vector..., rows: Int? = nil) throws -> Vector {
        guard let function = FunctionRegistry.scalar(named: name) else {
            throw TallyError(.name, "no function \(name)")
        }
        let count = rows ?? args.compactMap { if case .column(let c) = $0 { return c.count } else { return nil } }.first ?? 1
        return try function.evaluate(args, rowCount: count)
    }

    /// Row values of a vector as scalars.
    static func values(_ v: Vector, rows: Int? = nil) -> [Scalar] {
        switch v {
        case .constant(let s, _): return Array(repeating: s, count: rows ?? 1)
        case .column(let c): return (0..<c.count).map { c.scalar(at: $0) }
        }
    }

    static func values(_ c: Column) -> [Scalar] { (0..<c.count).map { c.scalar(at: $0) } }

    static func texts(of v: Vector) -> [String?] {
        values(v).map { if case .text(let s) = $0 { return s } else { return nil } }
    }

    static func doubles(of v: Vector) -> [Double?] {
        values(v).map { if case .float(let d) = $0 { return d } else { return nil } }
    }

    static func isConstant(_ v: Vector) -> Bool {
        if case .constant = v { return true }
        return false
    }

    // MARK: aggregates

    static func aggregate(_ name: String, _ input: Column?, groups ids: [Int32]? = nil, groupCount: Int = 1,
                          rows: Int? = nil, _ parameters: [Scalar] = []) throws -> [Scalar] {
        let rowCount = rows ?? input?.count ?? ids?.count ?? 0
        let grouping: AggregateKernel.Grouping = ids.map { .ids($0, count: groupCount) } ?? .single
        return values(try AggregateKernel.evaluate(name, input: input, rowCount: rowCount, groups: grouping,
                                                   parameters: parameters))
    }
}

func approximately(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
}
