import ArgumentParser
import Foundation
import TallyEngine
import TallyReport
import TallyShell

/// Builds a shell from the command-line options: datasets registered, parameters set, output chosen.
enum Launcher {
    /// `interactive`: a person at a terminal runs the shell (the REPL or `-c` with a terminal as
    /// input), so a database that wants a password asks for it; a script or a pipe is told how to give one.
    static func makeShell(_ options: SharedOptions, interactive: Bool = false) throws -> Shell {
        var settings = ShellSettings()
        if let name = options.format, let format = OutputFormat(rawValue: name) { settings.format = format }
        let history = HistoryFile(path: HistoryFile.defaultPath())
        return Shell(session: try makeSession(options, interactive: interactive), settings: settings, historyFile: history)
    }

    /// `--param NAME=VALUE` options in the order given.
    static func parameterList(_ options: SharedOptions) -> [(String, String)] {
        options.param.map { p in
            let parts = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    /// A session with the datasets registered and the parameters set.
    static func makeSession(_ options: SharedOptions, interactive: Bool = false) throws -> Session {
        let session = try makeSession(data: options.data, noDatasets: options.noDatasets, parameters: parameterList(options))
        if interactive { session.passwordPrompt = { try Terminal.readPassword(prompt: $0) } }
        if let url = options.connect.first {
            // `--connect URL as NAME`, as `.connect` does it; a failure is said and ends the run.
            do {
                let message = try session.connect(url, as: options.connect.count == 3 ? options.connect[2] : "pg")
                FileHandle.standardError.write(Data((message + "\n").utf8))
            } catch let error as TallyError {
                FileHandle.standardError.write(Data((error.rendered() + "\n").utf8))
                throw ExitCode(1)
            }
        }
        return session
    }

    /// The same from the options' values; `quiet` for a session built again and again (a preview's
    /// runs), whose warnings were said once already. A bad data folder is then an error, not an exit.
    static func makeSession(data: [String], noDatasets: Bool, parameters list: [(String, String)],
                            quiet: Bool = false) throws -> Session {
        var parameters: [String: String] = [:]
        for (name, value) in list { parameters[name] = value }
        let session = Session(parameters: parameters)
        if !noDatasets, let directory = datasetsDirectory() {
            _ = try? session.registerDirectory(directory, asPlanDatasets: true)
        }
        for directory in data {
            do {
                try session.registerDirectory(directory) { skipped in
                    if !quiet {
                        FileHandle.standardError.write(Data("warning: skipped `\(skipped.path)`: \(skipped.reason)\n".utf8))
                    }
                }
            } catch let error as TallyError {
                if quiet { throw error }
                FileHandle.standardError.write(Data((error.rendered() + "\n").utf8))
                throw ExitCode(2)
            }
        }
        return session
    }

    /// The bundled `Datasets/`: `$TALLY_DATASETS`, else the first `Datasets` folder found walking up
    /// from the executable (a build inside the project), else `./Datasets`.
    static func datasetsDirectory() -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TALLY_DATASETS"], !env.isEmpty { return env }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("Datasets").path
            if fm.fileExists(atPath: candidate + "/counties.csv") { return candidate }
            url.deleteLastPathComponent()
        }
        let local = fm.currentDirectoryPath + "/Datasets"
        return fm.fileExists(atPath: local) ? local : nil
    }
}
