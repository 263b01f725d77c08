import Foundation
import Testing
@testable import TallyEngine

/// The findings stated in `Notebooks/nutrition.md`, each checked against the query that supports it
/// (the notebook's `$year` is 2023). The standards (4 and 5 yuan) and the 2023 totals are published
/// figures; the rest is synthetic, and what the test holds is that the notebook says what its queries give.
@Suite("nutrition findings")
struct NutritionFindingsTests: FindingsTest {
    let session: Session

    init() throws {
        session = try Self.datasetSession()
    }

    /// The notebook's term-by-term coverage query.
    static let coverage = """
        from nutrition
        filter covered
        group {year, term} (aggregate {counties = count this, schools = sum schools, students = sum students, yuan_per_day = max yuan_per_day, funds_yuan = sum funds_yuan})
        sort {year, term}
        """

    /// Pupils in units of 10,000 (万), to `places` decimals.
    func wan(_ cell: String, _ places: Double) -> Double {
        let scale = pow(10, places)
        return ((Double(cell) ?? .nan) / 10_000 * scale).rounded() / scale
    }

    /// Finding 1: 60 pilot counties and about 1.66–1.67 million pupils in 2019–2022; 110 counties,
    /// 14,925 schools and 4,314,800 pupils in 2023; fewer pupils in 2024 and 2025 (about 4.099 million).
    @Test func coverageTermByTerm() throws {
        let found = try rows(Self.coverage)
        #expect(found.count == 14)
        let early = found.filter { (Int($0[0]) ?? 0) <= 2022 }
        #expect(early.count == 8 && early.allSatisfy { $0[2] == "60" })
        let pupils = early.compactMap { Int($0[4]) }
        #expect(pupils.min() == 1_659_014 && pupils.max() == 1_672_686)
        #expect(early.allSatisfy { (166...167).contains(wan($0[4], 0)) })
        #expect(found.filter { $0[0] == "2023" } == [
            ["2023", "春季", "110", "14925", "4314800", "5", "2157400000"],
            ["2023", "秋季", "110", "14925", "4314800", "5", "2157400000"],
        ])
        #expect(found.first { $0[0] == "2023" }.map { wan($0[4], 2) } == 431.48)
        let autumn = found.filter { $0[1] == "秋季" && (Int($0[0]) ?? 0) >= 2023 }.map { $0[4] }
        #expect(autumn == ["4314800", "4216992", "4098772"])
        #expect(wan("4098772", 1) == 409.9)
        // 2023: 60 national pilots and 50 counties added locally.
        let pilots = try rows("""
            from nutrition
            filter covered && year == 2023 && term == "秋季"
            group pilot (aggregate {counties = count this, schools = sum schools, students = sum students})
            """)
        #expect(pilots.sorted { $0[0] < $1[0] }.map { [$0[0], $0[1]] } == [["local", "50"], ["national", "60"]])
    }

    /// Finding 2: 4 yuan a day in spring 2021, 5 in the autumn; funds up 12.7% in 2021 (15.05 亿),
    /// then from 16.66 亿 in 2022 to 43.15 亿 in 2023, about 2.6 times.
    @Test func theStandardAndTheFunds() throws {
        let terms = try rows(Self.coverage)
        #expect(terms.filter { $0[0] == "2021" }.map { [$0[1], $0[5]] } == [["春季", "4"], ["秋季", "5"]])
        let funds = try rows("""
            from nutrition
            filter covered
            group year (aggregate {funds_yuan = sum funds_yuan})
            sort year
            """)
        #expect(funds == [["2019", "1327211200"], ["2020", "1335939200"], ["2021", "1505417400"], ["2022", "1666000000"],
                          ["2023", "4314800000"], ["2024", "4216992000"], ["2025", "4098772000"]])
        let change = try rows("""
            from nutrition
            filter covered
            group year (aggregate {funds_yuan = sum funds_yuan})
            sort year
            derive {previous = lag 1 funds_yuan}
            select {year, yi = round 2 (funds_yuan / 100000000), growth = round 3 (funds_yuan / previous - 1), times = round 1 (funds_yuan / previous)}
            """)
        #expect(change.first { $0[0] == "2021" } == ["2021", "15.05", "0.127", "1.1"])
        #expect(change.first { $0[0] == "2022" }?[1] == "16.66")
        #expect(change.first { $0[0] == "2023" } == ["2023", "43.15", "1.59", "2.6"])
    }

    /// Finding 3: of 111 county-level units only 城中区 (450202) is never covered; 50 others join in
    /// 2023; in 2023 the 60 national pilots have 1,645,765 pupils (1,666,000 in 2022), the 50 added 2,669,035.
    @Test func whoIsCovered() throws {
        let units = try rows("from nutrition | aggregate {units = count_distinct county_code}")
        #expect(units == [["111"]])
        let notCovered = try rows("""
            from nutrition
            filter !covered
            group county (aggregate {terms_not_covered = count this, first_year = min year, last_year = max year})
            sort {-terms_not_covered, county}
            take 5
            """)
        #expect(notCovered.first == ["城中区", "14", "2019", "2025"])
        #expect(notCovered.dropFirst().allSatisfy { $0[1] == "8" && $0[2] == "2019" && $0[3] == "2022" })
        let never = try rows("""
            from nutrition | filter !covered | group {county_code, county} (aggregate {n = count this}) | filter n == 14
            """)
        #expect(never == [["450202", "城中区", "14"]])
        let patterns = try rows("""
            from nutrition
            group county_code (aggregate {uncovered = sum (case [covered => 0, true => 1]), first_covered = min (case [covered => year, true => 9999])})
            group {uncovered, first_covered} (aggregate {n = count this})
            sort uncovered
            """)
        #expect(patterns == [["0", "2019", "60"], ["8", "2023", "50"], ["14", "9999", "1"]])
        for (year, expected) in [(2023, [["local", "50", "6781", "2669035"], ["national", "60", "8144", "1645765"]]),
                                 (2022, [["national", "60", "8170", "1666000"]])] {
            let found = try rows("""
                from nutrition
                filter covered && year == \(year) && term == "秋季"
                group pilot (aggregate {counties = count this, schools = sum schools, students = sum students})
                """)
            #expect(found.sorted { $0[0] < $1[0] } == expected, "\(year)")
        }
        #expect(wan("1645765", 1) == 164.6 && wan("1666000", 1) == 166.6 && wan("2669035", 1) == 266.9)
    }

    /// Finding 4: the share of covered schools with their own canteen rises from 0.61 in 2019 to 0.85 in 2025.
    @Test func canteensSpread() throws {
        let found = try rows("""
            from nutrition
            filter covered && term == "秋季"
            group year (aggregate {canteen_share = round 3 (average canteen_share)})
            sort year
            """)
        #expect(found == [["2019", "0.607"], ["2020", "0.647"], ["2021", "0.687"], ["2022", "0.727"],
                          ["2023", "0.771"], ["2024", "0.811"], ["2025", "0.851"]])
        #expect(found.first.map { ((Double($0[1]) ?? 0) * 100).rounded() / 100 } == 0.61)
        #expect(found.last.map { ((Double($0[1]) ?? 0) * 100).rounded() / 100 } == 0.85)
    }
}
