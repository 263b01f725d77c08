import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How much memory a query may use before it stops with an error naming its step, so a join that
/// multiplies rows or a `loop` that grows without end ends in a message, not in the operating
/// system killing the process with the session's unsaved work. `.memory_limit` sets it.
///
/// The measure is the process's resident memory (what the operating system counts against it),
/// read at the end of each step that makes many rows; the steps that can grow past any size in one
/// go (a join, the pairs of a cross join, `pivot`, each `loop` iteration) check their estimate
/// before they allocate.
public struct MemoryBudget: Sendable, Equatable {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// The share of physical memory a session may use unless told otherwise.
    public static let defaultShare = 0.8

    public static var standard: MemoryBudget {
        MemoryBudget(bytes: Int(Double(physicalMemory) * defaultShare))
    }

    /// Physical memory of the machine, in bytes.
    public static var physicalMemory: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// The process's resident memory now, from `/proc/self/statm` (0 where there is none).
    public static func residentBytes() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
        guard count > 0 else { return 0 }
        // "size resident shared …" in pages.
        let fields = buffer[0..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: Int(sysconf(Int32(_SC_PAGESIZE))))
        return overflow ? Int.max : bytes
    }

    /// Bytes still free under the budget. Memory the allocator keeps for reuse is resident but
    /// free, so when it would leave less than `wanted`, it is given back and the measure taken again.
    func remaining(wanting wanted: Int = 0) -> Int {
        let left = max(0, bytes - MemoryBudget.residentBytes())
        guard left < wanted || left == 0, MemoryReuse.isEnabled else { return left }
        MemoryReuse.releaseRetained()
        return max(0, bytes - MemoryBudget.residentBytes())
    }

    /// Whether the process uses more than the budget, not counting memory the allocator keeps
    /// free for reuse (given back first when the budget would otherwise be over).
    func isExceeded() -> Bool {
        guard MemoryBudget.residentBytes() > bytes else { return false }
        guard MemoryReuse.isEnabled else { return true }
        MemoryReuse.releaseRetained()
        return MemoryBudget.residentBytes() > bytes
    }

    /// `4GB`, `512MB`, `1.5G`, `800 KB`, `50%` (of physical memory), a number of bytes; nil if
    /// the text is none of these or not above zero.
    public static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: " ", with: "")
        if t.hasSuffix("%") {
            guard let share = Double(t.dropLast()), share > 0, share <= 100 else { return nil }
            return Int(Double(physicalMemory) * share / 100)
        }
        let kb = 1024.0, mb = kb * 1024, gb = mb * 1024, tb = gb * 1024
        let units: [(String, Double)] = [("TB", tb), ("GB", gb), ("MB", mb), ("KB", kb),
                                         ("T", tb), ("G", gb), ("M", mb), ("K", kb), ("B", 1)]
        var number = Substring(t), scale = 1.0
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        let bytes = value * scale
        guard bytes >= 1, bytes < 9.0e18 else { return nil }
        return Int(bytes)
    }

    /// The error of a step that would go over the budget: what it needs, what the limit is.
    func exceeded(needing needed: Int? = nil) -> TallyError {
        let inUse = MemoryBudget.residentBytes()
        var message = "the query would use more memory than its limit of \(Session.byteCountText(bytes)) at this step"
        if let needed {
            message += " (it needs about \(Session.byteCountText(needed)) more, \(Session.byteCountText(inUse)) in use)"
        } else {
            message += " (\(Session.byteCountText(inUse)) in use)"
        }
        return TallyError(.runtime, message,
                          hint: "filter or select before this step, or raise the limit, e.g. `.memory_limit 8GB`")
    }
}
