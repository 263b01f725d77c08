import TallyEngine

/// `.svg FILE [width:1200] [height:675]`: the last chart as an SVG file, written to a temporary file
/// and renamed into place. The shell and the notebook runner both run it through here, so a session
/// saved with `.svg` lines runs the same in `tally run` and `tally notebook`.
public enum SVGFileCommand {
    /// Writes the chart and returns the message to show (`wrote PATH`). `resolve` finds a relative
    /// path from the script's or notebook's folder.
    public static func run(_ words: CommandWords, chart: (table: Table, spec: ChartSpec)?,
                           resolve: (String) -> String = { $0 }) throws -> String {
        guard let given = words.positional.first, words.positional.count == 1 else {
            throw TallyError(.usage, "`.svg` needs one file name", hint: "e.g. `.svg trend.svg`")
        }
        guard let chart else {
            throw TallyError(.usage, "no chart yet", hint: "run a query ending in `chart`, e.g. `… | chart line x:year y:rate`")
        }
        func size(_ key: String, _ fallback: Int) throws -> Int {
            guard let text = words.option(key) else { return fallback }
            guard let n = Int(text), (100...10_000).contains(n) else {
                throw TallyError(.usage, "`\(key):` takes a number of pixels from 100 to 10000, got `\(text)`")
            }
            return n
        }
        for option in words.options where option.key != "width" && option.key != "height" {
            throw TallyError(.usage, "unknown option `\(option.key):` of `.svg`", hint: "options: width, height")
        }
        let svg = SVGChart.render(chart.table, chart.spec, width: try size("width", 1200), height: try size("height", 675))
        let path = resolve(given)
        try AtomicFile.write(svg, to: path)
        return "wrote \(path)"
    }
}
