/// Student aid (measure 5) and the border special aid (measure 14): recipients and yuan per county,
/// year, level and programme. Synthetic recipients; amounts follow the real standards where
/// `reference/guangxi-facts.md` gives one (boarding subsidy, national grants, loan ceilings) and
/// synthetic per-student amounts where it does not (preschool aid, tuition waivers, border aid).

public enum AidLevel: Int, Sendable, CaseIterable {
    case preschool, primary, junior, highSchool, vocational, higher

    public var zh: String {
        switch self {
        case .preschool: "学前"
        case .primary: "小学"
        case .junior: "初中"
        case .highSchool: "普通高中"
        case .vocational: "中职"
        case .higher: "高校"
        }
    }
}

public enum AidProgramme: Int, Sendable, CaseIterable {
    case preschoolAid, boardingSubsidy, nationalGrant, tuitionWaiver, studentLoan, borderSpecial

    public var zh: String {
        switch self {
        case .preschoolAid: "学前教育资助"
        case .boardingSubsidy: "寄宿生生活费补助"
        case .nationalGrant: "国家助学金"
        case .tuitionWaiver: "免学费"
        case .studentLoan: "国家助学贷款"
        case .borderSpecial: "边境专项"
        }
    }

    /// grant (paid out), waiver (tuition not charged), loan (lent, repaid later).
    public var aidType: String {
        switch self {
        case .tuitionWaiver: "waiver"
        case .studentLoan: "loan"
        default: "grant"
        }
    }

    /// Payments a recipient gets in a year: one per term, a loan once a year.
    public var paymentsPerYear: Int { self == .studentLoan ? 1 : 2 }
}

struct AidRow: Sendable {
    let yearIndex: Int
    let countyIndex: Int
    let level: AidLevel
    let programme: AidProgramme
    let recipients: Int
    /// Yuan per recipient in the year (the spring and autumn terms may differ).
    let perRecipientYear: Int
    var amount: Int { recipients * perRecipientYear }
    /// Yuan per term payment in spring and in autumn (a loan: the yearly loan).
    let springTerm: Int
    let autumnTerm: Int
}

/// Yearly and per-term standards used by the generator.
enum AidStandard {
    /// National grant, 普通高中 and 中职: 2,000 average, 2,300 after the 2024 reform (applied here
    /// from the autumn 2024 term).
    static func secondaryGrantTerms(_ year: Int) -> (Int, Int) {
        year < 2024 ? (1000, 1000) : year == 2024 ? (1000, 1150) : (1150, 1150)
    }

    /// National grant, 高校: 3,300 average, 3,700 after the 2024 reform (from the autumn 2024 term).
    static func higherGrantTerms(_ year: Int) -> (Int, Int) {
        year < 2024 ? (1650, 1650) : year == 2024 ? (1650, 1850) : (1850, 1850)
    }

    /// National student loan ceiling for 本专科 students: 8,000, then 12,000 from autumn 2021
    /// (loans are contracted in the autumn term, so 2021 loans already use the new ceiling).
    static func loanCeiling(_ year: Int) -> Int { year < 2021 ? 8000 : 12000 }

    /// Boarding living subsidy per year: 小学 1,000, 初中 1,250.
    static func boardingYear(_ level: AidLevel) -> Int { level == .primary ? 1000 : 1250 }

    /// Synthetic: preschool aid per child per year.
    static let preschoolYear = 800

    /// Synthetic: border special aid per student per year by level.
    static func borderYear(_ level: AidLevel) -> Int {
        switch level {
        case .preschool: 300
        case .primary: 400
        default: 500
        }
    }
}

extension World {
    func aidRows() -> [AidRow] {
        var rng = Rng(seed: seed, stream: "student_aid")
        var rows: [AidRow] = []
        let poorTrend = [1.0, 1.0, 0.99, 0.98, 0.97, 0.96, 0.95]
        for t in 0..<Years.count {
            let year = Years.all[t]
            for (i, p) in profiles.enumerated() {
                let pv = p.poverty
                let jitter = { (rng: inout Rng) in 1 + 0.04 * rng.normal() }
                func add(_ level: AidLevel, _ programme: AidProgramme, _ recipients: Int, _ terms: (Int, Int)) {
                    rows.append(AidRow(yearIndex: t, countyIndex: i, level: level, programme: programme,
                                       recipients: recipients, perRecipientYear: terms.0 + terms.1,
                                       springTerm: terms.0, autumnTerm: terms.1))
                }
                func capped(_ base: Int, _ share: Double, _ rng: inout Rng) -> Int {
                    min(base, max(1, wholeCount(Double(base) * clamp(share * jitter(&rng), 0, 1))))
                }
                // 学前: preschool aid for children of families with financial difficulty.
                let half = AidStandard.preschoolYear / 2
                add(.preschool, .preschoolAid,
                    capped(preschoolEnrolled[i][t], (0.02 + 0.10 * pv) * poorTrend[t], &rng), (half, half))
                // 义务教育: boarding living subsidy for boarders from families with financial difficulty.
                let poorShare = (0.50 + 0.45 * pv) * poorTrend[t]
                for level in [AidLevel.primary, .junior] {
                    let boarders = level == .primary ? primaryBoarders[i][t] : juniorBoarders[i][t]
                    let termAmount = AidStandard.boardingYear(level) / 2
                    add(level, .boardingSubsidy, capped(boarders, poorShare, &rng), (termAmount, termAmount))
                }
                // 普通高中 and 中职: national grant and tuition waiver.
                let grant = AidStandard.secondaryGrantTerms(year)
                let hs = highSchoolStudents[i][t], vs = vocationalStudents[i][t]
                add(.highSchool, .nationalGrant, capped(hs, (0.12 + 0.28 * pv) * poorTrend[t], &rng), grant)
                let hsFee = p.tuitionHighSchool / 2
                add(.highSchool, .tuitionWaiver, capped(hs, (0.03 + 0.17 * pv) * poorTrend[t], &rng), (hsFee, hsFee))
                add(.vocational, .nationalGrant, capped(vs, (0.12 + 0.25 * pv) * poorTrend[t], &rng), grant)
                let vsFee = p.tuitionVocational / 2
                add(.vocational, .tuitionWaiver, capped(vs, 0.45 + 0.35 * p.rurality, &rng), (vsFee, vsFee))
                // 高校 (by home county): national grant and the student loan (生源地信用助学贷款).
                let higherPool = wholeCount(Double(seniorAge[i][t]) * 0.55)
                add(.higher, .nationalGrant, capped(higherPool, 0.025 + 0.07 * pv, &rng), AidStandard.higherGrantTerms(year))
                let loan = 10 * wholeCount(Double(AidStandard.loanCeiling(year)) * p.loanShareOfCeiling / 10)
                add(.higher, .studentLoan, capped(higherPool, 0.05 + 0.12 * pv, &rng), (0, loan))
                // 边境专项: only in the 8 border counties, for pupils in the border areas.
                if p.county.borderCounty {
                    let levels: [(AidLevel, Int)] = [(.preschool, borderPreschool[i][t]), (.primary, borderPrimary[i][t]),
                                                     (.junior, borderJunior[i][t])]
                    for (level, students) in levels {
                        let term = AidStandard.borderYear(level) / 2
                        add(level, .borderSpecial, capped(students, 0.34 + 0.01 * Double(t), &rng), (term, term))
                    }
                }
            }
        }
        return rows
    }
}
