import Foundation
#if canImport(CZlib)
import CZlib
#elseif canImport(zlib)
import zlib
#endif

/// The parts of a zip file as its central directory lists them, read and inflated with bounds on
/// both sides: a part's compressed bytes must lie inside the file and the deflate stream must end
/// within them, and it may not unpack to more than its header says. ZIPFoundation's own extraction
/// reads on past a part's end and, on Linux, loops for ever when a deflate stream is cut short, so
/// only its directory checks are used; the bytes are read here.
struct ZipParts {
    /// One entry of the central directory.
    struct Part {
        let method: UInt16
        let crc32: UInt32
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        let localHeaderOffset: UInt64
    }

    /// Why a part could not be read; `XLSXArchive` turns it into a message naming the part.
    enum Failure: Error {
        /// The part's data or its deflate stream stops before the end its header gives.
        case endsEarly
        /// The deflate stream is not valid, or unpacks to other bytes than the header says.
        case corrupt(String)
        /// A compression method other than stored or deflate.
        case unsupportedMethod(UInt16)
    }

    let fileSize: UInt64
    private let parts: [String: Part]
    private let handle: FileHandle

    /// Reads the central directory; nil when there is none to read (ZIPFoundation has already said
    /// the container is a zip by then, so that is a damaged file).
    init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path),
              let size = try? handle.seekToEnd() else { return nil }
        self.handle = handle
        fileSize = size
        guard let parts = ZipParts.directory(handle, fileSize: size) else {
            try? handle.close()
            return nil
        }
        self.parts = parts
    }

    subscript(name: String) -> Part? { parts[name] }

    // MARK: - Central directory

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) -> [UInt8]? {
        guard (try? handle.seek(toOffset: offset)) != nil,
              let data = try? handle.read(upToCount: count), data.count == count else { return nil }
        return [UInt8](data)
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
    private static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32
    }

    private static func directory(_ handle: FileHandle, fileSize: UInt64) -> [String: Part]? {
        // The end-of-central-directory record: 22 bytes and a comment of at most 65,535.
        let tailLength = Int(min(fileSize, 22 + 0xFFFF))
        guard tailLength >= 22, let tail = read(handle, at: fileSize - UInt64(tailLength), count: tailLength) else { return nil }
        var end = tailLength - 22
        while end >= 0, !(tail[end] == 0x50 && tail[end + 1] == 0x4B && tail[end + 2] == 5 && tail[end + 3] == 6) { end -= 1 }
        guard end >= 0 else { return nil }
        var count = UInt64(u16(tail, end + 10))
        var size = UInt64(u32(tail, end + 12))
        var offset = UInt64(u32(tail, end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: the locator just before the record points at the larger record.
            let locatorAt = fileSize - UInt64(tailLength) + UInt64(end)
            guard locatorAt >= 20, let locator = read(handle, at: locatorAt - 20, count: 20),
                  u32(locator, 0) == 0x0706_4B50 else { return nil }
            let recordAt = u64(locator, 8)
            guard recordAt <= fileSize, let record = read(handle, at: recordAt, count: 56),
                  u32(record, 0) == 0x0606_4B50 else { return nil }
            count = u64(record, 32)
            size = u64(record, 40)
            offset = u64(record, 48)
        }
        // Each entry takes at least 46 bytes, so the counts are checked against the file before
        // anything is allocated for them.
        guard offset <= fileSize, size <= fileSize - offset, count <= size / 46 + 1,
              let bytes = read(handle, at: offset, count: Int(size)) else { return nil }
        var parts = [String: Part]()
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= bytes.count, u32(bytes, at) == 0x0201_4B50 else { return nil }
            let nameLength = Int(u16(bytes, at + 28)), extraLength = Int(u16(bytes, at + 30)), commentLength = Int(u16(bytes, at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= bytes.count else { return nil }
            var uncompressed = UInt64(u32(bytes, at + 24)), compressed = UInt64(u32(bytes, at + 20))
            var local = UInt64(u32(bytes, at + 42))
            // The ZIP64 extra field holds, in this order, the sizes and offset that did not fit.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(bytes, extra), length = Int(u16(bytes, extra + 2))
                guard extra + 4 + length <= extraEnd else { break }
                if id == 1 {
                    var field = extra + 4
                    func next(_ value: inout UInt64) {
                        guard value == 0xFFFF_FFFF, field + 8 <= extra + 4 + length else { return }
                        value = u64(bytes, field)
                        field += 8
                    }
                    next(&uncompressed)
                    next(&compressed)
                    next(&local)
                }
                extra += 4 + length
            }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            if parts[name] == nil {
                parts[name] = Part(method: u16(bytes, at + 10), crc32: u32(bytes, at + 16), compressedSize: compressed,
                                   uncompressedSize: uncompressed, localHeaderOffset: local)
            }
            at += 46 + nameLength + extraLength + commentLength
        }
        return parts
    }

    // MARK: - Reading a part

    /// The unpacked bytes of a part. Reads no byte outside the part's data, produces at most its
    /// header's uncompressed size, and checks the CRC.
    func bytes(of part: Part) throws -> [UInt8] {
        guard let header = ZipParts.read(handle, at: part.localHeaderOffset, count: 30),
              ZipParts.u32(header, 0) == 0x0403_4B50 else { throw Failure.endsEarly }
        let start = part.localHeaderOffset + 30 + UInt64(ZipParts.u16(header, 26)) + UInt64(ZipParts.u16(header, 28))
        guard start <= fileSize, part.compressedSize <= fileSize - start else { throw Failure.endsEarly }
        try handle.seek(toOffset: start)
        switch part.method {
        case 0:
            guard part.compressedSize == part.uncompressedSize else { throw Failure.corrupt("stored sizes differ") }
            let data = try handle.read(upToCount: Int(part.compressedSize)) ?? Data()
            guard UInt64(data.count) == part.compressedSize else { throw Failure.endsEarly }
            let bytes = [UInt8](data)
            guard ZipParts.checksum(bytes) == part.crc32 else { throw Failure.corrupt("CRC mismatch") }
            return bytes
        case 8:
            // An empty file, as some writers store it: no deflate stream at all.
            if part.compressedSize == 0, part.uncompressedSize == 0 { return [] }
            return try inflate(part)
        default:
            throw Failure.unsupportedMethod(part.method)
        }
    }

    /// CRC-32 of the bytes, a gigabyte at a time: zlib's length is 32 bits, and a stored part may
    /// be as large as 4 GiB.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc: uLong = 0
            var at = 0
            while at < buffer.count, let base = buffer.baseAddress {
                let n = min(buffer.count - at, 1 << 30)
                crc = crc32(crc, base + at, UInt32(n))
                at += n
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    private func inflate(_ part: Part) throws -> [UInt8] {
        let chunk = 1 << 18
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.corrupt("inflate could not start")
        }
        defer { inflateEnd(&stream) }
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { input.deallocate(); output.deallocate() }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(clamping: min(part.uncompressedSize, 64 << 20)))
        var crc: uLong = 0
        var remaining = part.compressedSize
        while true {
            if stream.avail_in == 0 {
                // The stream has not ended and the part has no bytes left: it is cut short.
                guard remaining > 0 else { throw Failure.endsEarly }
                let data = try handle.read(upToCount: Int(min(remaining, UInt64(chunk)))) ?? Data()
                guard !data.isEmpty else { throw Failure.endsEarly }
                data.copyBytes(to: input, count: data.count)
                remaining -= UInt64(data.count)
                stream.next_in = input
                stream.avail_in = UInt32(data.count)
            }
            stream.next_out = output
            stream.avail_out = UInt32(chunk)
            let status = zlibInflate(&stream)
            let produced = chunk - Int(stream.avail_out)
            if produced > 0 {
                guard UInt64(bytes.count) + UInt64(produced) <= part.uncompressedSize else {
                    throw Failure.corrupt("unpacks to more than the \(part.uncompressedSize) bytes its header gives")
                }
                bytes.append(contentsOf: UnsafeBufferPointer(start: output, count: produced))
                crc = crc32(crc, output, UInt32(produced))
            }
            if status == Z_STREAM_END { break }
            // With room for output, no progress means more input is needed, which the top of the
            // loop gives or reports as the end of the part.
            guard status == Z_OK || (status == Z_BUF_ERROR && stream.avail_in == 0) else {
                throw Failure.corrupt(stream.msg.map { String(cString: $0) } ?? "invalid deflate data")
            }
        }
        guard UInt64(bytes.count) == part.uncompressedSize else {
            throw Failure.corrupt("unpacks to \(bytes.count) bytes, not the \(part.uncompressedSize) its header gives")
        }
        guard UInt32(truncatingIfNeeded: crc) == part.crc32 else { throw Failure.corrupt("CRC mismatch") }
        return bytes
    }
}

/// zlib's `inflate` under a name that does not clash with `ZipParts.inflate`.
private func zlibInflate(_ stream: inout z_stream) -> Int32 {
    inflate(&stream, Z_NO_FLUSH)
}
