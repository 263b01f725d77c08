/// The entry points the binder and evaluator in /work/main already call, kept so this library drops
/// in: they forward to `AggregateKernel`.
package enum AggregateFunctions {
    /// The type `name` gives for an input of type `input` (nil for `count this`).
    package static func resultType(_ name: String, _ input: DataType?) throws -> DataType {
        try AggregateKernel.resultType(name, input)
    }

    /// One value per group. `groups == nil` means every row is in one group (`groupCount` 1).
    /// `parameter` is quantile's probability.
    package static func compute(_ name: String, input: Column?, rowCount: Int, groups: [Int32]?, groupCount: Int,
                               parameter: Double?) throws -> Column {
        let parameters: [Scalar] = parameter.map { [.float($0)] } ?? []
        guard let groups else {
            return try AggregateKernel.evaluate(name, input: input, rowCount: rowCount, groupIDs: nil, groupCount: 1,
                                                parameters: parameters)
        }
        return try AggregateKernel.evaluate(name, input: input, rowCount: rowCount,
                                            groups: .ids(groups, count: groupCount), parameters: parameters)
    }
}
