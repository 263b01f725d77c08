import Testing
import TallyEngine
import TallyReport
@testable import TallyShell

@Suite("table width")
struct TableWidthTests {
    @Test func widthFollowsMaxwidthThenColumnsThenTheTerminal() {
        let unlimited = RenderOptions.unlimitedWidth
        #expect(Shell.tableWidth(.auto, columnsVariable: nil, terminal: nil) == unlimited)
        #expect(Shell.tableWidth(.auto, columnsVariable: "200", terminal: nil) == 200)
        #expect(Shell.tableWidth(.auto, columnsVariable: "200", terminal: 120) == 200)
        #expect(Shell.tableWidth(.auto, columnsVariable: "wide", terminal: 120) == 120)
        #expect(Shell.tableWidth(.auto, columnsVariable: nil, terminal: 120) == 120)
        #expect(Shell.tableWidth(.cells(90), columnsVariable: "200", terminal: 120) == 90)
        #expect(Shell.tableWidth(.unlimited, columnsVariable: "60", terminal: 120) == unlimited)
    }

    @Test func maxwidthCommand() throws {
        let shell = try CapturedShell()
        #expect(shell.shell.execute(".maxwidth 200"))
        #expect(shell.shell.settings.tableWidth == .cells(200))
        #expect(shell.shell.execute(".maxwidth none"))
        #expect(shell.shell.settings.tableWidth == .unlimited)
        #expect(shell.shell.execute(".maxwidth auto"))
        #expect(shell.shell.settings.tableWidth == .auto)
        #expect(!shell.shell.execute(".maxwidth 5"))
        #expect(shell.messages.contains("from 20 to 10000"))
    }

    @Test func aLongValueUsesTheWholeWidthBeforeItIsCut() throws {
        let shell = try CapturedShell()
        let long = String(repeating: "路", count: 30)  // 60 cells
        shell.shell.settings.tableWidth = .cells(120)
        shell.run(["from [{source = \"\(long)\", n = 1}]"])
        #expect(shell.output.contains(long))
    }
}
