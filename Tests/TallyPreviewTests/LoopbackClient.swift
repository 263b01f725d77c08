import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 client over a loopback socket, for tests: one request per connection, the
/// response read with a deadline, chunked bodies decoded. Blocking calls run on a dispatch queue,
/// not on Swift's cooperative threads that serve the server under test.
final class LoopbackConnection: @unchecked Sendable {
    private let fd: Int32
    private var raw: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until `done` says the bytes so far are enough, the peer closes, or `seconds` pass.
    func read(for seconds: Double, until done: ([UInt8]) -> Bool) -> [UInt8] {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline && !done(raw) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 { continue }
            raw += buffer[0..<n]
        }
        return raw
    }
}

struct LoopbackResponse {
    var status: Int
    var headers: [String: String]
    var body: String
}

enum LoopbackClient {
    static func request(port: UInt16, target: String, host: String? = nil) throws -> String {
        "GET \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n\r\n"
    }

    /// A whole response, body decoded.
    static func get(port: UInt16, _ target: String, host: String? = nil, seconds: Double = 20) async throws -> LoopbackResponse {
        try await onThread {
            let connection = try LoopbackConnection(port: port)
            connection.send(try request(port: port, target: target, host: host))
            let raw = connection.read(for: seconds) { _ in false }
            return try parse(raw, complete: true)
        }
    }

    /// Opens an event stream; the connection is read with `EventStream.read`.
    static func events(port: UInt16, _ target: String) async throws -> EventStream {
        try await onThread {
            let connection = try LoopbackConnection(port: port)
            connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
            return EventStream(connection: connection)
        }
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    static func parse(_ raw: [UInt8], complete: Bool) throws -> LoopbackResponse {
        let text = raw
        guard let end = findHeaderEnd(text) else { throw LoopbackConnection.Failure(description: "no response headers") }
        let head = String(decoding: text[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(text[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return LoopbackResponse(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// The data of a chunked body, as far as it has arrived.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            var j = i
            while j + 1 < bytes.count && !(bytes[j] == 13 && bytes[j + 1] == 10) { j += 1 }
            guard j + 1 < bytes.count, let size = Int(String(decoding: bytes[i..<j], as: UTF8.self), radix: 16) else { break }
            if size == 0 { break }
            let start = j + 2
            let stop = min(start + size, bytes.count)
            out += bytes[start..<stop]
            i = stop + 2
        }
        return out
    }
}

/// An open `text/event-stream` response.
final class EventStream: @unchecked Sendable {
    let connection: LoopbackConnection

    init(connection: LoopbackConnection) { self.connection = connection }

    /// The decoded body so far, after waiting up to `seconds` for `text` to appear in it.
    func wait(for text: String, seconds: Double = 30) async throws -> String {
        try await LoopbackClient.onThread {
            let raw = self.connection.read(for: seconds) { raw in
                guard let end = LoopbackClient.findHeaderEnd(raw) else { return false }
                return String(decoding: LoopbackClient.dechunk(Array(raw[(end + 4)...])), as: UTF8.self).contains(text)
            }
            return try LoopbackClient.parse(raw, complete: false).body
        }
    }

    func status() async throws -> LoopbackResponse {
        try await LoopbackClient.onThread {
            let raw = self.connection.read(for: 10) { LoopbackClient.findHeaderEnd($0) != nil }
            return try LoopbackClient.parse(raw, complete: false)
        }
    }

    /// The `update` events received so far, each one's JSON payload.
    static func updates(in body: String) -> [String] {
        body.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard lines.contains("event: update") else { return nil }
            return lines.first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        }
    }
}
