/// Which columns a box table shows and how wide each is, for a given terminal width.
///
/// Columns first get their natural width (header and cells, capped at the maximum column width).
/// When that is too wide, every column may shrink to its minimum (text columns to a few cells,
/// numbers never below their values), and columns are taken alternately from the left and the
/// right edge while they fit: the first and last columns (usually the key and the figure of
/// interest) stay, the middle ones give way to a `…` column. Leftover space then goes back, one
/// cell at a time in turn, to the columns that were shrunk.
struct ColumnLayout: Equatable {
    /// Table column indices shown, left to right.
    var shown: [Int]
    /// Content width (terminal cells) of each shown column.
    var widths: [Int]
    /// Position in `shown` before which the `…` column goes; nil when every column is shown.
    var ellipsisAt: Int?
    /// Table column indices left out.
    var hidden: [Int]

    /// Width of the `…` column with its padding and border: `│ … `.
    static let ellipsisCost = 4

    /// Terminal cells of a table line with columns of these content widths: `│ a │ b │`.
    static func lineWidth<S: Sequence>(_ widths: S, ellipsis: Bool) -> Int where S.Element == Int {
        widths.reduce(1) { $0 + $1 + 3 } + (ellipsis ? ellipsisCost : 0)
    }

    static func fit(natural: [Int], minimum: [Int], width: Int) -> ColumnLayout {
        let count = natural.count
        if lineWidth(natural, ellipsis: false) <= width {
            return ColumnLayout(shown: Array(natural.indices), widths: natural, ellipsisAt: nil, hidden: [])
        }

        var left = [Int](), right = [Int]()
        var used = 1
        var low = 0, high = count - 1
        var leftOpen = true, rightOpen = true
        var takeLeft = true
        while low <= high && (leftOpen || rightOpen) {
            let fromLeft = (takeLeft && leftOpen) || !rightOpen
            let index = fromLeft ? low : high
            let othersRemain = high > low
            if used + minimum[index] + 3 + (othersRemain ? ellipsisCost : 0) <= width {
                used += minimum[index] + 3
                if fromLeft {
                    left.append(index)
                    low += 1
                } else {
                    right.append(index)
                    high -= 1
                }
            } else if fromLeft {
                leftOpen = false
            } else {
                rightOpen = false
            }
            takeLeft.toggle()
        }

        let shown = left + right.reversed()
        let hiddenRange = low <= high ? Array(low...high) : []
        let ellipsisAt = hiddenRange.isEmpty ? nil : left.count

        guard !shown.isEmpty else {
            // Not even one column fits at its minimum: show the first, cut to what is left.
            let ellipsis = count > 1
            let forced = max(1, width - 4 - (ellipsis ? ellipsisCost : 0))
            return ColumnLayout(shown: [0], widths: [forced], ellipsisAt: ellipsis ? 1 : nil,
                                hidden: Array(1..<max(1, count)))
        }

        var widths = shown.map { minimum[$0] }
        var spare = width - lineWidth(widths, ellipsis: ellipsisAt != nil)
        var grew = true
        while spare > 0 && grew {
            grew = false
            for position in widths.indices where spare > 0 && widths[position] < natural[shown[position]] {
                widths[position] += 1
                spare -= 1
                grew = true
            }
        }
        return ColumnLayout(shown: shown, widths: widths, ellipsisAt: ellipsisAt, hidden: hiddenRange)
    }
}
