import Foundation
@testable import TallyEngine

/// What a notebook-findings suite shares: a session over the committed plan datasets and the
/// cells of a query's result as text, so that a finding reads as the query and the cells it states.
protocol FindingsTest {
    var session: Session { get }
}

extension FindingsTest {
    /// A new session with every plan dataset registered.
    static func datasetSession() throws -> Session {
        let session = Session()
        try session.registerDirectory(MeasureQueryTests.datasets)
        return session
    }

    /// The cells of a query's result as text, row by row (null as "null").
    func rows(_ query: String) throws -> [[String]] {
        let table = try session.query(query)
        return (0..<table.rowCount).map { row in table.columns.map { $0.text(at: row) ?? "null" } }
    }
}
