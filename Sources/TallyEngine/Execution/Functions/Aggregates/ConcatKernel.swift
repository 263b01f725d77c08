/// `concat_array x`: the group's values joined into one text, in row order, nulls skipped.
///
/// PRQL compiles it to COALESCE(STRING_AGG(x, ''), ''): no separator, and "" for a group without
/// values. Values that are not text are first converted as `as text` converts them.
/// Oracle: `from t | group g (aggregate {ca = concat_array s})` → "南宁市Hello" for ("南宁市", "Hello");
/// `from t | aggregate {ci = concat_array i}` → "1245" for (1, 2, null, 4, 5).
enum ConcatKernel {
    static func evaluate(_ context: AggregateContext, _ input: Column) throws -> Column {
        let text = input.type == .text ? input : try Casts.cast(input, to: .text)
        guard case .text(let codes, let dictionary) = text.values else {
            return Scalar.text("").column(count: context.groupCount, type: .text)
        }
        // The UTF-8 of each used dictionary entry, flat.
        let used = DictionaryKernels.usedEntries(codes, text.validity, entryCount: dictionary.count)
        var entryBytes: [UInt8] = []
        var entryStart = [Int](repeating: 0, count: dictionary.count + 1)
        for e in 0..<dictionary.count {
            if used[e] { entryBytes.append(contentsOf: dictionary.strings[e].utf8) }
            entryStart[e + 1] = entryBytes.count
        }
        // Bytes per group, then each group's run of the flat output.
        let groups = context.groupCount
        var offsets = [Int](repeating: 0, count: groups + 1)
        let entries = dictionary.count
        codes.withUnsafeBufferPointer { codes in
            withValidBits(text.validity) { bits in
                offsets.withUnsafeMutableBufferPointer { offsets in
                    entryStart.withUnsafeBufferPointer { start in
                        context.forEachRow(0..<context.rows, bits) { row, g in
                            let c = Int(codes[row])
                            if c < entries { offsets[g + 1] += start[c + 1] - start[c] }
                        }
                    }
                }
            }
        }
        for g in 0..<groups { offsets[g + 1] += offsets[g] }
        var cursor = Array(offsets.dropLast())
        let total = offsets[groups]
        let bytes: [UInt8] = codes.withUnsafeBufferPointer { codes in
            withValidBits(text.validity) { bits in
                entryStart.withUnsafeBufferPointer { start in
                    entryBytes.withUnsafeBufferPointer { source in
                        [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                            cursor.withUnsafeMutableBufferPointer { cursor in
                                context.forEachRow(0..<context.rows, bits) { row, g in
                                    let c = Int(codes[row])
                                    guard c < entries else { return }
                                    let from = start[c], length = start[c + 1] - from
                                    if length > 0 {
                                        (out.baseAddress! + cursor[g]).initialize(from: source.baseAddress! + from, count: length)
                                        cursor[g] += length
                                    }
                                }
                            }
                            initialized = total
                        }
                    }
                }
            }
        }
        let (groupCodes, groupDictionary) = ByteInterner.intern(bytes, offsets: offsets)
        return Column(.text(codes: groupCodes, dictionary: groupDictionary))
    }
}
