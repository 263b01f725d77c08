/// The synthetic part: a small model of Guangxi's counties from which every synthetic table is read.
///
/// Nothing here is an official statistic. Each county gets hidden traits drawn from the seed —
/// poverty (0..1), rurality (share of pupils in rural schools) — biased by the real facts (key,
/// border and autonomous counties are poorer; central urban districts are urban and richer). Its size
/// (school-age population) follows its 2020 census resident population (`CountyPopulation.all`:
/// census figures where sourced, labelled estimates elsewhere), with a synthetic child share that is
/// higher in poorer counties and a little synthetic noise.
/// Every figure follows from those traits and a few province-wide paths calibrated to the published
/// magnitudes of `reference/guangxi-facts.md` (rates of 2018/2020, nutrition coverage of 2022/2023,
/// more than 300,000 rural teachers on the living subsidy). Aid totals are synthetic recipients times
/// the real standards, kept to the order of the published 2016–2020 total (26.14 billion yuan over five
/// years) and the 4.348 billion allocated in advance for 2026; no yearly total for 2021–2025 is published.

public enum Years {
    public static let first = 2019
    public static let last = 2025
    public static let all: [Int] = Array(first...last)
    public static let count = all.count
}

/// The committed seed of the plan datasets.
public let defaultSeed: UInt64 = 0x4758_2021_2025_0045

enum Group: Sendable {
    /// A central urban district (a modelling choice of this generator, not an official class).
    case coreUrban
    /// Any other district (mostly former counties).
    case suburban
    /// 县 and 自治县.
    case county
    /// 县级市.
    case countyCity
}

/// Central urban districts: modelled as urban, well-off and with few rural schools.
let coreUrbanCodes: Set<Int> = [
    450102, 450103, 450105, 450107, 450202, 450203, 450204, 450205, 450302, 450303, 450304, 450305,
    450403, 450405, 450502, 450503, 450602, 450702, 450802, 450902, 451002, 451102, 451202, 451302, 451402,
]

/// The one county-level unit left outside the nutrition programme after the 2023 full coverage of
/// 110 counties (the published figure counts 110 of the 111 units; which one is a modelling choice).
let nutritionExcludedCode = 450202

struct CountyProfile: Sendable {
    let county: County
    let group: Group
    /// 0 (well-off) … 1 (poorest).
    let poverty: Double
    /// Share of compulsory-school pupils in rural schools.
    let rurality: Double
    /// Relative size of the school-age population: thousands of residents (2020 census or estimate)
    /// times a synthetic child share and noise.
    var size: Double
    /// One of the 60 national pilot counties of the nutrition programme up to 2022 (synthetic choice:
    /// poor units outside the central districts holding about 38.6% of the pupils, see `drawProfiles`).
    var nationalPilot = false
    /// Yearly drift of the school-age population (towns grow, remote counties shrink).
    let drift: Double
    let primaryShare: Double
    let vocationalShare: Double
    let tuitionHighSchool: Int
    let tuitionVocational: Int
    let loanShareOfCeiling: Double
}

extension CountyProfile {
    /// Share of primary pupils who board: higher in poor, rural counties.
    var primaryBoardingShare: Double { 0.08 + 0.45 * poverty * (0.5 + 0.5 * rurality) }
    /// Share of junior-secondary pupils who board.
    var juniorBoardingShare: Double { 0.40 + 0.50 * poverty }
}

/// Which indicator a lagging county falls behind in.
enum Lag: Sendable { case retention, preschool, seniorSecondary, putonghua }

/// One figure per county and year: `[county index][year index]`.
typealias Grid<T> = [[T]]

func grid<T>(_ nC: Int, _ value: T) -> Grid<T> { Array(repeating: Array(repeating: value, count: Years.count), count: nC) }

struct University: Sendable {
    let id: String
    let name: String
    let city: String
    let kind: String
    /// Graduates in 2019.
    let graduates: Int
    let lowIncomeShare: Double
    let strength: Double
}

/// Everything the synthetic tables are read from.
struct World: Sendable {
    let seed: UInt64
    let counties: [County]
    let profiles: [CountyProfile]
    var laggards: [Int: Lag] = [:]

    // enrolment
    var schoolAge: Grid<Int>
    var enrolled: Grid<Int>
    var primary: Grid<Int>
    var junior: Grid<Int>
    var dropouts: Grid<Int>
    var returned: Grid<Int>
    var retention: Grid<Double>
    var preschoolAge: Grid<Int>
    var preschoolEnrolled: Grid<Int>
    var seniorAge: Grid<Int>
    var seniorEnrolled: Grid<Int>
    var vocationalStudents: Grid<Int>
    var highSchoolStudents: Grid<Int>
    var putonghua: Grid<Double>

    // schools
    var schools: Grid<Int>
    var kindergartens: Grid<Int>
    var highSchools: Grid<Int>
    var vocationalSchools: Grid<Int>
    var primaryBoarders: Grid<Int>
    var juniorBoarders: Grid<Int>

    // border areas (only the 8 border counties have non-zero figures)
    var borderShare: [Double]
    var borderPreschool: Grid<Int>
    var borderPrimary: Grid<Int>
    var borderJunior: Grid<Int>

    var universities: [University] = []

    init(seed: UInt64) {
        self.seed = seed
        counties = Geography.counties
        let nC = counties.count
        profiles = World.drawProfiles(counties, seed: seed)
        schoolAge = grid(nC, 0); enrolled = grid(nC, 0); primary = grid(nC, 0); junior = grid(nC, 0)
        dropouts = grid(nC, 0); returned = grid(nC, 0); retention = grid(nC, 0)
        preschoolAge = grid(nC, 0); preschoolEnrolled = grid(nC, 0)
        seniorAge = grid(nC, 0); seniorEnrolled = grid(nC, 0)
        vocationalStudents = grid(nC, 0); highSchoolStudents = grid(nC, 0); putonghua = grid(nC, 0)
        schools = grid(nC, 0); kindergartens = grid(nC, 0); highSchools = grid(nC, 0)
        vocationalSchools = grid(nC, 0); primaryBoarders = grid(nC, 0); juniorBoarders = grid(nC, 0)
        borderShare = Array(repeating: 0, count: nC)
        borderPreschool = grid(nC, 0); borderPrimary = grid(nC, 0); borderJunior = grid(nC, 0)
        pickLaggards()
        buildEnrolment()
        buildSchools()
        buildBorder()
        universities = World.drawUniversities(seed: seed)
    }

    // MARK: profiles

    static func drawProfiles(_ counties: [County], seed: UInt64) -> [CountyProfile] {
        var rng = Rng(seed: seed, stream: "profiles")
        var result: [CountyProfile] = []
        for c in counties {
            let group: Group
            if coreUrbanCodes.contains(c.code) {
                group = .coreUrban
            } else if c.kind == .district {
                group = .suburban
            } else if c.kind == .countyCity {
                group = .countyCity
            } else {
                group = .county
            }
            var p: Double
            var r: Double
            // Synthetic noise on the cohort size (±8%), drawn where the size itself used to be drawn.
            let noise: Double
            switch group {
            case .coreUrban:
                p = rng.uniform(0.02, 0.15); r = rng.uniform(0.04, 0.16); noise = rng.uniform(0.92, 1.08)
            case .suburban:
                p = rng.uniform(0.22, 0.45); r = rng.uniform(0.45, 0.70); noise = rng.uniform(0.92, 1.08)
            case .county:
                p = rng.uniform(0.28, 0.55); r = rng.uniform(0.70, 0.86); noise = rng.uniform(0.92, 1.08)
            case .countyCity:
                p = rng.uniform(0.25, 0.50); r = rng.uniform(0.55, 0.75); noise = rng.uniform(0.92, 1.08)
            }
            // The western and north-western mountain cities (百色, 河池, 崇左) are poorer.
            if group != .coreUrban, [4510, 4512, 4514].contains(c.cityCode) { p += 0.15 }
            if c.autonomousCounty { p = max(p, rng.uniform(0.62, 0.80)) }
            if c.borderCounty { p = max(p, rng.uniform(0.50, 0.68)) }
            if c.keyCounty { p = rng.uniform(0.82, 0.98) }
            p = clamp(p, 0, 1)
            // Size from the resident population (thousands): poorer, more rural counties have more
            // children per resident (a synthetic child share, 0.85 at poverty 0 to 1.15 at poverty 1).
            let residents = Double(CountyPopulation.byCode[c.code]?.population ?? 0) / 1000
            let size = residents * (0.85 + 0.30 * p) * noise
            let drift = group == .coreUrban ? rng.uniform(0.004, 0.014) : rng.uniform(-0.010, 0.002) - 0.004 * p
            result.append(CountyProfile(
                county: c, group: group, poverty: p, rurality: r, size: size, drift: drift,
                primaryShare: rng.uniform(0.665, 0.700),
                vocationalShare: clamp(0.36 + 0.12 * r + rng.uniform(-0.03, 0.03), 0.3, 0.5),
                tuitionHighSchool: 50 * Int((rng.uniform(700, 1100) + 400 * (1 - r)) / 50),
                tuitionVocational: 100 * Int((rng.uniform(1400, 1800) + 400 * (1 - r)) / 100),
                loanShareOfCeiling: rng.uniform(0.80, 0.94)))
        }
        // The national pilot counties of the nutrition programme: 60 counties with 1.666 million pupils
        // (published) against 4.3148 million in 110 counties in 2023, so the pilots hold about 38.6% of
        // the pupils. Which 60 is a synthetic choice: the poorest units outside the central districts,
        // in order of poverty, each taken while the pilots' rural pupils (size × rurality, what the
        // programme covers) stay within 38.6% of the total (a poor but large county is passed over),
        // then the smallest of the rest if fewer than 60 fit.
        var ranked: [(Double, Int)] = []
        for (i, p) in result.enumerated() where p.group != .coreUrban { ranked.append((p.poverty, i)) }
        ranked.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let budget = 1_666_000.0 / 4_314_800.0 * result.reduce(0.0) { $0 + $1.size * $1.rurality }
        var pilotSize = 0.0, chosen = 0
        for (_, i) in ranked where chosen < 60 && pilotSize + result[i].size * result[i].rurality <= budget {
            result[i].nationalPilot = true
            pilotSize += result[i].size * result[i].rurality
            chosen += 1
        }
        let rest = ranked.map(\.1).filter { !result[$0].nationalPilot }
            .sorted { result[$0].size != result[$1].size ? result[$0].size < result[$1].size : $0 < $1 }
        for i in rest.prefix(60 - chosen) { result[i].nationalPilot = true }
        return result
    }

    /// Eight counties (never a central district) that fall behind in one indicator each.
    mutating func pickLaggards() {
        var rng = Rng(seed: seed, stream: "laggards")
        var keyed: [(Double, Int)] = []
        for (i, p) in profiles.enumerated() where p.group != .coreUrban {
            keyed.append((rng.unit() * (0.4 + p.poverty), i))
        }
        keyed.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let lags: [Lag] = [.retention, .retention, .preschool, .preschool, .seniorSecondary, .seniorSecondary,
                           .putonghua, .putonghua]
        for (k, lag) in lags.enumerated() { laggards[keyed[k].1] = lag }
    }

    // MARK: rates

    /// County rates around a province path: poorer counties start lower and close part of the gap
    /// (key counties faster), laggards keep their gap; the weighted mean is then shifted onto the path.
    func rates(path: [Double], weights: Grid<Int>, slope: Double, spread: Double, urban: Double,
               extra: (CountyProfile) -> Double, lag: Lag, lagDepth: ClosedRange<Double>,
               ceiling: Double, stream: String) -> Grid<Double> {
        var rng = Rng(seed: seed, stream: stream)
        let nC = profiles.count
        let meanP = profiles.reduce(0.0) { $0 + $1.poverty } / Double(nC)
        var out = grid(nC, 0.0)
        for (i, p) in profiles.enumerated() {
            var base = -slope * (p.poverty - meanP) + spread * rng.normal() + extra(p)
            if p.group == .coreUrban { base += urban }
            var convergence = p.county.keyCounty ? rng.uniform(0.6, 0.8) : rng.uniform(0.25, 0.5)
            if base > 0 { convergence = 0.2 }
            if laggards[i] == lag {
                base = -rng.uniform(lagDepth.lowerBound, lagDepth.upperBound)
                convergence = -0.15
            }
            for t in 0..<Years.count {
                out[i][t] = base * (1 - convergence * Double(t) / Double(Years.count - 1)) + 0.0015 * rng.normal()
            }
        }
        for t in 0..<Years.count {
            for _ in 0..<4 {
                var num = 0.0, den = 0.0
                for i in 0..<nC {
                    let w = Double(weights[i][t])
                    num += w * (path[t] + out[i][t]); den += w
                }
                let shift = path[t] - num / den
                for i in 0..<nC { out[i][t] += shift }
            }
            for i in 0..<nC { out[i][t] = clamp(path[t] + out[i][t], 0.5, ceiling) }
        }
        return out
    }

    // MARK: enrolment

    mutating func buildEnrolment() {
        var rng = Rng(seed: seed, stream: "enrolment")
        let totalSize = profiles.reduce(0.0) { $0 + $1.size }
        // School-age cohorts (synthetic, near Guangxi's magnitudes): 6–14, 3–5, 15–17.
        let compulsoryTrend = [1.000, 1.012, 1.020, 1.022, 1.015, 0.998, 0.975]
        let preschoolTrend = [1.000, 0.975, 0.940, 0.895, 0.850, 0.805, 0.765]
        let seniorTrend = [1.000, 1.012, 1.030, 1.050, 1.068, 1.080, 1.090]
        for (i, p) in profiles.enumerated() {
            let share = p.size / totalSize
            let preschoolTilt = 1 + 0.15 * (p.poverty - 0.5)
            for t in 0..<Years.count {
                let growth = 1 + p.drift * Double(t)
                schoolAge[i][t] = wholeCount(7_250_000 * share * compulsoryTrend[t] * growth * (1 + 0.003 * rng.normal()))
                preschoolAge[i][t] = wholeCount(2_300_000 * share * preschoolTilt * preschoolTrend[t] * growth
                                           * (1 + 0.004 * rng.normal()))
                seniorAge[i][t] = wholeCount(2_180_000 * share * seniorTrend[t] * growth * (1 + 0.004 * rng.normal()))
            }
        }
        // Province paths: 2018 and 2020 are published (retention 94% in 2018; preschool 82.7% in 2018
        // and 91% in 2020; senior secondary 88.5% in 2018; Putonghua 85.68% in 2020), the rest is
        // synthetic, rising towards the 2025 targets.
        retention = rates(path: [0.945, 0.950, 0.953, 0.956, 0.959, 0.962, 0.965], weights: schoolAge,
                          slope: 0.03, spread: 0.005, urban: 0.008, extra: { _ in 0 }, lag: .retention,
                          lagDepth: 0.035...0.05, ceiling: 0.995, stream: "retention")
        let preschoolRate = rates(path: [0.870, 0.910, 0.914, 0.918, 0.922, 0.926, 0.930], weights: preschoolAge,
                                  slope: 0.06, spread: 0.010, urban: 0.02, extra: { _ in 0 }, lag: .preschool,
                                  lagDepth: 0.06...0.08, ceiling: 0.99, stream: "preschool")
        let seniorRate = rates(path: [0.890, 0.900, 0.906, 0.912, 0.919, 0.926, 0.933], weights: seniorAge,
                               slope: 0.025, spread: 0.005, urban: 0.015, extra: { _ in 0 }, lag: .seniorSecondary,
                               lagDepth: 0.05...0.07, ceiling: 0.99, stream: "senior")
        putonghua = rates(path: [0.845, 0.8568, 0.864, 0.871, 0.877, 0.883, 0.888], weights: schoolAge,
                          slope: 0.06, spread: 0.012, urban: 0.05,
                          extra: { ($0.county.autonomousCounty ? -0.04 : 0) + ($0.county.borderCounty ? -0.02 : 0) },
                          lag: .putonghua, lagDepth: 0.07...0.09, ceiling: 0.985, stream: "putonghua")
        let dropoutYear = [1.0, 0.6, 0.35, 0.30, 0.28, 0.26, 0.25]
        let returnYear = [0.80, 0.90, 0.96, 0.97, 0.975, 0.98, 0.98]
        for (i, p) in profiles.enumerated() {
            let lagging = laggards[i] == .retention
            for t in 0..<Years.count {
                let age = schoolAge[i][t]
                let rate = (0.0008 + 0.002 * p.poverty) * dropoutYear[t] * (lagging ? 2.2 : 1) * rng.uniform(0.8, 1.2)
                let d = wholeCount(Double(age) * rate)
                let back = clamp(returnYear[t] - (lagging ? 0.12 : 0) + 0.02 * rng.normal(), 0, 1)
                let r = min(d, wholeCount(Double(d) * back))
                dropouts[i][t] = d
                returned[i][t] = r
                enrolled[i][t] = age - (d - r)
                primary[i][t] = wholeCount(Double(enrolled[i][t]) * p.primaryShare)
                junior[i][t] = enrolled[i][t] - primary[i][t]
                retention[i][t] = round4(retention[i][t])
                preschoolEnrolled[i][t] = min(preschoolAge[i][t], wholeCount(Double(preschoolAge[i][t]) * preschoolRate[i][t]))
                seniorEnrolled[i][t] = min(seniorAge[i][t], wholeCount(Double(seniorAge[i][t]) * seniorRate[i][t]))
                vocationalStudents[i][t] = wholeCount(Double(seniorEnrolled[i][t]) * p.vocationalShare)
                highSchoolStudents[i][t] = seniorEnrolled[i][t] - vocationalStudents[i][t]
                putonghua[i][t] = round4(putonghua[i][t])
            }
        }
    }

    // MARK: schools

    mutating func buildSchools() {
        var rng = Rng(seed: seed, stream: "schools")
        var raw: [Double] = []
        for (i, p) in profiles.enumerated() {
            raw.append(Double(schoolAge[i][0]) * (p.rurality / 240 + (1 - p.rurality) / 1500))
        }
        let scale = 17_600 / raw.reduce(0, +)
        for (i, p) in profiles.enumerated() {
            var n = raw[i] * scale
            let kgSize = 80 + 120 * (1 - p.rurality) + rng.uniform(-10, 10)
            let hsSize = rng.uniform(2200, 3000)
            let vsSize = rng.uniform(2000, 3500)
            let boardPrimary = p.primaryBoardingShare
            let boardJunior = p.juniorBoardingShare
            for t in 0..<Years.count {
                if t > 0 { n *= 1 - 0.012 * p.rurality }
                schools[i][t] = max(3, wholeCount(n))
                kindergartens[i][t] = max(1, wholeCount(Double(preschoolEnrolled[i][t]) / kgSize * (1 + 0.02 * Double(t))))
                highSchools[i][t] = max(1, wholeCount(Double(highSchoolStudents[i][t]) / hsSize))
                vocationalSchools[i][t] = max(1, wholeCount(Double(vocationalStudents[i][t]) / vsSize))
                primaryBoarders[i][t] = wholeCount(Double(primary[i][t]) * boardPrimary * (1 + 0.01 * Double(t)))
                juniorBoarders[i][t] = min(junior[i][t], wholeCount(Double(junior[i][t]) * boardJunior * (1 + 0.01 * Double(t))))
            }
        }
    }

    // MARK: border areas

    mutating func buildBorder() {
        var rng = Rng(seed: seed, stream: "border")
        for (i, c) in counties.enumerated() where c.borderCounty {
            let share = rng.uniform(0.25, 0.5)
            borderShare[i] = share
            for t in 0..<Years.count {
                borderPreschool[i][t] = wholeCount(Double(preschoolEnrolled[i][t]) * share)
                borderPrimary[i][t] = wholeCount(Double(primary[i][t]) * share)
                borderJunior[i][t] = wholeCount(Double(junior[i][t]) * share)
            }
        }
    }

    // MARK: universities

    static func drawUniversities(seed: UInt64) -> [University] {
        var rng = Rng(seed: seed, stream: "universities")
        // Synthetic universities in real cities, weighted towards Nanning and Guilin.
        let cityPool = ["南宁市", "南宁市", "南宁市", "南宁市", "南宁市", "南宁市", "桂林市", "桂林市", "桂林市",
                        "柳州市", "柳州市", "梧州市", "北海市", "钦州市", "玉林市", "百色市", "贺州市", "河池市",
                        "崇左市", "来宾市", "防城港市", "贵港市"]
        var result: [University] = []
        for k in 1...40 {
            let undergraduate = k <= 15
            let city = cityPool[Int(rng.below(UInt64(cityPool.count)))]
            let id = k < 10 ? "U0\(k)" : "U\(k)"
            result.append(University(
                id: id, name: "合成高校" + id, city: city, kind: undergraduate ? "本科" : "高职高专",
                graduates: undergraduate ? rng.int(2500...9000) : rng.int(1200...6000),
                lowIncomeShare: rng.uniform(0.14, 0.34), strength: rng.normal()))
        }
        return result
    }
}
