/// How PostgreSQL's column types map to Tally's, both ways.
///
/// Reading, each column is cast in the SQL to the one PostgreSQL type whose binary form the
/// decoder reads for the Tally type (int8, float8, bool, text, date, timestamp), so int2/int4,
/// float4, numeric, varchar and char all arrive in a handful of formats. Writing, each Tally type
/// has one PostgreSQL type.
enum PostgresTypes {
    /// The Tally type of a column of `dataType` (as `information_schema.columns.data_type` names
    /// it), or why there is none.
    static func tallyType(dataType: String, udtName: String, precision: Int?, scale: Int?) -> Result<DataType, UnsupportedType> {
        switch dataType.lowercased() {
        case "smallint", "integer", "bigint": return .success(.int)
        case "real", "double precision": return .success(.float)
        case "numeric", "decimal":
            // A double holds 15 significant digits exactly; wider numbers stay exact as text.
            if let precision, precision > 15 { return .success(.text) }
            return .success(.float)
        case "text", "character varying", "character", "name", "\"char\"": return .success(.text)
        case "boolean": return .success(.bool)
        case "date": return .success(.date)
        case "timestamp without time zone", "timestamp with time zone": return .success(.timestamp)
        case "user-defined" where udtName == "citext": return .success(.text)
        default:
            return .failure(UnsupportedType(name: dataType == "USER-DEFINED" || dataType == "ARRAY" ? udtName : dataType))
        }
    }

    /// The Tally type of a value PostgreSQL describes by its type OID (an s-string's result), or
    /// the type's name when Tally has none.
    static func tallyType(oid: UInt32, modifier: Int32) -> Result<DataType, UnsupportedType> {
        switch oid {
        case 20, 21, 23, 26: return .success(.int)  // int8, int2, int4, oid
        case 700, 701: return .success(.float)
        case 1700:
            // numeric(p, s) carries ((p << 16) | s) + 4; an unconstrained numeric is read as a float.
            if modifier >= 4, (modifier - 4) >> 16 > 15 { return .success(.text) }
            return .success(.float)
        case 25, 1042, 1043, 19, 18, 705: return .success(.text)  // text, char(n), varchar, name, "char", unknown
        case 16: return .success(.bool)
        case 1082: return .success(.date)
        case 1114, 1184: return .success(.timestamp)
        default:
            let names: [UInt32: String] = [17: "bytea", 114: "json", 3802: "jsonb", 1083: "time", 1266: "time with time zone",
                                           1186: "interval", 2950: "uuid", 869: "inet", 650: "cidr", 142: "xml",
                                           790: "money", 1560: "bit", 1562: "bit varying", 3614: "tsvector"]
            return .failure(UnsupportedType(name: names[oid] ?? ((1000..<1300).contains(oid) ? "an array" : "type OID \(oid)")))
        }
    }

    /// Why a column cannot be read.
    struct UnsupportedType: Error, Equatable {
        var name: String
    }

    /// The PostgreSQL type a Tally type is cast to when read (the decoder's formats) and created as
    /// when written.
    static func sqlType(_ type: DataType) -> String {
        switch type {
        case .int: return "bigint"
        case .float: return "double precision"
        case .bool: return "boolean"
        case .text: return "text"
        case .date: return "date"
        case .timestamp: return "timestamp"
        }
    }

    /// `"name"`, with inner quotes doubled: identifiers are always quoted, so case and Chinese
    /// names survive.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `'text'`, with inner quotes doubled (the connection sets `standard_conforming_strings`).
    static func quoteLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
