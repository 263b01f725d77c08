import Foundation
import TallyDatagen

// tally-datagen: writes the plan datasets, or the large benchmark records.
// The arguments are few, so they are parsed by hand (this target has no package dependencies).

let usage = """
    usage: tally-datagen datasets [-o DIR]
           tally-datagen records --rows N [-o FILE] [--seed S]

      datasets   write every plan table as DIR/NAME.csv (default DIR: ./Datasets)
      records    write the synthetic per-payment table student_aid_records with N rows
                 (default FILE: ./student_aid_records.csv; "-" for standard output;
                 S: a decimal or 0x-hex seed, default 0x\(String(RecordsWriter.defaultSeed, radix: 16)))

    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("tally-datagen: " + message + "\n\n" + usage).utf8))
    exit(2)
}

func parseUInt64(_ text: String) -> UInt64? {
    let digits = text.replacingOccurrences(of: "_", with: "")
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") { return UInt64(digits.dropFirst(2), radix: 16) }
    return UInt64(digits)
}

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { fail("missing command") }
args.removeFirst()
if command == "-h" || command == "--help" || command == "help" {
    print(usage, terminator: "")
    exit(0)
}

var output: String?
var rows: Int?
var seed: UInt64?
var k = 0
while k < args.count {
    let arg = args[k]
    func value() -> String {
        guard k + 1 < args.count else { fail("\(arg) needs a value") }
        k += 1
        return args[k]
    }
    switch arg {
    case "-o", "--output": output = value()
    case "--rows" where command == "records":
        let text = value()
        guard let n = Int(text.replacingOccurrences(of: "_", with: "")), n >= 0 else { fail("--rows wants a whole number, got '\(text)'") }
        rows = n
    case "--seed" where command == "records":
        let text = value()
        guard let s = parseUInt64(text) else { fail("--seed wants a whole number, got '\(text)'") }
        seed = s
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    default: fail("unknown argument '\(arg)' for \(command)")
    }
    k += 1
}

func writeFailed(_ what: String, _ error: Error) -> Never {
    FileHandle.standardError.write(Data("tally-datagen: cannot write \(what): \(error.localizedDescription)\n".utf8))
    exit(1)
}

switch command {
case "datasets":
    let dir = URL(fileURLWithPath: output ?? "Datasets", isDirectory: true)
    do {
        let written = try DatasetGenerator().write(to: dir)
        for (file, n) in written { print("\(dir.path)/\(file)\t\(n) rows") }
    } catch {
        writeFailed("the datasets into \(dir.path)", error)
    }
case "records":
    guard let n = rows else { fail("records needs --rows N") }
    let writer = RecordsWriter(rows: n, seed: seed ?? RecordsWriter.defaultSeed)
    let path = output ?? "student_aid_records.csv"
    do {
        if path == "-" {
            try writer.writeToStandardOutput()
        } else {
            try writer.write(toFile: path)
            FileHandle.standardError.write(Data("\(path)\t\(n) rows\n".utf8))
        }
    } catch {
        writeFailed(path == "-" ? "standard output" : path, error)
    }
default:
    fail("unknown command '\(command)'")
}
