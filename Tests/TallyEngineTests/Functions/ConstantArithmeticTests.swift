import Testing
@testable import TallyEngine

/// `ints op constant` runs without a column of copies of the constant; it must give what the
/// general path gives, nulls, division by zero and overflow included.
@Suite("Arithmetic with a constant")
struct ConstantArithmeticTests {
    static let values: [Int64?] = [0, 1, -1, 7, -7, 10, -10, 4_510_261_007_405, -4_510_261_007_405, nil, 3, Int64.max / 4, nil, -5]

    func general(_ op: BinaryOp, _ column: Column, _ k: Int64) throws -> Column {
        try Kernels.arithmetic(op, column, Column(ints: [Int64?](repeating: k, count: column.count)), resultType: .int)
    }

    func cells(_ column: Column) -> [Scalar] { (0..<column.count).map { column.scalar(at: $0) } }

    @Test(arguments: [BinaryOp.add, .sub, .mul, .intDiv, .mod])
    func matchesTheGeneralPath(op: BinaryOp) throws {
        let column = Column(ints: Self.values)
        for k: Int64 in [3, -3, 1, 2, 26, -7, 0, -1] {
            // Multiplying the largest values overflows: both paths must say so.
            if op == .mul, k == 26 || k == -7 {
                #expect(throws: TallyError.self) { try Kernels.binary(op, .column(column), .constant(.int(k), .int), resultType: .int, rowCount: column.count) }
                #expect(throws: TallyError.self) { try general(op, column, k) }
                continue
            }
            let fast = try Kernels.binary(op, .column(column), .constant(.int(k), .int), resultType: .int, rowCount: column.count)
                .materialize(count: column.count)
            #expect(cells(fast) == cells(try general(op, column, k)), "\(op) \(k)")
        }
    }

    @Test func divisionByZeroIsNullAndOverflowIsAnError() throws {
        let column = Column(ints: [6, nil, -6])
        let byZero = try Kernels.binary(.mod, .column(column), .constant(.int(0), .int), resultType: .int, rowCount: 3)
            .materialize(count: 3)
        #expect(cells(byZero) == [.null, .null, .null])
        #expect(cells(try Kernels.binary(.intDiv, .column(column), .constant(.int(4), .int), resultType: .int, rowCount: 3)
            .materialize(count: 3)) == [.int(1), .null, .int(-1)])
        #expect(throws: TallyError.self) {
            try Kernels.binary(.add, .column(Column(ints: [Int64.max])), .constant(.int(1), .int), resultType: .int, rowCount: 1)
        }
        #expect(throws: TallyError.self) {
            try Kernels.binary(.intDiv, .column(Column(ints: [Int64.min])), .constant(.int(-1), .int), resultType: .int, rowCount: 1)
        }
    }
}
