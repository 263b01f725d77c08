import Testing
@testable import TallyEngine

/// The vocabulary that completion and help read must name every word the engine knows, each with
/// help in both languages.
@Suite("Vocabulary")
struct VocabularyTests {
    @Test func everyFunctionAndAggregateIsListed() {
        let listed = Set(Vocabulary.all.map(\.name))
        for name in FunctionRegistry.scalarNames { #expect(listed.contains(name), "scalar function \(name)") }
        for name in FunctionRegistry.aggregateNames { #expect(listed.contains(name), "aggregate \(name)") }
        for kind in ["row_number", "rank", "rank_dense", "lag", "lead", "growth"] { #expect(listed.contains(kind)) }
        // The binder reads its aggregates and window functions from the vocabulary; each aggregate
        // but `share` (x / sum x, rewritten by the binder) has a kernel.
        #expect(Binder.aggregateNames.subtracting(["share"]) == Set(AggregateKernel.names))
        #expect(Set(Binder.windowNames) == ["row_number", "rank", "rank_dense", "lag", "lead", "growth"])
        for transform in QueryRunner.builtinTransforms {
            #expect(Vocabulary.transforms.contains { $0.name == transform }, "transform \(transform)")
        }
    }

    @Test func eachEntryHasAFormAndHelpInBothLanguages() {
        for entry in Vocabulary.all {
            #expect(entry.signature.hasPrefix(entry.name) || entry.signature.contains(entry.name), "\(entry.name)")
            #expect(!entry.summary.isEmpty && !entry.summaryZh.isEmpty, "\(entry.name)")
        }
        #expect(Set(Vocabulary.all.map(\.name)).count == Vocabulary.all.count)
    }
}
