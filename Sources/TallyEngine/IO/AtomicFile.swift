import Foundation

/// Files Tally writes whole (scripts, notebooks, reports, exports): the bytes go to a temporary file
/// in the same folder, which is then renamed over the target, so an interrupted write never leaves a
/// half-written file where a good one was.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TallyError(.io, "cannot write `\(path)`: \(error.localizedDescription)",
                             hint: "check that the folder exists and is writable")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }
}
