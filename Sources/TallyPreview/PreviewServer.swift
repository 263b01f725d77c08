import FlyingFox
import FlyingSocks
import Foundation
import TallyEngine
import TallyReport

/// `tally preview`: one notebook served over HTTP. Two addresses only: `/` (the page, with the
/// parameters in the query) and `/events` (server-sent events, one `update` each time the notebook
/// or its data change). Nothing else is served, and no address names a file: the server runs the
/// notebook it was given and no other.
///
/// Bound to loopback unless a host is given; then every request must carry the random token in
/// its address (`?token=…`). On loopback without a token, a request must name a loopback host in
/// its `Host` header, so a page elsewhere cannot reach the server through a rebound DNS name.
public final class PreviewServer: Sendable {
    public struct Options: Sendable {
        /// A literal IPv4 or IPv6 address to listen on.
        public var host: String
        public var port: UInt16
        /// Required in every request's address when set.
        public var token: String?
        /// How often the notebook and its data files are checked for changes.
        public var pollInterval: Duration
        /// Folders whose files (the datasets) count as the notebook's data too.
        public var dataDirectories: [String]

        public init(host: String = "127.0.0.1", port: UInt16 = 0, token: String? = nil,
                    pollInterval: Duration = .milliseconds(300), dataDirectories: [String] = []) {
            self.host = host
            self.port = port
            self.token = token
            self.pollInterval = pollInterval
            self.dataDirectories = dataDirectories
        }
    }

    public let engine: PreviewEngine
    public let options: Options
    private let server: HTTPServer
    private let events = EventHub()

    public init(engine: PreviewEngine, options: Options) throws {
        self.engine = engine
        self.options = options
        let address: any SocketAddress
        if options.host.contains(":") {
            address = try sockaddr_in6.inet6(ip6: options.host, port: options.port)
        } else {
            address = try sockaddr_in.inet(ip4: options.host, port: options.port)
        }
        server = HTTPServer(address: address, timeout: 60, logger: .disabled)
    }

    /// A random token of 32 hex digits, for `--host`.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt32, radix: 16).leftPadded(to: 8) }.joined()
    }

    /// Starts listening and watching; returns the port once the server listens. Throws when it
    /// cannot listen (the port is taken, the address is not this machine's).
    public func start() async throws -> UInt16 {
        await server.appendRoute("GET /events") { [self] request in try await self.eventsResponse(request) }
        await server.appendRoute("GET /") { [self] request in try await self.pageResponse(request) }
        await server.appendRoute("HEAD /") { [self] request in try await self.pageResponse(request) }
        await server.appendRoute("*") { [self] request in
            if let refused = self.refusal(request) { return refused }
            return PreviewServer.text(.notFound, "not found · 未找到: this server serves one notebook, at /\n")
        }
        let runTask = Task { try await server.run() }
        await events.setServerTask(runTask)
        do {
            try await server.waitUntilListening(timeout: 10)
        } catch {
            runTask.cancel()
            if let failure = await Self.failure(of: runTask) { throw failure }
            throw error
        }
        guard let address = await server.listeningAddress else {
            runTask.cancel()
            throw TallyError(.io, "the preview server is not listening")
        }
        let port: UInt16
        switch address {
        case .ip4(_, let p), .ip6(_, let p): port = p
        case .unix: port = 0
        }
        let watcher = Task { [self] in await self.watch() }
        await events.setWatcher(watcher)
        return port
    }

    private static func failure(of task: Task<Void, any Error>) async -> (any Error)? {
        do {
            try await task.value
            return nil
        } catch {
            return error
        }
    }

    /// Stops watching, ends every event stream and closes the listening socket.
    public func stop() async {
        await events.finish()
        await server.stop(timeout: 1)
    }

    // MARK: - Requests

    /// Nil when the request may be served; else the response that refuses it.
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        if let token = options.token {
            guard let given = request.query["token"], PreviewServer.constantTimeEqual(given, token) else {
                return PreviewServer.text(.forbidden, "forbidden · 禁止访问: open the address with its token, as "
                                          + "`tally preview` printed it (…/?token=…)\n")
            }
            return nil
        }
        let host = request.headers[.host] ?? ""
        guard PreviewServer.isLoopbackHost(host) else {
            return PreviewServer.text(.forbidden, "forbidden · 禁止访问: this preview answers on 127.0.0.1 and localhost only\n")
        }
        return nil
    }

    static func isLoopbackHost(_ header: String) -> Bool {
        var host = header.lowercased()
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            host = String(host[host.index(after: host.startIndex)..<close])
            return host == "::1"
        }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        let loopbackIPv4 = parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        return host == "localhost" || loopbackIPv4
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }

    /// The notebook's parameters in a request's address: every query item but the token and `_v`.
    static func parameters(of request: HTTPRequest) -> [(name: String, value: String)] {
        request.query.filter { $0.name != "token" && $0.name != "_v" }.map { (name: $0.name, value: $0.value) }
    }

    private func pageResponse(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let refused = refusal(request) { return refused }
        let page = await engine.page(query: PreviewServer.parameters(of: request))
        let html = PreviewPage.html(page, token: options.token)
        return HTTPResponse(statusCode: .ok, headers: [
            .contentType: "text/html; charset=utf-8",
            HTTPHeader("Cache-Control"): "no-store",
            HTTPHeader("X-Content-Type-Options"): "nosniff",
            HTTPHeader("Content-Security-Policy"):
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; form-action 'self'",
        ], body: Data(html.utf8))
    }

    private func eventsResponse(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let refused = refusal(request) { return refused }
        let parameters = PreviewServer.parameters(of: request)
        let seen = request.query["_v"].flatMap { Int($0) }
        let (stream, id) = await events.subscribe()
        let engine = self.engine
        let hub = events
        // One `update` now if the page is older than the notebook, then one per change.
        let bytes = AsyncStream<Data> { continuation in
            let task = Task {
                continuation.yield(Data("retry: 1000\n: tally preview\n\n".utf8))
                let current = engine.currentVersion
                if seen != current {
                    continuation.yield(PreviewServer.event("update", await engine.page(query: parameters)))
                }
                for await signal in stream {
                    switch signal {
                    case .heartbeat:
                        continuation.yield(Data(": keep-alive\n\n".utf8))
                    case .changed:
                        continuation.yield(Data("event: running\ndata: {}\n\n".utf8))
                        continuation.yield(PreviewServer.event("update", await engine.page(query: parameters)))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                Task { await hub.unsubscribe(id) }
            }
        }
        return HTTPResponse(statusCode: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8",
            HTTPHeader("Cache-Control"): "no-store",
            HTTPHeader("X-Accel-Buffering"): "no",
        ], body: HTTPBodySequence(from: DataStreamBytes(stream: bytes)))
    }

    static func event(_ name: String, _ page: PreviewEngine.PageContent) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(page)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // JSON escapes line breaks, so the payload is one `data:` line.
        return Data("event: \(name)\ndata: \(json)\n\n".utf8)
    }

    static func text(_ status: HTTPStatusCode, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(body.utf8))
    }

    // MARK: - Watching

    /// Polls sizes and modification times: simple, and the same on every system.
    private func watch() async {
        var last = snapshot()
        var ticks = 0
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: options.pollInterval)
            } catch {
                return
            }
            ticks += 1
            let now = snapshot()
            if now != last {
                let changed = Set(now.keys).union(last.keys).filter { now[$0] != last[$0] }
                let data = changed.filter { $0 != engine.path }.sorted()
                engine.changed(dataFiles: data)
                last = snapshot()
                await events.publish(.changed)
            } else if ticks % 50 == 0 {
                await events.publish(.heartbeat)
            }
        }
    }

    struct Stamp: Equatable {
        var size: UInt64
        var modified: Date
    }

    private func snapshot() -> [String: Stamp] {
        let fm = FileManager.default
        var files = engine.watchedFiles
        for directory in options.dataDirectories {
            for name in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] {
                let lower = name.lowercased()
                if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".json") {
                    files.append(directory.hasSuffix("/") ? directory + name : directory + "/" + name)
                }
            }
        }
        var stamps: [String: Stamp] = [:]
        for file in files {
            guard let attributes = try? fm.attributesOfItem(atPath: file) else { continue }
            stamps[file] = Stamp(size: (attributes[.size] as? NSNumber)?.uint64Value ?? 0,
                                 modified: attributes[.modificationDate] as? Date ?? .distantPast)
        }
        return stamps
    }
}

/// The open event streams.
actor EventHub {
    enum Signal: Sendable {
        case changed
        case heartbeat
    }

    private var subscribers: [Int: AsyncStream<Signal>.Continuation] = [:]
    private var nextID = 0
    private var finished = false
    private var watcher: Task<Void, Never>?
    private var serverTask: Task<Void, any Error>?

    func setWatcher(_ task: Task<Void, Never>) { watcher = task }
    func setServerTask(_ task: Task<Void, any Error>) { serverTask = task }

    func subscribe() -> (AsyncStream<Signal>, Int) {
        let (stream, continuation) = AsyncStream<Signal>.makeStream(bufferingPolicy: .bufferingNewest(4))
        let id = nextID
        nextID += 1
        if finished {
            continuation.finish()
        } else {
            subscribers[id] = continuation
        }
        return (stream, id)
    }

    func unsubscribe(_ id: Int) {
        subscribers[id]?.finish()
        subscribers[id] = nil
    }

    func publish(_ signal: Signal) {
        for continuation in subscribers.values { continuation.yield(signal) }
    }

    func finish() {
        finished = true
        watcher?.cancel()
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }
}

/// Chunks of `Data` from a stream as the bytes FlyingFox sends, each chunk as soon as it comes.
struct DataStreamBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<Data>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<Data>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            guard let chunk = try await nextBuffer(suggested: 1) else { return nil }
            return chunk.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            while pending.isEmpty {
                guard let data = await base.next() else { return nil }
                pending = Array(data)
            }
            let n = Swift.max(1, Swift.min(count, pending.count))
            let chunk = Array(pending.prefix(n))
            pending.removeFirst(n)
            return chunk
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
