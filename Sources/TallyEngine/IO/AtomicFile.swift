import Foundation

/// Files Tally writes whole (scripts, notebooks, reports, exports): the bytes go to a temporary file
/// in the same folder, which is then renamed over the target, so an interrupted write never leaves a
/// half-written file where a good one was.
///
/// What is replaced is a regular file: a symbolic link stays a link (the file it points to is
/// replaced), and a device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`) is written to in
/// place, since renaming over it would put a plain file where the device was.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let target = resolved(path)
        if isSpecial(target) {
            try writeInPlace(bytes, to: target, reported: path)
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw writeFailure(path, error)
        }
    }

    /// Puts a finished temporary file at `path`: renamed over it, or copied into a device or pipe.
    static func replace(_ path: String, with temp: String) throws {
        let target = resolved(path)
        if isSpecial(target) {
            defer { unlink(temp) }
            let bytes: [UInt8]
            do {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: temp)))
            } catch {
                throw writeFailure(path, error)
            }
            try writeInPlace(bytes, to: target, reported: path)
            return
        }
        guard rename(temp, target) == 0 else {
            let code = errno
            unlink(temp)
            throw writeFailure(path, NSError(domain: NSPOSIXErrorDomain, code: Int(code)))
        }
    }

    /// The file a symbolic link points to, or the path itself.
    static func resolved(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// Whether `path` is something other than a regular file or a folder: a device, pipe or socket.
    static func isSpecial(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }

    private static func writeInPlace(_ bytes: [UInt8], to target: String, reported path: String) throws {
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw writeFailure(path, error)
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Why `path` could not be written, in words: the folder is missing, is a file, is not writable,
    /// the path is a folder, or else the system's reason (Foundation's own message names neither).
    static func writeFailure(_ path: String, _ error: Error) -> TallyError {
        let fm = FileManager.default
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        var isDirectory: ObjCBool = false
        let reason: String
        var hint = "check the path"
        if !fm.fileExists(atPath: folder, isDirectory: &isDirectory) {
            reason = "the folder `\(folder)` does not exist"
            hint = "create the folder first, or write to one that exists"
        } else if !isDirectory.boolValue {
            reason = "`\(folder)` is a file, not a folder"
        } else if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            reason = "`\(path)` is a folder"
            hint = "give a file name, e.g. `\(path.hasSuffix("/") ? path : path + "/")result.csv`"
        } else if !fm.isWritableFile(atPath: folder) {
            reason = "the folder `\(folder)` is not writable"
            hint = "write somewhere you have permission to write"
        } else {
            reason = systemReason(error)
        }
        return TallyError(.io, "cannot write `\(path)`: \(reason)", hint: hint)
    }

    private static func systemReason(_ error: Error) -> String {
        var nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError { nsError = underlying }
        if nsError.domain == NSPOSIXErrorDomain, let text = strerror(Int32(truncatingIfNeeded: nsError.code)) {
            return String(cString: text).lowercased()
        }
        return nsError.localizedFailureReason ?? nsError.localizedDescription
    }
}
