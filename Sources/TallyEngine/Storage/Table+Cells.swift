/// Reading one value of a table, for programs that embed the engine.
extension Table {
    /// The value in `row` (from 0) of the column named `column`: `.null` for a missing value, nil
    /// when there is no such row or column.
    public subscript(row: Int, column: String) -> Scalar? {
        guard row >= 0, row < rowCount, let index = index(of: column) else { return nil }
        return columns[index].scalar(at: row)
    }

    /// The value in `row` of the column at position `column` (both from 0), nil out of range.
    public subscript(row: Int, column: Int) -> Scalar? {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else { return nil }
        return columns[column].scalar(at: row)
    }
}
