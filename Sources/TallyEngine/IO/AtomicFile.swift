import Foundation

/// Files Tally writes whole (scripts, notebooks, reports, exports): the bytes go to a temporary file
/// in the same folder, which is then renamed over the target, so an interrupted write never leaves a
/// half-written file where a good one was.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
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
