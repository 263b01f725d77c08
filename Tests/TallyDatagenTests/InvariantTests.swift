import Testing
@testable import TallyDatagen

/// Invariants of the synthetic tables: consistent, plausible, scaled to the published magnitudes.
@Suite struct InvariantTests {
    /// Columns that are counts or yuan: whole numbers, never negative.
    static let countColumns: [String: [String]] = [
        "enrolment": ["school_age_children", "enrolled", "primary_enrolled", "junior_enrolled", "dropouts",
                      "dropouts_returned", "preschool_age_children", "preschool_enrolled", "senior_secondary_age",
                      "senior_secondary_enrolled"],
        "schools": ["schools", "standard_compliant", "boarding_places", "small_rural_schools", "broadband_schools",
                    "multimedia_classrooms", "kindergartens", "preschool_places", "general_high_schools"],
        "teachers": ["rural_teachers", "special_post_teachers", "living_subsidy_recipients", "living_subsidy_yuan",
                     "with_bachelor_degree"],
        "putonghua": ["trainees"],
        "student_aid": ["recipients", "amount_yuan"],
        "nutrition": ["schools", "students", "school_days", "funds_yuan"],
        "child_care": ["left_behind_children", "with_care_plan", "home_visits"],
        "graduate_employment": ["graduates", "graduates_low_income", "employed", "assisted"],
        "vocational": ["vocational_schools", "secondary_vocational_students", "agriculture_programmes", "rural_trainees"],
        "special_enrolment": ["places", "admitted_from_guangxi", "admitted_from_key_counties"],
        "border_schools": ["schools", "standard_compliant_schools", "students", "boarding_students", "teachers",
                           "teachers_with_border_allowance", "border_aid_recipients", "border_aid_yuan"],
        "pairings": ["teachers_exchanged", "activities"],
        "university_service": ["projects", "people_trained", "counties_served", "key_counties_served"],
        "graduate_employment_counties": ["graduates_low_income", "employed", "assisted"],
        "special_enrolment_counties": ["admitted"],
        "university_service_counties": ["projects", "people_trained"],
    ]

    static let rateColumns: [String: [String]] = [
        "enrolment": ["retention_rate", "preschool_gross_enrolment_rate", "senior_secondary_gross_enrolment_rate"],
        "putonghua": ["prevalence_rate"],
        "nutrition": ["canteen_share"],
        "graduate_employment": ["employment_rate"],
        "graduate_employment_counties": ["employment_rate"],
        "border_schools": ["proficiency_rate"],
        "targets": ["target"],
    ]

    @Test func noNegativeCounts() {
        for (name, columns) in Self.countColumns {
            for column in columns {
                let values = table(name).ints(column)
                #expect(!values.isEmpty)
                #expect(values.allSatisfy { $0 >= 0 }, "\(name).\(column) has a negative or non-integer value")
            }
        }
    }

    @Test func ratesAreFractionsWithFourDecimals() {
        for (name, columns) in Self.rateColumns {
            for column in columns {
                for text in table(name).texts(column) where !text.isEmpty {
                    #expect(text.count == 6 && (text.hasPrefix("0.") || text == "1.0000"), "\(name).\(column) = \(text)")
                    let x = Double(text) ?? -1
                    #expect(x >= 0 && x <= 1, "\(name).\(column) = \(text)")
                }
            }
        }
    }

    @Test func everyCountyEveryYear() {
        for name in ["enrolment", "schools", "teachers", "putonghua", "child_care", "vocational"] {
            let t = table(name)
            #expect(t.rows.count == 111 * 7, "\(name)")
            #expect(Set(t.ints("year")) == Set(2019...2025))
            #expect(Set(t.ints("county_code")) == Set(table("counties").ints("county_code")))
        }
        #expect(table("nutrition").rows.count == 111 * 7 * 2)
        #expect(table("border_schools").rows.count == 8 * 7)
        #expect(Set(table("border_schools").ints("county_code")) == Geography.borderCountyCodes)
    }

    @Test func enrolmentIsConsistent() {
        for r in table("enrolment").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("enrolled") <= n("school_age_children"))
            #expect(n("primary_enrolled") + n("junior_enrolled") == n("enrolled"))
            #expect(n("dropouts_returned") <= n("dropouts"))
            #expect(n("enrolled") == n("school_age_children") - n("dropouts") + n("dropouts_returned"))
            #expect(n("preschool_enrolled") <= n("preschool_age_children"))
            #expect(n("senior_secondary_enrolled") <= n("senior_secondary_age"))
            let gross = Double(n("preschool_enrolled")) / Double(n("preschool_age_children"))
            #expect(abs(gross - (Double(r["preschool_gross_enrolment_rate"] ?? "") ?? -1)) <= 0.00005)
        }
    }

    /// Province-wide rates: the published points (2020) and rising towards the 2025 targets.
    @Test func ratesRiseTowardsTargets() {
        let t = table("enrolment")
        let years = t.ints("year")
        func weighted(_ rate: String, _ weight: String, _ year: Int) -> Double {
            let r = t.doubles(rate), w = t.ints(weight)
            var num = 0.0, den = 0.0
            for k in years.indices where years[k] == year { num += (r[k] ?? 0) * Double(w[k]); den += Double(w[k]) }
            return num / den
        }
        let preschool = (2019...2025).map { weighted("preschool_gross_enrolment_rate", "preschool_age_children", $0) }
        let retention = (2019...2025).map { weighted("retention_rate", "school_age_children", $0) }
        let senior = (2019...2025).map { weighted("senior_secondary_gross_enrolment_rate", "senior_secondary_age", $0) }
        for series in [preschool, retention, senior] {
            #expect(zip(series, series.dropFirst()).allSatisfy { $0 < $1 }, "\(series) does not rise")
        }
        #expect(abs(preschool[1] - 0.91) < 0.003, "published 2020 preschool gross rate 91%")
        func target(_ column: String) -> Double {
            PlanFacts.targets.first { $0.column == column && $0.year == 2025 }?.target ?? .nan
        }
        #expect(target("retention_rate") == 0.96, "the national 2025 retention target is 96%")
        #expect(preschool[6] > target("preschool_gross_enrolment_rate") && retention[6] >= target("retention_rate")
                && senior[6] > target("senior_secondary_gross_enrolment_rate"))
        // The province meets every 2025 target while some counties lag: a few on preschool and senior
        // secondary; on retention about a third, as the 96% target sits inside the counties' spread.
        let rows2025 = t.records().filter { $0["year"] == "2025" }
        func behind(_ column: String) -> Int {
            let goal = target(column)
            return rows2025.filter { row in
                let value = Double(row[column] ?? "") ?? 0
                return column == "retention_rate" ? value < goal : value <= goal
            }.count
        }
        #expect((2...20).contains(behind("preschool_gross_enrolment_rate")))
        #expect((2...20).contains(behind("senior_secondary_gross_enrolment_rate")))
        #expect((25...60).contains(behind("retention_rate")), "\(behind("retention_rate")) counties behind on retention")
        let pth = table("putonghua")
        let prevalence = pth.doubles("prevalence_rate"), pthYears = pth.ints("year")
        let weights = t.ints("school_age_children")
        var num = 0.0, den = 0.0
        for k in pthYears.indices where pthYears[k] == 2020 { num += (prevalence[k] ?? 0) * Double(weights[k]); den += Double(weights[k]) }
        #expect(abs(num / den - 0.8568) < 0.002, "published 2020 Putonghua prevalence 85.68%")
    }

    @Test func nutritionCoverageAndStandard() {
        let rows = table("nutrition").records()
        for year in 2019...2025 {
            for term in ["春季", "秋季"] {
                let covered = rows.filter { $0["year"] == String(year) && $0["term"] == term && $0["covered"] == "true" }
                #expect(covered.count == (year < 2023 ? 60 : 110), "\(year) \(term)")
                let yuan = Set(covered.map { $0["yuan_per_day"] ?? "" })
                let autumn2021OrLater = year > 2021 || (year == 2021 && term == "秋季")
                #expect(yuan == [autumn2021OrLater ? "5" : "4"], "\(year) \(term): \(yuan)")
                let students = covered.reduce(0) { $0 + (Int($1["students"] ?? "") ?? 0) }
                let schools = covered.reduce(0) { $0 + (Int($1["schools"] ?? "") ?? 0) }
                if year == 2022 { #expect(students == 1_666_000) }
                if year == 2023 { #expect(students == 4_314_800); #expect(schools == 14_925) }
            }
        }
        // The pilot counties keep about their pupils when the programme widens in 2023: the 60 pilots
        // hold about 1.666 of the 4.3148 million, as published, not a jump.
        let pilotPupils = { (year: String) in
            rows.filter { $0["year"] == year && $0["term"] == "秋季" && $0["pilot"] == "national" }
                .reduce(0) { $0 + (Int($1["students"] ?? "") ?? 0) }
        }
        let ratio = Double(pilotPupils("2023")) / Double(pilotPupils("2022"))
        #expect(ratio > 0.85 && ratio < 1.15, "pilot pupils 2023 / 2022 = \(ratio)")
        // Funds are students × yuan × days; uncovered counties have nothing.
        for r in rows {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            if r["covered"] == "true" {
                #expect(n("funds_yuan") == n("students") * n("yuan_per_day") * n("school_days"))
                #expect(n("students") > 0 && n("schools") > 0)
            } else {
                #expect(n("students") == 0 && n("funds_yuan") == 0 && r["yuan_per_day"] == "")
            }
        }
        // Covered pupils and schools never exceed the county's.
        let enrolled = Dictionary(uniqueKeysWithValues: table("enrolment").records().map {
            ("\($0["year"] ?? "")/\($0["county_code"] ?? "")", Int($0["enrolled"] ?? "") ?? 0) })
        let schools = Dictionary(uniqueKeysWithValues: table("schools").records().map {
            ("\($0["year"] ?? "")/\($0["county_code"] ?? "")", Int($0["schools"] ?? "") ?? 0) })
        for r in rows {
            let key = "\(r["year"] ?? "")/\(r["county_code"] ?? "")"
            #expect((Int(r["students"] ?? "") ?? 0) <= enrolled[key] ?? 0)
            #expect((Int(r["schools"] ?? "") ?? 0) <= schools[key] ?? 0)
        }
    }

    @Test func recipientsIfAndOnlyIfAmount() {
        let aid = table("student_aid")
        for (n, yuan) in zip(aid.ints("recipients"), aid.ints("amount_yuan")) {
            #expect((n > 0) == (yuan > 0))
        }
        let t = table("teachers")
        for (n, yuan) in zip(t.ints("living_subsidy_recipients"), t.ints("living_subsidy_yuan")) {
            #expect((n > 0) == (yuan > 0))
        }
        let b = table("border_schools")
        for (n, yuan) in zip(b.ints("border_aid_recipients"), b.ints("border_aid_yuan")) {
            #expect((n > 0) == (yuan > 0))
        }
    }

    /// Grants and waivers (loans excluded: they are repaid) between 3.5 and 5.2 billion yuan a year:
    /// the published 2016–2020 average is 5.23 billion a year, the 2026 advance allocation 4.348 billion.
    @Test func aidTotalNearPublishedMagnitude() {
        let aid = table("student_aid")
        let years = aid.ints("year"), amounts = aid.ints("amount_yuan"), types = aid.texts("aid_type")
        for year in 2019...2025 {
            var total = 0
            for k in years.indices where years[k] == year && types[k] != "loan" { total += amounts[k] }
            #expect((3_500_000_000...5_200_000_000).contains(total), "\(year): \(total)")
        }
        #expect(Set(types) == ["grant", "waiver", "loan"])
    }

    @Test func keyAndBorderCountiesGetMoreAidPerStudent() {
        let counties = table("counties").records()
        let key = Set(counties.filter { $0["key_county"] == "true" }.compactMap { $0["county_code"] })
        let border = Set(counties.filter { $0["border_county"] == "true" }.compactMap { $0["county_code"] })
        var students: [String: Int] = [:]
        for r in table("enrolment").records() {
            students["\(r["year"] ?? "")/\(r["county_code"] ?? "")"] =
                (Int(r["enrolled"] ?? "") ?? 0) + (Int(r["preschool_enrolled"] ?? "") ?? 0)
                + (Int(r["senior_secondary_enrolled"] ?? "") ?? 0)
        }
        var yuan: [String: Int] = [:]
        for r in table("student_aid").records() where r["aid_type"] != "loan" {
            yuan["\(r["year"] ?? "")/\(r["county_code"] ?? "")", default: 0] += Int(r["amount_yuan"] ?? "") ?? 0
        }
        for year in 2019...2025 {
            var keyPer: [Double] = [], borderPer: [Double] = [], otherPer: [Double] = []
            for code in counties.compactMap({ $0["county_code"] }) {
                let k = "\(year)/\(code)"
                let per = Double(yuan[k] ?? 0) / Double(max(1, students[k] ?? 0))
                if key.contains(code) { keyPer.append(per) } else { otherPer.append(per) }
                if border.contains(code) { borderPer.append(per) }
            }
            let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(xs.count) }
            #expect(mean(keyPer) > mean(otherPer), "\(year)")
            #expect(mean(borderPer) > mean(otherPer), "\(year)")
        }
    }

    @Test func aidFollowsStandardsAndStaysWithinTheStudents() {
        let rows = table("student_aid").records()
        var byCounty: [String: [String: String]] = [:]
        for r in table("enrolment").records() { byCounty["\(r["year"] ?? "")/\(r["county_code"] ?? "")"] = r }
        var vocational: [String: Int] = [:]
        for r in table("vocational").records() {
            vocational["\(r["year"] ?? "")/\(r["county_code"] ?? "")"] = Int(r["secondary_vocational_students"] ?? "") ?? 0
        }
        for r in rows {
            let n = Int(r["recipients"] ?? "") ?? 0, yuan = Int(r["amount_yuan"] ?? "") ?? 0
            let year = Int(r["year"] ?? "") ?? 0
            let key = "\(r["year"] ?? "")/\(r["county_code"] ?? "")"
            let e = byCounty[key] ?? [:]
            let enrolled = { (k: String) in Int(e[k] ?? "") ?? 0 }
            switch (r["level"] ?? "", r["programme"] ?? "") {
            case ("小学", "寄宿生生活费补助"):
                #expect(yuan == n * 1000); #expect(n <= enrolled("primary_enrolled"))
            case ("初中", "寄宿生生活费补助"):
                #expect(yuan == n * 1250); #expect(n <= enrolled("junior_enrolled"))
            case ("普通高中", "国家助学金"), ("中职", "国家助学金"):
                #expect(yuan == n * (year < 2024 ? 2000 : year == 2024 ? 2150 : 2300))
            case ("高校", "国家助学金"):
                #expect(yuan == n * (year < 2024 ? 3300 : year == 2024 ? 3500 : 3700))
            case ("高校", "国家助学贷款"):
                #expect(yuan <= n * (year < 2021 ? 8000 : 12000))
            case ("学前", _):
                #expect(n <= enrolled("preschool_enrolled"))
            case ("中职", _):
                #expect(n <= vocational[key] ?? 0)
            default: break
            }
            if r["programme"] == "边境专项" {
                #expect(Geography.borderCountyCodes.contains(Int(r["county_code"] ?? "") ?? 0))
            }
        }
        // The border table's aid is the sum of the border special aid rows.
        for b in table("border_schools").records() {
            let same = rows.filter { $0["year"] == b["year"] && $0["county_code"] == b["county_code"] && $0["programme"] == "边境专项" }
            #expect(same.reduce(0) { $0 + (Int($1["recipients"] ?? "") ?? 0) } == Int(b["border_aid_recipients"] ?? "") ?? -1)
            #expect(same.reduce(0) { $0 + (Int($1["amount_yuan"] ?? "") ?? 0) } == Int(b["border_aid_yuan"] ?? "") ?? -1)
        }
    }

    @Test func subsetsNeverExceedTheirWhole() {
        for r in table("schools").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("standard_compliant") <= n("schools"))
            #expect(n("small_rural_schools") <= n("schools"))
            #expect(n("broadband_schools") <= n("schools"))
            #expect(n("schools") > 0 && n("kindergartens") > 0 && n("general_high_schools") > 0)
        }
        let teachers = table("teachers").records()
        for r in teachers {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("living_subsidy_recipients") <= n("rural_teachers"))
            #expect(n("with_bachelor_degree") <= n("rural_teachers"))
            #expect(n("special_post_teachers") <= n("rural_teachers"))
        }
        let recipients2020 = teachers.filter { $0["year"] == "2020" }.reduce(0) { $0 + (Int($1["living_subsidy_recipients"] ?? "") ?? 0) }
        #expect(recipients2020 > 300_000, "published: more than 300,000 rural teachers in 2020")
        for r in table("child_care").records() {
            #expect((Int(r["with_care_plan"] ?? "") ?? 0) <= (Int(r["left_behind_children"] ?? "") ?? -1))
        }
        for r in table("graduate_employment").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("graduates_low_income") <= n("graduates"))
            #expect(n("employed") <= n("graduates_low_income") && n("assisted") <= n("graduates_low_income"))
        }
        for r in table("special_enrolment").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("admitted_from_guangxi") <= n("places"))
            #expect(n("admitted_from_key_counties") <= n("admitted_from_guangxi"))
        }
        for r in table("border_schools").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("standard_compliant_schools") <= n("schools"))
            #expect(n("boarding_students") <= n("students"))
            #expect(n("border_aid_recipients") <= n("students"))
            #expect(n("teachers_with_border_allowance") <= n("teachers"))
        }
        for r in table("university_service").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(n("key_counties_served") <= min(20, n("counties_served")))
            #expect(n("counties_served") <= 111)
        }
        let vocational = Dictionary(uniqueKeysWithValues: table("vocational").records().map {
            ("\($0["year"] ?? "")/\($0["county_code"] ?? "")", Int($0["secondary_vocational_students"] ?? "") ?? 0) })
        for r in table("enrolment").records() {
            #expect(vocational["\(r["year"] ?? "")/\(r["county_code"] ?? "")"] ?? 0 <= Int(r["senior_secondary_enrolled"] ?? "") ?? -1)
        }
    }

    /// Preschool places grow with the plan's push for rural preschool: every year for the province,
    /// never falling in a county, always enough for the children enrolled, faster in the key counties.
    @Test func preschoolPlacesGrow() {
        let key = Set(table("counties").records().filter { $0["key_county"] == "true" }.compactMap { $0["county_code"] })
        var enrolled: [String: Int] = [:]
        for r in table("enrolment").records() {
            enrolled["\(r["year"] ?? "")/\(r["county_code"] ?? "")"] = Int(r["preschool_enrolled"] ?? "") ?? 0
        }
        var province: [Int: Int] = [:], keyPlaces: [Int: Int] = [:]
        var byCounty: [String: [Int]] = [:], kindergartens: [String: [Int]] = [:]
        for r in table("schools").records() {
            let year = Int(r["year"] ?? "") ?? 0, code = r["county_code"] ?? ""
            let places = Int(r["preschool_places"] ?? "") ?? -1
            #expect(places >= enrolled["\(year)/\(code)"] ?? Int.max, "\(year) \(code): fewer places than children")
            province[year, default: 0] += places
            if key.contains(code) { keyPlaces[year, default: 0] += places }
            byCounty[code, default: []].append(places)
            kindergartens[code, default: []].append(Int(r["kindergartens"] ?? "") ?? 0)
        }
        let series = (2019...2025).map { province[$0] ?? 0 }
        #expect(zip(series, series.dropFirst()).allSatisfy { $0 < $1 }, "province places \(series)")
        for (code, places) in byCounty {
            #expect(zip(places, places.dropFirst()).allSatisfy { $0 <= $1 }, "\(code): places fall \(places)")
            let kg = kindergartens[code] ?? []
            #expect(zip(kg, kg.dropFirst()).allSatisfy { $0 <= $1 }, "\(code): kindergartens fall \(kg)")
        }
        let growth = Double(series[6]) / Double(series[0])
        let keyGrowth = Double(keyPlaces[2025] ?? 0) / Double(keyPlaces[2019] ?? 1)
        #expect(growth > 1.03 && growth < 1.15, "province places 2025 / 2019 = \(growth)")
        #expect(keyGrowth > growth, "key counties \(keyGrowth) vs province \(growth)")
    }

    /// Broadband reaches every school, county by county, at different times: once full a county stays
    /// full, everyone is full by 2024, the key counties not before 2022, the province share rising.
    @Test func broadbandReachesEverySchoolAtDifferentTimes() {
        let key = Set(table("counties").records().filter { $0["key_county"] == "true" }.compactMap { $0["county_code"] })
        var full: [String: [Bool]] = [:]
        var connected: [Int: Int] = [:], schools: [Int: Int] = [:]
        for r in table("schools").records() {
            let year = Int(r["year"] ?? "") ?? 0
            let b = Int(r["broadband_schools"] ?? "") ?? -1, n = Int(r["schools"] ?? "") ?? -1
            full[r["county_code"] ?? "", default: []].append(b == n)
            connected[year, default: 0] += b
            schools[year, default: 0] += n
        }
        var firstFull: [String: Int] = [:]
        for (code, flags) in full {
            #expect(flags.count == 7)
            guard let first = flags.firstIndex(of: true) else { Issue.record("\(code) never full"); continue }
            #expect(flags[first...].allSatisfy { $0 }, "\(code) loses full coverage")
            firstFull[code] = 2019 + first
        }
        #expect(firstFull.values.allSatisfy { $0 <= 2024 })
        #expect(Set(firstFull.values).count >= 4, "full coverage in \(Set(firstFull.values).sorted())")
        #expect(key.allSatisfy { (firstFull[$0] ?? 0) >= 2022 })
        let share = (2019...2025).map { Double(connected[$0] ?? 0) / Double(schools[$0] ?? 1) }
        #expect(zip(share, share.dropFirst()).allSatisfy { $0 <= $1 }, "\(share)")
        #expect(share[0] < 0.95 && share[5] == 1 && share[6] == 1)
    }

    /// Special-plan admissions by home county add up to the plan's totals and its key-county part.
    @Test func specialEnrolmentByCountyAddsUp() {
        let counties = table("counties").records()
        let codes = Set(counties.compactMap { $0["county_code"] })
        let key = Set(counties.filter { $0["key_county"] == "true" }.compactMap { $0["county_code"] })
        let central = Set(coreUrbanCodes.map(String.init))
        var total: [String: Int] = [:], fromKey: [String: Int] = [:], rows: [String: Int] = [:]
        for r in table("special_enrolment_counties").records() {
            let k = "\(r["year"] ?? "")/\(r["plan"] ?? "")", code = r["county_code"] ?? ""
            let n = Int(r["admitted"] ?? "") ?? -1
            #expect(codes.contains(code))
            total[k, default: 0] += n
            if key.contains(code) { fromKey[k, default: 0] += n }
            rows[k, default: 0] += 1
            if r["plan"] != "university" && central.contains(code) { #expect(n == 0, "\(k) \(code)") }
        }
        let plans = table("special_enrolment").records()
        #expect(plans.count == 21 && rows.count == 21)
        for p in plans {
            let k = "\(p["year"] ?? "")/\(p["plan"] ?? "")"
            #expect(rows[k] == 111)
            #expect(total[k] == Int(p["admitted_from_guangxi"] ?? ""), "\(k)")
            #expect(fromKey[k] == Int(p["admitted_from_key_counties"] ?? ""), "\(k)")
        }
    }

    /// Graduates by home county add up to each university's totals, and every home county exists.
    @Test func graduatesByHomeCountyAddUp() {
        let codes = Set(table("counties").ints("county_code"))
        var sums: [String: [Int]] = [:]
        for r in table("graduate_employment_counties").records() {
            let n = { (k: String) in Int(r[k] ?? "") ?? -1 }
            #expect(codes.contains(n("county_code")))
            #expect(n("graduates_low_income") > 0)
            #expect(n("employed") <= n("graduates_low_income") && n("assisted") <= n("graduates_low_income"))
            let rate = Double(n("employed")) / Double(n("graduates_low_income"))
            #expect(abs(rate - (Double(r["employment_rate"] ?? "") ?? -1)) <= 0.00005)
            let k = "\(r["year"] ?? "")/\(r["university_id"] ?? "")"
            var s = sums[k] ?? [0, 0, 0]
            s[0] += n("graduates_low_income"); s[1] += n("employed"); s[2] += n("assisted")
            sums[k] = s
        }
        let universities = table("graduate_employment").records()
        #expect(sums.count == universities.count)
        for u in universities {
            let k = "\(u["year"] ?? "")/\(u["university_id"] ?? "")"
            let n = { (c: String) in Int(u[c] ?? "") ?? -1 }
            #expect(sums[k] == [n("graduates_low_income"), n("employed"), n("assisted")], "\(k)")
        }
    }

    /// The counties each university serves: as many as `counties_served` (of them
    /// `key_counties_served` key counties), at least one project each, projects and people trained
    /// adding up to the university's.
    @Test func universityServiceByCountyAddsUp() {
        let counties = table("counties").records()
        let codes = Set(counties.compactMap { $0["county_code"] })
        let key = Set(counties.filter { $0["key_county"] == "true" }.compactMap { $0["county_code"] })
        var served: [String: Set<String>] = [:], sums: [String: [Int]] = [:]
        for r in table("university_service_counties").records() {
            let k = "\(r["year"] ?? "")/\(r["university_id"] ?? "")", code = r["county_code"] ?? ""
            let projects = Int(r["projects"] ?? "") ?? -1, trained = Int(r["people_trained"] ?? "") ?? -1
            #expect(codes.contains(code) && projects >= 1)
            #expect(served[k, default: []].insert(code).inserted, "\(k): \(code) twice")
            var s = sums[k] ?? [0, 0]
            s[0] += projects; s[1] += trained
            sums[k] = s
        }
        let universities = table("university_service").records()
        #expect(served.count == universities.count)
        for u in universities {
            let k = "\(u["year"] ?? "")/\(u["university_id"] ?? "")"
            let n = { (c: String) in Int(u[c] ?? "") ?? -1 }
            let set = served[k] ?? []
            #expect(set.count == n("counties_served"), "\(k)")
            #expect(set.filter { key.contains($0) }.count == n("key_counties_served"), "\(k)")
            #expect(sums[k] == [n("projects"), n("people_trained")], "\(k)")
        }
    }

    @Test func recordsAreWellFormed() {
        let parsed = ParsedTable(name: "student_aid_records", bytes: RecordsWriter(rows: 20_000).bytes())
        #expect(parsed.header == RecordsWriter.columns)
        #expect(parsed.rows.count == 20_000)
        let codes = Set(table("counties").ints("county_code"))
        let levels = Set(AidLevel.allCases.map(\.zh)), programmes = Set(AidProgramme.allCases.map(\.zh))
        for row in parsed.rows {
            #expect(row.count == 7)
            let year = Int(row[0]) ?? 0, code = Int(row[1]) ?? 0
            #expect((2019...2025).contains(year))
            #expect(codes.contains(code))
            #expect(levels.contains(row[3]) && programmes.contains(row[4]))
            let amount = row[6]
            #expect(amount.split(separator: ".").last?.count == 2, "amount \(amount)")
            let yuan = Double(amount) ?? -1
            #expect(yuan > 0 && yuan <= 12_000)
            if row[4] == "国家助学贷款" { #expect(yuan <= (year < 2021 ? 8000 : 12000)) }
        }
        #expect(RecordsWriter(rows: 0).bytes() == Array("year,county_code,school_id,level,programme,student_id,amount\n".utf8))
    }
}
