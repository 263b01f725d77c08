#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pager or an editor started from the REPL, through `/bin/sh` so that `$PAGER` and `$EDITOR`
/// may carry arguments (`less -S`, `code -w`).
///
/// Spawned with posix_spawn directly rather than Foundation's `Process`, which puts the child in a
/// process group of its own: a pager or editor in a background group is stopped (SIGTTIN) the
/// moment it reads the terminal. Here the child stays in tally's group, the terminal's foreground
/// job, with the default signal dispositions and an empty signal mask.
enum ChildProcess {
    /// Runs `/bin/sh -c script` with `arguments` as `$1`, `$2`, …; `input`, when given, is written
    /// to its standard input (a pager that quits early just ends the writing). Returns the exit
    /// status (128 + N after signal N), or nil when the shell could not be started.
    static func run(_ script: String, arguments: [String] = [], input: [UInt8]? = nil) -> Int32? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if input != nil {
            guard pipe(&pipeEnds) == 0 else { return nil }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], STDIN_FILENO)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGPIPE, SIGWINCH, SIGTSTP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let words = ["/bin/sh", "-c", script, "sh"] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        if input != nil { close(pipeEnds[0]) }
        guard spawned == 0 else {
            if input != nil { close(pipeEnds[1]) }
            return nil
        }
        if let input {
            // A pager that quits before reading everything closes the pipe: EPIPE, not SIGPIPE.
            let previous = signal(SIGPIPE, SIG_IGN)
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(pipeEnds[1], bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(pipeEnds[1])
            signal(SIGPIPE, previous)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return nil }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }
}
