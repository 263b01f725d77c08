import Foundation
import Testing
@testable import TallyEngine

/// The findings stated in `Notebooks/student-aid.md` about the lean of compulsory-school aid towards
/// the key counties, each checked against the query that supports it. The figures are synthetic; what
/// the test holds is that the notebook says what its queries give.
@Suite("student-aid findings")
struct StudentAidFindingsTests: FindingsTest {
    let session: Session

    init() throws {
        session = try Self.datasetSession()
    }

    /// Key counties' share of compulsory-school aid (loans excluded) and of pupils, and the yuan per
    /// pupil on both sides, by year.
    static let leanByYear = """
        from student_aid
        filter (level == "小学" || level == "初中") && aid_type != "loan"
        join counties (==county_code)
        group year (aggregate {key_yuan = sum (case [key_county => amount_yuan, true => 0]), all_yuan = sum amount_yuan})
        join p = (from enrolment | join counties (==county_code) | group year (aggregate {key_pupils = sum (case [key_county => enrolled, true => 0]), all_pupils = sum enrolled}) | select {y = year, key_pupils, all_pupils}) (this.year == that.y)
        derive {yuan_share = round 3 (key_yuan / all_yuan), pupil_share = round 3 (p.key_pupils / p.all_pupils), key_per_pupil = round 0 (key_yuan / p.key_pupils), other_per_pupil = round 0 ((all_yuan - key_yuan) / (p.all_pupils - p.key_pupils))}
        select {year, yuan_share, pupil_share, key_per_pupil, other_per_pupil}
        sort year
        """

    @Test func aidLeansTowardsTheKeyCounties() throws {
        let found = try rows(Self.leanByYear)
        #expect(found.count == 7)
        // 2025: 13.4% of pupils, 26.6% of the aid, about 598 yuan per pupil against 254 elsewhere.
        #expect(found.last == ["2025", "0.266", "0.134", "598.0", "254.0"])
        let ratio = (Double(found.last?[3] ?? "") ?? 0) / (Double(found.last?[4] ?? "") ?? 1)
        #expect((ratio * 10).rounded() / 10 == 2.4)
        // A steady lean: the share stays between 26.6% and 27.1% from 2019 to 2025.
        let shares = found.compactMap { Double($0[1]) }
        #expect(shares.min() == 0.266 && shares.max() == 0.271, "\(shares)")
    }

    /// The notebook's own two queries (with its `group_of` function) give the same 2025 shares.
    @Test func theNotebookQueriesAgree() throws {
        _ = try session.run("""
            let is_key = code -> (code | in [450124, 450225, 450226, 451024, 451026, 451027, 451028, 451029, 451031, 451081, 451121, 451223, 451224, 451225, 451226, 451227, 451228, 451229, 451321, 451425])
            """)
        _ = try session.run("""
            let group_of = code -> case [(is_key code) => "key 重点帮扶县", true => "other 其他"]
            """)
        let yuan = try rows("""
            from student_aid
            filter year == 2025 && (level == "小学" || level == "初中") && aid_type != "loan"
            derive {group_name = group_of county_code}
            group group_name (aggregate {yuan = sum amount_yuan})
            derive {yuan_share = round 3 (yuan / (sum yuan))}
            sort group_name
            """)
        #expect(yuan.map { [$0[0], $0[2]] } == [["key 重点帮扶县", "0.266"], ["other 其他", "0.734"]])
        let pupils = try rows("""
            from enrolment
            filter year == 2025
            derive {group_name = group_of county_code}
            group group_name (aggregate {pupils = sum enrolled})
            derive {pupil_share = round 3 (pupils / (sum pupils))}
            sort group_name
            """)
        #expect(pupils.map { [$0[0], $0[2]] } == [["key 重点帮扶县", "0.134"], ["other 其他", "0.866"]])
    }
}
