/// `spark x` (Tally): a sparkline of the group's values in row order, one of `▁▂▃▄▅▆▇█` per row,
/// scaled between the group's least and greatest value. A null (or NaN) row is a space; a group
/// whose values are all equal draws `▄` for each. A group without rows gives null.
enum SparkKernel {
    /// The eight levels; each is three bytes of UTF-8 (U+2581…U+2588: E2 96 81…88).
    static func glyph(_ level: Int) -> UInt8 { UInt8(0x81 + level) }

    static func evaluate(_ context: AggregateContext, _ input: Column) -> Column {
        guard let values = NumericKernels.doubles(input) else {
            return Scalar.null.column(count: context.groupCount, type: .text)
        }
        let groups = context.groupCount
        var low = [Double](repeating: .infinity, count: groups)
        var high = [Double](repeating: -.infinity, count: groups)
        var rows = [Int](repeating: 0, count: groups)
        // Bytes each group's text takes: 3 per drawn value, 1 per space.
        var offsets = [Int](repeating: 0, count: groups + 1)
        values.withUnsafeBufferPointer { values in
            withValidBits(input.validity) { bits in
                low.withUnsafeMutableBufferPointer { low in
                    high.withUnsafeMutableBufferPointer { high in
                        rows.withUnsafeMutableBufferPointer { rows in
                            offsets.withUnsafeMutableBufferPointer { offsets in
                                context.forEachRow(0..<context.rows, nil) { row, g in
                                    rows[g] += 1
                                    let v = values[row]
                                    if let bits, !bits.isValid(row) { offsets[g + 1] += 1; return }
                                    if v.isNaN { offsets[g + 1] += 1; return }
                                    offsets[g + 1] += 3
                                    if v < low[g] { low[g] = v }
                                    if v > high[g] { high[g] = v }
                                }
                            }
                        }
                    }
                }
            }
        }
        for g in 0..<groups { offsets[g + 1] += offsets[g] }
        var cursor = Array(offsets.dropLast())
        let total = offsets[groups]
        let (lowest, highest) = (low, high)
        let bytes: [UInt8] = values.withUnsafeBufferPointer { values in
            withValidBits(input.validity) { bits in
                [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                    cursor.withUnsafeMutableBufferPointer { cursor in
                        context.forEachRow(0..<context.rows, nil) { row, g in
                            let at = cursor[g]
                            let v = values[row]
                            if (bits.map { !$0.isValid(row) } ?? false) || v.isNaN {
                                out[at] = 0x20
                                cursor[g] = at + 1
                                return
                            }
                            let span = highest[g] - lowest[g]
                            let level = span > 0 ? Int(((v - lowest[g]) / span * 7).rounded()) : 3
                            out[at] = 0xE2
                            out[at + 1] = 0x96
                            out[at + 2] = glyph(Swift.min(Swift.max(level, 0), 7))
                            cursor[g] = at + 3
                        }
                    }
                    initialized = total
                }
            }
        }
        let (codes, dictionary) = ByteInterner.intern(bytes, offsets: offsets)
        return Column(.text(codes: codes, dictionary: dictionary),
                      validity: context.validity(rows.map { $0 > 0 }))
    }
}
