import CEditLine
import TallyReport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tally present`: a notebook full-screen, one step per keypress.
///
/// The steps and their layout are TallyReport's (`Presentation`, `PresentationRenderer`); this is
/// the terminal side: raw keys, the alternate screen, redrawing on resize, and giving the terminal
/// back as it was on every way out (see `tally_screen_enter` in the C shim).
public final class Presenter {
    public let presentation: Presentation
    public private(set) var step = 0
    public private(set) var scroll = 0

    public init(presentation: Presentation) {
        self.presentation = presentation
    }

    /// What a key asks for.
    public enum Action: Equatable, Sendable {
        case next, previous, first, last, scrollDown, scrollUp, redraw, quit, none
    }

    /// Runs until the user quits or input ends. Returns false when the terminal could not be put in
    /// raw mode (stdin is not a terminal).
    public func run() -> Bool {
        guard tally_screen_enter() == 0 else { return false }
        defer { tally_screen_restore() }
        var size = (Terminal.columns, Terminal.rows)
        var lastFrame = ""
        func draw(force: Bool = false) {
            size = (Terminal.columns, Terminal.rows)
            let renderer = PresentationRenderer(width: size.0, height: size.1, color: Terminal.colorEnabled)
            let screen = renderer.render(presentation, step: step, scroll: scroll)
            scroll = screen.scroll
            let frame = Presenter.frame(screen.lines, clear: force)
            if force || frame != lastFrame {
                tally_screen_write(frame)
                lastFrame = frame
            }
        }
        draw(force: true)
        while true {
            if tally_take_resize() != 0 || (Terminal.columns, Terminal.rows) != size {
                draw(force: true)
            }
            let byte = tally_read_byte(250)
            if byte == -2 { return true }
            if byte < 0 { continue }
            var bytes = [UInt8(byte)]
            if byte == 0x1B {
                // An escape sequence arrives at once; a lone Esc is followed by nothing.
                while !Presenter.isComplete(bytes) {
                    let next = tally_read_byte(bytes.count == 1 ? 40 : 100)
                    if next < 0 { break }
                    bytes.append(UInt8(next))
                }
            }
            let action = Presenter.action(for: bytes)
            if action == .quit { return true }
            apply(action)
            draw(force: action == .redraw)
        }
    }

    /// Moves through the steps. Scrolling is clamped by the renderer on the next draw.
    public func apply(_ action: Action) {
        let count = presentation.steps.count
        switch action {
        case .next: if step + 1 < count { step += 1; scroll = 0 }
        case .previous: if step > 0 { step -= 1; scroll = 0 }
        case .first: step = 0; scroll = 0
        case .last: step = max(0, count - 1); scroll = 0
        case .scrollDown: scroll += 1
        case .scrollUp: scroll = max(0, scroll - 1)
        case .redraw, .quit, .none: break
        }
    }

    /// Whether `bytes` (starting with Esc) is a whole key: Esc alone is not (yet), `ESC [ … final`
    /// and `ESC O x` are.
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        guard bytes.first == 0x1B, bytes.count >= 2 else { return false }
        if bytes[1] == UInt8(ascii: "[") {
            guard bytes.count >= 3, let last = bytes.last else { return false }
            return (0x40...0x7E).contains(last)
        }
        if bytes[1] == UInt8(ascii: "O") { return bytes.count >= 3 }
        return true
    }

    /// The action of one key, given as the bytes the terminal sent.
    public static func action(for bytes: [UInt8]) -> Action {
        guard let first = bytes.first else { return .none }
        if bytes.count == 1 {
            switch first {
            case 0x1B, 0x03, UInt8(ascii: "q"), UInt8(ascii: "Q"): return .quit   // Esc, Ctrl-C
            case UInt8(ascii: " "), 0x0D, 0x0A, UInt8(ascii: "n"), UInt8(ascii: "l"): return .next
            case 0x7F, 0x08, UInt8(ascii: "p"), UInt8(ascii: "h"): return .previous
            case UInt8(ascii: "g"): return .first
            case UInt8(ascii: "G"): return .last
            case UInt8(ascii: "j"): return .scrollDown
            case UInt8(ascii: "k"): return .scrollUp
            case 0x0C: return .redraw   // Ctrl-L
            default: return .none
            }
        }
        guard first == 0x1B else { return .none }
        let rest = String(decoding: bytes.dropFirst(), as: UTF8.self)
        switch rest {
        case "[C", "OC": return .next
        case "[D", "OD": return .previous
        case "[B", "OB": return .scrollDown
        case "[A", "OA": return .scrollUp
        case "[6~": return .next        // PgDn
        case "[5~": return .previous    // PgUp
        case "[H", "OH", "[1~", "[7~": return .first
        case "[F", "OF", "[4~", "[8~": return .last
        default: return .none
        }
    }

    /// A frame: every line written at its row and cleared to its end, so nothing of the last frame
    /// stays behind; `clear` wipes the screen first (after a resize).
    static func frame(_ lines: [String], clear: Bool) -> String {
        var out = clear ? "\u{1B}[0m\u{1B}[2J" : ""
        for (i, line) in lines.enumerated() {
            out += "\u{1B}[\(i + 1);1H" + line + "\u{1B}[0m\u{1B}[K"
        }
        return out
    }
}
