/// Canonical text of a cell, as the CSV / JSON writers and plain renderers print it.
extension Column {
    /// The cell's text, or nil when it is null. Floats print in the shortest form that reads back
    /// to the same value (`0.1`, `2.5`, `3.0`, `1e+20`), dates as `YYYY-MM-DD`, booleans `true`/`false`.
    public func text(at row: Int) -> String? {
        if isNull(row) { return nil }
        switch values {
        case .int(let v): return String(v[row])
        case .float(let v): return Column.formatFloat(v[row])
        case .bool(let v): return v[row] ? "true" : "false"
        case .date(let v): return CivilDate.format(days: v[row])
        case .timestamp(let v): return CivilDate.format(micros: v[row])
        case .text(let codes, let dictionary): return dictionary[codes[row]]
        }
    }

    public static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }
}
