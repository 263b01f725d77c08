import Testing
@testable import TallyDatagen

/// The census populations recorded in the facts: real units, a source each, consistent with the
/// sourced city totals; and the estimates that fill the other units, labelled and adding up.
@Suite struct CountyPopulationTests {
    @Test func everyEntryIsARealUnitWithASource() {
        let byCode = Dictionary(uniqueKeysWithValues: Geography.counties.map { ($0.code, $0) })
        #expect(Set(CountyPopulation.sourced.map(\.code)).count == CountyPopulation.sourced.count)
        #expect(CountyPopulation.sourced.map(\.code) == CountyPopulation.sourced.map(\.code).sorted())
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

    @Test func everyUnitHasAFigureSourcedOrEstimated() {
        let all = CountyPopulation.all
        #expect(all.map(\.code) == Geography.counties.map(\.code))
        let sourced = Dictionary(uniqueKeysWithValues: CountyPopulation.sourced.map { ($0.code, $0) })
        for r in all {
            if let s = sourced[r.code] {
                // A sourced figure is kept as read, with its source.
                #expect(r.basis == .census(source: s.source))
                #expect(r.population == s.population)
            } else {
                guard case .estimate(let method) = r.basis else {
                    Issue.record("\(r.code) \(r.name) has no source but is not an estimate"); continue
                }
                #expect(method.hasPrefix("estimate: "))
                #expect(r.population > 50_000 && r.population < 2_000_000, "\(r.code) \(r.name) \(r.population)")
            }
        }
        #expect(all.filter(\.basis.isCensus).count == CountyPopulation.sourced.count)
        #expect(all.filter { !$0.basis.isCensus }.count == 111 - CountyPopulation.sourced.count)
    }

    @Test func estimatesAddUpToTheSourcedTotals() {
        let all = CountyPopulation.all
        // Every city with a sourced total adds up to it exactly, sourced and estimated units together.
        for city in CountyPopulation.cityTotals {
            let sum = all.filter { $0.cityCode == city.cityCode }.reduce(0) { $0 + $1.population }
            #expect(sum == city.population, "city \(city.cityCode)")
        }
        // And the 111 units add up to Guangxi's total.
        #expect(all.reduce(0) { $0 + $1.population } == CountyPopulation.guangxi)
        #expect(CountyPopulation.guangxi == 50_126_804)
    }

    @Test func theKeyCountiesHoldAboutAnEighthOfTheResidents() {
        let key = CountyPopulation.all.filter { Geography.keyCountyCodes.contains($0.code) }
        let share = Double(key.reduce(0) { $0 + $1.population }) / Double(CountyPopulation.guangxi)
        #expect(share > 0.10 && share < 0.15, "\(share)")
    }
}
