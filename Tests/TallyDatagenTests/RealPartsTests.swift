import Foundation
import Testing
@testable import TallyDatagen

@Suite struct RealPartsTests {
    let counties = table("counties")

    @Test func countiesAndCities() {
        #expect(counties.rows.count == 111)
        #expect(Set(counties.texts("county_code")).count == 111)
        #expect(Set(counties.texts("city_code")).count == 14)
        #expect(Set(counties.texts("city")).count == 14)
        #expect(counties.ints("county_code") == counties.ints("county_code").sorted())
        for r in counties.records() {
            #expect(r["county_code"]?.hasPrefix(r["city_code"] ?? "-") == true, "\(r["county"] ?? "")")
        }
    }

    @Test func flagCounts() {
        #expect(counties.texts("key_county").filter { $0 == "true" }.count == 20)
        #expect(counties.texts("border_county").filter { $0 == "true" }.count == 8)
        #expect(counties.texts("autonomous_county").filter { $0 == "true" }.count == 12)
        for r in counties.records() {
            // Autonomous exactly when the name ends in 自治县, and then kind is 自治县.
            let autonomous = r["county"]?.hasSuffix("自治县") == true
            #expect((r["autonomous_county"] == "true") == autonomous)
            #expect((r["kind"] == "自治县") == autonomous)
        }
        let kinds = counties.texts("kind")
        #expect(kinds.filter { $0 == "区" }.count == 41)
        #expect(kinds.filter { $0 == "县" }.count == 48)
        #expect(kinds.filter { $0 == "县级市" }.count == 10)
    }

    @Test(arguments: [
        ("450102", "兴宁区", "南宁市", "区", "false", "false"),
        ("450124", "马山县", "南宁市", "县", "true", "false"),
        ("450181", "横州市", "南宁市", "县级市", "false", "false"),
        ("450225", "融水苗族自治县", "柳州市", "自治县", "true", "false"),
        ("450328", "龙胜各族自治县", "桂林市", "自治县", "false", "false"),
        ("450603", "防城区", "防城港市", "区", "false", "true"),
        ("450681", "东兴市", "防城港市", "县级市", "false", "true"),
        ("451026", "那坡县", "百色市", "县", "true", "true"),
        ("451081", "靖西市", "百色市", "县级市", "true", "true"),
        ("451229", "大化瑶族自治县", "河池市", "自治县", "true", "false"),
        ("451425", "天等县", "崇左市", "县", "true", "false"),
        ("451481", "凭祥市", "崇左市", "县级市", "false", "true"),
    ])
    func spotChecks(code: String, name: String, city: String, kind: String, key: String, border: String) {
        let row = counties.records().first { $0["county_code"] == code }
        #expect(row?["county"] == name)
        #expect(row?["city"] == city)
        #expect(row?["kind"] == kind)
        #expect(row?["key_county"] == key)
        #expect(row?["border_county"] == border)
    }

    @Test func measuresAreTheSixteenOfTheSource() {
        let measures = table("measures")
        #expect(measures.rows.count == 16)
        #expect(measures.ints("measure_no") == Array(1...16))
        #expect(measures.ints("task_no") == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4])
        #expect(Set(measures.texts("task")).count == 4)
        #expect(measures.texts("measure")[5] == "继续实施农村义务教育学生营养改善计划")
        #expect(measures.texts("measure")[15] == "提升高校服务乡村振兴能力")
        // Every measure's name and every task's name appear verbatim in the source text.
        let source = PolicyText.load()
        if let source {
            for name in measures.texts("measure") + measures.texts("task") {
                #expect(source.contains(name), "\(name) is not in the policy text")
            }
        }
        // Every table a measure points to exists.
        for list in measures.texts("tables") {
            for name in list.split(separator: ";") {
                #expect(DatasetGenerator.tableNames.contains(String(name)), "unknown table \(name)")
            }
        }
        // Every plan table shows at least one measure.
        let shown = Set(measures.texts("tables").flatMap { $0.split(separator: ";").map(String.init) })
        for name in DatasetGenerator.tableNames where !["counties", "measures"].contains(name) {
            #expect(shown.contains(name), "no measure points to \(name)")
        }
    }

    @Test func targetsAndStandards() {
        let targets = table("targets").records()
        let find = { (indicator: String, scope: String) in
            targets.first { $0["indicator"] == indicator && $0["scope"] == scope && $0["year"] == "2025" }
        }
        #expect(find("preschool_gross_enrolment_rate", "national")?["target"] == "0.9000")
        #expect(find("compulsory_retention_rate", "national")?["target"] == "0.9600")
        #expect(find("compulsory_retention_rate", "national")?["source"]?.contains("十四五") == true)
        let guangxi2020 = targets.first { $0["indicator"] == "compulsory_retention_rate" && $0["scope"] == "guangxi" }
        #expect(guangxi2020?["year"] == "2020" && guangxi2020?["target"] == "0.9500")
        #expect(find("senior_secondary_gross_enrolment_rate", "national")?["target"] == "0.9200")
        #expect(find("putonghua_prevalence_rate", "national")?["target"] == "0.8500")
        #expect(targets.allSatisfy { !($0["source"] ?? "").isEmpty })
        let standards = table("standards").records()
        let amounts = standards.filter { $0["programme"] == "营养改善计划" && $0["unit"]?.hasPrefix("yuan") == true }
            .map { $0["amount"] ?? "" }
        #expect(amounts == ["3", "4", "5"])
        #expect(standards.contains { $0["programme"] == "营养改善计划" && $0["amount"] == "200" })
        #expect(standards.contains { $0["programme"] == "寄宿生生活费补助" && $0["level"] == "小学" && $0["amount"] == "1000" })
        #expect(standards.contains { $0["programme"] == "寄宿生生活费补助" && $0["level"] == "初中" && $0["amount"] == "1250" })
        #expect(standards.contains { $0["programme"] == "国家助学贷款" && $0["level"] == "高校" && $0["amount"] == "12000"
                                     && $0["from_year"] == "2021" })
        #expect(standards.allSatisfy { !($0["source"] ?? "").isEmpty })
    }
}

/// The plan's source text, when the shared folder is beside the package (as in the project).
enum PolicyText {
    static func load() -> String? {
        var dir = packageRoot
        for _ in 0..<3 {
            let url = dir.appendingPathComponent("shared/plan/policy-interpretation.zh.txt")
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
