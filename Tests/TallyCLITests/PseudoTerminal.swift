import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `tally` in a pseudo-terminal of its own, as a person at a terminal runs it: a new
/// session with the terminal as its controlling terminal (so Ctrl-C typed on it is SIGINT when the
/// line discipline sends signals), a window size, UTF-8 locale. Keys are written to the master side;
/// everything the program writes is collected.
final class PseudoTerminal {
    let process = Process()
    let master: Int32
    let output = Collected()
    private let reader: Thread

    /// A pseudo-terminal: the master side and the slave's path (/dev/ptmx, unlocked, by ioctl; the
    /// posix_openpt family is not visible to Swift without _XOPEN_SOURCE).
    static func open() -> (master: Int32, slave: String)? {
        let master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        var unlock: CInt = 0
        var number: CUnsignedInt = 0
        guard ioctl(master, UInt(0x4004_5431), &unlock) == 0,   // TIOCSPTLCK
              ioctl(master, UInt(0x8004_5430), &number) == 0 else {  // TIOCGPTN
            close(master)
            return nil
        }
        return (master, "/dev/pts/\(number)")
    }

    /// What a program wrote, appended from the reader thread.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
        var count: Int { lock.lock(); defer { lock.unlock() }; return data.count }
        /// The text from byte `offset` on.
        func text(from offset: Int) -> String {
            lock.lock(); defer { lock.unlock() }
            return String(decoding: data[min(offset, data.count)...], as: UTF8.self)
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Starts `tally ARGUMENTS` at `columns`×`rows` with `environment` added.
    init(arguments: [String], environment: [String: String] = [:], columns: Int = 120, rows: Int = 40) throws {
        guard let (master, name) = PseudoTerminal.open() else { throw Failure(description: "no pseudo-terminal") }
        self.master = master
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let slave = Glibc.open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { close(master); throw Failure(description: "cannot open \(name)") }
        // setsid -c: a session of its own whose controlling terminal is this one (stdin).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["-w", "-c", CLITests.binary.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = NSTemporaryDirectory() + "tally-pty-\(getpid())"
        env["TERM"] = "xterm-256color"
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = nil
        env["NO_COLOR"] = "1"
        env["PAGER"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = tty
        process.standardOutput = tty
        process.standardError = tty
        let output = self.output
        reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                output.append(Data(buffer[0..<n]))
            }
        }
        try process.run()
        close(slave)
        reader.start()
    }

    deinit {
        // setsid made its own process group, tally inside it: end them both.
        if process.isRunning {
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        close(master)
    }

    /// Keys as typed: text, or control characters such as "\u{03}" (Ctrl-C), "\u{1B}[D" (Left).
    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
    }

    /// Types each key separately, a little apart, as fingers do (escape sequences stay whole).
    func press(_ keys: String...) {
        for key in keys {
            type(key)
            usleep(30_000)
        }
    }

    /// Whether `needle` appears in what was written after byte `offset` within `seconds`.
    func waitFor(_ needle: String, after offset: Int = 0, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if output.text(from: offset).contains(needle) { return true }
            usleep(20_000)
        }
        return false
    }

    /// How often `needle` appears in what was written after `offset`.
    func occurrences(_ needle: String, after offset: Int = 0) -> Int {
        output.text(from: offset).components(separatedBy: needle).count - 1
    }

    /// Waits for the process to end; its exit status, or nil after `seconds`.
    func exitStatus(seconds: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }
}
