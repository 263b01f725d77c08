/// Help texts, in English and Chinese.
enum Help {
    static func banner(tables: Int) -> String {
        "tally — plan datasets loaded: \(tables) tables. `.help` for help, `.tables` to list them, Ctrl-D to quit.\n"
            + "tally — 已载入 \(tables) 个数据表。输入 `.help` 查看帮助，`.tables` 列出数据表，Ctrl-D 退出。\n"
    }

    static func text(for topic: String?) -> String {
        guard let topic else { return overview() }
        if topic == "datasets" { return datasets }
        let name = topic.hasPrefix(".") ? String(topic.dropFirst()) : topic
        if case .success(let command) = ShellCommand.resolve(name) {
            return "\(command.usage)\n  \(command.summary)\n  \(command.summaryZh)\n"
        }
        return "no help for `\(topic)`; `.help` lists the commands\n没有 `\(topic)` 的说明；`.help` 列出全部命令\n"
    }

    /// `.help datasets`: what the bundled tables hold. The full data dictionary is Datasets/README.md.
    static let datasets = """
    Plan datasets / 计划数据集 (Datasets/, registered at start, read on first use; `--no-datasets` skips them)
    Real / 真实: counties, measures, targets, standards (sources in Datasets/README.md).
    Synthetic / 合成: every other table — made by tally-datagen with a fixed seed, scaled to published
    totals; not official statistics / 合成数据，不是官方统计。

      counties             county-level units, cities, key/border/autonomous flags   县级行政区、重点帮扶县、边境县、自治县
      measures             the plan's 4 tasks and 16 measures                        方案的四大任务和16项措施
      targets              2025 targets with sources                                 2025年目标及来源
      standards            standard amounts (nutrition, boarding, grants, loans)     资助与营养改善计划标准
      enrolment            school-age children, enrolment, dropouts, rates           控辍保学、学前、高中入学
      schools              schools, standards met, boarding places, broadband       学校建设与信息化
      teachers             rural teachers, special posts, living subsidies           乡村教师
      putonghua            Putonghua training and prevalence                         推广普通话
      student_aid          aid by county, year, level and programme                  学生资助
      nutrition            nutrition programme coverage and funds by term            营养改善计划
      child_care           left-behind children and care                             关爱留守儿童
      graduate_employment  employment of graduates from low-income families          困难家庭毕业生就业
      graduate_employment_counties  the same by home county                          困难家庭毕业生按生源县
      vocational           secondary vocational students, rural trainees             职业教育
      special_enrolment    special enrolment plans for rural students                重点高校专项招生
      special_enrolment_counties    admissions by home county                        专项招生按生源县
      border_schools       schools of the 8 border counties                          边境学校
      pairings             city-county school pairings                               结对帮扶
      university_service   universities' projects serving counties                   高校服务乡村振兴
      university_service_counties   projects by county served                        高校服务的县

    `.schema NAME` lists a table's columns; Datasets/README.md explains each one, in Chinese and English.

    """

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
        Keys: Tab completes (tables after from/join, transforms after |, the columns at that point of
          the pipeline, functions, $parameters, paths); Up/Down and Ctrl-R search the history (Ctrl-R
          again: older, Enter: run, Ctrl-G: give the line back);
          Ctrl-A/Ctrl-E start/end of line, Ctrl-K/Ctrl-U cut to the end/start; Ctrl-C drops the
          statement being typed, or cancels a running query, load or export; Ctrl-D quits.
        按键：Tab 补全（from/join 后为数据表，| 后为变换，管道中该处的列名、函数、$参数、路径）；
          上下键和 Ctrl-R 搜索历史（再按 Ctrl-R 找更早的，回车运行，Ctrl-G 取消）；
          Ctrl-A/Ctrl-E 行首/行尾，Ctrl-K/Ctrl-U 删除到行尾/行首；
          Ctrl-C 清除正在输入的语句，或取消正在运行的查询、载入或导出；Ctrl-D 退出。
        .edit opens the last statement in $VISUAL or $EDITOR (vi) and runs what you save; results taller
          than the window go through $PAGER (less -SRFX) unless `.pager off`. Short forms: .h help, .q quit;
          any other prefix works while it names one command.
        .edit 用 $VISUAL 或 $EDITOR（默认 vi）编辑上一条语句，保存后运行；超过窗口高度的结果用 $PAGER
          （默认 less -SRFX）分页显示，`.pager off` 关闭。简写：.h 帮助，.q 退出；其他前缀只要唯一即可。

        Charts / 图表: end a query with `chart KIND x:COL y:COL [by:COL] [title:"…"] [x_title:"…"] [y_title:"…"]`
          kinds / 类型: line bar column area scatter pie spark; y may be a tuple: y:{a, b}
          from enrolment | group year (aggregate {rate = average retention_rate}) | sort year | chart line x:year y:rate
        Drawn in the terminal; piped output or .mode csv prints the table. `.svg FILE` saves the last chart as SVG.
        在终端中绘制；输出到管道或非 table 模式时打印数据表。`.svg 文件名` 将最近的图表保存为 SVG。

        Scripts and notebooks / 脚本与笔记本:
          .save report.tally      then next year: tally run report.tally --param year=2025
          .save notes.md          a notebook: each statement a cell, its output below it
          tally notebook Notebooks/student-aid.md --to html -o aid.html
        `.save` 保存成功的语句；每个会话都会随时写入会话记录（`.journal` 显示位置）；
        `tally notebook` 把 Markdown 笔记本运行成 HTML 或 Markdown 报告。

        Presenting / 课堂展示:
          tally present Notebooks/enrolment-targets.md
        Full-screen, one step per key: prose, each query, each result (charts sized to the screen).
        → space next, ← back, g/G first/last, ↓/↑ scroll, q quit.
        全屏逐步展示笔记本：文字、查询、结果（图表按屏幕大小绘制）。→ 空格 下一步，← 上一步，
        g/G 第一步/最后一步，↓/↑ 滚动，q 退出。
          tally notebook Notebooks/enrolment-targets.md --to slides -o deck.html
        The same steps as one offline HTML slide deck: arrow keys or a click move, one slide a printed page.
        同样的步骤写成一个离线 HTML 幻灯片文件：方向键或点击翻页，打印时每页一张。

        Previewing / 浏览器预览:
          tally preview Notebooks/enrolment-targets.md
        Serves the notebook on 127.0.0.1 and prints the address; saving the file updates the page, re-run
        from the first changed cell. Parameters become controls (a select for `choices:`); ?year=2024 keeps one.
        在本机提供笔记本页面并打印地址；保存文件后页面自动更新。参数成为表单控件（列出 choices 的为下拉框），
        地址 ?year=2024 保留所选值。

        """
        return out
    }
}
