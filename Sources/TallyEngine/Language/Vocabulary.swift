/// The words of the query language, each with its form and a one-line help in English and Chinese.
///
/// One list that the tools around the language read (completion, help) instead of each keeping
/// its own; what a word does is decided by the binder and the kernels.
public struct VocabularyEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case transform, aggregate, window, function, keyword
    }

    public let name: String
    public let kind: Kind
    /// How it is written, e.g. `filter CONDITION` or `round DIGITS x`.
    public let signature: String
    public let summary: String
    public let summaryZh: String

    public init(_ name: String, _ kind: Kind, _ signature: String, _ summary: String, _ summaryZh: String) {
        self.name = name
        self.kind = kind
        self.signature = signature
        self.summary = summary
        self.summaryZh = summaryZh
    }
}

public enum Vocabulary {
    public static let transforms: [VocabularyEntry] = [
        .init("from", .transform, "from TABLE | from a = TABLE", "start from a table, a literal or a file", "从数据表、字面量或文件开始"),
        .init("select", .transform, "select {a, b = expr}", "keep or compute exactly these columns", "选取或计算这些列"),
        .init("derive", .transform, "derive {name = expr}", "add or replace columns", "新增或替换列"),
        .init("filter", .transform, "filter CONDITION", "keep the rows where the condition is true", "保留条件为真的行"),
        .init("sort", .transform, "sort {-a, b}", "order rows (- descending, nulls last)", "排序（- 为降序，空值在后）"),
        .init("take", .transform, "take N | take 11..20", "rows by position", "按位置取行"),
        .init("aggregate", .transform, "aggregate {n = count this}", "one row of aggregates", "汇总为一行"),
        .init("group", .transform, "group {keys} (PIPELINE)", "run the inner pipeline per group", "分组后对每组执行内部管道"),
        .init("join", .transform, "join side:left c = TABLE (==key)", "join another relation", "连接另一个关系"),
        .init("window", .transform, "window rolling:N (derive …)", "per-row window over the current order", "按当前顺序的滑动窗口"),
        .init("append", .transform, "append RELATION", "union all, by column position", "按列位置合并行"),
        .init("loop", .transform, "loop (PIPELINE)", "repeat until no new rows", "循环直到不再产生新行"),
        .init("intersect", .transform, "intersect RELATION", "rows also in the other relation", "两个关系共有的行"),
        .init("remove", .transform, "remove RELATION", "rows not in the other relation", "去掉另一个关系中的行"),
        .init("pivot", .transform, "pivot COLUMN (AGGREGATE)", "one column per distinct value", "每个取值一列（透视）"),
        .init("unpivot", .transform, "unpivot {cols} name:N value:V", "wide to long", "宽表变长表"),
        .init("describe", .transform, "describe", "one row per column: type, counts, min, max", "每列一行：类型、计数、最值"),
        .init("into", .transform, "into NAME", "keep the pipeline's relation as a table", "把管道的结果保存为数据表"),
        .init("chart", .transform, "chart KIND x:COL y:COL", "draw the result (line bar column area scatter pie spark)", "绘制结果图表"),
    ]

    public static let aggregates: [VocabularyEntry] = [
        .init("sum", .aggregate, "sum x", "total (0 over no rows)", "求和"),
        .init("count", .aggregate, "count this | count x", "rows, or non-null values", "计数"),
        .init("count_distinct", .aggregate, "count_distinct x", "distinct non-null values", "不同值的个数"),
        .init("average", .aggregate, "average x", "mean", "平均值"),
        .init("avg", .aggregate, "avg x", "mean (same as average)", "平均值（同 average）"),
        .init("min", .aggregate, "min x", "smallest value", "最小值"),
        .init("max", .aggregate, "max x", "largest value", "最大值"),
        .init("stddev", .aggregate, "stddev x", "sample standard deviation", "样本标准差"),
        .init("median", .aggregate, "median x", "middle value", "中位数"),
        .init("quantile", .aggregate, "quantile 0.9 x", "value at a fraction of the ordered values", "分位数"),
        .init("any", .aggregate, "any x", "true when any value is true", "任一为真"),
        .init("all", .aggregate, "all x", "true when every value is true", "全部为真"),
        .init("concat_array", .aggregate, "concat_array x", "the values joined", "把值连接起来"),
        .init("first", .aggregate, "first x", "first value in the current order", "当前顺序的第一个值"),
        .init("last", .aggregate, "last x", "last value in the current order", "当前顺序的最后一个值"),
        .init("share", .aggregate, "share x", "x / sum x over the group", "占组内合计的比例"),
        .init("spark", .aggregate, "spark x", "a sparkline of the values", "迷你趋势图"),
    ]

    public static let windowFunctions: [VocabularyEntry] = [
        .init("row_number", .window, "row_number this", "1, 2, 3 … in the current order", "行号"),
        .init("rank", .window, "rank this", "rank with gaps after ties", "排名（并列后跳号）"),
        .init("rank_dense", .window, "rank_dense this", "rank without gaps", "密集排名"),
        .init("lag", .window, "lag N x", "the value N rows before", "前 N 行的值"),
        .init("lead", .window, "lead N x", "the value N rows after", "后 N 行的值"),
        .init("growth", .window, "growth x", "change from the previous row, as a fraction", "较上一行的增长率"),
    ]

    public static let functions: [VocabularyEntry] = [
        .init("round", .function, "round DIGITS x", "round half away from zero", "四舍五入"),
        .init("in", .function, "x | in 1..3", "within a range", "在范围内"),
        .init("as", .function, "x | as int|float|text|bool|date", "convert to a type", "类型转换"),
        .init("math.abs", .function, "math.abs x", "absolute value", "绝对值"),
        .init("math.floor", .function, "math.floor x", "round down", "向下取整"),
        .init("math.ceil", .function, "math.ceil x", "round up", "向上取整"),
        .init("math.round", .function, "math.round DIGITS x", "round half away from zero", "四舍五入"),
        .init("math.pow", .function, "math.pow EXPONENT x", "x to a power", "乘方"),
        .init("math.sqrt", .function, "math.sqrt x", "square root", "平方根"),
        .init("math.ln", .function, "math.ln x", "natural logarithm", "自然对数"),
        .init("math.log10", .function, "math.log10 x", "logarithm base 10", "常用对数"),
        .init("math.log", .function, "math.log BASE x", "logarithm in a base", "对数"),
        .init("math.exp", .function, "math.exp x", "e to the power x", "指数"),
        .init("math.pi", .function, "math.pi", "π", "圆周率"),
        .init("math.degrees", .function, "math.degrees x", "radians to degrees", "弧度转角度"),
        .init("math.radians", .function, "math.radians x", "degrees to radians", "角度转弧度"),
        .init("math.sin", .function, "math.sin x", "sine", "正弦"),
        .init("math.cos", .function, "math.cos x", "cosine", "余弦"),
        .init("math.tan", .function, "math.tan x", "tangent", "正切"),
        .init("math.asin", .function, "math.asin x", "arc sine", "反正弦"),
        .init("math.acos", .function, "math.acos x", "arc cosine", "反余弦"),
        .init("math.atan", .function, "math.atan x", "arc tangent", "反正切"),
        .init("text.length", .function, "text.length s", "length in characters", "字符数"),
        .init("text.lower", .function, "text.lower s", "lower case", "转小写"),
        .init("text.upper", .function, "text.upper s", "upper case", "转大写"),
        .init("text.trim", .function, "text.trim s", "without spaces at both ends", "去掉两端空格"),
        .init("text.ltrim", .function, "text.ltrim s", "without leading spaces", "去掉开头空格"),
        .init("text.rtrim", .function, "text.rtrim s", "without trailing spaces", "去掉结尾空格"),
        .init("text.starts_with", .function, "text.starts_with PREFIX s", "starts with a prefix", "以某前缀开头"),
        .init("text.ends_with", .function, "text.ends_with SUFFIX s", "ends with a suffix", "以某后缀结尾"),
        .init("text.contains", .function, "text.contains PART s", "contains a piece of text", "包含某段文字"),
        .init("text.extract", .function, "text.extract START LENGTH s", "characters from a position", "截取字符"),
        .init("text.replace", .function, "text.replace OLD NEW s", "replace every occurrence", "替换"),
        .init("date.year", .function, "date.year d", "the year of a date", "年份"),
        .init("date.month", .function, "date.month d", "the month of a date", "月份"),
        .init("date.to_text", .function, "date.to_text \"%Y-%m\" d", "a date as text", "日期格式化为文字"),
        .init("read_csv", .function, "read_csv \"file.csv\"", "a CSV file as a relation", "读取 CSV 文件"),
        .init("read_json", .function, "read_json \"file.json\"", "a JSON file as a relation", "读取 JSON 文件"),
        .init("read_excel", .function, "read_excel \"file.xlsx\" sheet:\"名称\"", "a sheet of an .xlsx workbook as a relation", "读取 Excel 工作表"),
    ]

    public static let keywords: [VocabularyEntry] = [
        .init("let", .keyword, "let NAME = VALUE", "name a value, a relation or a function", "为值、关系或函数命名"),
        .init("case", .keyword, "case [cond => value, true => other]", "the first value whose condition holds", "条件取值"),
        .init("this", .keyword, "this", "the current relation", "当前关系"),
        .init("that", .keyword, "that", "the other relation of a join", "连接的另一个关系"),
        .init("true", .keyword, "true", "the boolean true", "真"),
        .init("false", .keyword, "false", "the boolean false", "假"),
        .init("null", .keyword, "null", "a missing value", "缺失值"),
    ]

    /// Everything that may stand inside a step's expressions.
    public static var expressionWords: [VocabularyEntry] { aggregates + windowFunctions + functions + keywords }

    public static var all: [VocabularyEntry] { transforms + expressionWords }

    /// The entry for a name, if the language has one.
    public static func entry(_ name: String) -> VocabularyEntry? { all.first { $0.name == name } }
}
