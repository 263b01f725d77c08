import Foundation
import TallyEngine
import TallyReport

/// The inputs the fuzzers feed Tally, one target per reader or stage. Each takes arbitrary bytes and
/// must either give a result or throw a `TallyError`; anything else (a trap, an overflow, a broken
/// invariant checked here) is a crash the fuzzer reports. The same functions replay the committed
/// corpora in CI and in the regression tests, so a crash once found stays fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Bytes as a CSV file, then the table written back as CSV and read again: the same values.
    case csv
    /// Bytes as a TSV file, with the same round trip.
    case tsv
    /// Bytes as a JSON (or NDJSON) file.
    case json
    /// Bytes as statement text: the lexer and parser, the splitter, the completeness check; every
    /// error's span lies inside the text.
    case parser
    /// Bytes as choices of a generator of well-formed pipelines over small typed tables (nulls,
    /// Chinese text, dates), run by a session: reaches the resolver, the rewrites and the executor.
    case statements
    /// Bytes as a Markdown notebook: front matter, cells and their options.
    case notebook
    /// Bytes as an .xlsx workbook (a zip of XML parts).
    case xlsx

    /// Runs one input. Throws only `FuzzFailure`, for a broken invariant.
    public func run(_ bytes: [UInt8]) throws {
        switch self {
        case .csv: try FuzzTarget.delimited(bytes, format: .csv)
        case .tsv: try FuzzTarget.delimited(bytes, format: .tsv)
        case .json: _ = try? TableReader.read(bytes: bytes, format: .json)
        case .parser: try FuzzTarget.parse(bytes)
        case .statements: try FuzzTarget.statements(bytes)
        case .notebook: _ = try? NotebookParser.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.md")
        case .xlsx: try FuzzTarget.workbook(bytes)
        }
    }

    // MARK: - Readers

    static func delimited(_ bytes: [UInt8], format: LoadOptions.Format) throws {
        guard let (table, _) = try? TableReader.read(bytes: bytes, format: format) else { return }
        // What was read is written in the same dialect and read again, its types given: every value
        // must come back as it was (the promise that loading never alters a value).
        var written = [UInt8]()
        (format == .tsv ? CSVWriter.tsv : CSVWriter.csv).write(table, into: &written)
        var options = LoadOptions()
        options.header = true
        options.delimiter = format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ",")
        options.types = zip(table.names, table.columns).map { LoadOptions.ColumnType(column: $0, type: $1.type) }
        // Text that is mostly control bytes is refused as binary, by design; the promise is for text.
        let binary = written.withUnsafeBufferPointer { TextEncoding.looksBinary($0) }
        guard table.columnCount > 0, !binary else { return }
        let again: Table
        do {
            again = try TableReader.read(bytes: written, format: format, options: options).0
        } catch let error as TallyError {
            throw FuzzFailure("a table written as \(format) does not read back: \(error.message)")
        }
        guard again.names == table.names, again.rowCount == table.rowCount else {
            throw FuzzFailure("round trip changed the shape: \(table.names) × \(table.rowCount) → \(again.names) × \(again.rowCount)")
        }
        for (index, column) in table.columns.enumerated() {
            let other = again.columns[index]
            for row in 0..<table.rowCount where column.text(at: row) != other.text(at: row) {
                throw FuzzFailure("round trip changed `\(table.names[index])` row \(row + 1): "
                                  + "\(column.text(at: row).debugDescription) → \(other.text(at: row).debugDescription)")
            }
        }
    }

    static func workbook(_ bytes: [UInt8]) throws {
        let path = FileManager.default.temporaryDirectory.path + "/tally-fuzz-\(getpid()).xlsx"
        defer { unlink(path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        _ = try? ExcelReader.sheetNames(path: path)
        _ = try? ExcelReader.read(path: path)
    }

    // MARK: - Language

    static func parse(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        let length = text.utf8.count
        do {
            _ = try Parser.parse(statement: text)
        } catch let error as TallyError {
            if let span = error.span, span.lowerBound < 0 || span.upperBound > length {
                throw FuzzFailure("error span \(span) outside a text of \(length) bytes: \(error.message)")
            }
            _ = error.rendered()
        }
        _ = StatementSplitter.split(text)
        _ = InputCompleteness.isComplete(text)
        _ = try? Parser.parseScript(text)
    }

    static func statements(_ bytes: [UInt8]) throws {
        var generator = StatementGenerator(choices: bytes)
        let session = FuzzSession.shared.session
        for statement in generator.statements() {
            // A statement that runs away (a loop, a cross join) is stopped, as Ctrl-C would.
            let deadline = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
            session.cancellation = CancellationCheck { DispatchTime.now().uptimeNanoseconds > deadline }
            do {
                _ = try session.run(statement)
            } catch let error as TallyError {
                let length = error.source?.utf8.count ?? statement.utf8.count
                if let span = error.span, span.lowerBound < 0 || span.upperBound > length {
                    throw FuzzFailure("error span \(span) outside `\(statement)`: \(error.message)")
                }
                _ = error.rendered()
            } catch {
                throw FuzzFailure("`\(statement)` threw \(type(of: error)), not a TallyError: \(error)")
            }
        }
    }
}

/// A broken invariant found by a fuzz target.
public struct FuzzFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
