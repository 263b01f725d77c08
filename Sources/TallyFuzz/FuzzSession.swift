import TallyEngine

/// The session the statement target runs in: two small tables with every type, nulls, Chinese
/// text, dates and numbers at the ends of their range, made once per process.
final class FuzzSession: @unchecked Sendable {
    static let shared = FuzzSession()
    let session: Session

    static let facts = """
        year,county,amount,day,flag,n
        2019,马山县,1200.5,2019-09-01,true,1
        2020,融水苗族自治县,,2020-02-29,false,-7
        2021,,0,2021-12-31,,9223372036854775807
        ,马山县,-35.25,,true,-9223372036854775808
        2023,兴宁区,1e300,2023-01-01,false,0
        2024,三江侗族自治县,7,2024-06-15,true,42
        2025,马山县,0.1,1970-01-01,false,
        """

    static let places = """
        county,code,key
        马山县,450124,true
        融水苗族自治县,450225,true
        兴宁区,450102,false
        ,0,
        """

    init() {
        session = Session()
        for (name, text) in [("t", FuzzSession.facts), ("u", FuzzSession.places)] {
            if let (table, _) = try? TableReader.read(text: text, format: .csv) {
                try? session.register(name: name, table: table)
            }
        }
    }
}
