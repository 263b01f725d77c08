import Foundation
import Testing
@testable import TallyEngine

/// The findings stated in `Notebooks/rural-teachers.md`, each checked against the query that supports
/// it (the notebook's `$year` is 2025). The figures are synthetic; what the test holds is that the
/// notebook says what its queries give.
@Suite("rural-teachers findings")
struct RuralTeachersFindingsTests: FindingsTest {
    let session: Session

    init() throws {
        session = try Self.datasetSession()
    }

    /// The notebook's province-wide query.
    static let provinceWide = """
        from teachers
        group year (aggregate {rural = sum rural_teachers, special_post = sum special_post_teachers, subsidy = sum living_subsidy_recipients, subsidy_yuan = sum living_subsidy_yuan, bachelor = sum with_bachelor_degree})
        select {year, rural, special_post, subsidy, subsidy_share = round 3 (subsidy / rural), yuan_per_recipient = round 0 (subsidy_yuan / subsidy), bachelor_share = round 3 (bachelor / rural)}
        sort year
        """

    /// The notebook's key-county list.
    func defineIsKey() throws {
        _ = try session.run("""
            let is_key = code -> (code | in [450124, 450225, 450226, 451024, 451026, 451027, 451028, 451029, 451031, 451081, 451121, 451223, 451224, 451225, 451226, 451227, 451228, 451229, 451321, 451425])
            """)
    }

    /// Finding 1: rural teachers peak in 2022 (332,216) and fall to 315,577 in 2025; 304,068 on the
    /// subsidy in 2020 ("more than 300,000"); the share on the subsidy rises from 91.6% to 94.6%.
    @Test func ruralTeachersPeakIn2022() throws {
        let found = try rows(Self.provinceWide)
        #expect(found.map { $0[0] } == ["2019", "2020", "2021", "2022", "2023", "2024", "2025"])
        guard found.count == 7 else { return }
        let peak = found.max { (Int($0[1]) ?? 0) < (Int($1[1]) ?? 0) }
        #expect(peak?[0] == "2022" && peak?[1] == "332216")
        // Falling every year after the peak.
        let after = found.suffix(4).compactMap { Int($0[1]) }
        #expect(after == after.sorted(by: >) && Set(after).count == 4)
        #expect(found[6][1] == "315577")
        #expect(found[1][3] == "304068" && (Int(found[1][3]) ?? 0) > 300_000 && (Int(found[1][3]) ?? 0) < 400_000)
        #expect(found[0][4] == "0.916" && found[6][4] == "0.946")
    }

    /// Finding 2: the subsidy per recipient rises every year, 5,384 yuan in 2019 to 6,422 in 2025; the
    /// share with a bachelor's degree rises from 57.4% to 72.5%.
    @Test func subsidyAndDegreesRise() throws {
        let found = try rows(Self.provinceWide)
        let perRecipient = found.compactMap { Double($0[5]) }
        #expect(perRecipient.count == 7)
        #expect(zip(perRecipient, perRecipient.dropFirst()).allSatisfy { $0 < $1 }, "\(perRecipient)")
        #expect(found.first?[5] == "5384.0" && found.last?[5] == "6422.0")
        #expect(found.first?[6] == "0.574" && found.last?[6] == "0.725")
    }

    /// Finding 3: key counties have 4.2% special-post teachers against 2.4%, about 1.7 times; more subsidy
    /// per recipient (8,198 against 6,046 yuan in 2025); fewer bachelor's degrees (67.6% against 73.5%
    /// in 2025), a gap of 5.9 points in 2019 and still 5.9 in 2025.
    @Test func keyCountiesAgainstTheRest() throws {
        try defineIsKey()
        let found = try rows("""
            from teachers
            filter year == 2019 || year == 2025
            derive {group_name = case [(is_key county_code) => "key 重点帮扶县", true => "other 其他"]}
            group {group_name, year} (aggregate {rural = sum rural_teachers, special_post = sum special_post_teachers, subsidy = sum living_subsidy_recipients, subsidy_yuan = sum living_subsidy_yuan, bachelor = sum with_bachelor_degree})
            select {group_name, year, rural, special_post_share = round 3 (special_post / rural), yuan_per_recipient = round 0 (subsidy_yuan / subsidy), bachelor_share = round 3 (bachelor / rural)}
            sort {group_name, year}
            """)
        #expect(found == [
            ["key 重点帮扶县", "2019", "57501", "0.042", "6866.0", "0.526"],
            ["key 重点帮扶县", "2025", "54894", "0.042", "8198.0", "0.676"],
            ["other 其他", "2019", "269009", "0.024", "5066.0", "0.585"],
            ["other 其他", "2025", "260683", "0.024", "6046.0", "0.735"],
        ])
        // The ratio and the gap from the unrounded shares (the rounded 0.042 / 0.024 would give 1.75).
        let compared = try rows("""
            from teachers
            filter year == 2019 || year == 2025
            derive {k = is_key county_code}
            group year (aggregate {key_sp = sum (case [k => special_post_teachers, true => 0]), key_bach = sum (case [k => with_bachelor_degree, true => 0]), key_rural = sum (case [k => rural_teachers, true => 0]), sp = sum special_post_teachers, bach = sum with_bachelor_degree, rural = sum rural_teachers})
            select {year, special_post_ratio = round 1 ((key_sp / key_rural) / ((sp - key_sp) / (rural - key_rural))), bachelor_gap_points = round 1 (100 * ((bach - key_bach) / (rural - key_rural) - key_bach / key_rural))}
            sort year
            """)
        #expect(compared == [["2019", "1.7", "5.9"], ["2025", "1.7", "5.9"]])
    }
}
