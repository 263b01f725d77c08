import Foundation
import TallyFuzz
import CFuzzDriver

/// The target a libFuzzer run feeds, from `TALLY_FUZZ_TARGET` (read once).
enum FuzzEntry {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["TALLY_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set TALLY_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()
}

/// One input through the chosen target; a broken invariant aborts, so the fuzzer keeps the input.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try FuzzEntry.target.run(bytes)
    } catch {
        FileHandle.standardError.write(Data("\(FuzzEntry.target.rawValue): \(error)\n".utf8))
        abort()
    }
    return 0
}

#if FUZZING
/// Built by `make fuzz`: libFuzzer's driver, with its usual flags (`-max_total_time=`, corpus folders).
@main
struct FuzzMain {
    static func main() {
        _ = FuzzEntry.target
        exit(tally_fuzz_driver(CommandLine.argc, CommandLine.unsafeArgv) { fuzzOneInput($0, $1) })
    }
}
#else
/// `tally-fuzz replay [ROOT]`: every file of `ROOT/TARGET/` (default `Fuzz/corpus`) through its
/// target, deterministic, no new inputs. `tally-fuzz run TARGET FILE…`: the given files.
@main
struct FuzzReplay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let command = arguments.isEmpty ? "replay" : arguments.removeFirst()
        switch command {
        case "replay":
            let root = arguments.first ?? "Fuzz/corpus"
            var failures = 0, total = 0
            for target in FuzzTarget.allCases {
                let folder = root + "/" + target.rawValue
                let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
                for file in files where !file.hasPrefix(".") {
                    total += 1
                    if !replay(target, folder + "/" + file) { failures += 1 }
                }
                print("\(target.rawValue): \(files.count) input\(files.count == 1 ? "" : "s")")
            }
            print("replayed \(total) inputs, \(failures) failed")
            exit(failures == 0 && total > 0 ? 0 : 1)
        case "run":
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                usage()
            }
            let failed = arguments.dropFirst().filter { !replay(target, $0) }.count
            exit(failed == 0 ? 0 : 1)
        default:
            usage()
        }
    }

    static func replay(_ target: FuzzTarget, _ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else {
            print("cannot read \(path)")
            return false
        }
        do {
            try target.run(Array(data))
            return true
        } catch {
            print("\(path): \(error)")
            return false
        }
    }

    static func usage() -> Never {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        print("usage: tally-fuzz replay [CORPUS_ROOT] | tally-fuzz run \(names) FILE…")
        exit(2)
    }
}
#endif
