import ArgumentParser
import Dispatch
import Foundation
import TallyEngine
import TallyPreview
import TallyReport
#if canImport(Glibc)
import Glibc
#endif

/// `tally preview NOTEBOOK.md`: the notebook served on loopback, re-run from the first changed cell
/// when the file or its data change, the open page updated by server-sent events, parameters as
/// controls. Runs until Ctrl-C or SIGTERM (exit status 0); 2 for a usage error, 1 when it cannot
/// listen.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Serve a notebook in the browser, updated as you edit it; parameters become controls.",
        discussion: """
        Prints the address (http://127.0.0.1:PORT/) and opens nothing. Saving the notebook, or a data \
        file it loads, re-runs it from the first changed cell on and the open page updates itself. A \
        failing cell shows its error in place; a notebook that no longer parses shows the error at the \
        top. The front matter's params become a form: a select when a parameter lists its choices \
        (`year: {value: 2025, choices: [2023, 2024, 2025]}`), a field otherwise; the address keeps the \
        values (?year=2024). Only loopback is served unless --host is given; then the address carries \
        a random token that every request needs. Ctrl-C or SIGTERM stops it.

        在浏览器中预览笔记本：打印地址（http://127.0.0.1:端口/），不自动打开浏览器。保存笔记本或其加载的\
        数据文件后，从第一个改动的单元格起重新运行，页面自动更新。出错的单元格就地显示错误；笔记本无法解析时\
        在页面顶部显示错误及行号。front matter 中的 params 成为表单：列出 choices 的参数为下拉框，其余为输入框；\
        地址保留所选值（?year=2024）。默认只监听本机回环地址；指定 --host 时地址带随机令牌，每个请求都需要它。\
        按 Ctrl-C 或发送 SIGTERM 停止。
        """
    )

    @Argument(help: "The notebook (.md).")
    var file: String

    @Option(name: .long, help: ArgumentHelp("Port to listen on (default: a free one).", valueName: "N"))
    var port: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0); the address then needs a token.", valueName: "H"))
    var host: String?

    @OptionGroup var shared: SharedOptions

    func validate() throws {
        try shared.validateValues()
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port takes 0 to 65535, got \(port)")
        }
        if let host, host.isEmpty {
            throw ValidationError("--host takes an address such as 0.0.0.0 or 127.0.0.1")
        }
    }

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            fail("error: cannot read notebook `\(file)`\n  hint: check the path")
            throw ExitCode(2)
        }
        if let notebook = try? NotebookParser.read(path: file) {
            do {
                _ = try NotebookRunner.parameters(for: notebook, overrides: Launcher.parameterList(shared), file: file)
            } catch let error as TallyError {
                fail(error.rendered())
                throw ExitCode(2)
            }
        }
        // A session for each run, built as `tally notebook` builds one; checked once here so a bad
        // --data folder is a usage error now rather than on the page.
        _ = try Launcher.makeSession(shared)
        let data = shared.data, noDatasets = shared.noDatasets, parameters = Launcher.parameterList(shared)
        let engine = PreviewEngine(path: file, overrides: parameters) {
            try Launcher.makeSession(data: data, noDatasets: noDatasets, parameters: parameters, quiet: true)
        }
        if let error = engine.currentReadError { fail(error + "\n(the page shows this until the notebook reads)") }

        let token = host == nil ? nil : PreviewServer.makeToken()
        let listenHost = host ?? "127.0.0.1"
        var dataDirectories = shared.data
        if !shared.noDatasets, let datasets = Launcher.datasetsDirectory() { dataDirectories.append(datasets) }
        let server: PreviewServer
        do {
            server = try PreviewServer(engine: engine, options: PreviewServer.Options(
                host: listenHost, port: UInt16(port ?? 0), token: token, dataDirectories: dataDirectories))
        } catch {
            fail("error: `\(listenHost)` is not an address to listen on\n  hint: give --host a literal address such as 0.0.0.0, 127.0.0.1 or ::")
            throw ExitCode(2)
        }

        // Signals are taken from the default handlers and delivered to a queue, so Ctrl-C and
        // SIGTERM stop the server cleanly (the port is released) and exit with status 0.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let stopRequested = DispatchSemaphore(value: 0)
        let signalQueue = DispatchQueue(label: "tally.preview.signals")
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
            source.setEventHandler { stopRequested.signal() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        let started = Blocking<Result<UInt16, any Error>>()
        Task {
            do {
                started.set(.success(try await server.start()))
            } catch {
                started.set(.failure(error))
            }
        }
        let listening: UInt16
        switch started.wait() {
        case .success(let p)?: listening = p
        case .failure(let error)?:
            fail("error: cannot listen on \(listenHost):\(port ?? 0): \(error.localizedDescription)"
                 + "\n  hint: is another program using the port? try another --port, or leave it out for a free one")
            throw ExitCode(1)
        case nil:
            fail("error: the preview server did not start")
            throw ExitCode(1)
        }

        let shownHost = listenHost.contains(":") ? "[\(listenHost)]" : listenHost
        var address = "http://\(shownHost):\(listening)/"
        if let token { address += "?token=\(token)" }
        say("Previewing \(file) at \(address)")
        say("预览地址：\(address)")
        say("Save the notebook to update the page; Ctrl-C stops · 保存笔记本即更新页面；按 Ctrl-C 停止")
        if host != nil {
            fail("warning: listening on \(listenHost), not only on this machine: anyone who can reach it and has the "
                 + "token can run this notebook · 警告：正在监听 \(listenHost)，持有令牌者均可运行此笔记本")
        }

        stopRequested.wait()
        let stopped = DispatchSemaphore(value: 0)
        Task {
            await server.stop()
            stopped.signal()
        }
        _ = stopped.wait(timeout: .now() + 5)
        say("stopped · 已停止")
    }

    /// Standard output, unbuffered: a program that started the preview reads the address at once.
    private func say(_ message: String) {
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }

    private func fail(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A value handed from a task to a thread that waits for it.
final class Blocking<Value: Sendable>: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: Value?

    func set(_ newValue: Value) {
        lock.lock()
        value = newValue
        lock.unlock()
        semaphore.signal()
    }

    func wait() -> Value? {
        semaphore.wait()
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
