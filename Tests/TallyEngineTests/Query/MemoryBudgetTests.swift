import Testing
@testable import TallyEngine

/// A query that would outgrow the memory limit stops with an error naming its step, and the
/// session goes on.
@Suite("memory budget")
struct MemoryBudgetTests {
    @Test func sizesParse() {
        #expect(MemoryBudget.parse("4GB") == 4 << 30)
        #expect(MemoryBudget.parse("512mb") == 512 << 20)
        #expect(MemoryBudget.parse("1.5G") == 3 << 29)
        #expect(MemoryBudget.parse("800 KB") == 800 << 10)
        #expect(MemoryBudget.parse("1000000") == 1_000_000)
        #expect(MemoryBudget.parse("50%") == Int(Double(MemoryBudget.physicalMemory) * 0.5))
        for bad in ["", "lots", "-1GB", "0", "0%", "150%", "GB", "1e30GB", "nanGB"] {
            #expect(MemoryBudget.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func theCommandShowsAndSets() throws {
        let session = Session()
        guard case .message(let shown) = try session.run(".memory_limit") else { Issue.record("no message"); return }
        #expect(shown.contains("80% of"))
        #expect(session.memoryBudget == .standard)
        _ = try session.run(".memory_limit 2GB")
        #expect(session.memoryBudget.bytes == 2 << 30)
        #expect(throws: TallyError.self) { try session.run(".memory_limit lots") }
        #expect(session.memoryBudget.bytes == 2 << 30)
        _ = try session.run(".memory_limit default")
        #expect(session.memoryBudget == .standard)
    }

    /// A loop whose body doubles its rows: stopped at the join that doubles them.
    @Test func aGrowingLoopStopsAtTheStepThatGrows() throws {
        let session = Session()
        session.memoryBudget = MemoryBudget(bytes: MemoryBudget.residentBytes() + (64 << 20))
        let query = "from [{a = 1}] | loop (filter a < 40 | join side:inner (from [{k = 1}, {k = 2}]) (true) | select {a = a + 1}) | aggregate {n = count this}"
        do {
            _ = try session.run(query)
            Issue.record("the loop ran to the end")
        } catch let error as TallyError {
            #expect(error.message.contains("more memory than its limit"))
            #expect(error.hint?.contains(".memory_limit") == true)
            let span = try #require(error.span)
            let step = String(decoding: Array(query.utf8)[span.lowerBound...].prefix(4), as: UTF8.self)
            // Memory is the process's: where other work runs beside it, an earlier step of the body may be the one.
            #expect(["join", "loop", "sele", "filt"].contains(step), "\(step)")
        }
        // The session goes on.
        #expect(try session.query("from [{a = 1}, {a = 2}] | aggregate {s = sum a}")[0, "s"] == .int(3))
    }

    /// A cross join of 81 million pairs is refused before its pairs are made.
    @Test func aMultiplyingJoinIsRefusedBeforeItAllocates() throws {
        let session = Session()
        // Headroom of 1 GB: the tests running beside this one in the process grow its resident
        // memory too, and the pairs need 1.8 GB, so they are refused from the estimate all the same.
        session.memoryBudget = MemoryBudget(bytes: MemoryBudget.residentBytes() + (1 << 30))
        let side = "(from [{x = 1}] | loop (filter x < 9000 | select {x = x + 1}))"
        do {
            _ = try session.run("from \(side) | join side:inner (from [{y = 1}] | loop (filter y < 9000 | select {y = y + 1})) (true) | aggregate {n = count this}")
            Issue.record("81 million pairs were made")
        } catch let error as TallyError {
            // Refused from its estimate, before the pairs were made: the error says what it needed.
            #expect(error.message.contains("it needs about 1.8 GB more"), "\(error.message)")
        }
        // Within the limit the same shape runs.
        #expect(try session.query("from \(side) | take 3 | join side:inner (from [{y = 1}, {y = 2}]) (true) | aggregate {n = count this}")[0, "n"] == .int(6))
    }
}
