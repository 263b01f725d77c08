import Testing
@testable import TallyDatagen

/// The census populations recorded in the facts: real units, a source each, consistent with the
/// sourced city totals.
@Suite struct CountyPopulationTests {
    @Test func everyEntryIsARealUnitWithASource() {
        let byCode = Dictionary(uniqueKeysWithValues: Geography.counties.map { ($0.code, $0) })
        #expect(Set(CountyPopulation.sourced.map(\.code)).count == CountyPopulation.sourced.count)
        for p in CountyPopulation.sourced {
            #expect(byCode[p.code]?.name == p.name, "\(p.code) \(p.name)")
            #expect(!p.source.isEmpty)
            #expect(p.population > 50_000 && p.population < 2_000_000)
        }
    }

    @Test func sourcedUnitsFitInsideTheirCityTotals() {
        let cityOf = Dictionary(uniqueKeysWithValues: Geography.counties.map { ($0.code, $0.cityCode) })
        var sums: [Int: Int] = [:]
        for p in CountyPopulation.sourced { sums[cityOf[p.code] ?? 0, default: 0] += p.population }
        for city in CountyPopulation.cityTotals {
            #expect((sums[city.cityCode] ?? 0) <= city.population, "city \(city.cityCode)")
        }
        // Where every unit of a city is sourced, the units add up to the city total exactly.
        #expect(sums[4509] == 5_796_766)  // 玉林市
        #expect(sums[4505] == 1_853_227)  // 北海市
        #expect(CountyPopulation.cityTotals.reduce(0) { $0 + $1.population } < CountyPopulation.guangxi)
    }
}
