import Foundation
import Testing
@testable import TallyEngine

/// Whole-file writes replace a regular file, and only that: a symbolic link stays a link to the
/// file it names, and a pipe (like `/dev/null` or `/dev/stdout`) is written to, never renamed over.
@Suite("Atomic file writes")
struct AtomicFileTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "tally-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aRegularFileIsReplacedWhole() throws {
        let dir = try AtomicFileTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write("old, longer text\n", to: dir + "/a.csv")
        try AtomicFile.write("new\n", to: dir + "/a.csv")
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.csv"])
    }

    @Test func aSymbolicLinkStaysALink() throws {
        let dir = try AtomicFileTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write("old\n", to: dir + "/target.csv")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "target.csv")
        try AtomicFile.write("new\n", to: dir + "/link.csv")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.csv") == "target.csv")
        #expect(try String(contentsOfFile: dir + "/target.csv", encoding: .utf8) == "new\n")
    }

    @Test func aPipeIsWrittenToNotReplaced() throws {
        let dir = try AtomicFileTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader opens the pipe's other end, so the write does not block.
        let received = UncheckedBox()
        let reader = Thread {
            received.value = FileHandle(forReadingAtPath: fifo).map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) }
            received.done.signal()
        }
        reader.start()
        try AtomicFile.write("through the pipe\n", to: fifo)
        #expect(received.done.wait(timeout: .now() + 10) == .success)
        #expect(received.value == "through the pipe\n")
        var info = stat()
        #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    final class UncheckedBox: @unchecked Sendable {
        var value: String?
        let done = DispatchSemaphore(value: 0)
    }
}
