import TallyEngine

/// A dot-command the shell knows, with its help in English and Chinese.
public struct ShellCommand: Sendable {
    public let name: String
    public let usage: String
    public let summary: String
    public let summaryZh: String
    /// Short forms that stay fixed as commands are added (`.h` is help, though `.history` also
    /// starts with h); any other prefix works while it names one command only.
    public var aliases: [String] = []

    public static let all: [ShellCommand] = [
        ShellCommand(name: "help", usage: ".help [COMMAND|datasets]", summary: "show commands, or the help of one",
                     summaryZh: "显示命令列表或某个命令的说明", aliases: ["h", "?"]),
        ShellCommand(name: "tables", usage: ".tables", summary: "list tables: name, rows, columns, size, source, data (synthetic · 合成 / published · 公开; — until read)",
                     summaryZh: "列出数据表：名称、行数、列数、大小、来源（未读取时为 —）"),
        ShellCommand(name: "schema", usage: ".schema TABLE", summary: "columns of a table and their types",
                     summaryZh: "显示表的列及其类型"),
        ShellCommand(name: "load", usage: ".load PATH [as NAME] [delimiter:\";\"] [header:true|false] [encoding:utf8|gb18030] [ignore_errors:true] [types:COL=TYPE,…] [replace:true]",
                     summary: "read a CSV, TSV, JSON or .xlsx file into a table; a workbook also takes [sheet:\"名称\"|sheet:2] [range:\"A3:H200\"] [header:3|header:\"3-4\"] [totals:drop] [notes:keep]",
                     summaryZh: "读取 CSV、TSV、JSON 或 .xlsx 文件为数据表；工作簿另有选项 sheet:（工作表名或序号）、range:（单元格范围）、header:（表头所在行）、totals:drop（去掉合计行）、notes:keep（保留表下注释行）"),
        ShellCommand(name: "explain", usage: ".explain QUERY",
                     summary: "the query's plan: a tree of steps, each with its columns and types; the parts sent to a database show as Remote with the SQL sent; nothing is run",
                     summaryZh: "显示查询计划：各步骤构成的树及每步的列和类型；发往数据库执行的部分标为 Remote 并列出所发送的 SQL；不执行查询"),
        ShellCommand(name: "sheets", usage: ".sheets FILE.xlsx", summary: "list a workbook's sheets with their used ranges",
                     summaryZh: "列出工作簿中的工作表及其已用区域"),
        ShellCommand(name: "export", usage: ".export FILE.csv|.tsv|.json|.md|.xlsx [sheet:\"名称\"] | .export pg.TABLE [replace:true]",
                     summary: "write the last result to a file (.xlsx: a workbook with a bold, frozen header row), or to a new table of a connected database (all rows or none; an existing table only with replace:true)",
                     summaryZh: "把上一个结果写入文件（.xlsx：表头加粗并冻结的工作簿），或写入已连接数据库的新表（全部写入或全不写入；已有的表仅在 replace:true 时替换）"),
        ShellCommand(name: "store", usage: ".store NAME into pg.TABLE [replace:true]",
                     summary: "write a table or `let` relation of the session to a new table of a connected database (all rows or none; an existing table only with replace:true)",
                     summaryZh: "把本会话的数据表或 `let` 绑定的关系写入已连接数据库的新表（全部写入或全不写入；已有的表仅在 replace:true 时替换）"),
        ShellCommand(name: "connect", usage: ".connect postgres://USER@HOST:PORT/DB [as NAME] | .connect \"host=… dbname=…\" as NAME",
                     summary: "attach a PostgreSQL-compatible database (default name pg): its tables are NAME.table (NAME.schema.table off the search path), queries on them run there as SQL and only the result comes back, an s-string (s\"…{column}…\", or from s\"SELECT …\") sent as written; put the password in ~/.pgpass or PGPASSWORD, or type it when asked (the interactive shell asks with echo off when the server wants one); it is never shown, saved or kept in history",
                     summaryZh: "连接 PostgreSQL 兼容数据库（默认名 pg）：其表为 NAME.表名（不在 search_path 中的为 NAME.模式.表名），对这些表的查询转为 SQL 在数据库中执行，只取回结果，s-string（s\"…{列}…\" 或 from s\"SELECT …\"）原样发送；密码请放在 ~/.pgpass 或 PGPASSWORD 中，或在提示时输入（服务器需要密码时，交互式命令行会不回显地询问）；密码不会显示、保存或写入历史"),
        ShellCommand(name: "disconnect", usage: ".disconnect NAME", summary: "close a database connection and forget its tables",
                     summaryZh: "关闭数据库连接并移除其表"),
        ShellCommand(name: "save", usage: ".save FILE.tally|FILE.md",
                     summary: "save what worked as a script, or a notebook with outputs",
                     summaryZh: "保存成功的语句：脚本或带输出的笔记本"),
        ShellCommand(name: "run", usage: ".run FILE", summary: "run a script here; stops at the first failure",
                     summaryZh: "在本会话中运行脚本，遇错即停"),
        ShellCommand(name: "journal", usage: ".journal [list]", summary: "where this session is journalled; list: the recent journals",
                     summaryZh: "显示本会话记录文件的位置；list 列出最近的会话记录"),
        ShellCommand(name: "edit", usage: ".edit", summary: "edit the last statement in $VISUAL or $EDITOR, then run it",
                     summaryZh: "用 $VISUAL 或 $EDITOR 编辑上一条语句，保存后运行"),
        ShellCommand(name: "mode", usage: ".mode table|csv|tsv|json|markdown|line", summary: "how results are printed",
                     summaryZh: "设置结果的输出格式"),
        ShellCommand(name: "rows", usage: ".rows N", summary: "show at most N rows of a table (first and last)",
                     summaryZh: "表格最多显示 N 行（首尾各半）"),
        ShellCommand(name: "maxwidth", usage: ".maxwidth [N|auto|none]",
                     summary: "widest a table may be (auto: COLUMNS or the terminal; no limit in a pipe)",
                     summaryZh: "表格最大宽度（auto：COLUMNS 或终端宽度；管道输出不限宽）"),
        ShellCommand(name: "svg", usage: ".svg FILE [width:1200] [height:675]", summary: "save the last chart as an SVG file",
                     summaryZh: "将最近一次的图表保存为 SVG 文件"),
        ShellCommand(name: "memory_limit", usage: ".memory_limit [4GB|512MB|50%|default]",
                     summary: "how much memory a query may use before it stops with an error naming its step; without a size, shows it and the memory in use, with what is kept for reuse (default: 80% of physical memory)",
                     summaryZh: "设置查询可用的内存上限，超出时停止并指出是哪一步；不带参数时显示当前上限和内存用量（含留作复用的部分；默认为物理内存的 80%）"),
        ShellCommand(name: "timer", usage: ".timer on|off", summary: "print how long each statement took",
                     summaryZh: "显示每条语句的耗时"),
        ShellCommand(name: "pager", usage: ".pager on|off", summary: "page results taller than the window ($PAGER, default less -SRFX)",
                     summaryZh: "结果超过窗口高度时用分页器显示（$PAGER，默认 less -SRFX）"),
        ShellCommand(name: "history", usage: ".history", summary: "list the statements entered so far",
                     summaryZh: "列出输入过的语句"),
        ShellCommand(name: "quit", usage: ".quit", summary: "leave tally (Ctrl-D does too)", summaryZh: "退出（也可按 Ctrl-D）",
                     aliases: ["q"]),
        ShellCommand(name: "exit", usage: ".exit", summary: "same as .quit", summaryZh: "同 .quit"),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The command a possibly abbreviated name means: exact match, else the only one it starts.
    public static func resolve(_ name: String) -> Result<ShellCommand, ResolveError> {
        if let exact = all.first(where: { $0.name == name || $0.aliases.contains(name) }) { return .success(exact) }
        let matches = all.filter { $0.name.hasPrefix(name) && !name.isEmpty }
        if matches.count == 1 { return .success(matches[0]) }
        if matches.count > 1 { return .failure(.ambiguous(matches.map(\.name))) }
        return .failure(.unknown(nearest: nearest(name)))
    }

    public enum ResolveError: Error {
        case ambiguous([String])
        case unknown(nearest: String?)
    }

    private static func nearest(_ name: String) -> String? {
        Suggest.nearest(name, in: names)
    }
}
