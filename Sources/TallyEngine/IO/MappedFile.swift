#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file mapped read-only into memory.
///
/// Mapping instead of reading lets the parser workers share the bytes without copying, and lets
/// them hand pages they are done with back to the kernel (`release(upTo:)`), so loading a file
/// larger than its columns does not hold both in memory.
final class MappedFile: @unchecked Sendable {
    let path: String
    let base: UnsafePointer<UInt8>?
    let count: Int

    /// Opens and maps `path`, with a clear error for a missing file, a directory or an unreadable one.
    init(path: String) throws {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw TallyError(.io, "cannot open `\(path)`: \(reason)", hint: "check the path; `.load` completes file names with Tab")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw TallyError(.io, "`\(path)` is a directory, not a data file",
                             hint: "name a .csv, .tsv or .json file inside it, or start tally with `--data \(path)`")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw TallyError(.io, "cannot open `\(path)`: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw TallyError(.io, "cannot read `\(path)`: \(String(cString: strerror(errno)))")
        }
        base = UnsafePointer(mapped.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `base` was allocated here (text given in a query) rather than mapped.
    private var owned = false

    /// Text a query holds (`from_text`), read through the same readers as a file; `path` names it
    /// in messages.
    init(bytes: [UInt8], path: String) {
        self.path = path
        count = bytes.count
        guard !bytes.isEmpty else {
            base = nil
            return
        }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        base = UnsafePointer(buffer)
        owned = true
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Tells the kernel the pages in `range` will not be read again, dropping them from this process's
    /// resident memory (they stay in the page cache).
    func release(_ range: Range<Int>) {
        guard let base, !owned else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, Int32(MADV_DONTNEED))
    }

    deinit {
        guard let base else { return }
        if owned {
            UnsafeMutablePointer(mutating: base).deallocate()
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }
}
