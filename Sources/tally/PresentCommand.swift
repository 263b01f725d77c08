import ArgumentParser
import Foundation
import TallyEngine
import TallyReport
import TallyShell

/// `tally present NOTEBOOK.md`: the notebook full-screen in the terminal, one step per keypress —
/// each prose block, each cell's query, each cell's result (its chart, or its table). Cells run once,
/// up front, in one session with the notebook's parameters; a failing cell shows its error in its
/// step and the presentation goes on. Exit status 2 when stdin or stdout is not a terminal or the
/// notebook cannot be read.
struct PresentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "present",
        abstract: "Step through a notebook full-screen in the terminal, for a class.",
        discussion: """
        Each section of prose (a new one at each # or ## heading), each cell's query and each cell's \
        result (a chart drawn to the screen's size, or a table) is one step. Keys: → space Enter n PgDn next; ← Backspace p PgUp back; \
        Home/g first; End/G last; ↓/j and ↑/k scroll a step taller than the screen; q Esc Ctrl-C quit. \
        Cell options echo, eval and output are respected; a failing cell shows its error and the \
        presentation goes on. Needs a terminal (80×24 or larger); for a report use `tally notebook`.

        逐步全屏展示笔记本：每段文字（遇 # 或 ## 标题另起一步）、每个单元格的查询和结果（图表按屏幕大小绘制，或数据表）各占一步。\
        按键：→ 空格 回车 n PgDn 下一步；← 退格 p PgUp 上一步；Home/g 第一步；End/G 最后一步；\
        ↓/j ↑/k 滚动超出屏幕的内容；q Esc Ctrl-C 退出。出错的单元格在其步骤中显示错误，展示继续。
        """
    )

    @Argument(help: "The notebook (.md).")
    var file: String

    @OptionGroup var shared: SharedOptions

    func validate() throws { try shared.validateValues() }

    func run() throws {
        guard Terminal.stdinIsTerminal && Terminal.stdoutIsTerminal else {
            fail("error: present needs a terminal; use `tally notebook \(file) --to html` for a report")
            throw ExitCode(2)
        }
        let notebook: Notebook
        do {
            notebook = try NotebookParser.read(path: file)
            _ = try NotebookRunner.parameters(for: notebook, overrides: Launcher.parameterList(shared), file: file)
        } catch let error as TallyError {
            fail(error.rendered())
            throw ExitCode(2)
        }
        let session = try Launcher.makeSession(shared)
        fail("running \(notebook.cells.count) cell\(notebook.cells.count == 1 ? "" : "s") of \(file)…")
        let result: NotebookRun
        do {
            // Every cell runs: a failure is shown in its step, and the class goes on.
            result = try NotebookRunner(session: session, file: file, keepGoing: true)
                .run(notebook, overrides: Launcher.parameterList(shared))
        } catch let error as TallyError {
            fail(error.rendered())
            throw ExitCode(2)
        }
        guard Presenter(presentation: Presentation(result)).run() else {
            fail("error: present cannot put the terminal in raw mode")
            throw ExitCode(2)
        }
    }

    private func fail(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
