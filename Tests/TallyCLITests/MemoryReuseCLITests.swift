import Foundation
import Testing

/// The command-line tool keeps memory a statement frees for the next one (glibc's allocator set at
/// start), and that memory never counts against `.memory_limit`: a step over the limit only
/// because of it gives it back and goes on. Run in a process of its own, where the setting is made
/// before any thread starts, as it is for a user.
@Suite("memory kept for reuse")
struct MemoryReuseCLITests {
    /// "in use 291 MB, of which 256 MB freed and kept for reuse" → (291 MB, 256 MB) in bytes.
    static func figures(_ line: Substring) -> (inUse: Double, kept: Double)? {
        func bytes(after marker: String) -> Double? {
            guard let range = line.range(of: marker) else { return nil }
            let words = line[range.upperBound...].split(separator: " ", maxSplits: 2)
            guard words.count >= 2, let value = Double(words[0]) else { return nil }
            let unit = words[1].trimmingCharacters(in: .punctuationCharacters)
            let units: [String: Double] = ["B": 1, "KB": 1024, "MB": 1_048_576, "GB": 1_073_741_824]
            let scale = units[unit] ?? .nan
            return value * scale
        }
        guard let inUse = bytes(after: "in use "), let kept = bytes(after: "of which ") else { return nil }
        return (inUse, kept)
    }

    @Test func freedMemoryIsKeptAndGivenBackUnderTheLimit() throws {
        // 16.8 million pairs and a summed column: a few hundred megabytes made and freed.
        let script = """
        let a = (from [{x = 1}] | loop (filter x < 64 | select {x = x + 1}))
        let b = (from a | join side:inner (from a | select {y = x}) (true) | select {x = x * 64 + y})
        from b | join side:inner (from b | select {z = x}) (true) | aggregate {n = count this, s = sum z}
        .memory_limit
        .memory_limit 120MB
        from [{a = 1}] | join side:inner (from [{b = 2}]) (true)
        .memory_limit
        """
        let run = try CLITests().tally(["--no-datasets", "--format", "csv"], stdin: script)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("n,s\n16777216,"), "\(run.stdout)")
        let shown = run.stderr.split(separator: "\n").filter { $0.hasPrefix("memory limit") && $0.contains("in use") }
        try #require(shown.count == 2, "\(run.stderr)")
        let before = try #require(MemoryReuseCLITests.figures(shown[0]), "\(shown[0])")
        let after = try #require(MemoryReuseCLITests.figures(shown[1]), "\(shown[1])")
        // The freed pairs and columns are still held after the query...
        #expect(before.kept >= 150 * 1048576, "\(shown[0])")
        #expect(before.inUse > 120 * 1048576, "\(shown[0])")
        // ...and a join under a limit they would break runs: they were given back first.
        #expect(run.stdout.contains("a,b\n1,2"), "\(run.stdout)\n\(run.stderr)")
        #expect(after.inUse < 120 * 1048576, "\(shown[1])")
        #expect(after.kept < before.kept / 2, "\(shown[1])")
    }
}
