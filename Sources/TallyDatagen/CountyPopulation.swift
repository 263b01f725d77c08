/// Resident population (常住人口) of county-level units from the 2020 census (第七次全国人口普查,
/// standard time 2020-11-01 00:00), as published in the city and county census bulletins
/// (第七次全国人口普查主要数据公报) and read at the addresses given per entry.
///
/// Method: only figures read in a bulletin (or a page quoting one) are listed, each with the page it
/// was read at; nothing here is estimated. Units not listed have no sourced figure yet. The city totals
/// are the city bulletins' totals. The synthetic cohorts of the generator do not yet use these figures.

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
        CensusPopulation(code: 450203, name: "鱼峰区", population: 668_961,
                         source: "鱼峰区第七次全国人口普查主要数据公报, via bx2200.com/renkoupc/huanan/449.html"),
        CensusPopulation(code: 450206, name: "柳江区", population: 503_772,
                         source: "柳江区第七次全国人口普查主要数据公报, liujiang.gov.cn/sjzt/sjfb2/tjgb/202106/t20210623_2819818.shtml"),
        CensusPopulation(code: 450222, name: "柳城县", population: 314_242,
                         source: "2020年第七次全国人口普查结果, as quoted at m.gangbaike.com/changshi/nz2KvVWKQ6.html"),
        CensusPopulation(code: 450225, name: "融水苗族自治县", population: 412_445,
                         source: "融水苗族自治县第七次全国人口普查主要数据公报, www.rongshui.gov.cn/xxgk/dwxx/bmxxgkpt/rstjj/tjjqtxx/202108/t20210817_2894313.shtml"),
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
        CensusPopulation(code: 451027, name: "凌云县", population: 188_194,
                         source: "凌云县第七次全国人口普查主要数据公报, via tjgb.hongheiku.com/15231.html"),
        CensusPopulation(code: 451103, name: "平桂区", population: 404_161,
                         source: "贺州市2020年第七次全国人口普查主要数据公报, as quoted at hongheiku.com; 40.42万 at doubledring.cn/58375.html"),
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
