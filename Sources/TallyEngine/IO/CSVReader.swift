/// Reads delimited text (CSV, TSV, `;` or `|` separated) into typed columns.
///
/// The file is parsed as raw UTF-8 bytes in four steps:
/// 1. sniff: delimiter, header and each column's likely type from the first records;
/// 2. split: count quotes and line ends per region (on all cores), so the file can be cut at record
///    boundaries even when quoted fields hold line breaks (a line end is a record end exactly when an
///    even number of quotes precede it);
/// 3. parse: each chunk on its own core, writing typed values straight into buffers sized for the
///    whole file, with a per-chunk dictionary for text;
/// 4. finish: columns whose sample type was wrong are parsed again with the type learned from all
///    their values, int columns that met a float become float, dictionaries are merged.
/// A file with an error is parsed again on one core to name the first bad line exactly.
enum CSVReader {
    static func read(_ file: MappedFile, options: LoadOptions, cancel: CancellationCheck) throws -> (Table, LoadReport) {
        var bytes = file.bytes
        var converted: [UInt8]?
        var encoding = options.encoding ?? .utf8
        var offset = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3; encoding = .utf8 }
        if bytes.count - offset == 0 || bytes[offset...].allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw TallyError(.load, "`\(file.path)` is empty: no header and no rows",
                             hint: "a CSV file needs at least a header line")
        }
        if TextEncoding.looksBinary(UnsafeBufferPointer(rebasing: bytes[offset...])) {
            throw TallyError(.load, "`\(file.path)` is a binary file, not delimited text",
                             hint: "tally reads CSV, TSV and JSON; export the data as CSV first")
        }
        if options.encoding == nil, offset == 0 {
            // Guess from a prefix; the distinct text values are checked again after parsing.
            let prefix = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 1 << 16)])
            if !TextEncoding.isValidUTF8(trimmedToCharacter(prefix)) { encoding = .gb18030 }
        }
        if encoding == .gb18030 {
            guard let utf8 = TextEncoding.gb18030ToUTF8(bytes) else {
                throw TallyError(.load, "`\(file.path)` is neither valid UTF-8 nor GB18030 text",
                                 hint: "save the file as UTF-8, or pass `encoding:utf8` / `encoding:gb18030`")
            }
            converted = utf8
        }
        if let converted {
            return try converted.withUnsafeBufferPointer { buffer in
                try CSVParse(path: file.path, bytes: buffer, start: 0, options: options, encoding: .gb18030,
                             cancel: cancel, release: { _ in }).run()
            }
        }
        bytes = file.bytes
        do {
            return try CSVParse(path: file.path, bytes: bytes, start: offset, options: options, encoding: .utf8,
                                cancel: cancel, release: { file.release($0) }).run()
        } catch let error as CSVParse.InvalidUTF8 {
            // The prefix looked like UTF-8 but a later value is not: try GB18030 before giving up.
            if options.encoding == nil, let utf8 = TextEncoding.gb18030ToUTF8(file.bytes) {
                return try utf8.withUnsafeBufferPointer { buffer in
                    try CSVParse(path: file.path, bytes: buffer, start: 0, options: options, encoding: .gb18030,
                                 cancel: cancel, release: { _ in }).run()
                }
            }
            throw TallyError(.load, "`\(file.path)` is not valid UTF-8 (column `\(error.column)`)",
                             hint: "save the file as UTF-8, or pass `encoding:gb18030` if it is GBK / GB18030")
        }
    }

    /// Drops an incomplete multi-byte character at the end of a prefix cut at an arbitrary byte.
    private static func trimmedToCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var end = bytes.count
        var back = 0
        while end > 0, back < 3, bytes[end - 1] & 0xC0 == 0x80 { end -= 1; back += 1 }
        if end > 0, bytes[end - 1] >= 0xC0 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[0..<end])
    }
}

/// One parse of one buffer of UTF-8 delimited text.
struct CSVParse {
    struct InvalidUTF8: Error { var column: String }

    let path: String
    let bytes: UnsafeBufferPointer<UInt8>
    let start: Int
    let options: LoadOptions
    let encoding: LoadOptions.Encoding
    let cancel: CancellationCheck
    let release: (Range<Int>) -> Void

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n")

    /// A cut of the data into a byte range, with what is known of it before parsing.
    struct Chunk {
        var range: Range<Int>
        /// Physical line (0-based, counting from the first data byte) where the chunk starts.
        var firstLine: Int
        /// Upper bound on its records: its line ends, plus one for the last chunk (whose last record
        /// may have no line end).
        var capacity: Int
        /// First row of its slice of the column buffers.
        var rowBase: Int
    }

    func run() throws -> (Table, LoadReport) {
        let delimiter = options.delimiter ?? (options.format == .tsv ? UInt8(ascii: "\t")
            : CSVDialect.sniffDelimiter(bytes, from: start))
        let (firstRecords, afterFirst) = CSVDialect.sampleRecords(bytes, from: start, delimiter: delimiter, limit: 1)
        guard let firstRecord = firstRecords.first else {
            throw TallyError(.load, "`\(path)` has an unterminated quoted field in its first line",
                             hint: "close the quote with `\"`; a quote inside a quoted field is written `\"\"`")
        }
        let columnCount = firstRecord.count
        let (sample, _) = CSVDialect.sampleRecords(bytes, from: afterFirst, delimiter: delimiter, limit: 1000)

        var restKinds = [ValueKinds](repeating: .all, count: columnCount)
        var sawValue = [Bool](repeating: false, count: columnCount)
        for record in sample {
            for (c, field) in record.enumerated() where c < columnCount && field.end > field.start {
                sawValue[c] = true
                restKinds[c].formIntersection(kinds(of: field))
            }
        }
        let firstKinds = firstRecord.map { kinds(of: $0) }
        let header = options.header ?? CSVDialect.sniffHeader(
            first: zip(firstRecord, firstKinds).map { $0.end > $0.start ? $1 : nil },
            rest: zip(restKinds, sawValue).map { $1 ? $0 : [] })

        var names: [String]
        let dataStart: Int
        if header {
            names = try firstRecord.enumerated().map { index, field in
                let text = try String(validatingUTF8Bytes: fieldBytes(field))
                    ?? { throw InvalidUTF8(column: "header \(index + 1)") }()
                return text.trimmingSpaces
            }
            dataStart = afterFirst
        } else {
            names = (0..<columnCount).map { "column\($0)" }
            dataStart = start
            for (c, kinds) in firstKinds.enumerated() where firstRecord[c].end > firstRecord[c].start {
                sawValue[c] = true
                restKinds[c].formIntersection(kinds)
            }
        }
        names = CSVParse.uniqueNames(names)
        let headerLines = header ? countLineEnds(start..<dataStart) : 0
        let givenTypes = try self.givenTypes(names: names)

        // Initial storage per column from the sample (or the given type); a column with no sampled
        // value is classified only.
        let initialModes: [StoreMode] = (0..<columnCount).map { c in
            if let given = givenTypes[c] { return StoreMode(given) }
            return sawValue[c] ? StoreMode(restKinds[c].preferredType) : .classify
        }
        let initialPossible: [ValueKinds] = (0..<columnCount).map { c in
            if let given = givenTypes[c] { return ValueKinds.exactly(given) }
            return sawValue[c] ? restKinds[c] : .all
        }

        var report = LoadReport()
        report.delimiter = delimiter
        report.header = header
        report.encoding = encoding
        // Columns the sample already showed to be text because of how their numbers are written.
        for c in 0..<columnCount where givenTypes[c] == nil && sawValue[c] && restKinds[c].preferredType == .text {
            let records = header ? sample : [firstRecord] + sample
            // The first value that is not a number explains the column, unless plain text comes too.
            var first: (FieldParsing.TextReason, [UInt8])?
            var plain = false
            for record in records where c < record.count && record[c].end > record[c].start {
                guard kinds(of: record[c]).isEmpty else { continue }
                let data = fieldBytes(record[c])
                let reason = data.withUnsafeBufferPointer { b in b.baseAddress.flatMap { FieldParsing.textReason($0, b.count) } }
                guard let reason else { plain = true; break }
                if first == nil { first = (reason, data) }
            }
            if let (reason, data) = first, !plain {
                report.textFallbacks.append(.init(column: names[c],
                                                  reason: CSVParse.describe(reason, example: data, column: names[c])))
            }
        }

        let chunks = split(dataStart..<bytes.count)
        // The first pass writes into the arrays that become the columns (see CSVColumnArray).
        var arrays = CSVColumnArray.forColumns(initialModes, capacity: chunks.reduce(0) { $0 + $1.capacity })
        let finished = try CSVColumnArray.withPointers(&arrays) { pointers in
            var result = try parseAll(chunks, delimiter: delimiter, columnCount: columnCount, modes: initialModes,
                                      possible: initialPossible, givenTypes: givenTypes, names: names,
                                      headerLines: headerLines, report: &report, arrays: pointers)
            defer { result.deallocate() }
            return try result.finish(names: names, report: &report)
        }
        var columns: [Column] = []
        columns.reserveCapacity(columnCount)
        for c in 0..<columnCount {
            if let built = finished.columns[c] {
                arrays[c] = .none
                columns.append(built)
            } else if let column = arrays[c].takeColumn(count: finished.rows, type: finished.types[c],
                                                         dictionary: finished.dictionaries[c], validity: finished.validity[c]) {
                columns.append(column)
            } else {
                throw TallyError(.load, "column `\(names[c])` changed type while reading", file: path)
            }
        }
        return (Table(uncheckedNames: names, columns: columns, rowCount: finished.rows), report)
    }

    /// The type given for each column, checked against the names.
    private func givenTypes(names: [String]) throws -> [DataType?] {
        var given = [DataType?](repeating: nil, count: names.count)
        for entry in options.types {
            guard let c = names.firstIndex(of: entry.column) else {
                throw TallyError(.load, "`types:` names column `\(entry.column)`, which `\(path)` does not have",
                                 hint: Suggest.nearest(entry.column, in: names).map { "did you mean `\($0)`?" }
                                    ?? "its columns: " + names.prefix(12).joined(separator: ", "))
            }
            given[c] = entry.type
        }
        return given
    }

    /// Why a column is text, in words, for the load report.
    static func describe(_ reason: FieldParsing.TextReason, example: [UInt8], column: String) -> String {
        let value = String(decoding: example, as: UTF8.self)
        switch reason {
        case .leadingZero:
            return "has values with leading zeros (`\(value)`), kept as written; `types:\(column)=int` reads them as numbers"
        case .identityNumber:
            return "holds 18-digit identity numbers (`\(value)`), kept as written"
        case .bigInteger:
            return "holds integers a 64-bit number or a float cannot keep exactly (`\(value)`), kept as written"
        }
    }

    private func kinds(of field: CSVDialect.SampleField) -> ValueKinds {
        let data = fieldBytes(field)
        return data.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return [] }
            return ValueKinds.of(p, b.count)
        }
    }

    private func fieldBytes(_ field: CSVDialect.SampleField) -> [UInt8] {
        var out = [UInt8]()
        var k = field.start
        while k < field.end {
            out.append(bytes[k])
            k += field.escaped && bytes[k] == CSVParse.quote ? 2 : 1
        }
        return out
    }

    static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for (index, raw) in names.enumerated() {
            var name = raw.isEmpty ? "column\(index)" : raw
            if seen.contains(name) {
                var k = 1
                while seen.contains("\(name)_\(k)") { k += 1 }
                name = "\(name)_\(k)"
            }
            seen.insert(name)
            out.append(name)
        }
        return out
    }

    private func countLineEnds(_ range: Range<Int>) -> Int {
        var n = 0
        for i in range where bytes[i] == CSVParse.lf { n += 1 }
        return n
    }

    // MARK: - Splitting

    /// Cuts `range` into chunks at record boundaries: one chunk for small inputs, several per core for
    /// large ones (so a slow chunk does not leave a core idle).
    func split(_ range: Range<Int>) -> [Chunk] {
        let size = range.count
        let pieces = size < (4 << 20) ? 1 : min(Parallel.cores * 4, max(1, size / (1 << 20)))
        guard let base = bytes.baseAddress, size > 0 else {
            return [Chunk(range: range, firstLine: 0, capacity: 1, rowBase: 0)]
        }
        let counts: [(quotes: Int, lineEnds: Int)] = Parallel.map(pieces) { k in
            let lo = range.lowerBound + size * k / pieces, hi = range.lowerBound + size * (k + 1) / pieces
            let counts = CSVParse.countQuotesAndLineEnds(base + lo, hi - lo)
            // Hand the pages back now: otherwise this pass leaves the whole file resident while the
            // parse fills the column buffers, and the peak is the file plus the columns.
            release(lo..<hi)
            return counts
        }
        let totalQuotes = counts.reduce(0) { $0 + $1.quotes }
        let totalLines = counts.reduce(0) { $0 + $1.lineEnds }
        if pieces == 1 || totalQuotes % 2 == 1 {
            return [Chunk(range: range, firstLine: 0, capacity: totalLines + 1, rowBase: 0)]
        }
        // Move each tentative cut forward to the next line end outside quotes.
        var starts = [range.lowerBound]
        var linesBefore = [0]
        var quotesSoFar = 0, linesSoFar = 0
        for k in 1..<pieces {
            quotesSoFar += counts[k - 1].quotes
            linesSoFar += counts[k - 1].lineEnds
            var i = range.lowerBound + size * k / pieces
            var inQuote = quotesSoFar % 2 == 1
            var lines = linesSoFar
            while i < range.upperBound {
                let b = bytes[i]
                i += 1
                if b == CSVParse.quote { inQuote.toggle() } else if b == CSVParse.lf {
                    lines += 1
                    if !inQuote { break }
                }
            }
            if i > starts[starts.count - 1], i < range.upperBound {
                starts.append(i)
                linesBefore.append(lines)
            }
        }
        // Reading the bytes at each cut mapped the pages around it (the kernel maps a whole
        // cached folio at a fault, up to a few MB): about 11 MB of a 0.7 GB file stayed resident
        // through the parse until these go back too.
        release(range)
        var chunks: [Chunk] = []
        var rowBase = 0
        for k in 0..<starts.count {
            let lo = starts[k]
            let hi = k + 1 < starts.count ? starts[k + 1] : range.upperBound
            let last = k + 1 == starts.count
            let lineEnds = (last ? totalLines : linesBefore[k + 1]) - linesBefore[k]
            // A chunk before the last ends just after a line end, so each of its records ends
            // with one; only the last may end without. Sized exactly, a chunk's rows start where
            // they belong in the column, and packing the chunks together moves nothing.
            let capacity = last ? lineEnds + 1 : lineEnds
            chunks.append(Chunk(range: lo..<hi, firstLine: linesBefore[k], capacity: capacity, rowBase: rowBase))
            rowBase += capacity
        }
        return chunks
    }

    /// Counts `"` and `\n` bytes eight at a time (SWAR: a byte equals `c` exactly when `x ^ c` has a
    /// zero byte, found without carries by the `(x & 0x7f..) + 0x7f..` trick).
    static func countQuotesAndLineEnds(_ p: UnsafePointer<UInt8>, _ n: Int) -> (quotes: Int, lineEnds: Int) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let quoteMask = ones &* UInt64(quote), lfMask = ones &* UInt64(lf)
        @inline(__always) func zeroBytes(_ x: UInt64) -> Int {
            (~(((x & low7) &+ low7) | x) & ~low7).nonzeroBitCount
        }
        var quotes = 0, lines = 0
        var i = 0
        let raw = UnsafeRawPointer(p)
        // 32 bytes at a time: each lane of a byte counter adds 1 where the byte matches, for up to
        // 255 blocks before the lanes are summed (so no lane overflows).
        let quoteLanes = SIMD32<UInt8>(repeating: quote), lineLanes = SIMD32<UInt8>(repeating: lf)
        let zero = SIMD32<UInt8>()
        while i + 32 <= n {
            var quoteCounts = zero, lineCounts = zero
            var blocks = 0
            while blocks < 255, i + 32 <= n {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A lane of the comparison is all ones where it holds: subtracting adds one.
                quoteCounts &-= unsafeBitCast(v .== quoteLanes, to: SIMD32<UInt8>.self)
                lineCounts &-= unsafeBitCast(v .== lineLanes, to: SIMD32<UInt8>.self)
                i += 32
                blocks += 1
            }
            quotes &+= Int(SIMD32<UInt16>(truncatingIfNeeded: quoteCounts).wrappedSum())
            lines &+= Int(SIMD32<UInt16>(truncatingIfNeeded: lineCounts).wrappedSum())
        }
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            quotes &+= zeroBytes(w ^ quoteMask)
            lines &+= zeroBytes(w ^ lfMask)
            i += 8
        }
        while i < n {
            if p[i] == quote { quotes += 1 } else if p[i] == lf { lines += 1 }
            i += 1
        }
        return (quotes, lines)
    }

    // MARK: - Parsing

    private func parseAll(_ chunks: [Chunk], delimiter: UInt8, columnCount: Int, modes: [StoreMode], possible: [ValueKinds],
                          givenTypes: [DataType?], names: [String], headerLines: Int,
                          report: inout LoadReport, arrays: [UnsafeMutableRawPointer?]? = nil) throws -> ParsedColumns {
        let totalCapacity = chunks.reduce(0) { $0 + $1.capacity }
        var parsed = ParsedColumns(chunks: chunks, columnCount: columnCount, capacity: totalCapacity, modes: modes,
                                   givenTypes: givenTypes, arrays: arrays)
        let outcomes = parsed.runPass(parser: parser(columnCount, delimiter), possible: possible, cancel: cancel, release: release)
        if outcomes.contains(where: { $0.cancelled }) {
            parsed.deallocate()
            throw TallyError.cancelled()
        }
        if let bad = outcomes.firstIndex(where: { $0.problem != nil }), let problem = outcomes[bad].problem {
            parsed.deallocate()
            if chunks.count > 1 {
                // Irregular quoting can mislead the cut; one sequential pass finds the true first error.
                let whole = Chunk(range: chunks[0].range.lowerBound..<chunks[chunks.count - 1].range.upperBound,
                                  firstLine: 0, capacity: chunks.reduce(0) { $0 + $1.capacity }, rowBase: 0)
                return try parseAll([whole], delimiter: delimiter, columnCount: columnCount, modes: modes, possible: possible,
                                    givenTypes: givenTypes, names: names, headerLines: headerLines, report: &report,
                                    arrays: arrays)
            }
            throw describe(problem, line: 1 + headerLines + chunks[bad].firstLine + problem.line, names: names)
        }
        for (k, outcome) in outcomes.enumerated() {
            report.skippedRows += outcome.skippedRows
            if report.firstSkippedLine == nil, let line = outcome.firstSkippedLine {
                report.firstSkippedLine = 1 + headerLines + chunks[k].firstLine + line
            }
        }
        for c in 0..<columnCount {
            guard let given = givenTypes[c], let (misfit, row) = parsed.misfit(c) else { continue }
            parsed.deallocate()
            let value = String(decoding: misfit.example, as: UTF8.self)
            throw TallyError(.load, "column `\(names[c])` was given type \(given), but row \(row + 1) holds `\(value)`",
                             hint: "fix the value, or leave the column out of `types:` to read it as text", file: path)
        }
        // Columns whose type changed beyond int → float are parsed again with their real type.
        let finalTypes = parsed.finalTypes()
        var again: [Int] = []
        for c in 0..<columnCount {
            let initial = modes[c]
            let final = StoreMode(finalTypes[c])
            if initial == final || (initial == .int && final == .float) { continue }
            again.append(c)
        }
        if !again.isEmpty {
            // What made each column text, from the first pass (the second one reads them as text).
            let fallbacks = again.map { parsed.fallback($0) }
            parsed.prepareReparse(columns: again, types: finalTypes)
            let reparse = parsed.runPass(parser: parser(columnCount, delimiter), possible: possible, cancel: cancel,
                                         release: { _ in })
            if reparse.contains(where: { $0.cancelled }) {
                parsed.deallocate()
                throw TallyError.cancelled()
            }
            for (index, c) in again.enumerated() where finalTypes[c] == .text {
                if let (fallback, _) = fallbacks[index], let reason = fallback.reason {
                    let text = CSVParse.describe(reason, example: fallback.example, column: names[c])
                    report.textFallbacks.append(.init(column: names[c], reason: text))
                } else if modes[c] != .classify {
                    report.textFallbacks.append(.init(column: names[c],
                                                      reason: "mixes \(modes[c] == .text ? "text" : "\(modes[c])") values with text"))
                }
            }
        }
        return parsed
    }

    private func parser(_ columnCount: Int, _ delimiter: UInt8) -> CSVChunkParser {
        CSVChunkParser(base: bytes.baseAddress ?? CSVParse.emptyBase, delimiter: delimiter,
                       columnCount: columnCount, ignoreErrors: options.ignoreErrors)
    }

    /// A valid address for parsing an empty buffer (never read).
    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    private func describe(_ problem: ChunkProblem, line: Int, names: [String]) -> TallyError {
        switch problem.kind {
        case .fieldCount(let found, let expected):
            return TallyError(.load, "line \(line): \(found) field\(found == 1 ? "" : "s"), header has \(expected)",
                              hint: "fix the row, or load with `ignore_errors:true` to skip such rows",
                              file: path, line: line)
        case .unterminatedQuote:
            return TallyError(.load, "line \(line): quoted field is never closed",
                              hint: "close the quote with `\"`; a quote inside a quoted field is written `\"\"`",
                              file: path, line: line)
        case .textAfterQuote:
            return TallyError(.load, "line \(line): text after the closing quote of a field",
                              hint: "a quote inside a quoted field is written `\"\"`", file: path, line: line)
        case .internalType(let column):
            return TallyError(.load, "line \(line): column `\(names[column])` changed type while reading",
                              file: path, line: line)
        }
    }
}

extension String {
    /// The string if the bytes are valid UTF-8.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        let valid = bytes.withUnsafeBufferPointer { TextEncoding.isValidUTF8($0) }
        guard valid else { return nil }
        self = String(decoding: bytes, as: UTF8.self)
    }

    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
