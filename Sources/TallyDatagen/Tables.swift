/// The tables of `DATASETS.md`, read from the real facts and the synthetic `World`.
///
/// Conventions: rates are fractions 0..1 with 4 decimals; money is whole yuan; counts are whole
/// numbers; flags are `true`/`false`; an empty cell is a missing value (null).

extension World {
    private func countyCells(_ i: Int) -> [String] {
        [Cell.int(counties[i].code), counties[i].name]
    }

    // MARK: real tables

    static func countiesTable() -> CSVTable {
        var table = CSVTable(name: "counties", columns: [
            "county_code", "county", "city_code", "city", "kind", "key_county", "border_county", "autonomous_county",
            "population_2020", "population_basis",
        ])
        for c in Geography.counties {
            let residents = CountyPopulation.byCode[c.code]
            table.append([Cell.int(c.code), c.name, Cell.int(c.cityCode), c.city, c.kind.rawValue,
                          Cell.bool(c.keyCounty), Cell.bool(c.borderCounty), Cell.bool(c.autonomousCounty),
                          Cell.int(residents?.population ?? 0), residents?.basis.label ?? ""])
        }
        return table
    }

    static func measuresTable() -> CSVTable {
        var table = CSVTable(name: "measures", columns: [
            "task_no", "task", "task_en", "measure_no", "measure", "measure_en", "tables", "source",
        ])
        for m in PlanFacts.measures {
            let task = PlanFacts.tasks[m.taskNo - 1]
            table.append([Cell.int(m.taskNo), task.zh, task.en, Cell.int(m.measureNo), m.measure, m.measureEn,
                          m.tables.joined(separator: ";"), PlanFacts.source])
        }
        return table
    }

    static func targetsTable() -> CSVTable {
        var table = CSVTable(name: "targets", columns: [
            "indicator", "indicator_zh", "scope", "year", "comparison", "target", "unit", "table", "column", "source",
        ])
        for t in PlanFacts.targets {
            table.append([t.indicator, t.indicatorZh, t.scope, Cell.int(t.year), t.comparison, Cell.rate(t.target),
                          "fraction", t.table, t.column, t.source])
        }
        return table
    }

    static func standardsTable() -> CSVTable {
        var table = CSVTable(name: "standards", columns: [
            "programme", "programme_en", "level", "amount", "unit", "basis", "from_year", "from_period", "to_year",
            "source",
        ])
        for s in PlanFacts.standards {
            table.append([s.programme, s.programmeEn, s.level, Cell.int(s.amount), s.unit, s.basis,
                          s.fromYear.map(Cell.int) ?? Cell.null, s.fromPeriod, s.toYear.map(Cell.int) ?? Cell.null,
                          s.source])
        }
        return table
    }

    // MARK: measure 1, 9, 10

    func enrolmentTable() -> CSVTable {
        var table = CSVTable(name: "enrolment", columns: [
            "year", "county_code", "county", "school_age_children", "enrolled", "primary_enrolled", "junior_enrolled",
            "dropouts", "dropouts_returned", "retention_rate", "preschool_age_children", "preschool_enrolled",
            "preschool_gross_enrolment_rate", "senior_secondary_age", "senior_secondary_enrolled",
            "senior_secondary_gross_enrolment_rate",
        ])
        for t in 0..<Years.count {
            for i in counties.indices {
                table.append([Cell.int(Years.all[t])] + countyCells(i) + [
                    Cell.int(schoolAge[i][t]), Cell.int(enrolled[i][t]), Cell.int(primary[i][t]), Cell.int(junior[i][t]),
                    Cell.int(dropouts[i][t]), Cell.int(returned[i][t]), Cell.rate(retention[i][t]),
                    Cell.int(preschoolAge[i][t]), Cell.int(preschoolEnrolled[i][t]),
                    Cell.rate(Double(preschoolEnrolled[i][t]) / Double(preschoolAge[i][t])),
                    Cell.int(seniorAge[i][t]), Cell.int(seniorEnrolled[i][t]),
                    Cell.rate(Double(seniorEnrolled[i][t]) / Double(seniorAge[i][t])),
                ])
            }
        }
        return table
    }

    // MARK: measures 2, 9, 10, 13

    func schoolsTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "schools_table")
        var table = CSVTable(name: "schools", columns: [
            "year", "county_code", "county", "schools", "standard_compliant", "boarding_places", "small_rural_schools",
            "broadband_schools", "multimedia_classrooms", "kindergartens", "preschool_places", "general_high_schools",
        ])
        let compliantPath = [0.0, 0.7, 0.95, 0.98, 1, 1, 1]
        let fullBroadband = broadbandYears()
        let growth = preschoolPlaceGrowth()
        var rows: [[[String]]] = Array(repeating: [], count: Years.count)
        for (i, p) in profiles.enumerated() {
            let compliant0 = clamp(0.88 + 0.10 * (1 - p.poverty) + 0.01 * rng.normal(), 0.8, 0.99)
            let broadband0 = clamp(0.85 + 0.12 * (1 - p.poverty) + 0.01 * rng.normal(), 0.8, 0.995)
            let smallShare = p.rurality * rng.uniform(0.30, 0.45)
            let perSchool = 3 + 9 * (1 - p.rurality) + rng.uniform(0, 2)
            let placeSlack = rng.uniform(1.04, 1.12)
            let kgSlack = rng.uniform(1.04, 1.15)
            var kgPlaces = 0.0, lastPlaces = 0, places0 = 0
            // Broadband: from the county's 2019 share to every school in its year of full coverage.
            let fullIndex = fullBroadband[i] - Years.first
            for t in 0..<Years.count {
                let n = schools[i][t]
                let compliant = min(n, wholeCount(Double(n) * (compliant0 + (1 - compliant0) * compliantPath[t])))
                let progress = t >= fullIndex ? 1 : Double(t) / Double(fullIndex)
                let broadband = t >= fullIndex ? n : min(n - 1, wholeCount(Double(n) * (broadband0 + (1 - broadband0) * progress)))
                let boardingPlaces = wholeCount(Double(primaryBoarders[i][t] + juniorBoarders[i][t]) * placeSlack)
                let small = min(n, wholeCount(Double(n) * smallShare * (1 - 0.015 * Double(t))))
                // Preschool places: the 2019 places grow by the county's yearly growth, never below the
                // children enrolled.
                kgPlaces = t == 0 ? Double(preschoolEnrolled[i][0]) * kgSlack : kgPlaces * (1 + growth[i][t])
                let places = max(wholeCount(kgPlaces), preschoolEnrolled[i][t], lastPlaces)
                lastPlaces = places
                if t == 0 { places0 = places }
                // Kindergartens grow with the places (new village and township kindergartens).
                let kindergartensNow = max(1, wholeCount(Double(kindergartens[i][0]) * Double(places) / Double(max(1, places0))))
                var classroomsPerSchool = perSchool
                for _ in 0..<t { classroomsPerSchool *= 1.07 }
                rows[t].append([Cell.int(Years.all[t])] + countyCells(i) + [
                    Cell.int(n), Cell.int(compliant), Cell.int(boardingPlaces), Cell.int(small), Cell.int(broadband),
                    Cell.int(wholeCount(Double(n) * classroomsPerSchool)), Cell.int(kindergartensNow), Cell.int(places),
                    Cell.int(highSchools[i][t]),
                ])
            }
        }
        for yearRows in rows { for row in yearRows { table.append(row) } }
        return table
    }

    /// The year in which every school of the county has broadband (synthetic): 2020 in the central
    /// districts, 2021–2024 elsewhere, later in poorer counties, not before 2022 in the key counties.
    func broadbandYears() -> [Int] {
        var rng = Rng(seed: seed, stream: "broadband")
        return profiles.map { p in
            if p.group == .coreUrban { return 2020 }
            var year = Int((2021 + 3 * p.poverty + rng.uniform(-0.6, 0.6)).rounded())
            if p.county.keyCounty { year = max(year, 2022) }
            return min(2024, max(2021, year))
        }
    }

    /// Yearly growth of preschool places (synthetic assumption; no published figure): the plan's push
    /// for rural preschool adds most places in poor, rural counties in 2021–2023, half as many in
    /// 2024–2025 as the preschool cohorts shrink, and a little in 2020. `[county][year]`, 0 in 2019.
    func preschoolPlaceGrowth() -> Grid<Double> {
        var rng = Rng(seed: seed, stream: "preschool_places")
        let phase = [0.0, 0.3, 1, 1, 1, 0.5, 0.5]
        var out = grid(counties.count, 0.0)
        for (i, p) in profiles.enumerated() {
            let push = (0.004 + 0.035 * p.poverty * p.rurality) * rng.uniform(0.7, 1.3)
            for t in 1..<Years.count { out[i][t] = push * phase[t] * rng.uniform(0.8, 1.2) }
        }
        return out
    }

    // MARK: measure 3

    func teachersTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "teachers")
        var table = CSVTable(name: "teachers", columns: [
            "year", "county_code", "county", "rural_teachers", "special_post_teachers", "living_subsidy_recipients",
            "living_subsidy_yuan", "with_bachelor_degree",
        ])
        // More than 300,000 rural teachers received the living subsidy in 2020 (published); the
        // county figures are synthetic, scaled so that 2020 has 330,000 rural teachers.
        var raw = grid(counties.count, 0.0)
        var sum2020 = 0.0
        for (i, p) in profiles.enumerated() {
            let ratio = rng.uniform(15.5, 17.5)
            for t in 0..<Years.count {
                raw[i][t] = Double(enrolled[i][t]) * p.rurality / ratio * (1 + 0.004 * Double(t))
            }
            sum2020 += raw[i][1]
        }
        let scale = 330_000 / sum2020
        let specialYear = [1.0, 1.0, 1.02, 1.05, 1.05, 1.03, 1.0]
        var rows: [[[String]]] = Array(repeating: [], count: Years.count)
        for (i, p) in profiles.enumerated() {
            let coverage0 = rng.uniform(0.89, 0.95)
            let monthly0 = 300 + 300 * p.poverty + rng.uniform(-20, 20)
            let bachelor0 = 0.50 + 0.15 * (1 - p.poverty) + rng.uniform(-0.03, 0.03)
            let special = p.group == .coreUrban ? 0 : (0.01 + 0.035 * p.poverty) * rng.uniform(0.85, 1.15)
            var monthly = monthly0
            for t in 0..<Years.count {
                if t > 0 { monthly *= 1.03 }
                let rural = wholeCount(raw[i][t] * scale)
                let recipients = min(rural, wholeCount(Double(rural) * min(0.99, coverage0 + 0.005 * Double(t))))
                let perTeacherYear = 10 * wholeCount(monthly * 12 / 10)
                rows[t].append([Cell.int(Years.all[t])] + countyCells(i) + [
                    Cell.int(rural), Cell.int(wholeCount(Double(rural) * special * specialYear[t])), Cell.int(recipients),
                    Cell.int(recipients * perTeacherYear),
                    Cell.int(min(rural, wholeCount(Double(rural) * min(0.95, bachelor0 + 0.025 * Double(t))))),
                ])
            }
        }
        for yearRows in rows { for row in yearRows { table.append(row) } }
        return table
    }

    // MARK: measure 4

    func putonghuaTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "putonghua_table")
        var table = CSVTable(name: "putonghua", columns: ["year", "county_code", "county", "trainees", "prevalence_rate"])
        // Training peaked with the 2019–2020 推普脱贫 campaign.
        let trainRate = [0.0040, 0.0050, 0.0030, 0.0028, 0.0026, 0.0025, 0.0024]
        for t in 0..<Years.count {
            for (i, p) in profiles.enumerated() {
                let population = Double(schoolAge[i][t]) * 7
                let trainees = wholeCount(population * trainRate[t] * (0.4 + p.poverty) * rng.uniform(0.85, 1.15))
                table.append([Cell.int(Years.all[t])] + countyCells(i) + [Cell.int(trainees), Cell.rate(putonghua[i][t])])
            }
        }
        return table
    }

    // MARK: measures 5 and 14

    func studentAidTable(_ aid: [AidRow]) -> CSVTable {
        var table = CSVTable(name: "student_aid", columns: [
            "year", "county_code", "county", "level", "programme", "aid_type", "recipients", "amount_yuan",
        ])
        for row in World.sorted(aid) {
            table.append([Cell.int(Years.all[row.yearIndex])] + countyCells(row.countyIndex) + [
                row.level.zh, row.programme.zh, row.programme.aidType, Cell.int(row.recipients), Cell.int(row.amount),
            ])
        }
        return table
    }

    static func sorted(_ aid: [AidRow]) -> [AidRow] {
        aid.sorted {
            ($0.yearIndex, $0.countyIndex, $0.level.rawValue, $0.programme.rawValue)
                < ($1.yearIndex, $1.countyIndex, $1.level.rawValue, $1.programme.rawValue)
        }
    }

    // MARK: measure 6

    func nutritionTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "nutrition")
        var table = CSVTable(name: "nutrition", columns: [
            "year", "term", "county_code", "county", "covered", "pilot", "schools", "students", "yuan_per_day",
            "school_days", "funds_yuan", "canteen_share",
        ])
        let nC = counties.count
        // National pilot counties up to 2022 (published: 60 counties, 1.666 million students up to
        // 2023; which 60 is synthetic, see `CountyProfile.nationalPilot`).
        let pilot = Set(profiles.indices.filter { profiles[$0].nationalPilot })
        var studentShare: [Double] = [], schoolShare: [Double] = [], canteen0: [Double] = []
        for p in profiles {
            studentShare.append(p.rurality * rng.uniform(0.92, 0.98))
            schoolShare.append(clamp(p.rurality + 0.2 + rng.uniform(-0.05, 0.05), 0.1, 0.97))
            canteen0.append(rng.uniform(0.50, 0.70))
        }
        func covered(_ i: Int, _ t: Int) -> Bool {
            Years.all[t] >= 2023 ? counties[i].code != nutritionExcludedCode : pilot.contains(i)
        }
        // Students: 2022 scaled to the published 1.666 million (60 counties) and 2023 to 4.3148 million
        // (110 counties); schools: 2023 scaled to the published 14,925. Other years follow each county's
        // enrolment at the coverage of its calibration year. From 2023 the pilot counties keep the
        // coverage they had (so their pupils do not jump when the programme widens) and the 50 added
        // counties take the rest of the 4.3148 million.
        var students = grid(nC, 0), nutritionSchools = grid(nC, 0)
        var coverage = Array(repeating: 0.0, count: nC)
        func coveredPupils(_ i: Int, _ t: Int) -> Int {
            min(wholeCount(Double(enrolled[i][t]) * 0.98), wholeCount(Double(enrolled[i][t]) * coverage[i]))
        }
        func fill(years: Range<Int>, calibrate: Int, studentTotal: Int, schoolTotal: Int?, keep: Set<Int> = []) {
            let members = (0..<nC).filter { covered($0, calibrate) }
            let open = members.filter { !keep.contains($0) }
            let kept = members.filter { keep.contains($0) }.reduce(0) { $0 + coveredPupils($1, calibrate) }
            let studentWeights = open.map { Double(enrolled[$0][calibrate]) * studentShare[$0] }
            let studentCaps = open.map { wholeCount(Double(enrolled[$0][calibrate]) * 0.98) }
            let s = apportion(total: studentTotal - kept, weights: studentWeights, caps: studentCaps)
            for (m, i) in open.enumerated() { coverage[i] = Double(s[m]) / Double(max(1, enrolled[i][calibrate])) }
            let sOf = Dictionary(uniqueKeysWithValues: zip(open, s))
            let schoolWeights = members.map { Double(schools[$0][calibrate]) * schoolShare[$0] }
            let schoolFactor = Double(schoolTotal ?? wholeCount(schoolWeights.reduce(0, +))) / schoolWeights.reduce(0, +)
            let k = schoolTotal.map { apportion(total: $0, weights: schoolWeights, caps: members.map { schools[$0][calibrate] }) }
            for (m, i) in members.enumerated() {
                for t in years {
                    students[i][t] = t == calibrate && !keep.contains(i) ? sOf[i] ?? 0 : coveredPupils(i, t)
                    if t == calibrate {
                        nutritionSchools[i][t] = k?[m] ?? min(schools[i][t], wholeCount(schoolWeights[m] * schoolFactor))
                    } else {
                        nutritionSchools[i][t] = min(schools[i][t],
                                                     wholeCount(Double(schools[i][t]) * schoolShare[i] * schoolFactor))
                    }
                }
            }
        }
        fill(years: 0..<4, calibrate: 3, studentTotal: 1_666_000, schoolTotal: nil)
        fill(years: 4..<Years.count, calibrate: 4, studentTotal: 4_314_800, schoolTotal: 14_925, keep: pilot)
        for t in 0..<Years.count {
            let year = Years.all[t]
            for (term, autumn) in [("春季", false), ("秋季", true)] {
                // 4 yuan a day until the spring 2021 term, 5 yuan from the autumn 2021 term.
                let yuan = year > 2021 || (year == 2021 && autumn) ? 5 : 4
                for i in 0..<nC {
                    let on = covered(i, t)
                    let pilotKind = pilot.contains(i) ? "national" : on ? "local" : ""
                    let days = on ? 100 : 0
                    let share = min(0.98, canteen0[i] + 0.04 * Double(t) + (autumn ? 0.01 : 0))
                    table.append([Cell.int(year), term] + countyCells(i) + [
                        Cell.bool(on), pilotKind, Cell.int(nutritionSchools[i][t]), Cell.int(students[i][t]),
                        on ? Cell.int(yuan) : Cell.null, Cell.int(days), Cell.int(students[i][t] * yuan * days),
                        on ? Cell.rate(share) : Cell.null,
                    ])
                }
            }
        }
        return table
    }

    // MARK: measure 7

    func childCareTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "child_care")
        var table = CSVTable(name: "child_care", columns: [
            "year", "county_code", "county", "left_behind_children", "with_care_plan", "home_visits",
        ])
        let planPath = [0.88, 0.92, 0.95, 0.97, 0.98, 0.985, 0.99]
        var rows: [[[String]]] = Array(repeating: [], count: Years.count)
        for (i, p) in profiles.enumerated() {
            let share = (0.02 + 0.14 * p.poverty * p.rurality) * rng.uniform(0.8, 1.2)
            let lag = laggards[i] == .retention ? 0.12 : 0
            let visits = rng.uniform(1.2, 2.4)
            for t in 0..<Years.count {
                var decline = 1.0
                for _ in 0..<t { decline *= 0.96 }
                let children = wholeCount(Double(enrolled[i][t]) * share * decline)
                let plan = min(children, wholeCount(Double(children) * clamp(planPath[t] - lag + 0.01 * rng.normal(), 0, 1)))
                rows[t].append([Cell.int(Years.all[t])] + countyCells(i) + [
                    Cell.int(children), Cell.int(plan), Cell.int(wholeCount(Double(children) * visits * (1 + 0.05 * Double(t)))),
                ])
            }
        }
        for yearRows in rows { for row in yearRows { table.append(row) } }
        return table
    }

    // MARK: measure 8

    /// One university's graduates in one year (the rows of `graduate_employment`).
    struct GraduateFigures {
        let yearIndex: Int
        let university: University
        let graduates: Int
        let lowIncome: Int
        let employed: Int
        let assisted: Int
    }

    func graduateFigures() -> [GraduateFigures] {
        var rng = Rng(seed: seed, stream: "graduate_employment")
        // Employment of graduates from low-income families: dips in 2020 and 2022 (synthetic).
        let ratePath = [0.905, 0.865, 0.890, 0.870, 0.885, 0.892, 0.900]
        let assistPath = [0.62, 0.72, 0.78, 0.84, 0.87, 0.89, 0.90]
        var out: [GraduateFigures] = []
        for t in 0..<Years.count {
            for u in universities {
                var growth = 1.0
                for _ in 0..<t { growth *= 1.03 }
                let graduates = wholeCount(Double(u.graduates) * growth * rng.uniform(0.97, 1.03))
                let lowIncome = wholeCount(Double(graduates) * u.lowIncomeShare * (1 - 0.02 * Double(t)))
                let rate = clamp(ratePath[t] + 0.015 * u.strength + 0.006 * rng.normal(), 0.7, 0.99)
                let employed = min(lowIncome, wholeCount(Double(lowIncome) * rate))
                let assisted = min(lowIncome, wholeCount(Double(lowIncome) * clamp(assistPath[t] + 0.03 * rng.normal(), 0, 1)))
                out.append(GraduateFigures(yearIndex: t, university: u, graduates: graduates, lowIncome: lowIncome,
                                           employed: employed, assisted: assisted))
            }
        }
        return out
    }

    func graduateEmploymentTable() -> CSVTable {
        var table = CSVTable(name: "graduate_employment", columns: [
            "year", "university_id", "university", "city", "kind", "graduates", "graduates_low_income", "employed",
            "assisted", "employment_rate",
        ])
        for g in graduateFigures() {
            let u = g.university
            table.append([Cell.int(Years.all[g.yearIndex]), u.id, u.name, u.city, u.kind, Cell.int(g.graduates),
                          Cell.int(g.lowIncome), Cell.int(g.employed), Cell.int(g.assisted),
                          Cell.rate(Double(g.employed) / Double(g.lowIncome))])
        }
        return table
    }

    // MARK: measure 11

    func vocationalTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "vocational")
        var table = CSVTable(name: "vocational", columns: [
            "year", "county_code", "county", "vocational_schools", "secondary_vocational_students",
            "agriculture_programmes", "rural_trainees",
        ])
        let trainTrend = [0.9, 0.8, 1.0, 1.05, 1.1, 1.15, 1.2]
        var rows: [[[String]]] = Array(repeating: [], count: Years.count)
        for (i, p) in profiles.enumerated() {
            let programmes0 = 1 + 6 * p.rurality + rng.uniform(0, 2)
            let trainShare = 0.0025 * (0.6 + p.poverty) * rng.uniform(0.8, 1.2)
            for t in 0..<Years.count {
                let ruralPopulation = Double(schoolAge[i][t]) * 7 * p.rurality
                rows[t].append([Cell.int(Years.all[t])] + countyCells(i) + [
                    Cell.int(vocationalSchools[i][t]), Cell.int(vocationalStudents[i][t]),
                    Cell.int(wholeCount(programmes0 * (1 + 0.05 * Double(t)))),
                    Cell.int(wholeCount(ruralPopulation * trainShare * trainTrend[t])),
                ])
            }
        }
        for yearRows in rows { for row in yearRows { table.append(row) } }
        return table
    }

    // MARK: measure 12

    /// One plan in one year (the rows of `special_enrolment`).
    struct SpecialEnrolmentFigures {
        let yearIndex: Int
        let plan: String
        let planZh: String
        let places: Int
        let admitted: Int
        let fromKeyCounties: Int
    }

    func specialEnrolmentFigures() -> [SpecialEnrolmentFigures] {
        var rng = Rng(seed: seed, stream: "special_enrolment")
        let plans: [(String, String, Double, Double)] = [
            ("national", "国家专项计划", 5200, 100), ("local", "地方专项计划", 3000, 100), ("university", "高校专项计划", 1200, 50),
        ]
        var out: [SpecialEnrolmentFigures] = []
        for t in 0..<Years.count {
            for (plan, zh, base, step) in plans {
                let places = wholeCount((base + step * Double(t)) * rng.uniform(0.98, 1.02))
                let admitted = min(places, wholeCount(Double(places) * rng.uniform(0.955, 0.995)))
                out.append(SpecialEnrolmentFigures(yearIndex: t, plan: plan, planZh: zh, places: places, admitted: admitted,
                                                   fromKeyCounties: wholeCount(Double(admitted) * rng.uniform(0.33, 0.42))))
            }
        }
        return out
    }

    func specialEnrolmentTable() -> CSVTable {
        var table = CSVTable(name: "special_enrolment", columns: [
            "year", "plan", "plan_zh", "places", "admitted_from_guangxi", "admitted_from_key_counties",
        ])
        for f in specialEnrolmentFigures() {
            table.append([Cell.int(Years.all[f.yearIndex]), f.plan, f.planZh, Cell.int(f.places), Cell.int(f.admitted),
                          Cell.int(f.fromKeyCounties)])
        }
        return table
    }

    // MARK: measure 14

    func borderSchoolsTable(_ aid: [AidRow]) -> CSVTable {
        var rng = Rng(seed: seed, stream: "border_schools")
        var table = CSVTable(name: "border_schools", columns: [
            "year", "county_code", "county", "schools", "standard_compliant_schools", "students", "boarding_students",
            "teachers", "teachers_with_border_allowance", "border_aid_recipients", "border_aid_yuan", "proficiency_rate",
        ])
        var aidByCountyYear: [Int: (Int, Int)] = [:]
        for row in aid where row.programme == .borderSpecial {
            let key = row.countyIndex * 100 + row.yearIndex
            let old = aidByCountyYear[key] ?? (0, 0)
            aidByCountyYear[key] = (old.0 + row.recipients, old.1 + row.amount)
        }
        let compliantPath = [0.0, 0.5, 0.8, 0.9, 1, 1, 1]
        var rows: [[[String]]] = Array(repeating: [], count: Years.count)
        for (i, p) in profiles.enumerated() where p.county.borderCounty {
            let compliant0 = rng.uniform(0.82, 0.92)
            let allowance0 = rng.uniform(0.55, 0.70)
            let proficiency0 = rng.uniform(0.68, 0.76)
            let boardPrimary = p.primaryBoardingShare
            let boardJunior = p.juniorBoardingShare
            for t in 0..<Years.count {
                let n = max(1, wholeCount(Double(schools[i][t]) * borderShare[i]))
                let students = borderPreschool[i][t] + borderPrimary[i][t] + borderJunior[i][t]
                let boarding = min(borderPrimary[i][t] + borderJunior[i][t],
                                   wholeCount(Double(borderPrimary[i][t]) * boardPrimary * 1.1 + Double(borderJunior[i][t]) * boardJunior * 1.1))
                let teachers = wholeCount(Double(borderPrimary[i][t] + borderJunior[i][t]) / 14.5 + Double(borderPreschool[i][t]) / 18)
                let allowance = min(teachers, wholeCount(Double(teachers) * min(1, allowance0 + 0.08 * Double(t))))
                let (recipients, yuan) = aidByCountyYear[i * 100 + t] ?? (0, 0)
                let proficiency = clamp(proficiency0 + 0.018 * Double(t) + 0.006 * rng.normal(), 0, 0.98)
                rows[t].append([Cell.int(Years.all[t])] + countyCells(i) + [
                    Cell.int(n), Cell.int(min(n, wholeCount(Double(n) * (compliant0 + (1 - compliant0) * compliantPath[t])))),
                    Cell.int(students), Cell.int(boarding), Cell.int(teachers), Cell.int(allowance),
                    Cell.int(recipients), Cell.int(yuan), Cell.rate(proficiency),
                ])
            }
        }
        for yearRows in rows { for row in yearRows { table.append(row) } }
        return table
    }

    // MARK: measure 15

    func pairingsTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "pairings")
        var table = CSVTable(name: "pairings", columns: [
            "year", "pair_id", "started_year", "city_school", "city_school_district_code", "city_school_district",
            "county_school", "county_code", "county", "teachers_exchanged", "activities",
        ])
        let districts = profiles.indices.filter { profiles[$0].group == .coreUrban }
        let supported = profiles.indices.filter { profiles[$0].group != .coreUrban }
        let weights = supported.map { (0.3 + profiles[$0].poverty) * (0.3 + profiles[$0].poverty) }
        let totalWeight = weights.reduce(0, +)
        let newPairs = [240, 35, 60, 45, 40, 35, 30]
        var citySeq: [Int: Int] = [:], countySeq: [Int: Int] = [:]
        struct Pair { let id: String; let start: Int; let district: Int; let county: Int; let cityNo: Int; let countyNo: Int
                      let intensity: Double }
        var pairs: [Pair] = []
        for t in 0..<Years.count {
            for _ in 0..<newPairs[t] {
                var x = rng.unit() * totalWeight
                var county = supported[supported.count - 1]
                for (k, w) in weights.enumerated() {
                    if x < w { county = supported[k]; break }
                    x -= w
                }
                // Mostly a central district of the same city; otherwise one of Nanning's.
                let sameCity = districts.filter { counties[$0].cityCode == counties[county].cityCode }
                let pool = !sameCity.isEmpty && rng.chance(0.7) ? sameCity : districts.filter { counties[$0].cityCode == 4501 }
                let district = pool[Int(rng.below(UInt64(pool.count)))]
                citySeq[district, default: 0] += 1
                countySeq[county, default: 0] += 1
                let n = pairs.count + 1
                let id = "P" + String(repeating: "0", count: 4 - String(n).count) + String(n)
                pairs.append(Pair(id: id, start: t, district: district, county: county, cityNo: citySeq[district] ?? 1,
                                  countyNo: countySeq[county] ?? 1,
                                  intensity: rng.uniform(0.6, 1.4) * (counties[county].keyCounty ? 1.4 : 1)))
            }
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        for t in 0..<Years.count {
            for pair in pairs where pair.start <= t {
                let d = counties[pair.district], c = counties[pair.county]
                let teachers = wholeCount(pair.intensity * (2 + 0.4 * Double(t)) + rng.uniform(-1.5, 1.5))
                let activities = max(1, wholeCount(pair.intensity * (4 + 0.8 * Double(t)) + rng.uniform(-2, 2)))
                table.append([Cell.int(Years.all[t]), pair.id, Cell.int(Years.all[pair.start]),
                              d.name + "城区学校" + two(pair.cityNo), Cell.int(d.code), d.name,
                              c.name + "乡村学校" + two(pair.countyNo), Cell.int(c.code), c.name,
                              Cell.int(teachers), Cell.int(activities)])
            }
        }
        return table
    }

    // MARK: measure 16

    /// One university's service in one year (the rows of `university_service`).
    struct ServiceFigures {
        let yearIndex: Int
        let university: University
        let projects: Int
        let peopleTrained: Int
        let countiesServed: Int
        let keyCountiesServed: Int
    }

    func serviceFigures() -> [ServiceFigures] {
        var rng = Rng(seed: seed, stream: "university_service")
        var out: [ServiceFigures] = []
        for t in 0..<Years.count {
            for u in universities {
                let scale = (u.kind == "本科" ? 1.5 : 1.0) * (1 + 0.12 * Double(t)) * (1 + 0.2 * u.strength)
                let projects = max(1, wholeCount(12 * scale * rng.uniform(0.7, 1.3)))
                let served = min(111, max(1, wholeCount(Double(projects) * rng.uniform(0.5, 0.9))))
                let key = min(20, served, wholeCount(Double(served) * rng.uniform(0.2, 0.45)))
                let trained = wholeCount(Double(projects) * rng.uniform(60, 160))
                out.append(ServiceFigures(yearIndex: t, university: u, projects: projects, peopleTrained: trained,
                                          countiesServed: served, keyCountiesServed: key))
            }
        }
        return out
    }

    func universityServiceTable() -> CSVTable {
        var table = CSVTable(name: "university_service", columns: [
            "year", "university_id", "university", "city", "kind", "projects", "people_trained", "counties_served",
            "key_counties_served",
        ])
        for f in serviceFigures() {
            let u = f.university
            table.append([Cell.int(Years.all[f.yearIndex]), u.id, u.name, u.city, u.kind, Cell.int(f.projects),
                          Cell.int(f.peopleTrained), Cell.int(f.countiesServed), Cell.int(f.keyCountiesServed)])
        }
        return table
    }
}

/// Splits `total` into whole numbers proportional to `weights`, none above its cap (largest
/// remainder; ties by position). The caps must add up to at least `total`. Works on arrays in index
/// order only, so that floating-point sums are the same on every run.
func apportion(total: Int, weights: [Double], caps: [Int]) -> [Int] {
    let n = weights.count
    var result = Array(repeating: 0, count: n)
    var open = Array(repeating: true, count: n)
    var remaining = Double(total)
    func openWeight() -> Double {
        var sum = 0.0
        for i in 0..<n where open[i] { sum += weights[i] }
        return sum
    }
    // Water-filling: cap whoever would exceed their cap, share the rest among the others.
    while true {
        let weightSum = openWeight()
        guard weightSum > 0 else { break }
        let over = (0..<n).filter { open[$0] && remaining * weights[$0] / weightSum > Double(caps[$0]) }
        if over.isEmpty { break }
        for i in over {
            result[i] = caps[i]
            remaining -= Double(caps[i])
            open[i] = false
        }
    }
    let weightSum = openWeight()
    var fractions: [(Double, Int)] = []
    var assigned = 0
    for i in 0..<n {
        if !open[i] { assigned += result[i]; continue }
        let exact = weightSum > 0 ? remaining * weights[i] / weightSum : 0
        let whole = min(caps[i], Int(exact))
        result[i] = whole
        assigned += whole
        fractions.append((exact - Double(whole), i))
    }
    fractions.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
    var k = 0
    while assigned < total && !fractions.isEmpty && k < 4 * fractions.count + total {
        let i = fractions[k % fractions.count].1
        if result[i] < caps[i] { result[i] += 1; assigned += 1 }
        k += 1
    }
    return result
}
