/// Evaluates bound expressions over a table, a column at a time.
///
/// Aggregates are computed according to `grouping`: in `derive`/`select`/`filter` an aggregate spans
/// the table (or each group) and its value is spread back over the rows; in `aggregate` the result
/// has one row per group.
struct Evaluator {
    let table: Table
    let grouping: Grouping
    let source: String
    /// The current sort keys, for window functions (`rank` peers, `range` frames).
    var order: [SortPermutation.Key] = []
    /// Inside `window rows:…`/`range:…`: aggregates are computed over each row's frame.
    var frame: WindowFrame? = nil
    /// Inside `group`, run over all groups at once: where each group's rows begin (they lie next
    /// to each other), so window functions and frames stay within a group. Nil outside `group`.
    var partitions: [Int]? = nil

    /// The window partitions: the groups', or the whole table.
    var windowPartitions: [Int] { partitions ?? Window.whole(table.rowCount) }

    enum Grouping {
        /// One group: the whole table.
        case whole
        /// Rows belong to `ids` (dense, 0..<count); aggregates are spread back over the rows.
        case rows(ids: [Int32], count: Int)
        /// The output has one row per group: aggregates give a column of `count` rows. No ids with
        /// a count of 1 means every row is in the one group (a plain `aggregate`).
        case groups(ids: [Int32], count: Int)

        var isWhole: Bool {
            if case .whole = self { return true }
            return false
        }
    }

    var rowCount: Int {
        if case .groups(_, let count) = grouping { return count }
        return table.rowCount
    }

    func evaluate(_ expr: BoundExpr) throws -> Vector {
        switch expr {
        case .column(let index, _):
            if case .groups = grouping {
                throw TallyError(.type, "column `\(table.names[index])` is neither a group key nor inside an aggregate",
                                 hint: "wrap it in an aggregate such as `sum`, or add it to the group keys")
            }
            return .column(table.columns[index])
        case .constant(let value, let type):
            return .constant(value, type)
        case .unary(let op, let operand, _):
            return try Kernels.unary(op, try evaluate(operand), rowCount: rowCount)
        case .binary(let op, let a, let b, let type):
            return try Kernels.binary(op, try evaluate(a), try evaluate(b), resultType: type, rowCount: rowCount)
        case .function(let function, let args, _):
            return try function.evaluate(try args.map { try evaluate($0) }, rowCount: rowCount)
        case .cast(let operand, let type):
            return try Casts.cast(try evaluate(operand), to: type, rowCount: rowCount)
        case .caseWhen(let arms, let type):
            return try Kernels.caseWhen(try arms.map { (try evaluate($0.0), try evaluate($0.1)) }, type: type, rowCount: rowCount)
        case .inRange(let value, let low, let high):
            let v = try evaluate(value)
            var result: Vector = .constant(.bool(true), .bool)
            if let low {
                result = try Kernels.binary(.ge, v, try evaluate(low), resultType: .bool, rowCount: rowCount)
            }
            if let high {
                let upper = try Kernels.binary(.le, v, try evaluate(high), resultType: .bool, rowCount: rowCount)
                result = try Kernels.binary(.and, result, upper, resultType: .bool, rowCount: rowCount)
            }
            return result
        case .inList(let value, let items):
            let v = try evaluate(value)
            var result: Vector = .constant(.bool(false), .bool)
            for item in items {
                let eq = try Kernels.binary(.eq, v, try evaluate(item), resultType: .bool, rowCount: rowCount)
                result = try Kernels.binary(.or, result, eq, resultType: .bool, rowCount: rowCount)
            }
            return result
        case .isNull(let operand, let negated):
            switch try evaluate(operand) {
            case .constant(let value, _):
                if case .null = value { return .constant(.bool(!negated), .bool) }
                return .constant(.bool(negated), .bool)
            case .column(let column):
                var out = [Bool](repeating: negated, count: column.count)
                if let validity = column.validity {
                    for i in 0..<column.count where !validity.isValid(i) { out[i] = !negated }
                }
                return .column(Column(.bool(out)))
            }
        case .aggregate(let call, _):
            if let frame, !frame.isWhole, partitions != nil || grouping.isWhole {
                let input = try call.argument.map { try evaluate($0).materialize(count: table.rowCount) }
                return .column(try Window.aggregate(call.name, input: input, partitions: windowPartitions, frame: frame,
                                                    order: order, parameter: call.parameter))
            }
            return try aggregate(call)
        case .window(let call, _):
            if case .groups = grouping {
                throw TallyError(.type, "`\(call.kind.rawValue)` gives one value per row, so it cannot be used in `aggregate`",
                                 hint: "use it in `derive`, after `sort`")
            }
            let input = try call.argument.map { try evaluate($0).materialize(count: table.rowCount) }
            return .column(try Window.function(call, input: input, partitions: windowPartitions, order: order))
        case .format(let parts):
            return try Kernels.format(try parts.map { try evaluate($0) }, rowCount: rowCount)
        case .sql:
            // The binder lets an s-string through only over a database's rows; this step runs in
            // memory because something else in it has no SQL form.
            throw TallyError(.type, "an s-string (SQL) cannot run in memory, and this step has a part that runs only in memory",
                             hint: "put the s-string in a step of its own, before the rest")
        }
    }

    private func aggregate(_ call: AggregateCall) throws -> Vector {
        // The argument is evaluated per row of the input, whatever the output grain.
        let rowLevel = Evaluator(table: table, grouping: .whole, source: source, order: order, partitions: partitions)
        let input = try call.argument.map { try rowLevel.evaluate($0).materialize(count: table.rowCount) }
        switch grouping {
        case .whole:
            let column = try AggregateFunctions.compute(call.name, input: input, rowCount: table.rowCount,
                                                        groups: nil, groupCount: 1, parameter: call.parameter)
            return .constant(column.scalar(at: 0), column.type)
        case .groups(let ids, let count):
            let single = count == 1 && ids.isEmpty
            return .column(try AggregateFunctions.compute(call.name, input: input, rowCount: table.rowCount,
                                                          groups: single ? nil : ids, groupCount: count,
                                                          parameter: call.parameter))
        case .rows(let ids, let count):
            let perGroup = try AggregateFunctions.compute(call.name, input: input, rowCount: table.rowCount,
                                                          groups: ids, groupCount: count, parameter: call.parameter)
            return .column(perGroup.gather(ids.map { Int($0) }))
        }
    }
}
