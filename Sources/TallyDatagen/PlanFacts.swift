/// The real parts besides the divisions: the plan's tasks and measures (from the Education
/// Department's policy interpretation), the 2025 targets and the standard amounts, each with the
/// source given in `reference/guangxi-facts.md`.

public struct Measure: Sendable {
    public let taskNo: Int
    public let measureNo: Int
    public let measure: String
    public let measureEn: String
    /// The tables in which an analyst finds the measure, `;`-separated.
    public let tables: [String]
}

public enum PlanFacts {
    public static let source =
        "广西壮族自治区教育厅《关于实现巩固拓展教育脱贫攻坚成果同乡村振兴有效衔接的实施方案》政策解读"

    /// 四大任务, as worded in the source (一是…四是…).
    public static let tasks: [(no: Int, zh: String, en: String)] = [
        (1, "巩固拓展教育脱贫攻坚成果", "Consolidate and expand the results of poverty alleviation through education"),
        (2, "延续完善农村家庭经济困难学生帮扶机制", "Continue and improve aid for students from rural families with financial difficulty"),
        (3, "建立健全乡村和脱贫地区重点帮扶机制", "Key support for rural areas and areas lifted out of poverty"),
        (4, "健全完善教育系统对口帮扶机制", "Pairing assistance within the education system"),
    ]

    /// 16项措施, in the order of the source.
    public static let measures: [Measure] = [
        Measure(taskNo: 1, measureNo: 1, measure: "巩固拓展义务教育控辍保学成果",
                measureEn: "Keep every child in compulsory school (dropout control)", tables: ["enrolment", "targets"]),
        Measure(taskNo: 1, measureNo: 2, measure: "巩固拓展义务教育学校建设成果",
                measureEn: "Compulsory-school building", tables: ["schools"]),
        Measure(taskNo: 1, measureNo: 3, measure: "巩固拓展乡村教师队伍建设成果",
                measureEn: "Rural teachers", tables: ["teachers"]),
        Measure(taskNo: 1, measureNo: 4, measure: "巩固拓展推普脱贫行动成果",
                measureEn: "Putonghua (standard Mandarin) promotion", tables: ["putonghua", "targets"]),
        Measure(taskNo: 2, measureNo: 5, measure: "精准资助农村家庭经济困难学生",
                measureEn: "Targeted aid for students from rural families with financial difficulty",
                tables: ["student_aid", "standards"]),
        Measure(taskNo: 2, measureNo: 6, measure: "继续实施农村义务教育学生营养改善计划",
                measureEn: "Nutrition improvement programme for rural compulsory-school students",
                tables: ["nutrition", "standards"]),
        Measure(taskNo: 2, measureNo: 7, measure: "加强农村儿童教育关爱工作",
                measureEn: "Care for left-behind and rural children", tables: ["child_care"]),
        Measure(taskNo: 2, measureNo: 8, measure: "持续做好农村家庭经济困难高校毕业生就业帮扶工作",
                measureEn: "Employment help for graduates from low-income rural families", tables: ["graduate_employment", "graduate_employment_counties"]),
        Measure(taskNo: 3, measureNo: 9, measure: "扩大乡村学前教育优质资源",
                measureEn: "Rural preschool education", tables: ["enrolment", "schools", "targets"]),
        Measure(taskNo: 3, measureNo: 10, measure: "推进县域普通高中优质特色发展",
                measureEn: "County general high schools", tables: ["enrolment", "schools", "targets"]),
        Measure(taskNo: 3, measureNo: 11, measure: "实施职业教育服务乡村振兴行动",
                measureEn: "Vocational education for rural revitalization", tables: ["vocational"]),
        Measure(taskNo: 3, measureNo: 12, measure: "继续实施专项招生计划",
                measureEn: "Special university enrolment plans", tables: ["special_enrolment", "special_enrolment_counties"]),
        Measure(taskNo: 3, measureNo: 13, measure: "加强乡村学校信息化建设",
                measureEn: "Digital rural schools", tables: ["schools"]),
        Measure(taskNo: 3, measureNo: 14, measure: "实施边境地区乡村教育质量提升计划",
                measureEn: "Border-area rural education quality", tables: ["border_schools", "student_aid"]),
        Measure(taskNo: 4, measureNo: 15, measure: "继续推进市县学校结对帮扶工作",
                measureEn: "City–county school pairing", tables: ["pairings"]),
        Measure(taskNo: 4, measureNo: 16, measure: "提升高校服务乡村振兴能力",
                measureEn: "Universities serving rural revitalization", tables: ["university_service", "university_service_counties"]),
    ]

    public struct Target: Sendable {
        public let indicator: String
        public let indicatorZh: String
        public let scope: String
        public let year: Int
        public let comparison: String
        /// A fraction 0..1, like every rate in the datasets.
        public let target: Double
        public let table: String
        public let column: String
        public let source: String
    }

    /// The targets of `reference/guangxi-facts.md` ("Targets for 2025").
    public static let targets: [Target] = [
        Target(indicator: "preschool_gross_enrolment_rate", indicatorZh: "学前教育毛入园率", scope: "national",
               year: 2025, comparison: ">", target: 0.90, table: "enrolment",
               column: "preschool_gross_enrolment_rate", source: "中国教育报 2021-03-08"),
        Target(indicator: "compulsory_retention_rate", indicatorZh: "九年义务教育巩固率", scope: "national",
               year: 2025, comparison: ">=", target: 0.96, table: "enrolment",
               column: "retention_rate",
               source: "《“十四五”公共服务规划》(国家发展改革委等 21 部门 2022-01-10; 中国新闻网 2022-01-10)"),
        Target(indicator: "compulsory_retention_rate", indicatorZh: "九年义务教育巩固率", scope: "guangxi",
               year: 2020, comparison: ">=", target: 0.95, table: "enrolment",
               column: "retention_rate", source: "广西日报 2018-01-22"),
        Target(indicator: "senior_secondary_gross_enrolment_rate", indicatorZh: "高中阶段教育毛入学率",
               scope: "national", year: 2025, comparison: ">", target: 0.92, table: "enrolment",
               column: "senior_secondary_gross_enrolment_rate", source: "中国教育报 2021-03-08"),
        Target(indicator: "putonghua_prevalence_rate", indicatorZh: "普通话普及率", scope: "national",
               year: 2025, comparison: ">=", target: 0.85, table: "putonghua",
               column: "prevalence_rate", source: "人民网 2022-01-11"),
    ]

    public struct Standard: Sendable {
        public let programme: String
        public let programmeEn: String
        public let level: String
        public let amount: Int
        public let unit: String
        /// fixed / average / ceiling
        public let basis: String
        public let fromYear: Int?
        public let fromPeriod: String
        /// The last year in which the standard was (at least partly) in force; nil while current.
        public let toYear: Int?
        public let source: String
    }

    static let nutritionSources =
        "cn.chinagate.cn (2012-12-21); finance.china.com.cn (2014-11); 经济日报 via www.tsimind.com/cf/2021/1012/5371.html"

    /// The standard amounts of `reference/guangxi-facts.md`, exactly as given there.
    public static let standards: [Standard] = [
        Standard(programme: "营养改善计划", programmeEn: "nutrition improvement programme", level: "义务教育",
                 amount: 3, unit: "yuan per student per school day", basis: "fixed", fromYear: 2011,
                 fromPeriod: "autumn", toYear: 2014, source: "cn.chinagate.cn (2012-12-21)"),
        Standard(programme: "营养改善计划", programmeEn: "nutrition improvement programme", level: "义务教育",
                 amount: 4, unit: "yuan per student per school day", basis: "fixed", fromYear: 2014,
                 fromPeriod: "November", toYear: 2021, source: "finance.china.com.cn (2014-11)"),
        Standard(programme: "营养改善计划", programmeEn: "nutrition improvement programme", level: "义务教育",
                 amount: 5, unit: "yuan per student per school day", basis: "fixed", fromYear: 2021,
                 fromPeriod: "autumn", toYear: nil, source: "经济日报 via www.tsimind.com/cf/2021/1012/5371.html"),
        Standard(programme: "营养改善计划", programmeEn: "nutrition improvement programme: school days", level: "义务教育",
                 amount: 200, unit: "school days per year (about)", basis: "average", fromYear: 2011,
                 fromPeriod: "autumn", toYear: nil, source: nutritionSources),
        Standard(programme: "寄宿生生活费补助", programmeEn: "boarding living subsidy", level: "小学",
                 amount: 1000, unit: "yuan per student per year", basis: "fixed", fromYear: 2011,
                 fromPeriod: "autumn", toYear: nil, source: "manyang315.com (2012); 陕西日报 2019-10-31"),
        Standard(programme: "寄宿生生活费补助", programmeEn: "boarding living subsidy", level: "初中",
                 amount: 1250, unit: "yuan per student per year", basis: "fixed", fromYear: 2011,
                 fromPeriod: "autumn", toYear: nil, source: "manyang315.com (2012); 陕西日报 2019-10-31"),
        Standard(programme: "国家助学金", programmeEn: "national grant", level: "普通高中",
                 amount: 2000, unit: "yuan per student per year", basis: "average", fromYear: nil,
                 fromPeriod: "", toYear: 2024, source: "fundsdigest.com (China Daily)"),
        Standard(programme: "国家助学金", programmeEn: "national grant", level: "普通高中",
                 amount: 2300, unit: "yuan per student per year", basis: "average", fromYear: 2024,
                 fromPeriod: "", toYear: nil, source: "fundsdigest.com (China Daily)"),
        Standard(programme: "国家助学金", programmeEn: "national grant", level: "中职",
                 amount: 2000, unit: "yuan per student per year", basis: "average", fromYear: nil,
                 fromPeriod: "", toYear: 2024, source: "fundsdigest.com (China Daily)"),
        Standard(programme: "国家助学金", programmeEn: "national grant", level: "中职",
                 amount: 2300, unit: "yuan per student per year", basis: "average", fromYear: 2024,
                 fromPeriod: "", toYear: nil, source: "fundsdigest.com (China Daily)"),
        Standard(programme: "国家助学金", programmeEn: "national grant", level: "高校",
                 amount: 3300, unit: "yuan per student per year", basis: "average", fromYear: nil,
                 fromPeriod: "", toYear: 2024, source: "fundsdigest.com (China Daily)"),
        Standard(programme: "国家助学金", programmeEn: "national grant", level: "高校",
                 amount: 3700, unit: "yuan per student per year", basis: "average", fromYear: 2024,
                 fromPeriod: "", toYear: nil, source: "fundsdigest.com (China Daily)"),
        Standard(programme: "国家助学贷款", programmeEn: "national student loan", level: "高校",
                 amount: 8000, unit: "yuan per student per year", basis: "ceiling", fromYear: 2014,
                 fromPeriod: "", toYear: 2021, source: "english.gov.cn 2014-10-06"),
        Standard(programme: "国家助学贷款", programmeEn: "national student loan", level: "研究生",
                 amount: 12000, unit: "yuan per student per year", basis: "ceiling", fromYear: 2014,
                 fromPeriod: "", toYear: 2021, source: "english.gov.cn 2014-10-06"),
        Standard(programme: "国家助学贷款", programmeEn: "national student loan", level: "高校",
                 amount: 12000, unit: "yuan per student per year", basis: "ceiling", fromYear: 2021,
                 fromPeriod: "autumn", toYear: nil, source: "english.www.gov.cn 2021-09-15"),
        Standard(programme: "国家助学贷款", programmeEn: "national student loan", level: "研究生",
                 amount: 16000, unit: "yuan per student per year", basis: "ceiling", fromYear: 2021,
                 fromPeriod: "autumn", toYear: nil, source: "english.www.gov.cn 2021-09-15"),
    ]
}
