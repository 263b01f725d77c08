/// Resident population (常住人口) of county-level units from the 2020 census (第七次全国人口普查,
/// standard time 2020-11-01 00:00), as published in the city and county census bulletins
/// (第七次全国人口普查主要数据公报) and read at the addresses given per entry.
///
/// Method: `sourced` lists only figures read in a bulletin (or a page quoting one), each with the page
/// it was read at. The city totals are the city bulletins' totals. `all` gives every one of the 111
/// units a figure: the sourced one where there is one (`.census`), otherwise an estimate (`.estimate`)
/// whose method string says how it was derived (see `estimates()`); an estimate is not a census
/// figure and is labelled so in the data dictionary. The generator sizes its synthetic school-age
/// cohorts from `all`.

public struct CensusPopulation: Sendable {
    public let code: Int
    public let name: String
    /// Resident population at the 2020 census, persons.
    public let population: Int
    public let source: String
}

public enum CountyPopulation {
    /// Guangxi's resident population at the 2020 census.
    public static let guangxi = 50_126_804
    public static let guangxiSource = "广西壮族自治区第七次全国人口普查主要数据公报, via hbzqbyyxgs.com/news/489034.html"

    static let yulin = "玉林市第七次全国人口普查主要数据公报 表1, via www.gxscse.com/ShuJuXiangGuan/1017822.html"
    static let wuzhou = "梧州市第七次全国人口普查主要数据公报 表1, via executivefront.com/ShuJuXiangGuan/1017817.html"
    static let beihai = "北海市第七次全国人口普查主要数据公报 表1, via xuewenya.com/renkoushuju/4974822.html"

    /// Sourced county-level figures, in code order.
    public static let sourced: [CensusPopulation] = [
        CensusPopulation(code: 450110, name: "武鸣区", population: 683_826,
                         source: "南宁市第七次全国人口普查主要数据公报, as quoted at psic.org.cn/xianjirank/gxxsq/8579.html"),
        CensusPopulation(code: 450124, name: "马山县", population: 382_430,
                         source: "第七次人口普查数据, as quoted at wiki.szjm666.com/cn/item/87981.html"),
        CensusPopulation(code: 450126, name: "宾阳县", population: 801_407,
                         source: "宾阳县第七次全国人口普查主要数据公报, via bx2200.com/renkoupc/huanan/1587.html"),
        CensusPopulation(code: 450203, name: "鱼峰区", population: 668_961,
                         source: "鱼峰区第七次全国人口普查主要数据公报, via bx2200.com/renkoupc/huanan/449.html"),
        CensusPopulation(code: 450204, name: "柳南区", population: 617_925,
                         source: "柳南区2020年第七次全国人口普查主要数据公报, via m.ilynn.cn/document_detail/46492.html"),
        // The bulletin's page 2 gives the sexes, not the total: 男 245,787 + 女 238,978 (汉族 317,924 +
        // 少数民族 166,841 gives the same sum).
        CensusPopulation(code: 450205, name: "柳北区", population: 484_765,
                         source: "柳北区第七次全国人口普查主要数据公报 (男 245,787 + 女 238,978), via bx2200.com/renkoupc/huanan/453_2.html"),
        CensusPopulation(code: 450206, name: "柳江区", population: 503_772,
                         source: "柳江区第七次全国人口普查主要数据公报, liujiang.gov.cn/sjzt/sjfb2/tjgb/202106/t20210623_2819818.shtml"),
        CensusPopulation(code: 450222, name: "柳城县", population: 314_242,
                         source: "2020年第七次全国人口普查结果, as quoted at m.gangbaike.com/changshi/nz2KvVWKQ6.html"),
        CensusPopulation(code: 450224, name: "融安县", population: 253_360,
                         source: "融安县第七次全国人口普查主要数据公报, rongan.gov.cn/sjzt/sjfb/tjgb/202106/t20210609_2809278.shtml"),
        CensusPopulation(code: 450225, name: "融水苗族自治县", population: 412_445,
                         source: "融水苗族自治县第七次全国人口普查主要数据公报, www.rongshui.gov.cn/xxgk/dwxx/bmxxgkpt/rstjj/tjjqtxx/202108/t20210817_2894313.shtml"),
        CensusPopulation(code: 450226, name: "三江侗族自治县", population: 321_538,
                         source: "第七次人口普查数据 (截至2020年11月1日零时), Wikipedia (zh) 三江侗族自治县, mirror artikel.siakadpt.com"),
        // The stored copy of the quoting page (a county data page citing hongheiku.com) keeps no address.
        CensusPopulation(code: 450305, name: "七星区", population: 387_304,
                         source: "桂林市第七次全国人口普查主要数据公报, as quoted from hongheiku.com on a county data page (address not kept)"),
        // Page 2 of the bulletin gives the sexes: 男 107,079 + 女 101,333 (汉族 188,445 + 少数民族 19,967).
        CensusPopulation(code: 450327, name: "灌阳县", population: 208_412,
                         source: "灌阳县第七次全国人口普查主要数据公报 (男 107,079 + 女 101,333), via bx2200.com/renkoupc/huanan/484_2.html"),
        CensusPopulation(code: 450328, name: "龙胜各族自治县", population: 139_483,
                         source: "第七次全国人口普查结果, Wikipedia (zh) 龙胜各族自治县, mirror kiwix.haohe.fun; the county bulletin's page 2 agrees (男 70,976 + 女 68,507, bx2200.com/renkoupc/huanan/469_2.html)"),
        CensusPopulation(code: 450330, name: "平乐县", population: 340_921,
                         source: "第七次全国人口普查数据, as quoted at klbdjy.com/showinfo-3-16141.html"),
        CensusPopulation(code: 450403, name: "万秀区", population: 271_989, source: wuzhou),
        CensusPopulation(code: 450405, name: "长洲区", population: 299_344, source: wuzhou),
        CensusPopulation(code: 450406, name: "龙圩区", population: 288_482, source: wuzhou),
        CensusPopulation(code: 450421, name: "苍梧县", population: 276_766, source: wuzhou),
        CensusPopulation(code: 450502, name: "海城区", population: 527_895, source: beihai),
        CensusPopulation(code: 450503, name: "银海区", population: 315_196, source: beihai),
        CensusPopulation(code: 450512, name: "铁山港区", population: 145_943, source: beihai),
        CensusPopulation(code: 450521, name: "合浦县", population: 864_193, source: beihai),
        CensusPopulation(code: 450681, name: "东兴市", population: 216_053,
                         source: "东兴市第七次全国人口普查主要数据公报, via bx2200.com/renkoupc/huanan/1640.html"),
        // The district's own bulletin, which leaves out 北部湾华侨投资区 and 自贸区钦州港片区.
        CensusPopulation(code: 450702, name: "钦南区", population: 616_949,
                         source: "钦南区第七次全国人口普查公报 (不含北部湾华侨投资区、自贸区钦州港片区), via www.ilynn.cn/document_detail/46001.html"),
        CensusPopulation(code: 450902, name: "玉州区", population: 908_121, source: yulin),
        CensusPopulation(code: 450903, name: "福绵区", population: 318_709, source: yulin),
        CensusPopulation(code: 450921, name: "容县", population: 654_916, source: yulin),
        CensusPopulation(code: 450922, name: "陆川县", population: 804_427, source: yulin),
        CensusPopulation(code: 450923, name: "博白县", population: 1_390_612, source: yulin),
        CensusPopulation(code: 450924, name: "兴业县", population: 508_344, source: yulin),
        CensusPopulation(code: 450981, name: "北流市", population: 1_211_637, source: yulin),
        CensusPopulation(code: 451002, name: "右江区", population: 472_086,
                         source: "2020年第七次全国人口普查结果, as quoted at m.diabaike.com/shenghuochangshi/WjvnoMe72L.html"),
        CensusPopulation(code: 451027, name: "凌云县", population: 188_194,
                         source: "凌云县第七次全国人口普查主要数据公报, via tjgb.hongheiku.com/15231.html"),
        // Quoted rounded to ten thousands (65.6万), with the growth since 2010 (42,533).
        CensusPopulation(code: 451102, name: "八步区", population: 656_000,
                         source: "贺州市第七次全国人口普查 65.6万人 (rounded), as quoted at doubledring.cn/58375.html"),
        CensusPopulation(code: 451103, name: "平桂区", population: 404_161,
                         source: "贺州市2020年第七次全国人口普查主要数据公报, as quoted at hongheiku.com; 40.42万 at doubledring.cn/58375.html"),
        // Quoted rounded to hundreds (37.25万).
        CensusPopulation(code: 451202, name: "金城江区", population: 372_500,
                         source: "2020年第七次全国人口普查 37.25万人 (rounded), as quoted at m.jiusongjiankang.com/health/news/4819471.html"),
        CensusPopulation(code: 451203, name: "宜州区", population: 549_359,
                         source: "宜州区2020年第七次全国人口普查主要数据公报, via nec-driver.com/rhuanan/1707.html"),
        CensusPopulation(code: 451228, name: "都安瑶族自治县", population: 538_061,
                         source: "都安瑶族自治县第七次全国人口普查主要数据公报, via bx2200.com/renkoupc/huanan/1726.html"),
        CensusPopulation(code: 451229, name: "大化瑶族自治县", population: 365_001,
                         source: "2020年常住人口, Wikipedia (zh) 大化瑶族自治县, mirror zh-wiki.fonk.bid"),
        CensusPopulation(code: 451322, name: "象州县", population: 281_846,
                         source: "象州县第七次全国人口普查主要数据公报, via qinglite.cn/doc/4495670e0f548f1e0"),
    ]

    /// Sourced city totals (city code, population, source).
    public static let cityTotals: [(cityCode: Int, population: Int, source: String)] = [
        (4501, 8_741_584, "南宁市第七次全国人口普查主要数据公报, via 578lya.com/zixun/neirong/33940.html"),
        (4502, 4_157_934, "柳州市第七次全国人口普查主要数据公报 (男 2,156,439 + 女 2,001,495), via bx2200.com/renkoupc/huanan/1604_2.html"),
        (4503, 4_931_137, "桂林市第七次全国人口普查公报, via s.www.hbzqbyyxgs.com/news/542496.html"),
        (4504, 2_820_977, "梧州市第七次全国人口普查主要数据公报, www.wzljl.cn/content/2021-06/04/content_348909.htm"),
        (4505, 1_853_227, beihai),
        (4506, 1_046_068, "防城港市第七次全国人口普查主要数据公报, via xzqh.info/lt/read.php?page=e&tid=168898"),
        (4507, 3_302_238, "钦州市第七次全国人口普查主要数据公报, via szftgk.com/ShuJuXiangGuan/1017820.html"),
        (4509, 5_796_766, yulin),
        (4510, 3_571_505, "百色市第七次全国人口普查主要数据公报, via tjgb.hongheiku.com/11902.html"),
        (4511, 2_007_858, "贺州市第七次全国人口普查 (男 1,031,537 + 女 976,321), via doubledring.cn/58375.html"),
        (4513, 2_074_611, "来宾市第七次全国人口普查主要数据公报, via qinglite.cn/doc/120264dce830567c8"),
    ]
}

/// Where a county-level unit's population figure comes from.
public enum PopulationBasis: Sendable, Equatable {
    /// Read in a census bulletin or a page quoting one (the address is in `source`).
    case census(source: String)
    /// Not published where it could be read: derived from sourced totals by the stated `method`.
    case estimate(method: String)

    public var isCensus: Bool { if case .census = self { true } else { false } }
    /// "census" or "estimate", as the `counties` table writes it.
    public var label: String { isCensus ? "census" : "estimate" }
    /// The source of a census figure or the method of an estimate.
    public var note: String {
        switch self {
        case .census(let source): source
        case .estimate(let method): method
        }
    }
}

/// The resident population of one county-level unit: the census figure where one was read,
/// otherwise a labelled estimate.
public struct CountyResidents: Sendable {
    public let code: Int
    public let name: String
    public let cityCode: Int
    /// Persons at the 2020 census (or the estimate of it).
    public let population: Int
    public let basis: PopulationBasis
}

/// The four classes whose mean sourced population weighs the estimates.
enum PopulationClass: String, CaseIterable {
    case keyCounty = "key county"
    case county = "county"
    case countyCity = "county-level city"
    case district = "district"

    init(_ c: County) {
        if c.keyCounty {
            self = .keyCounty
        } else {
            switch c.kind {
            case .district: self = .district
            case .countyCity: self = .countyCity
            case .county, .autonomousCounty: self = .county
            }
        }
    }
}

extension CountyPopulation {
    /// Every one of the 111 units, in code order: sourced figures as they were read, the rest estimated.
    public static let all: [CountyResidents] = estimates()

    /// Resident population by county code (census or estimate).
    public static let byCode: [Int: CountyResidents] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// Mean sourced population of the units of each class (the weights of the estimates).
    static func classWeights() -> [PopulationClass: Double] {
        let county = Dictionary(uniqueKeysWithValues: Geography.counties.map { ($0.code, $0) })
        var sum: [PopulationClass: Double] = [:], n: [PopulationClass: Double] = [:]
        for p in sourced {
            guard let c = county[p.code] else { continue }
            sum[PopulationClass(c), default: 0] += Double(p.population)
            n[PopulationClass(c), default: 0] += 1
        }
        var w: [PopulationClass: Double] = [:]
        for k in PopulationClass.allCases { w[k] = (sum[k] ?? 0) / max(1, n[k] ?? 0) }
        return w
    }

    /// The estimates. Units with a sourced figure keep it. In a city whose bulletin total is sourced,
    /// the total less its sourced units is shared among its other units; the three cities without a
    /// sourced total (贵港, 河池, 崇左) share what the Guangxi total leaves after the eleven sourced
    /// city totals and their own sourced units. A share is in proportion to the mean sourced
    /// population of the unit's class (key county; other county; other county-level city; district),
    /// rounded by largest remainder so that every city (and Guangxi) adds up exactly.
    static func estimates() -> [CountyResidents] {
        let counties = Geography.counties
        let sourcedBy = Dictionary(uniqueKeysWithValues: sourced.map { ($0.code, $0) })
        let totals = Dictionary(uniqueKeysWithValues: cityTotals.map { ($0.cityCode, $0) })
        let weights = classWeights()
        let cityName = Dictionary(uniqueKeysWithValues: Geography.cities.map { ($0.code, $0.name) })
        var result: [Int: Int] = [:]
        var method: [Int: String] = [:]
        func thousands(_ x: Double) -> String { "\(Int((x / 1000).rounded()))k" }
        let weightText = PopulationClass.allCases.map { "\($0.rawValue) \(thousands(weights[$0] ?? 0))" }
            .joined(separator: ", ")

        /// Shares `amount` among `units` by class weight, largest remainder, ties in code order.
        func share(_ amount: Int, among units: [County], why: String) {
            guard !units.isEmpty else { return }
            let w = units.map { weights[PopulationClass($0)] ?? 1 }
            let total = w.reduce(0, +)
            let exact = w.map { Double(amount) * $0 / total }
            var whole = exact.map { Int($0.rounded(.down)) }
            let left = amount - whole.reduce(0, +)
            let order = exact.indices.sorted {
                let a = exact[$0] - Double(whole[$0]), b = exact[$1] - Double(whole[$1])
                return a != b ? a > b : $0 < $1
            }
            for k in order.prefix(left) { whole[k] += 1 }
            for (i, c) in units.enumerated() {
                result[c.code] = whole[i]
                method[c.code] = "estimate: \(why), shared among \(units.count) unsourced units by the mean sourced population of their class (\(PopulationClass(c).rawValue); weights \(weightText))"
            }
        }

        var pooled: [County] = []
        var pooledSourced = 0
        for city in Geography.cities {
            let units = counties.filter { $0.cityCode == city.code }
            let open = units.filter { sourcedBy[$0.code] == nil }
            let known = units.compactMap { sourcedBy[$0.code]?.population }.reduce(0, +)
            if let t = totals[city.code] {
                share(t.population - known, among: open,
                      why: "\(cityName[city.code] ?? "") bulletin total \(t.population) less its sourced units (\(known))")
            } else {
                pooled += open
                pooledSourced += known
            }
        }
        let rest = guangxi - cityTotals.reduce(0) { $0 + $1.population } - pooledSourced
        let pooledCities = Set(pooled.map(\.cityCode)).sorted().compactMap { cityName[$0] }.joined(separator: "、")
        share(rest, among: pooled,
              why: "Guangxi total \(guangxi) less the 11 sourced city totals and the sourced units of \(pooledCities) (no sourced city total)")

        return counties.map { c in
            if let p = sourcedBy[c.code] {
                return CountyResidents(code: c.code, name: c.name, cityCode: c.cityCode, population: p.population,
                                       basis: .census(source: p.source))
            }
            return CountyResidents(code: c.code, name: c.name, cityCode: c.cityCode, population: result[c.code] ?? 0,
                                   basis: .estimate(method: method[c.code] ?? "estimate"))
        }
    }
}
