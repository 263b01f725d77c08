/// One test of a row that a filter's selection vector is built from (`RowSelection`): it reads
/// one value of one column and cannot fail, so it can run on any subset of the rows, in any order
/// with the others, and give the rows the flags of the full evaluation would keep.
///
/// The comparisons follow `Comparison.compare(_:_:constant:)` exactly: the same Swift operators
/// on the same types (an int column against a float constant compares as Double, text decides
/// once per dictionary entry), and a null row is never kept.
enum RowTest {
    /// Ints, timestamps (microseconds) compared with a constant of the same type.
    case int([Int64], BinaryOp, Int64)
    /// An int column compared with a float constant, as Doubles.
    case intAsFloat([Int64], BinaryOp, Double)
    case float([Double], BinaryOp, Double)
    case date([Int32], BinaryOp, Int32)
    /// Text codes, with the verdict for each dictionary entry.
    case codes([UInt32], verdict: [Bool])
    /// A bool column, or the flags of conjuncts evaluated the ordinary way.
    case flags([Bool])
    /// Rows whose validity bit is `keep` (true: not null).
    case validity(Validity, keep: Bool)
    /// No row passes (a comparison with an empty dictionary's column).
    case none

    /// The tests a conjunct is made of, or nil when it is not a shape tested row by row.
    static func make(_ expr: BoundExpr, _ table: Table) -> [RowTest]? {
        switch expr {
        case .binary(let op, .column(let i, _), .constant(let k, _), _):
            return comparison(op, table.columns[i], k)
        case .binary(let op, .constant(let k, _), .column(let i, _), _):
            return comparison(Comparison.flipped(op), table.columns[i], k)
        case .column(let i, _):
            let column = table.columns[i]
            guard case .bool(let flags) = column.values else { return nil }
            return [.flags(flags)] + nullTest(column)
        case .inRange(.column(let i, _), let low, let high):
            var tests: [RowTest] = []
            for (op, bound) in [(BinaryOp.ge, low), (.le, high)] {
                guard let bound else { continue }
                guard case .constant(let k, _) = bound, let made = comparison(op, table.columns[i], k) else { return nil }
                tests += made
            }
            // `in ..` with neither bound is true for every row, null or not, as evaluated.
            return tests.isEmpty ? nil : tests
        case .isNull(.column(let i, _), let negated):
            let column = table.columns[i]
            guard let validity = column.validity else { return negated ? nil : [.none] }
            return [.validity(validity, keep: negated)]
        default:
            return nil
        }
    }

    private static func nullTest(_ column: Column) -> [RowTest] {
        column.validity.map { [.validity($0, keep: true)] } ?? []
    }

    private static func comparison(_ op: BinaryOp, _ column: Column, _ constant: Scalar) -> [RowTest]? {
        switch op {
        case .eq, .ne, .lt, .le, .gt, .ge: break
        default: return nil
        }
        let test: RowTest
        switch (column.values, constant) {
        case (.int(let v), .int(let c)), (.timestamp(let v), .timestamp(let c)): test = .int(v, op, c)
        case (.int(let v), .float(let c)): test = .intAsFloat(v, op, c)
        case (.float(let v), .float(let c)): test = .float(v, op, c)
        case (.float(let v), .int(let c)): test = .float(v, op, Double(c))
        case (.date(let v), .date(let c)): test = .date(v, op, c)
        case (.text(let codes, let dictionary), .text(let c)):
            let verdict = Comparison.verdicts(op, dictionary, c)
            test = verdict.isEmpty ? .none : .codes(codes, verdict: verdict)
        default:
            return nil
        }
        return [test] + nullTest(column)
    }

    // MARK: - Running

    /// Writes the rows of `range` that pass to `out` (room for `range.count`); returns how many.
    func select(_ range: Range<Int>, into out: UnsafeMutablePointer<Int>) -> Int {
        run(.range(range, out))
    }

    /// Keeps, in order and in place, the rows of `rows[0..<count]` that pass; returns how many.
    func refine(_ rows: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        run(.rows(rows, count))
    }

    /// The rows a run reads, and where the kept ones go.
    enum Target {
        /// Every row of the range, kept rows written to the pointer.
        case range(Range<Int>, UnsafeMutablePointer<Int>)
        /// The rows listed, compacted in place.
        case rows(UnsafeMutablePointer<Int>, Int)
    }

    private func run(_ target: Target) -> Int {
        switch self {
        case .int(let values, let op, let c):
            return values.withUnsafeBufferPointer { v in
                RowTest.ordered(op, c) { keep in RowTest.scan(target) { keep(v[$0]) } }
            }
        case .intAsFloat(let values, let op, let c):
            return values.withUnsafeBufferPointer { v in
                RowTest.ordered(op, c) { keep in RowTest.scan(target) { keep(Double(v[$0])) } }
            }
        case .float(let values, let op, let c):
            return values.withUnsafeBufferPointer { v in
                RowTest.ordered(op, c) { keep in RowTest.scan(target) { keep(v[$0]) } }
            }
        case .date(let values, let op, let c):
            return values.withUnsafeBufferPointer { v in
                RowTest.ordered(op, c) { keep in RowTest.scan(target) { keep(v[$0]) } }
            }
        case .codes(let codes, let verdict):
            return codes.withUnsafeBufferPointer { codes in
                verdict.withUnsafeBufferPointer { verdict in RowTest.scan(target) { verdict[Int(codes[$0])] } }
            }
        case .flags(let flags):
            return flags.withUnsafeBufferPointer { flags in RowTest.scan(target) { flags[$0] } }
        case .validity(let validity, let keep):
            let wanted: UInt64 = keep ? 1 : 0
            return validity.words.withUnsafeBufferPointer { words in
                RowTest.scan(target) { (words[$0 >> 6] >> UInt64($0 & 63)) & 1 == wanted }
            }
        case .none:
            return 0
        }
    }

    /// `body` given the comparison of a value with `c`, the operator chosen once, not per row.
    @inline(__always)
    private static func ordered<T: Comparable>(_ op: BinaryOp, _ c: T, _ body: ((T) -> Bool) -> Int) -> Int {
        switch op {
        case .eq: return body { $0 == c }
        case .ne: return body { $0 != c }
        case .lt: return body { $0 < c }
        case .le: return body { $0 <= c }
        case .gt: return body { $0 > c }
        default: return body { $0 >= c }
        }
    }

    /// The kept rows of `target`. Every row is written and the count moves only for the kept ones:
    /// no branch per row to mispredict, whatever the selectivity. The Bool is added as its byte
    /// (0 or 1), since `keep ? 1 : 0` may compile to a branch.
    @inline(__always)
    private static func scan(_ target: Target, _ keep: (Int) -> Bool) -> Int {
        var n = 0
        switch target {
        case .range(let range, let out):
            var row = range.lowerBound
            let end = range.upperBound
            while row < end {
                out[n] = row
                n &+= Int(unsafeBitCast(keep(row), to: UInt8.self))
                row &+= 1
            }
        case .rows(let rows, let count):
            var k = 0
            while k < count {
                let row = rows[k]
                rows[n] = row
                n &+= Int(unsafeBitCast(keep(row), to: UInt8.self))
                k &+= 1
            }
        }
        return n
    }
}
