import Foundation

/// Generates every table of `DATASETS.md` (and the `standards` table) from the real facts and the
/// synthetic model; the same seed always gives the same bytes.
public struct DatasetGenerator: Sendable {
    public let seed: UInt64

    /// The tables, in the order they are written.
    public static let tableNames = [
        "counties", "measures", "targets", "standards", "enrolment", "schools", "teachers", "putonghua",
        "student_aid", "nutrition", "child_care", "graduate_employment", "graduate_employment_counties", "vocational",
        "special_enrolment", "special_enrolment_counties", "border_schools", "pairings", "university_service",
        "university_service_counties",
    ]

    public init(seed: UInt64 = defaultSeed) {
        self.seed = seed
    }

    /// Every table, built in memory (a few tens of thousands of rows in all).
    public func tables() -> [CSVTable] {
        let world = World(seed: seed)
        let aid = world.aidRows()
        return [
            World.countiesTable(), World.measuresTable(), World.targetsTable(), World.standardsTable(),
            world.enrolmentTable(), world.schoolsTable(), world.teachersTable(), world.putonghuaTable(),
            world.studentAidTable(aid), world.nutritionTable(), world.childCareTable(), world.graduateEmploymentTable(),
            world.graduateEmploymentCountiesTable(), world.vocationalTable(), world.specialEnrolmentTable(),
            world.specialEnrolmentCountiesTable(), world.borderSchoolsTable(aid), world.pairingsTable(),
            world.universityServiceTable(), world.universityServiceCountiesTable(),
        ]
    }

    /// Writes `NAME.csv` for every table into `directory` (created if missing), each file through a
    /// temporary file renamed into place. Returns (file name, data rows) per table.
    @discardableResult
    public func write(to directory: URL) throws -> [(file: String, rows: Int)] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [(file: String, rows: Int)] = []
        for table in tables() {
            let url = directory.appendingPathComponent(table.fileName)
            try Data(table.csvBytes()).write(to: url, options: .atomic)
            written.append((table.fileName, table.rows.count))
        }
        return written
    }
}
