import Foundation
import Testing
@testable import TallyEngine

/// The findings stated in `Notebooks/graduate-employment.md` about graduates from the key counties,
/// each checked against the query that supports it (home county from `graduate_employment_counties`).
@Suite("graduate-employment findings")
struct GraduateEmploymentFindingsTests: FindingsTest {
    let session: Session

    init() throws {
        session = try Self.datasetSession()
    }

    /// The notebook's query: key counties against the rest, by year.
    static let keyAgainstRest = """
        from graduate_employment_counties
        join counties (==county_code)
        group year (aggregate {key_graduates = sum (case [key_county => graduates_low_income, true => 0]), key_employed = sum (case [key_county => employed, true => 0]), key_assisted = sum (case [key_county => assisted, true => 0]), other_graduates = sum (case [key_county => 0, true => graduates_low_income]), other_employed = sum (case [key_county => 0, true => employed]), other_assisted = sum (case [key_county => 0, true => assisted])})
        derive {key_rate = round 4 (key_employed / key_graduates), other_rate = round 4 (other_employed / other_graduates), key_assisted_share = round 4 (key_assisted / key_graduates), other_assisted_share = round 4 (other_assisted / other_graduates)}
        derive {gap_points = round 2 (100 * (other_rate - key_rate))}
        select {year, key_graduates, key_rate, other_rate, gap_points, key_assisted_share, other_assisted_share}
        sort year
        """

    @Test func keyCountyGraduatesCatchUp() throws {
        let found = try rows(Self.keyAgainstRest)
        #expect(found.count == 7)
        #expect(found.first.map { Array($0[0...4]) } == ["2019", "9353", "0.871", "0.9214", "5.04"])
        #expect(found.last.map { Array($0[0...4]) } == ["2025", "9572", "0.8876", "0.9097", "2.21"])
        #expect(found.last.map { Array($0[5...6]) } == ["0.9838", "0.8817"])
        // The gap narrows every year, and key-county graduates get help more often every year.
        let gaps = found.compactMap { Double($0[4]) }
        #expect(gaps.count == 7 && zip(gaps, gaps.dropFirst()).allSatisfy { $0 > $1 }, "\(gaps)")
        #expect(found.allSatisfy { (Double($0[5]) ?? 0) > (Double($0[6]) ?? 1) })
        // About a fifth of the graduates come from the key counties.
        let share = try rows("""
            from graduate_employment_counties | filter year == 2019 | join counties (==county_code)
            aggregate {key = sum (case [key_county => graduates_low_income, true => 0]), all = sum graduates_low_income}
            derive {share = round 3 (key / all)}
            """)
        #expect(share.first?.last == "0.216")
    }

    @Test func homeCountiesAddUpToTheUniversities() throws {
        let byCounty = try rows("""
            from graduate_employment_counties | filter year == 2025
            aggregate {graduates = sum graduates_low_income, employed = sum employed}
            derive {rate = round 4 (employed / graduates)}
            """)
        let byUniversity = try rows("""
            from graduate_employment | filter year == 2025
            aggregate {graduates = sum graduates_low_income, employed = sum employed}
            derive {rate = round 4 (employed / graduates)}
            """)
        #expect(byCounty == byUniversity)
        #expect(byCounty.first?.last == "0.9051", "the notebook's 90.51% in 2025")
    }
}
