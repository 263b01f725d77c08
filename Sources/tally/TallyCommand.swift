import ArgumentParser
import Foundation
import TallyEngine
import TallyReport
import TallyShell

/// Options every subcommand accepts, before or after the subcommand's name.
struct SharedOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Register every *.csv, *.tsv and *.json file in DIR as a table, and each sheet of every *.xlsx as FILE_SHEET.", valueName: "DIR"))
    var data: [String] = []

    @Flag(name: .long, help: "Do not register the bundled plan datasets.")
    var noDatasets = false

    @Option(name: .long, help: ArgumentHelp("Output format: table, csv, tsv, json, markdown or line.", valueName: "FORMAT"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp("Set a script parameter read as $NAME (repeatable).", valueName: "NAME=VALUE"))
    var param: [String] = []

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Connect a PostgreSQL-compatible database at start: `--connect postgres://user@host/db as pg` (as in `.connect`).", valueName: "URL as NAME"))
    var connect: [String] = []

    mutating func merge(_ other: SharedOptions) {
        data += other.data
        connect += other.connect
        noDatasets = noDatasets || other.noDatasets
        format = other.format ?? format
        param += other.param
    }

    func validateValues() throws {
        if let format, OutputFormat(rawValue: format) == nil {
            throw ValidationError("unknown format '\(format)'; use table, csv, tsv, json, markdown or line")
        }
        if !connect.isEmpty, connect.count != 1 && !(connect.count == 3 && connect[1] == "as") {
            throw ValidationError("--connect takes URL or URL as NAME")
        }
        for p in param where !p.contains("=") || p.hasPrefix("=") {
            throw ValidationError("--param takes NAME=VALUE, got '\(p)'")
        }
    }
}

struct TallyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "An analysis shell for the figures of Guangxi's 2021 education plan.",
        discussion: """
        Without arguments, opens the interactive shell on the plan datasets. Input that is not a \
        terminal is read as a script. `tally present NOTEBOOK.md` steps through a notebook \
        full-screen, for a class; `tally notebook NOTEBOOK.md --to slides -o deck.html` makes the same \
        steps an offline slide deck; `tally preview NOTEBOOK.md` serves it in the browser, updated as \
        you edit, with its parameters as controls. Exit status: 0 success, 1 a statement failed, 2 usage error.

        不带参数时打开交互式命令行，计划数据集已载入。`tally run` 运行脚本，`tally notebook` 生成报告\
        （--to slides 生成离线幻灯片），`tally present` 在终端中全屏逐步展示笔记本（课堂用），\
        `tally preview` 在浏览器中实时预览笔记本，参数成为表单控件。退出状态：0 成功，1 语句失败，2 用法错误。
        """,
        version: TallyVersion.string,
        subcommands: [RunCommand.self, NotebookCommand.self, PresentCommand.self, PreviewCommand.self]
    )

    @OptionGroup var shared: SharedOptions

    @Option(name: .customShort("c"), help: ArgumentHelp("Run STATEMENT and exit (repeatable, run in order).", valueName: "STATEMENT"))
    var statements: [String] = []

    func validate() throws { try shared.validateValues() }

    func run() throws {
        let shell = try Launcher.makeShell(shared, interactive: Terminal.stdinIsTerminal)
        if !statements.isEmpty {
            for text in statements where !shell.runScript(text, file: nil) {
                throw ExitCode(1)
            }
            return
        }
        if !Terminal.stdinIsTerminal {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            // Named as psql names it, so an error says `<stdin>:7:27` with the script's own line.
            if !shell.runScript(String(decoding: data, as: UTF8.self), file: "<stdin>") { throw ExitCode(1) }
            return
        }
        shell.journal = SessionJournal(path: SessionJournal.defaultPath())
        shell.runREPL()
    }

    /// Parses and runs, mapping usage errors to exit status 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if error is ExitCode {
                Foundation.exit(code.rawValue)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script of statements; stop at the first that fails (exit status 1)."
    )

    @Argument(help: "The script (.tally or .prql).")
    var file: String

    @Flag(name: .long, help: "Run every statement even after one fails (exit status still 1).")
    var keepGoing = false

    @OptionGroup var shared: SharedOptions

    func validate() throws { try shared.validateValues() }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("error: cannot read script `\(file)`\n".utf8))
            throw ExitCode(2)
        }
        let text = String(decoding: data, as: UTF8.self)
        if let notebook = NotebookParser.notebookGivenAsScript(path: file, text: text) {
            FileHandle.standardError.write(Data((notebook.rendered() + "\n").utf8))
            throw ExitCode(2)
        }
        let shell = try Launcher.makeShell(shared)
        if !shell.runScript(text, file: file, keepGoing: keepGoing) {
            throw ExitCode(1)
        }
    }
}

enum TallyVersion {
    static let string = "0.1.0"
}
