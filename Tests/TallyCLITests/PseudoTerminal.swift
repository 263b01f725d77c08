import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `tally` in a pseudo-terminal of its own, as a person at a terminal runs it: a new
/// session whose controlling terminal is the pty (so Ctrl-C typed on it is SIGINT while the line
/// discipline sends signals), a window size, a UTF-8 locale. Keys are written to the master side;
/// everything the program writes is collected.
///
/// Spawned with posix_spawn and POSIX_SPAWN_SETSID rather than Foundation's `Process`: the child is
/// tally itself, a session leader that opens the pty as its controlling terminal, so it can be
/// waited for and killed by its own pid, never left behind.
final class PseudoTerminal {
    let pid: pid_t
    let master: Int32
    let output = Collected()
    private let reader: Thread
    private var status: Int32?

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
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = NSTemporaryDirectory() + "tally-pty-\(getpid())"
        env["TERM"] = "xterm-256color"
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = nil
        env["NO_COLOR"] = "1"
        env["PAGER"] = nil
        for (k, v) in environment { env[k] = v }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened by the child after setsid, without O_NOCTTY: it becomes the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID, a GNU extension Swift does not import
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([CLITests.binary.path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, CLITests.binary.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            close(master)
            throw Failure(description: "cannot start tally: \(String(cString: strerror(spawned)))")
        }
        pid = child
        let output = self.output
        reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                output.append(Data(buffer[0..<n]))
            }
        }
        reader.start()
    }

    deinit {
        if exitStatus(seconds: 0) == nil {
            kill(pid, SIGKILL)
            _ = exitStatus(seconds: 5)
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

    /// Waits for `needle` after `offset`, then for the prompt that follows it: the editor has the
    /// terminal again (keys typed before that reach the line discipline, which takes Ctrl-R and
    /// Ctrl-D for itself).
    func waitForResult(_ needle: String, after offset: Int, seconds: Double = 20) -> Bool {
        guard waitFor(needle, after: offset, seconds: seconds) else { return false }
        let text = output.text(from: offset)
        guard let range = text.range(of: needle) else { return false }
        let end = offset + text[..<range.upperBound].utf8.count
        return waitFor("tally> ", after: end, seconds: seconds)
    }

    /// How often `needle` appears in what was written after `offset`.
    func occurrences(_ needle: String, after offset: Int = 0) -> Int {
        output.text(from: offset).components(separatedBy: needle).count - 1
    }

    /// Waits for the process to end; its exit status (128 + N after signal N), or nil after `seconds`.
    func exitStatus(seconds: Double = 20) -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            var raw: Int32 = 0
            let done = waitpid(pid, &raw, WNOHANG)
            if done == pid {
                status = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
                return status
            }
            if done < 0 { return nil }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }
}
