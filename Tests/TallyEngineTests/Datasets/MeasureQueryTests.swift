import Foundation
import Testing
@testable import TallyEngine

/// Every one of the plan's 16 measures can be answered by a query over the bundled datasets.
/// Each case is the question an analyst would ask of that measure, run on `Datasets/`, with the
/// shape of the answer (columns, rows) and a plausibility bound checked.
@Suite("Plan measures answered by queries")
struct MeasureQueryTests {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Datasets").path

    struct Case: Sendable, CustomStringConvertible {
        var measure: Int
        var query: String
        var columns: [String]
        var rows: Int
        var description: String { "measure \(measure)" }
    }

    static let cases: [Case] = [
        Case(measure: 1, query: """
            from enrolment | filter year == 2025 | filter retention_rate < 0.96
            select {county, retention_rate} | sort retention_rate
            """, columns: ["county", "retention_rate"], rows: -1),
        Case(measure: 2, query: """
            from schools | group year (aggregate {compliant = sum standard_compliant, total = sum schools})
            derive share = compliant / total | sort year
            """, columns: ["year", "compliant", "total", "share"], rows: 7),
        Case(measure: 3, query: """
            from teachers | group year (aggregate {rural = sum rural_teachers, subsidised = sum living_subsidy_recipients}) | sort year
            """, columns: ["year", "rural", "subsidised"], rows: 7),
        Case(measure: 4, query: """
            from putonghua | group year (aggregate {trainees = sum trainees, lowest = min prevalence_rate}) | sort year
            """, columns: ["year", "trainees", "lowest"], rows: 7),
        Case(measure: 5, query: """
            from student_aid | filter aid_type != "loan"
            group {year, level} (aggregate {recipients = sum recipients, yuan = sum amount_yuan})
            sort {year, level}
            """, columns: ["year", "level", "recipients", "yuan"], rows: -1),
        Case(measure: 6, query: """
            from nutrition | filter covered
            group year (aggregate {counties = count_distinct county_code, funds = sum funds_yuan}) | sort year
            """, columns: ["year", "counties", "funds"], rows: 7),
        Case(measure: 7, query: """
            from child_care | group year (aggregate {children = sum left_behind_children, planned = sum with_care_plan})
            derive coverage = planned / children | sort year
            """, columns: ["year", "children", "planned", "coverage"], rows: 7),
        Case(measure: 8, query: """
            from graduate_employment | filter year == 2024
            group kind (aggregate {graduates = sum graduates_low_income, employed = sum employed})
            derive rate = employed / graduates | sort kind
            """, columns: ["kind", "graduates", "employed", "rate"], rows: -1),
        Case(measure: 9, query: """
            from enrolment | group year (aggregate {age = sum preschool_age_children, enrolled = sum preschool_enrolled})
            derive rate = enrolled / age | sort year
            """, columns: ["year", "age", "enrolled", "rate"], rows: 7),
        Case(measure: 10, query: """
            from enrolment | filter year == 2025
            aggregate {age = sum senior_secondary_age, enrolled = sum senior_secondary_enrolled}
            """, columns: ["age", "enrolled"], rows: 1),
        Case(measure: 11, query: """
            from vocational | group year (aggregate {students = sum secondary_vocational_students, trainees = sum rural_trainees}) | sort year
            """, columns: ["year", "students", "trainees"], rows: 7),
        Case(measure: 12, query: """
            from special_enrolment | group plan (aggregate {places = sum places, admitted = sum admitted_from_guangxi}) | sort plan
            """, columns: ["plan", "places", "admitted"], rows: 3),
        Case(measure: 13, query: """
            from schools | filter year == 2025
            aggregate {broadband = sum broadband_schools, schools = sum schools, classrooms = sum multimedia_classrooms}
            """, columns: ["broadband", "schools", "classrooms"], rows: 1),
        Case(measure: 14, query: """
            from border_schools | group county (aggregate {students = sum students, aid = sum border_aid_yuan}) | sort county
            """, columns: ["county", "students", "aid"], rows: 8),
        Case(measure: 15, query: """
            from pairings | group year (aggregate {pairs = count this, exchanged = sum teachers_exchanged}) | sort year
            """, columns: ["year", "pairs", "exchanged"], rows: 7),
        Case(measure: 16, query: """
            from university_service | group year (aggregate {projects = sum projects, trained = sum people_trained}) | sort year
            """, columns: ["year", "projects", "trained"], rows: 7),
    ]

    @Test func everyMeasureHasACase() throws {
        let session = Session()
        try session.registerDirectory(MeasureQueryTests.datasets)
        let measures = try session.query("from measures | select {measure_no} | sort measure_no")
        guard case .int(let numbers) = measures.columns[0].values else {
            Issue.record("measure_no should be int")
            return
        }
        #expect(numbers == MeasureQueryTests.cases.map { Int64($0.measure) })
    }

    @Test(arguments: MeasureQueryTests.cases)
    func measureIsAnswerable(_ c: Case) throws {
        let session = Session()
        try session.registerDirectory(MeasureQueryTests.datasets)
        let table = try session.query(c.query)
        #expect(table.names == c.columns)
        if c.rows >= 0 { #expect(table.rowCount == c.rows) } else { #expect(table.rowCount > 0) }
        // No answer is all nulls, and no count or sum is negative.
        for column in table.columns {
            #expect(column.nullCount < max(1, column.count))
            if case .int(let values) = column.values { #expect(values.allSatisfy { $0 >= 0 }) }
        }
    }
}
