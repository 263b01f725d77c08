import Testing
import TallyEngine
@testable import TallyReport

@Suite struct NiceTicksTests {
    @Test func roundStepsCoverTheData() {
        let t = NiceTicks(min: 0.9404, max: 0.9618, count: 7)
        #expect(t.step == 0.005)
        #expect(t.values.first == 0.94)
        #expect(t.values.last == 0.965)
        #expect(t.labels(units: .western) == ["0.940", "0.945", "0.950", "0.955", "0.960", "0.965"])
    }
}
