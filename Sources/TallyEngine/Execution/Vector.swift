/// An expression's value over the rows of a relation: a full column, or one constant for every row.
///
/// Keeping constants unexpanded lets `amount * 1.5` or `level == "小学"` run as a loop over one
/// column against a register value, with no column of copies.
package enum Vector: Sendable {
    case column(Column)
    /// The same value in each of the relation's rows; `type` says what type a null constant has.
    case constant(Scalar, DataType)

    package var type: DataType {
        switch self {
        case .column(let c): return c.type
        case .constant(_, let t): return t
        }
    }

    /// The vector as a column of `count` rows.
    package func materialize(count: Int) -> Column {
        switch self {
        case .column(let c): return c
        case .constant(let s, let t): return s.column(count: count, type: t)
        }
    }
}
