import Foundation
import TallyReport

/// The preview page: the report of `HTMLReport`, a form of parameter controls above it, and a small
/// script that listens for server-sent events and swaps in the new report when the notebook changes.
/// Without the script the form still works (it reloads the page with the values in the address).
public enum PreviewPage {
    public static func html(_ page: PreviewEngine.PageContent, token: String?, lang: String = "zh-CN") -> String {
        let tokenJSON = token.map { "\"" + jsEscape($0) + "\"" } ?? "null"
        return """
        <!DOCTYPE html>
        <html lang="\(HTMLText.escape(lang))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tally">
        <meta name="referrer" content="no-referrer">
        <title>\(HTMLText.escape(page.title))</title>
        <style>
        \(HTMLReport.css)\(css)</style>
        </head>
        <body>
        <div class="live-bar"><span class="dot" id="tally-dot"></span>\
        <span id="tally-status">Live preview · 实时预览</span></div>
        <form id="tally-params" class="param-form" method="get" action="">
        <div id="tally-controls">\(page.form)</div>\
        \(token.map { "<input type=\"hidden\" name=\"token\" value=\"\(HTMLText.escape($0))\">" } ?? "")
        <noscript><button type="submit">Run · 运行</button></noscript>
        </form>
        <div id="tally-notices">\(page.notices)</div>
        <main id="tally-content" data-version="\(page.version)">
        \(page.content)</main>
        <script>
        var TALLY_TOKEN = \(tokenJSON);
        \(script)</script>
        </body>
        </html>

        """
    }

    /// The controls for the notebook's parameters: a select for one with choices, a number field
    /// for a numeric default, a text field otherwise.
    public static func form(_ params: [Notebook.Param], values: [(name: String, value: String)]) -> String {
        guard !params.isEmpty else { return "" }
        var out = "<span class=\"param-title\">Parameters · 参数</span>"
        for param in params {
            let value = values.first { $0.name == param.name }?.value ?? param.defaultValue
            let id = "p-" + HTMLText.escape(param.name)
            out += "<label for=\"\(id)\"><span>\(HTMLText.escape(param.name))</span>"
            if !param.choices.isEmpty {
                out += "<select id=\"\(id)\" name=\"\(HTMLText.escape(param.name))\">"
                for choice in param.choices {
                    out += "<option value=\"\(HTMLText.escape(choice))\"\(choice == value ? " selected" : "")>"
                        + HTMLText.escape(choice) + "</option>"
                }
                out += "</select>"
            } else {
                let numeric = Double(param.defaultValue) != nil
                out += "<input id=\"\(id)\" name=\"\(HTMLText.escape(param.name))\" type=\"\(numeric ? "number" : "text")\""
                    + (numeric ? " step=\"any\"" : "") + " value=\"\(HTMLText.escape(value))\">"
            }
            out += "</label>"
        }
        return out
    }

    static func jsEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static let css = """
    .live-bar { position: sticky; top: 0; z-index: 2; background: #f5f7f9; border-bottom: 1px solid var(--rule);
      font-size: 0.85rem; color: var(--muted); padding: 0.35rem 1rem; display: flex; align-items: center; gap: 0.5rem; }
    .live-bar .dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; background: #9aa5b1; display: inline-block; }
    .live-bar .dot.on { background: #1a7f37; }
    .live-bar .dot.busy { background: #bf8700; }
    .param-form { max-width: 54rem; margin: 1rem auto 0; padding: 0 1.5rem; display: flex; flex-wrap: wrap;
      gap: 0.75rem 1.25rem; align-items: center; }
    .param-form:empty { display: none; }
    #tally-controls { display: contents; }
    .param-title { color: var(--muted); font-size: 0.9rem; }
    .param-form label { display: inline-flex; gap: 0.4rem; align-items: center; font-size: 0.95rem; }
    .param-form label span { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
    .param-form select, .param-form input { font: inherit; padding: 0.2rem 0.4rem; border: 1px solid #9aa5b1;
      border-radius: 4px; background: #fff; min-width: 6rem; }
    #tally-notices { max-width: 54rem; margin: 0.5rem auto 0; padding: 0 1.5rem; }
    .notice { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 0.5rem 1rem; margin: 0.5rem 0; }
    .notice.error { background: var(--error-bg); border-color: #fecdca; }
    .notice.error pre { color: var(--error); margin: 0.4rem 0; white-space: pre-wrap; }
    main.stale { opacity: 0.55; }

    """

    /// Listens on `events` with the address's parameters; each event carries the new page as JSON.
    /// Changing a control puts the values in the address and listens again with them.
    static let script = """
    (function () {
      var form = document.getElementById('tally-params');
      var content = document.getElementById('tally-content');
      var notices = document.getElementById('tally-notices');
      var controls = document.getElementById('tally-controls');
      var dot = document.getElementById('tally-dot');
      var status = document.getElementById('tally-status');
      var source = null;
      function query() {
        var parts = [];
        Array.prototype.forEach.call(controls.querySelectorAll('select, input'), function (el) {
          parts.push(encodeURIComponent(el.name) + '=' + encodeURIComponent(el.value));
        });
        return parts;
      }
      function address(path, version) {
        var parts = query();
        if (TALLY_TOKEN) parts.push('token=' + encodeURIComponent(TALLY_TOKEN));
        if (version !== undefined) parts.push('_v=' + version);
        return path + (parts.length ? '?' + parts.join('&') : '');
      }
      function listen(version) {
        if (source) source.close();
        source = new EventSource(address('events', version));
        source.onopen = function () { dot.className = 'dot on'; status.textContent = 'Live preview · 实时预览'; };
        source.onerror = function () { dot.className = 'dot'; status.textContent = 'Reconnecting · 正在重新连接…'; };
        source.addEventListener('running', function () { dot.className = 'dot busy'; status.textContent = 'Running · 运行中…'; });
        source.addEventListener('update', function (e) {
          var page = JSON.parse(e.data);
          var y = window.scrollY;
          content.innerHTML = page.content;
          content.setAttribute('data-version', page.version);
          content.classList.toggle('stale', page.notices.indexOf('notice error') >= 0);
          notices.innerHTML = page.notices;
          var focused = document.activeElement && controls.contains(document.activeElement);
          if (!focused) controls.innerHTML = page.form;
          document.title = page.title;
          window.scrollTo(0, y);
          dot.className = 'dot on';
          status.textContent = 'Live preview · 实时预览 — ' + page.rerunCells + ' cell(s) run, ' + page.keptCells + ' kept · 重新运行 '
            + page.rerunCells + ' 个单元格，保留 ' + page.keptCells + ' 个';
        });
      }
      form.addEventListener('submit', function (e) { e.preventDefault(); });
      form.addEventListener('change', function () {
        var parts = query();
        if (TALLY_TOKEN) parts.push('token=' + encodeURIComponent(TALLY_TOKEN));
        history.replaceState(null, '', '?' + parts.join('&'));
        listen(-1);
      });
      content.classList.toggle('stale', notices.innerHTML.indexOf('notice error') >= 0);
      listen(content.getAttribute('data-version'));
    })();

    """
}
