import Ink
import TallyEngine

/// A run notebook as one self-contained HTML slide deck (`tally notebook … --to slides`): the same
/// steps as `tally present` (a title slide, each section of prose, each cell's query, each cell's
/// result), one slide each, for a projector. Nothing is fetched: styles and the small script are
/// inline, charts are inline SVG, fonts are the system's (with a CJK stack). Arrow keys, space,
/// Page Up/Down, Home/End and a click move; the address keeps the slide (`#5`); printing gives one
/// slide a page. The same run gives the same bytes.
public struct SlidesReport: Sendable {
    public init() {}

    /// The steps of `run` that become slides, in order.
    public func steps(_ run: NotebookRun) -> [PresentationStep] {
        // Prose as written: parameter values go in after Markdown, escaped, as in HTML reports.
        var original = run
        if run.notebook.blocks.count == run.blocks.count {
            original.blocks = zip(run.blocks, run.notebook.blocks).map { block, source in
                if case .prose = block, case .prose(let text) = source { return .prose(text) }
                return block
            }
        }
        return Presentation(original).steps
    }

    public func render(_ run: NotebookRun) -> String {
        let notebook = run.notebook
        let title = notebook.title ?? "Tally notebook"
        let escapedParameters = run.parameters.map { (name: $0.name, value: HTMLText.escape($0.value)) }
        let steps = steps(run)
        let parser = MarkdownParser()
        var slides: [String] = []
        for step in steps {
            var body = ""
            var kind = "prose"
            switch step {
            case .title(let page):
                kind = "title"
                body += "<h1>\(HTMLText.escape(page.title))</h1>\n"
                if let subtitle = page.subtitle { body += "<p class=\"subtitle\">\(HTMLText.escape(subtitle))</p>\n" }
                if !page.meta.isEmpty {
                    body += "<p class=\"meta\">\(HTMLText.escape(page.meta.joined(separator: " · ")))</p>\n"
                }
                if !page.parameters.isEmpty {
                    body += "<p class=\"meta\">Parameters · 参数: "
                        + HTMLText.escape(page.parameters.joined(separator: ", ")) + "</p>\n"
                }
                body += "<p class=\"hint\">→ or click to begin · 按 → 或点击开始</p>\n"
            case .prose(let text):
                let html = parser.html(from: HTMLReport.joiningCJKLines(text))
                body += NotebookRunner.substitute(escapedParameters, in: html)
            case .query(let query):
                kind = "query"
                body += "<p class=\"label\">Query · 查询 — cell \(query.cell)"
                    + (query.ran ? "" : " (not run · 未运行)") + "</p>\n"
                body += "<pre class=\"code\"><code>\(TallyHighlighter.html(query.source))</code></pre>\n"
            case .result(let result):
                kind = "result"
                body += "<p class=\"label\">Result · 结果 — cell \(result.cell)</p>\n"
                if let caption = result.caption { body += "<p class=\"caption\">\(HTMLText.escape(caption))</p>\n" }
                for item in result.items {
                    switch item {
                    case .chart(let table, let spec):
                        body += "<figure class=\"chart\">\n"
                            + SVGChart.render(table, spec, width: SVGChart.reportWidth, height: SVGChart.reportHeight,
                                              typography: .report)
                            + "\n</figure>\n"
                    case .table(let table, let maxRows):
                        body += HTMLReport.table(table, maxRows: min(maxRows, SlidesReport.rowsPerSlide))
                    case .message(let text):
                        body += "<pre class=\"message\">\(HTMLText.escape(text))</pre>\n"
                    case .error(let text):
                        body += "<pre class=\"error\">\(HTMLText.escape(text))</pre>\n"
                    }
                }
                if result.synthetic {
                    body += "<p class=\"provenance\">\(HTMLText.escape(Provenance.syntheticFooter))</p>\n"
                }
            }
            slides.append("<section class=\"slide \(kind)\" id=\"s\(slides.count + 1)\">\n<div class=\"inner\">\n"
                          + body + "</div>\n</section>\n")
        }
        if slides.isEmpty {
            slides.append("<section class=\"slide prose\" id=\"s1\">\n<div class=\"inner\">\n"
                          + "<p>(this notebook has nothing to present · 笔记本没有可展示的内容)</p>\n</div>\n</section>\n")
        }
        var out = """
        <!DOCTYPE html>
        <html lang="\(HTMLText.escape(notebook.lang ?? "zh-CN"))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tally">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(SlidesReport.css)</style>
        </head>
        <body>
        <div class="deck">

        """
        out += slides.joined()
        out += """
        </div>
        <footer class="bar"><span class="title">\(HTMLText.escape(title.replacingOccurrences(of: "\n", with: " ")))</span>\
        <span class="counter" id="counter">1 / \(slides.count)</span></footer>
        <script>
        \(SlidesReport.script)</script>
        </body>
        </html>

        """
        return out
    }

    /// Most rows a table shows on a slide (more do not fit a projector's screen at this size).
    public static let rowsPerSlide = 12

    static let script = """
    (function () {
      var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
      var counter = document.getElementById('counter');
      var current = 0;
      function show(n) {
        current = Math.max(0, Math.min(slides.length - 1, n));
        slides.forEach(function (s, i) { s.classList.toggle('current', i === current); });
        counter.textContent = (current + 1) + ' / ' + slides.length;
        if (location.hash !== '#' + (current + 1)) history.replaceState(null, '', '#' + (current + 1));
      }
      function fromHash() {
        var n = parseInt(location.hash.slice(1), 10);
        show(isNaN(n) ? 0 : n - 1);
      }
      document.addEventListener('keydown', function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        switch (e.key) {
          case 'ArrowRight': case 'ArrowDown': case 'PageDown': case ' ': case 'Enter': case 'n':
            show(current + 1); break;
          case 'ArrowLeft': case 'ArrowUp': case 'PageUp': case 'Backspace': case 'p':
            show(current - 1); break;
          case 'Home': show(0); break;
          case 'End': show(slides.length - 1); break;
          default: return;
        }
        e.preventDefault();
      });
      document.addEventListener('click', function (e) {
        if (window.getSelection && String(window.getSelection()).length > 0) return;
        show(e.clientX < window.innerWidth / 4 ? current - 1 : current + 1);
      });
      window.addEventListener('hashchange', fromHash);
      fromHash();
    })();

    """

    static let css = """
    :root {
      --text: #1f2328; --muted: #5f6b7a; --rule: #d8dee4; --accent: #0b5cad;
      --code-bg: #f5f7f9; --row-alt: #f8fafc; --error: #b42318; --error-bg: #fef3f2;
    }
    * { box-sizing: border-box; }
    html, body { margin: 0; height: 100%; }
    body {
      color: var(--text); background: #fff; overflow: hidden;
      font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "Helvetica Neue", Arial,
        "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
        "WenQuanYi Micro Hei", sans-serif;
      font-size: clamp(18px, 2.6vh, 40px); line-height: 1.5;
    }
    .slide { display: none; position: absolute; inset: 0 0 2.4em 0; padding: 4vh 6vw; overflow: hidden; }
    .slide.current { display: flex; flex-direction: column; justify-content: center; }
    .slide .inner { width: 100%; max-width: 70em; margin: 0 auto; max-height: 100%; }
    .slide.title { text-align: center; }
    h1 { font-size: 2.4em; line-height: 1.25; margin: 0 0 0.4em; color: var(--accent); }
    h2 { font-size: 1.8em; line-height: 1.3; margin: 0 0 0.5em; padding-bottom: 0.2em; border-bottom: 2px solid var(--rule); }
    h3 { font-size: 1.4em; margin: 0.6em 0 0.3em; }
    p, ul, ol { margin: 0.4em 0; }
    li { margin: 0.2em 0; }
    blockquote { margin: 0.6em 0; padding: 0.2em 1em; border-left: 6px solid var(--rule); color: var(--muted); }
    .subtitle { font-size: 1.3em; color: var(--muted); }
    .meta { color: var(--muted); }
    .hint { color: var(--muted); font-size: 0.8em; margin-top: 2em; }
    .label { color: var(--muted); font-size: 0.8em; margin: 0 0 0.6em; }
    .caption { font-weight: 600; font-size: 1.1em; margin: 0 0 0.4em; }
    .provenance { color: var(--muted); font-size: 0.7em; margin: 0.6em 0 0; }
    code, pre {
      font-family: "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC",
        monospace;
    }
    :not(pre) > code { background: var(--code-bg); padding: 0.05em 0.3em; border-radius: 4px; font-size: 0.9em; }
    pre.code { font-size: 1em; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--code-bg);
      border: 1px solid var(--rule); border-left: 8px solid var(--accent); border-radius: 8px; padding: 0.8em 1.1em; margin: 0; }
    .code .kw { color: #8250df; font-weight: 600; }
    .code .str { color: #0a7a3d; }
    .code .com { color: #6e7781; font-style: italic; }
    .code .param { color: #b35900; }
    .table-wrap { overflow: hidden; margin: 0.3em 0; }
    table { border-collapse: collapse; font-size: 0.85em; font-variant-numeric: tabular-nums; margin: 0 auto; }
    th, td { padding: 0.25em 0.8em; border-bottom: 1px solid var(--rule); text-align: left; white-space: nowrap; }
    thead th { border-bottom: 3px solid #9aa5b1; font-weight: 600; }
    tbody tr:nth-child(even) { background: var(--row-alt); }
    .num { text-align: right; }
    td.null { color: #9aa5b1; }
    .more { color: var(--muted); font-size: 0.7em; text-align: center; }
    pre.message { color: var(--muted); white-space: pre-wrap; font-size: 0.8em; }
    pre.error { color: var(--error); background: var(--error-bg); border-left: 8px solid var(--error);
      border-radius: 6px; padding: 0.6em 1em; font-size: 0.8em; white-space: pre; overflow: hidden; }
    figure.chart { margin: 0 auto; width: 100%; max-width: calc((100vh - 12em) * 1.6); }
    figure.chart svg { display: block; width: 100%; height: auto; }
    .bar { position: fixed; left: 0; right: 0; bottom: 0; height: 2.4em; display: flex; align-items: center;
      justify-content: space-between; padding: 0 1.2em; border-top: 1px solid var(--rule); color: var(--muted);
      font-size: 0.7em; background: #fff; }
    .bar .title { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; margin-right: 1em; }
    .bar .counter { font-variant-numeric: tabular-nums; white-space: nowrap; }
    @media print {
      @page { size: landscape; margin: 0; }
      body { overflow: visible; height: auto; font-size: 18px; }
      .slide, .slide.current { display: flex; flex-direction: column; justify-content: center; position: relative;
        inset: auto; width: 100%; height: 100vh; break-after: page; page-break-after: always; }
      .slide:last-child { break-after: auto; page-break-after: auto; }
      figure.chart { max-width: calc((100vh - 8em) * 1.6); }
      .bar { display: none; }
    }

    """
}
