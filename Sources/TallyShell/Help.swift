/// Help texts, in English and Chinese.
enum Help {
    static func banner(tables: Int) -> String {
        "tally — plan datasets loaded: \(tables) tables. `.help` for help, `.tables` to list them, Ctrl-D to quit.\n"
            + "tally — 已载入 \(tables) 个数据表。输入 `.help` 查看帮助，`.tables` 列出数据表，Ctrl-D 退出。\n"
    }

    static func text(for topic: String?) -> String {
        guard let topic else { return overview() }
        let name = topic.hasPrefix(".") ? String(topic.dropFirst()) : topic
        if case .success(let command) = ShellCommand.resolve(name) {
            return "\(command.usage)\n  \(command.summary)\n  \(command.summaryZh)\n"
        }
        return "no help for `\(topic)`; `.help` lists the commands\n没有 `\(topic)` 的说明；`.help` 列出全部命令\n"
    }

    static func overview() -> String {
        var out = "Commands / 命令:\n"
        let width = ShellCommand.all.map { $0.usage.split(separator: " ").prefix(2).joined(separator: " ").count }.max() ?? 10
        for command in ShellCommand.all {
            let short = command.usage.split(separator: " ").prefix(2).joined(separator: " ")
            out += "  " + short.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + command.summary + " / " + command.summaryZh + "\n"
        }
        out += """

        Queries / 查询: a pipeline of transforms, e.g.
          from counties | filter key_county | group city (aggregate {n = count this}) | sort -n
        Statements end at Enter when brackets are closed; a line ending in | continues.
        语句在括号闭合时按回车执行；以 | 结尾的行会继续输入。
        Keys / 按键: Tab completes, Up/Down and Ctrl-R search history, Ctrl-C cancels, Ctrl-D quits.

        """
        return out
    }
}
