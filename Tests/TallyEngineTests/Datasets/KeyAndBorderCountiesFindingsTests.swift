import Foundation
import Testing
@testable import TallyEngine

/// The findings stated in `Notebooks/key-and-border-counties.md`, each checked against the query that
/// supports it (the notebook's `$year` is 2025). The figures are synthetic; what the test holds is that
/// the notebook says what its queries give.
@Suite("key-and-border-counties findings")
struct KeyAndBorderCountiesFindingsTests: FindingsTest {
    let session: Session

    init() throws {
        session = try Self.datasetSession()
    }

    /// The notebook's three functions: the key-county list, the border-county list and the four groups.
    func defineGroups() throws {
        _ = try session.run("""
            let is_key = code -> (code | in [450124, 450225, 450226, 451024, 451026, 451027, 451028, 451029, 451031, 451081, 451121, 451223, 451224, 451225, 451226, 451227, 451228, 451229, 451321, 451425])
            """)
        _ = try session.run("""
            let is_border = code -> (code | in [450603, 450681, 451026, 451081, 451422, 451423, 451424, 451481])
            """)
        _ = try session.run("""
            let group_of = code -> case [(is_key code) && (is_border code) => "key + border 重点且边境", (is_key code) => "key 重点帮扶县", (is_border code) => "border 边境县", true => "other 其他"]
            """)
    }

    /// A difference of two rates in percentage points, to one decimal.
    func points(_ high: String, _ low: String) -> Double {
        (((Double(high) ?? .nan) - (Double(low) ?? .nan)) * 1000).rounded() / 10
    }

    /// A rate to three decimals, as the findings state it.
    func three(_ cell: String) -> Double {
        ((Double(cell) ?? .nan) * 1000).rounded() / 1000
    }

    /// 18 key counties, 6 border counties and the two (靖西市, 那坡县) that are both.
    @Test func theFourGroups() throws {
        let found = try rows("""
            from counties
            filter key_county || border_county
            group {key_county, border_county} (aggregate {counties = count this})
            sort {key_county, border_county}
            """)
        #expect(found == [["false", "true", "6"], ["true", "false", "18"], ["true", "true", "2"]])
    }

    /// Finding 1: the key counties' retention, preschool and senior-secondary rates in 2019 and 2025,
    /// their gaps to the other counties, and the border counties in between and catching up.
    @Test func keyCountiesCloseTheGapButMissTheRetentionTarget() throws {
        try defineGroups()
        let found = try rows("""
            from enrolment
            filter year == 2019 || year == 2025
            derive {group_name = group_of county_code, retained = retention_rate * school_age_children}
            group {group_name, year} (aggregate {counties = count this, retained = sum retained, age = sum school_age_children, pre = sum preschool_enrolled, pre_age = sum preschool_age_children, senior = sum senior_secondary_enrolled, senior_age = sum senior_secondary_age})
            select {group_name, year, counties, retention = round 4 (retained / age), preschool = round 4 (pre / pre_age), senior_secondary = round 4 (senior / senior_age)}
            sort {group_name, year}
            """)
        #expect(found == [
            ["border 边境县", "2019", "6", "0.9328", "0.8557", "0.8849"],
            ["border 边境县", "2025", "6", "0.9568", "0.9185", "0.9269"],
            ["key + border 重点且边境", "2019", "2", "0.9284", "0.8307", "0.879"],
            ["key + border 重点且边境", "2025", "2", "0.9582", "0.9129", "0.9279"],
            ["key 重点帮扶县", "2019", "18", "0.9272", "0.8349", "0.8686"],
            ["key 重点帮扶县", "2025", "18", "0.9542", "0.9089", "0.9183"],
            ["other 其他", "2019", "85", "0.9488", "0.8775", "0.8938"],
            ["other 其他", "2025", "85", "0.9672", "0.9345", "0.9357"],
        ])
        guard found.count == 8 else { return }
        let border2019 = found[0], border2025 = found[1], key2019 = found[4], key2025 = found[5]
        let other2019 = found[6], other2025 = found[7]
        // 2019: 0.927, 0.835, 0.869 — 2.2, 4.3 and 2.5 points below the other counties.
        #expect([3, 4, 5].map { three(key2019[$0]) } == [0.927, 0.835, 0.869])
        #expect([3, 4, 5].map { points(other2019[$0], key2019[$0]) } == [2.2, 4.3, 2.5])
        // 2025: 0.954, 0.909, 0.918 — the gaps shrink to 1.3, 2.6 and 1.7 points.
        #expect([3, 4, 5].map { three(key2025[$0]) } == [0.954, 0.909, 0.918])
        #expect([3, 4, 5].map { points(other2025[$0], key2025[$0]) } == [1.3, 2.6, 1.7])
        // Retention still below the 0.96 target.
        #expect((Double(key2025[3]) ?? 1) < 0.96)
        // The border counties sit between the key and the other counties on every rate, both years,
        // and their gap to the other counties shrinks on every rate.
        for column in 3...5 {
            for (key, border, other) in [(key2019, border2019, other2019), (key2025, border2025, other2025)] {
                let (k, b, o) = (Double(key[column]) ?? 0, Double(border[column]) ?? 0, Double(other[column]) ?? 0)
                #expect(k < b && b < o, "column \(column), \(border[1])")
            }
            let gap2019 = (Double(other2019[column]) ?? 0) - (Double(border2019[column]) ?? 0)
            let gap2025 = (Double(other2025[column]) ?? 0) - (Double(border2025[column]) ?? 0)
            #expect(gap2025 < gap2019, "column \(column)")
        }
    }

    /// Finding 2: 2025 Putonghua prevalence, about 0.86 in the key and border counties against 0.895
    /// in the others, about 3 points lower.
    @Test func putonghuaStillLagsInKeyAndBorderCounties() throws {
        try defineGroups()
        let found = try rows("""
            from putonghua
            filter year == 2025
            derive {group_name = group_of county_code}
            group group_name (aggregate {counties = count this, prevalence = round 4 (average prevalence_rate)})
            sort group_name
            """)
        #expect(found == [
            ["border 边境县", "6", "0.8628"],
            ["key + border 重点且边境", "2", "0.8595"],
            ["key 重点帮扶县", "18", "0.8622"],
            ["other 其他", "85", "0.8947"],
        ])
        // Each key or border group is about 0.86, about 3 points below the other counties.
        for row in found.dropLast() {
            #expect(((Double(row[2]) ?? 0) * 100).rounded() / 100 == 0.86, "\(row[0])")
            let gap = points(found.last?[2] ?? "", row[2])
            #expect(gap >= 3 && gap < 4, "\(row[0]): \(gap)")
        }
        // The 26 key or border counties together: 0.862 against 0.895, 3 points.
        let together = try rows("""
            from putonghua
            filter year == 2025
            derive {kb = (is_key county_code) || (is_border county_code)}
            group kb (aggregate {counties = count this, prevalence = round 3 (average prevalence_rate)})
            sort kb
            """)
        #expect(together == [["false", "85", "0.895"], ["true", "26", "0.862"]])
    }

    /// Finding 3: the border counties' schools — all meet the basic standards from 2023 (88% in 2019),
    /// the border allowance rises from 64.4% to 100% of teachers, proficiency from 0.703 to 0.817.
    @Test func borderSchoolsCatchUp() throws {
        let found = try rows("""
            from border_schools
            group year (aggregate {schools = sum schools, compliant = sum standard_compliant_schools, students = sum students, boarders = sum boarding_students, teachers = sum teachers, allowance = sum teachers_with_border_allowance, aid_yuan = sum border_aid_yuan, proficiency = average proficiency_rate})
            select {year, schools, compliant_share = round 3 (compliant / schools), boarding_share = round 3 (boarders / students), allowance_share = round 3 (allowance / teachers), aid_yuan, proficiency = round 4 proficiency}
            sort year
            """)
        #expect(found.map { $0[0] } == ["2019", "2020", "2021", "2022", "2023", "2024", "2025"])
        #expect(found.map { $0[2] } == ["0.879", "0.938", "0.976", "0.984", "1.0", "1.0", "1.0"])
        #expect(found.first?[4] == "0.644" && found.last?[4] == "1.0")
        #expect(found.first?[6] == "0.7032" && found.last?[6] == "0.8168")
        #expect(found.first.map { three($0[6]) } == 0.703 && found.last.map { three($0[6]) } == 0.817)
        // Exactly all schools from 2023 (not only to three decimals), and every teacher in 2025.
        let exact = try rows("""
            from border_schools
            group year (aggregate {short = sum (schools - standard_compliant_schools), without = sum (teachers - teachers_with_border_allowance)})
            sort year
            """)
        #expect(exact == [["2019", "61", "5425"], ["2020", "31", "4247"], ["2021", "12", "3010"], ["2022", "8", "1766"],
                          ["2023", "0", "571"], ["2024", "0", "72"], ["2025", "0", "0"]])
    }

    /// Finding 3, continued: in 2025 凭祥市 (0.791) and 龙州县 (0.793) are lowest, 大新县 (0.857) highest.
    @Test func proficiencyRankingIn2025() throws {
        let found = try rows("""
            from border_schools
            filter year == 2025
            select {county, proficiency_rate}
            sort proficiency_rate
            """)
        #expect(found.count == 8)
        #expect(Array(found.prefix(2)) == [["凭祥市", "0.7914"], ["龙州县", "0.7934"]])
        #expect(found.last == ["大新县", "0.8567"])
    }
}
