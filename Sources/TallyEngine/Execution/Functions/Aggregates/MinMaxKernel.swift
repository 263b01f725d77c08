/// `min` and `max`: the result keeps the input's type; an empty group gives null.
///
/// Text orders by Unicode code points (UTF-8 bytes), as DuckDB: each used dictionary entry gets a
/// rank once, and the loop compares integer ranks. Floats order NaN above every number (DuckDB);
/// bools order false before true.
enum MinMaxKernel {
    static func evaluate(_ context: AggregateContext, _ input: Column, max: Bool) -> Column {
        let validity = input.validity
        switch input.values {
        case .int(let v):
            let (best, has) = extreme(context, v, validity, max: max, fill: 0) { $0 < $1 }
            return Column(.int(best), validity: context.validity(has))
        case .date(let v):
            let (best, has) = extreme(context, v, validity, max: max, fill: 0) { $0 < $1 }
            return Column(.date(best), validity: context.validity(has))
        case .timestamp(let v):
            let (best, has) = extreme(context, v, validity, max: max, fill: 0) { $0 < $1 }
            return Column(.timestamp(best), validity: context.validity(has))
        case .float(let v):
            let (best, has) = extreme(context, v, validity, max: max, fill: 0) { a, b in a < b || (b.isNaN && !a.isNaN) }
            return Column(.float(best), validity: context.validity(has))
        case .bool(let v):
            let (best, has) = extreme(context, v, validity, max: max, fill: false) { a, b in !a && b }
            return Column(.bool(best), validity: context.validity(has))
        case .text(let codes, let dictionary):
            let ranking = TextRanking(codes, validity, dictionary)
            let ranks = ranking.rankPerRow(codes)
            let (best, has) = extreme(context, ranks, validity, max: max, fill: 0) { $0 < $1 }
            let bestCodes = best.map { ranking.code(ofRank: $0) }
            return Column(.text(codes: bestCodes, dictionary: dictionary), validity: context.validity(has))
        }
    }

    /// Per group, the value no other is `less` than (for min) or less than (for max).
    @inline(__always)
    static func extreme<T>(_ context: AggregateContext, _ values: [T], _ validity: Validity?, max: Bool,
                           fill: T, _ less: (T, T) -> Bool) -> (best: [T], has: [Bool]) {
        return values.withUnsafeBufferPointer { values in
            withValidBits(validity) { bits in
                context.reduce({ range in
                    var best = [T](repeating: fill, count: context.groupCount)
                    var has = [Bool](repeating: false, count: context.groupCount)
                    best.withUnsafeMutableBufferPointer { best in
                        has.withUnsafeMutableBufferPointer { has in
                            if max {
                                context.forEachRow(range, bits) { row, g in
                                    let v = values[row]
                                    if !has[g] || less(best[g], v) { best[g] = v; has[g] = true }
                                }
                            } else {
                                context.forEachRow(range, bits) { row, g in
                                    let v = values[row]
                                    if !has[g] || less(v, best[g]) { best[g] = v; has[g] = true }
                                }
                            }
                        }
                    }
                    return (best, has)
                }, merge: { a, b in
                    for g in 0..<a.best.count where b.has[g] {
                        if !a.has[g] || (max ? less(a.best[g], b.best[g]) : less(b.best[g], a.best[g])) {
                            a.best[g] = b.best[g]
                            a.has[g] = true
                        }
                    }
                })
            }
        }
    }
}

/// Ranks of the dictionary entries a column uses, in code-point order: compare texts as integers.
struct TextRanking {
    /// Rank of each dictionary entry (entries no non-null row uses rank last).
    let rankOfCode: [UInt32]
    /// Code of each rank.
    let codeOfRank: [UInt32]

    init(_ codes: [UInt32], _ validity: Validity?, _ dictionary: TextDictionary) {
        let used = DictionaryKernels.usedEntries(codes, validity, entryCount: dictionary.count)
        var order = (0..<dictionary.count).filter { used[$0] }.map { UInt32($0) }
        let strings = dictionary.strings
        order.sort { strings[Int($0)].utf8.lexicographicallyPrecedes(strings[Int($1)].utf8) }
        var rankOfCode = [UInt32](repeating: UInt32.max, count: Swift.max(dictionary.count, 1))
        for (rank, code) in order.enumerated() { rankOfCode[Int(code)] = UInt32(rank) }
        self.rankOfCode = rankOfCode
        self.codeOfRank = order
    }

    func rankPerRow(_ codes: [UInt32]) -> [UInt32] {
        let table = rankOfCode
        let n = table.count
        return table.withUnsafeBufferPointer { table in
            codes.withUnsafeBufferPointer { codes in
                buildArray(codes.count) { dst in
                    for i in 0..<codes.count {
                        let c = Int(codes[i])
                        dst.initializeElement(at: i, to: c < n ? table[c] : UInt32.max)
                    }
                }
            }
        }
    }

    func code(ofRank rank: UInt32) -> UInt32 {
        Int(rank) < codeOfRank.count ? codeOfRank[Int(rank)] : 0
    }
}
