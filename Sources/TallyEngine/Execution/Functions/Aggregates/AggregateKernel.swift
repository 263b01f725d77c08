/// Aggregates over groups of rows: `sum`, `count`, `average`, … and Tally's `spark`.
///
/// The caller gives the input column (nil for `count this`), a dense group id per row
/// (`0..<groupCount`, or no ids at all for the one group of a plain `aggregate`), and gets back a
/// column with one row per group. Kernels loop over the typed buffers with one accumulator array
/// per group, never a per-row enum. Inputs over `parallelThreshold` rows are cut into a fixed number
/// of row ranges that accumulate in parallel and merge in range order, so the result does not
/// depend on the machine's core count.
///
/// Rules (LANGUAGE.md, then prqlc + DuckDB):
/// - nulls are skipped; `count x` counts non-null values, `count this` counts rows;
/// - a group without values gives: `sum` 0, `count`/`count_distinct` 0, `any` false, `all` true,
///   `concat_array` "" (PRQL wraps these in COALESCE), every other aggregate null;
/// - `sum` of ints is an int and overflow is an error; `average`, `stddev` (sample), `median`,
///   `quantile` are floats (dates and timestamps: a timestamp); `min`/`max`/`first`/`last` keep the type.
package enum AggregateKernel {
    /// Every aggregate name.
    package static let names: [String] = [
        "all", "any", "average", "avg", "concat_array", "count", "count_distinct", "first", "last", "max",
        "median", "min", "quantile", "spark", "stddev", "sum",
    ]

    /// Rows from which an aggregate splits its input across cores.
    package static let parallelThreshold = 1 << 20

    package static func isAggregate(_ name: String) -> Bool { names.contains(name) }

    /// Parameters written before the column: `quantile 0.9 x` has one; the others none.
    package static func parameterCount(_ name: String) -> Int { name == "quantile" ? 1 : 0 }

    /// Which rows form which groups.
    package enum Grouping: Sendable {
        /// All rows are one group (a plain `aggregate`); the result has one row, even for no input.
        case single
        /// Row `i` is in group `ids[i]`, each in `0..<count`.
        case ids([Int32], count: Int)
    }

    /// The type `name` gives for an input of type `input` (nil for `count this`).
    package static func resultType(_ name: String, _ input: DataType?) throws -> DataType {
        guard isAggregate(name) else {
            throw TallyError(.name, "unknown aggregate `\(name)`",
                             hint: Suggest.nearest(name, in: names).map { "did you mean `\($0)`?" })
        }
        guard let input else {
            if name == "count" { return .int }
            throw TallyError(.type, "`\(name)` needs a column, as in `\(name) amount`",
                             hint: name == "count" ? nil : "`count this` counts rows")
        }
        func reject(_ expected: String) -> TallyError {
            TallyError(.type, "`\(name)` expects \(expected), got \(input)")
        }
        switch name {
        case "count", "count_distinct":
            return .int
        case "sum":
            switch input {
            case .int, .bool: return .int
            case .float: return .float
            default: throw reject("int or float values")
            }
        case "average", "avg":
            switch input {
            case .int, .float: return .float
            case .date, .timestamp: return .timestamp
            default: throw reject("int, float, date or timestamp values")
            }
        case "stddev":
            guard input.isNumeric else { throw reject("int or float values") }
            return .float
        case "median", "quantile":
            switch input {
            case .int, .float: return .float
            case .date, .timestamp: return .timestamp
            case .text: return .text
            case .bool: throw reject("int, float, date, timestamp or text values")
            }
        case "any", "all":
            guard input == .bool else { throw reject("bool values (e.g. `\(name) (amount > 0)`)") }
            return .bool
        case "concat_array":
            return .text
        case "spark":
            guard input.isNumeric else { throw reject("int or float values") }
            return .text
        default: // min, max, first, last
            return input
        }
    }

    /// One row per group of `name` over `input`.
    package static func evaluate(_ name: String, input: Column?, rowCount: Int, groups: Grouping,
                                parameters: [Scalar] = []) throws -> Column {
        switch groups {
        case .single:
            return try evaluate(name, input: input, rowCount: rowCount, groupIDs: nil, groupCount: 1,
                                parameters: parameters)
        case .ids(let ids, let count):
            return try ids.withUnsafeBufferPointer { ids in
                try evaluate(name, input: input, rowCount: rowCount, groupIDs: ids, groupCount: count,
                             parameters: parameters)
            }
        }
    }

    /// One row per group of `name` over `input`. `groupIDs` nil means one group of all rows (then
    /// `groupCount` must be 1).
    package static func evaluate(_ name: String, input: Column?, rowCount: Int,
                                groupIDs: UnsafeBufferPointer<Int32>?, groupCount: Int,
                                parameters: [Scalar] = []) throws -> Column {
        try evaluate(name, input: input, rowCount: rowCount, groupIDs: groupIDs, groupCount: groupCount,
                     parameters: parameters, parallelThreshold: parallelThreshold)
    }

    /// As above, with the parallel threshold open to tests.
    static func evaluate(_ name: String, input: Column?, rowCount: Int,
                         groupIDs: UnsafeBufferPointer<Int32>?, groupCount: Int,
                         parameters: [Scalar], parallelThreshold: Int) throws -> Column {
        let type = try resultType(name, input?.type)
        if let input, input.count != rowCount {
            throw TallyError(.runtime, "`\(name)`: input has \(input.count) rows, expected \(rowCount)")
        }
        if let groupIDs {
            guard groupIDs.count == rowCount else {
                throw TallyError(.runtime, "`\(name)`: \(groupIDs.count) group ids for \(rowCount) rows")
            }
            // A min/max reduction (it vectorizes) rather than a test per id.
            var lo = Int32.max, hi = Int32.min
            for id in groupIDs {
                lo = min(lo, id)
                hi = max(hi, id)
            }
            if !groupIDs.isEmpty, lo < 0 || Int(hi) >= groupCount { throw TallyError(.runtime, "`\(name)`: a group id is outside 0..<\(groupCount)") }
        } else if groupCount != 1 {
            throw TallyError(.runtime, "`\(name)`: without group ids there is exactly one group")
        }
        let context = AggregateContext(rows: rowCount, ids: groupIDs, groupCount: groupCount,
                                       threshold: parallelThreshold)
        guard let input else { return CountKernel.countRows(context) }
        switch name {
        case "count": return CountKernel.countValues(context, input)
        case "count_distinct": return CountDistinctKernel.evaluate(context, input)
        case "sum": return try SumKernel.sum(context, input)
        case "average", "avg": return SumKernel.average(context, input)
        case "min": return MinMaxKernel.evaluate(context, input, max: false)
        case "max": return MinMaxKernel.evaluate(context, input, max: true)
        case "stddev": return StddevKernel.evaluate(context, input)
        case "median": return QuantileKernel.evaluate(context, input, probability: 0.5, type: type)
        case "quantile":
            return QuantileKernel.evaluate(context, input, probability: try QuantileKernel.probability(parameters),
                                           type: type)
        case "any": return BoolKernel.evaluate(context, input, all: false)
        case "all": return BoolKernel.evaluate(context, input, all: true)
        case "concat_array": return try ConcatKernel.evaluate(context, input)
        case "first": return FirstLastKernel.evaluate(context, input, last: false)
        case "last": return FirstLastKernel.evaluate(context, input, last: true)
        case "spark": return SparkKernel.evaluate(context, input)
        default: throw TallyError(.name, "unknown aggregate `\(name)`")
        }
    }
}

/// What every kernel needs: rows, the group of each row, and the row ranges to accumulate apart.
struct AggregateContext {
    let rows: Int
    let ids: UnsafeBufferPointer<Int32>?
    let groupCount: Int
    /// Row ranges accumulated separately (in parallel when more than one), merged in order.
    let chunks: [Range<Int>]

    /// Fixed number of ranges for large inputs: results depend on the row count, not on the machine.
    static let pieces = 8

    init(rows: Int, ids: UnsafeBufferPointer<Int32>?, groupCount: Int, threshold: Int) {
        self.rows = rows
        self.ids = ids
        self.groupCount = groupCount
        // Per-range partials cost groupCount slots each: only worth it when groups are few.
        if rows >= threshold && rows >= Self.pieces && groupCount * Self.pieces * 4 <= rows {
            let size = (rows + Self.pieces - 1) / Self.pieces
            chunks = stride(from: 0, to: rows, by: size).map { $0..<Swift.min($0 + size, rows) }
        } else {
            chunks = [0..<rows]
        }
    }

    /// `body` per row range and the partial results merged in range order.
    func reduce<State>(_ body: (Range<Int>) -> State, merge: (inout State, State) -> Void) -> State {
        if chunks.count == 1 { return body(chunks[0]) }
        let partials = Parallel.map(chunks.count) { body(chunks[$0]) }
        var state = partials[0]
        for partial in partials.dropFirst() { merge(&state, partial) }
        return state
    }

    /// `body(row, group)` for each row of `range` that `validity` marks valid.
    @inline(__always)
    func forEachRow(_ range: Range<Int>, _ validity: ValidBits?, _ body: (_ row: Int, _ group: Int) -> Void) {
        if let ids {
            if let validity {
                for r in range where validity.isValid(r) { body(r, Int(ids[r])) }
            } else {
                for r in range { body(r, Int(ids[r])) }
            }
        } else {
            if let validity {
                for r in range where validity.isValid(r) { body(r, 0) }
            } else {
                for r in range { body(r, 0) }
            }
        }
    }

    /// A per-group array of `initial`, filled by `body` over its buffer.
    @inline(__always)
    func perGroup<T>(_ initial: T, _ body: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        var out = [T](repeating: initial, count: groupCount)
        out.withUnsafeMutableBufferPointer { body($0) }
        return out
    }

    /// Validity for per-group results where `present[g]` says group `g` has a value.
    func validity(_ present: [Bool]) -> Validity? {
        var v = Validity(count: groupCount, allValid: true)
        for g in 0..<groupCount where !present[g] { v.clear(g) }
        return v
    }
}
