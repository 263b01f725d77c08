import Foundation

/// A data file's columns and their types, read from its first rows instead of the whole file, so
/// a query is resolved (and its errors reported) before a large file is loaded.
///
/// The sample is read as the whole file would be, with the same options, so names, the header
/// guess, the delimiter and the type rules agree; a type can still come out narrower than the full
/// load finds (a column of numbers with text 40,000 rows down). The executor notices, the
/// statement is resolved again against the true schema, and the cache remembers it. Schemas are
/// cached per path, options, size and modification time.
enum SchemaSniffer {
    /// Bytes read for a sample; a smaller file is read whole.
    static let sampleBytes = 1 << 18

    struct Schema: Sendable, Equatable {
        var names: [String]
        var types: [DataType]
        var nullTyped: Set<Int>
        /// Whether it comes from the whole file (so the load cannot disagree).
        var exact: Bool
    }

    private struct Key: Hashable {
        var path: String
        var options: String
    }

    private struct Stamp: Equatable {
        var size: Int
        var modified: Double
    }

    nonisolated(unsafe) private static var cache: [Key: (Stamp, Schema)] = [:]
    private static let lock = NSLock()

    static func schema(path: String, options: LoadOptions) throws -> Schema {
        let key = Key(path: path, options: String(describing: options))
        let stamp = try self.stamp(path)
        lock.lock()
        if let (known, schema) = cache[key], known == stamp {
            lock.unlock()
            return schema
        }
        lock.unlock()
        let schema = try sample(path: path, options: options, size: stamp.size)
        store(schema, key: key, stamp: stamp)
        return schema
    }

    /// Records the schema of a file's full load.
    static func remember(_ table: Table, path: String, options: LoadOptions) {
        guard let stamp = try? self.stamp(path) else { return }
        let schema = Schema(names: table.names, types: table.columns.map(\.type),
                            nullTyped: Set(table.columns.indices.filter { table.columns[$0].isNullTyped }), exact: true)
        store(schema, key: Key(path: path, options: String(describing: options)), stamp: stamp)
    }

    private static func store(_ schema: Schema, key: Key, stamp: Stamp) {
        lock.lock(); defer { lock.unlock() }
        cache[key] = (stamp, schema)
    }

    private static func stamp(_ path: String) throws -> Stamp {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            // The reader gives the clear error (no such file, a directory, unreadable).
            _ = try MappedFile(path: path)
            throw TallyError(.io, "cannot open `\(path)`")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return Stamp(size: size, modified: modified)
    }

    private static func sample(path: String, options: LoadOptions, size: Int) throws -> Schema {
        let format = options.format ?? TableReader.format(ofPath: path)
        if format == .xlsx {
            let (table, _) = try TableReader.read(path: path, options: options)
            return Schema(names: table.names, types: table.columns.map(\.type),
                          nullTyped: Set(table.columns.indices.filter { table.columns[$0].isNullTyped }), exact: true)
        }
        let file = try MappedFile(path: path)
        if size > sampleBytes, format == .csv || format == .tsv, let base = file.base {
            // Whole lines of the first sampleBytes bytes.
            var end = sampleBytes
            while end > 0, base[end - 1] != UInt8(ascii: "\n") { end -= 1 }
            if end > 0 {
                let bytes = Array(UnsafeBufferPointer(start: base, count: end))
                if let (table, _) = try? TableReader.read(MappedFile(bytes: bytes, path: path), format: format,
                                                          options: options, cancel: .never) {
                    return Schema(names: table.names, types: table.columns.map(\.type),
                                  nullTyped: Set(table.columns.indices.filter { table.columns[$0].isNullTyped }), exact: false)
                }
            }
        }
        // Small files, JSON and workbooks, and a sample that does not parse on its own (a quoted field running
        // past it): the whole file.
        let (table, _) = try TableReader.read(file, format: format, options: options, cancel: .never)
        return Schema(names: table.names, types: table.columns.map(\.type),
                      nullTyped: Set(table.columns.indices.filter { table.columns[$0].isNullTyped }), exact: true)
    }
}
