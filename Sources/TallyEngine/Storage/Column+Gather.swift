/// Building a new column from rows of an existing one, by position.
extension Column {
    /// The rows at `indices`, in that order (a filter's selection, a sort's permutation, a head/tail).
    public func gather(_ indices: [Int]) -> Column {
        func pick<T>(_ source: [T]) -> [T] {
            source.withUnsafeBufferPointer { src in
                [T](unsafeUninitializedCapacity: indices.count) { dst, initialized in
                    for (i, index) in indices.enumerated() { (dst.baseAddress! + i).initialize(to: src[index]) }
                    initialized = indices.count
                }
            }
        }
        let newValues: ColumnValues
        switch values {
        case .int(let v): newValues = .int(pick(v))
        case .float(let v): newValues = .float(pick(v))
        case .bool(let v): newValues = .bool(pick(v))
        case .date(let v): newValues = .date(pick(v))
        case .timestamp(let v): newValues = .timestamp(pick(v))
        case .text(let codes, let dictionary): newValues = .text(codes: pick(codes), dictionary: dictionary)
        }
        guard let validity else { return Column(newValues) }
        var newValidity = Validity(count: indices.count, allValid: false)
        for (i, index) in indices.enumerated() where validity.isValid(index) { newValidity.set(i) }
        return Column(newValues, validity: newValidity)
    }

    /// Rows `range` as a new column.
    public func slice(_ range: Range<Int>) -> Column {
        gather(Array(range))
    }
}
