import Foundation

/// County breakdowns of the province- and university-level tables (all synthetic): special-plan
/// admissions by home county, graduates by home county, and the counties each university serves.
/// Each breakdown adds up exactly to the table it breaks down.
extension World {
    private func cells(_ i: Int) -> [String] { [Cell.int(counties[i].code), counties[i].name] }

    /// Indices in a weighted random order (without replacement; a larger weight tends to come first).
    private func weightedOrder(_ indices: [Int], weight: (Int) -> Double, rng: inout Rng) -> [Int] {
        let keyed = indices.map { i -> (Double, Int) in
            let u = 1 - rng.unit()
            return (-log(u) / max(weight(i), 1e-9), i)
        }
        return keyed.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    // MARK: measure 12 by home county

    /// Admissions under each special plan by the candidate's home county. The key counties share the
    /// plan's `admitted_from_key_counties`, the other counties the rest, each in proportion to its
    /// senior-secondary-age population (the age group sitting the entrance examination) times its rural
    /// share; the national and local plans, meant for rural and poor areas, admit nobody from the
    /// central urban districts, and the other counties' weight rises with poverty.
    func specialEnrolmentCountiesTable() -> CSVTable {
        var table = CSVTable(name: "special_enrolment_counties", columns: [
            "year", "plan", "county_code", "county", "admitted",
        ])
        let key = counties.indices.filter { counties[$0].keyCounty }
        let other = counties.indices.filter { !counties[$0].keyCounty }
        for f in specialEnrolmentFigures() {
            let t = f.yearIndex
            func weight(_ i: Int) -> Double {
                let p = profiles[i]
                if f.plan != "university" && p.group == .coreUrban { return 0 }
                let base = Double(seniorAge[i][t]) * p.rurality
                return p.county.keyCounty ? base : base * (0.3 + p.poverty)
            }
            var admitted = Array(repeating: 0, count: counties.count)
            let fromKey = apportion(total: f.fromKeyCounties, weights: key.map(weight),
                                    caps: key.map { _ in f.fromKeyCounties })
            for (k, i) in key.enumerated() { admitted[i] = fromKey[k] }
            let rest = f.admitted - f.fromKeyCounties
            let fromOther = apportion(total: rest, weights: other.map(weight), caps: other.map { _ in rest })
            for (k, i) in other.enumerated() { admitted[i] = fromOther[k] }
            for i in counties.indices {
                table.append([Cell.int(Years.all[t]), f.plan] + cells(i) + [Cell.int(admitted[i])])
            }
        }
        return table
    }

    // MARK: measure 8 by home county

    /// Graduates from low-income rural families by university and home county (生源地): each
    /// university's graduates come from every county in proportion to its senior-secondary-age
    /// population, more from poorer counties (more low-income families) and four times as many from
    /// the university's own city. Within a university, graduates from poorer counties find work a
    /// little less often — a gap of up to 8 points at the poorest in 2019, narrowing to 3 in 2025 — and
    /// get targeted help more often; the university's totals stay those of `graduate_employment`.
    /// Counties without graduates at a university in a year have no row.
    func graduateEmploymentCountiesTable() -> CSVTable {
        var table = CSVTable(name: "graduate_employment_counties", columns: [
            "year", "university_id", "university", "county_code", "county", "graduates_low_income", "employed",
            "assisted", "employment_rate",
        ])
        let gap = [0.08, 0.075, 0.065, 0.055, 0.045, 0.035, 0.03]
        let nC = counties.count
        for g in graduateFigures() {
            let t = g.yearIndex, u = g.university
            let weights = (0..<nC).map { i -> Double in
                let p = profiles[i]
                return Double(seniorAge[i][t]) * (0.3 + p.poverty) * (counties[i].city == u.city ? 4 : 1)
            }
            let graduates = apportion(total: g.lowIncome, weights: weights, caps: Array(repeating: g.lowIncome, count: nC))
            let employed = apportion(total: g.employed,
                                     weights: (0..<nC).map { Double(graduates[$0]) * (1 - gap[t] * profiles[$0].poverty) },
                                     caps: graduates)
            let assisted = apportion(total: g.assisted,
                                     weights: (0..<nC).map { Double(graduates[$0]) * (0.9 + 0.25 * profiles[$0].poverty) },
                                     caps: graduates)
            for i in 0..<nC where graduates[i] > 0 {
                table.append([Cell.int(Years.all[t]), u.id, u.name] + cells(i) + [
                    Cell.int(graduates[i]), Cell.int(employed[i]), Cell.int(assisted[i]),
                    Cell.rate(Double(employed[i]) / Double(graduates[i])),
                ])
            }
        }
        return table
    }

    // MARK: measure 16 by county served

    /// The counties each university serves: `key_counties_served` of the 20 key counties and the rest
    /// among the other counties (central urban districts last), drawn once per university in a
    /// weighted order (its own city five times as likely, poorer counties more likely) so that a
    /// university keeps the counties it served and adds more as its work grows. Every county served
    /// has at least one project; the other projects and the people trained are shared out by weight.
    func universityServiceCountiesTable() -> CSVTable {
        var rng = Rng(seed: seed, stream: "university_service_counties")
        var table = CSVTable(name: "university_service_counties", columns: [
            "year", "university_id", "university", "county_code", "county", "projects", "people_trained",
        ])
        func weight(_ i: Int, _ u: University) -> Double {
            (0.2 + profiles[i].poverty) * (counties[i].city == u.city ? 5 : 1)
        }
        var orders: [String: (key: [Int], other: [Int])] = [:]
        for u in universities {
            let key = counties.indices.filter { counties[$0].keyCounty }
            let rural = counties.indices.filter { !counties[$0].keyCounty && profiles[$0].group != .coreUrban }
            let central = counties.indices.filter { profiles[$0].group == .coreUrban }
            orders[u.id] = (weightedOrder(key, weight: { weight($0, u) }, rng: &rng),
                            weightedOrder(rural, weight: { weight($0, u) }, rng: &rng)
                                + weightedOrder(central, weight: { weight($0, u) }, rng: &rng))
        }
        var rows: [[String]] = []
        for f in serviceFigures() {
            let u = f.university
            guard let order = orders[u.id] else { continue }
            let served = (Array(order.key.prefix(f.keyCountiesServed))
                          + Array(order.other.prefix(f.countiesServed - f.keyCountiesServed))).sorted()
            let w = served.map { weight($0, u) }
            let extra = apportion(total: f.projects - served.count, weights: w,
                                  caps: served.map { _ in f.projects })
            let projects = extra.map { $0 + 1 }
            let trained = apportion(total: f.peopleTrained, weights: projects.map(Double.init),
                                    caps: served.map { _ in f.peopleTrained })
            for (k, i) in served.enumerated() {
                rows.append([Cell.int(Years.all[f.yearIndex]), u.id, u.name] + cells(i) + [
                    Cell.int(projects[k]), Cell.int(trained[k]),
                ])
            }
        }
        for row in rows { table.append(row) }
        return table
    }
}
