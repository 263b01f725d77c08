"""The benchmark queries for pandas and polars: the same five as NAME.prql (Tally) and NAME.sql
(DuckDB, SQLite) in this folder, written the way a user of each library would write them.

Each function takes the loaded `aid` and `counties` frames and returns the finished result (a frame,
fully computed), with the columns of the PRQL query in the same order. Only the library of the tool
being timed is imported (inside the functions), so one tool's peak RSS does not include another's.
"""


# ---------------------------------------------------------------------------------------------
# pandas

def pandas_q1_totals_by_year(aid, counties):
    return aid.groupby("year", as_index=False).agg(total=("amount", "sum")).sort_values("year")


def pandas_q2_top_counties(aid, counties):
    rows = aid[(aid["programme"] == "国家助学金") & (aid["year"] == 2023)]
    grouped = rows.groupby("county_code", as_index=False).agg(
        students=("student_id", "nunique"), total=("amount", "sum"))
    return grouped.sort_values("total", ascending=False).head(10)


def pandas_q3_join_city_level(aid, counties):
    joined = aid.merge(counties[["county_code", "city"]], on="county_code", how="left")
    grouped = joined.groupby(["city", "level"], as_index=False, dropna=False).agg(
        total=("amount", "sum"), n=("amount", "size"))
    return grouped.sort_values(["city", "level"], na_position="last")


def pandas_q4_yoy_growth(aid, counties):
    totals = aid.groupby(["county_code", "year"], as_index=False).agg(total=("amount", "sum"))
    totals = totals.sort_values(["county_code", "year"])
    totals["previous"] = totals.groupby("county_code")["total"].shift(1)
    totals["growth"] = (totals["total"] - totals["previous"]) / totals["previous"]
    return totals


def pandas_q5_filter_count_sum(aid, counties):
    rows = aid[(aid["amount"] >= 500) & (aid["level"] == "小学")]
    return rows.groupby(["county_code", "level"], as_index=False).agg(
        n=("amount", "size"), total=("amount", "sum"))


# ---------------------------------------------------------------------------------------------
# polars (eager: the frames are loaded with read_csv, as in the load benchmark)

def polars_q1_totals_by_year(aid, counties):
    import polars as pl

    return aid.group_by("year").agg(total=pl.col("amount").sum()).sort("year")


def polars_q2_top_counties(aid, counties):
    import polars as pl

    return (aid.filter((pl.col("programme") == "国家助学金") & (pl.col("year") == 2023))
            .group_by("county_code")
            .agg(students=pl.col("student_id").n_unique(), total=pl.col("amount").sum())
            .sort("total", descending=True)
            .head(10))


def polars_q3_join_city_level(aid, counties):
    import polars as pl

    return (aid.join(counties.select("county_code", "city"), on="county_code", how="left")
            .group_by("city", "level")
            .agg(total=pl.col("amount").sum(), n=pl.len())
            .sort("city", "level", nulls_last=True))


def polars_q4_yoy_growth(aid, counties):
    import polars as pl

    return (aid.group_by("county_code", "year")
            .agg(total=pl.col("amount").sum())
            .sort("county_code", "year")
            .with_columns(previous=pl.col("total").shift(1).over("county_code"))
            .with_columns(growth=(pl.col("total") - pl.col("previous")) / pl.col("previous")))


def polars_q5_filter_count_sum(aid, counties):
    import polars as pl

    return (aid.filter((pl.col("amount") >= 500) & (pl.col("level") == "小学"))
            .group_by("county_code", "level")
            .agg(n=pl.len(), total=pl.col("amount").sum()))


# ---------------------------------------------------------------------------------------------
# The wider set (q6..q11): shapes that stress one engine part each; small answers, see README.

def pandas_q6_group_1m_keys(aid, counties):
    import pandas as pd

    g = aid.assign(k=(aid["student_id"] - aid["student_id"] % 3)).groupby("k").agg(n=("amount", "size"), total=("amount", "sum"))
    return pd.DataFrame({"groups": [len(g)], "n": [g["n"].sum()], "total": [g["total"].sum()]})


def pandas_q7_sort_text_number(aid, counties):
    s = aid[["programme", "amount"]].sort_values(["programme", "amount"], ascending=[True, False], kind="stable")
    s = s.reset_index(drop=True)
    s.insert(0, "r", range(1, len(s) + 1))
    return s[s["r"] % 100000 == 1]


def pandas_q8_window_rolling_lag(aid, counties):
    import pandas as pd

    w = aid[["student_id", "amount"]].assign(g=(aid["student_id"] - aid["student_id"] % 26)).sort_values(["g", "amount"], kind="stable")
    by = w.groupby("g")["amount"]
    r7 = by.rolling(7, min_periods=1).sum()
    prev = by.shift(1)
    return pd.DataFrame({"n": [len(w)], "s7": [r7.sum()], "sprev": [prev.sum()]})


def pandas_q9_join_1m_rows(aid, counties):
    import pandas as pd

    probe = pd.DataFrame({"k": (aid["student_id"] - aid["student_id"] % 3)})
    build = probe.assign(amount=aid["amount"]).groupby("k", as_index=False).agg(m=("amount", "max"))
    j = probe.merge(build, on="k", how="inner")
    return pd.DataFrame({"n": [len(j)], "total": [j["m"].sum()]})


def pandas_q10_text_contains(aid, counties):
    rows = aid[aid["programme"].str.contains("助学", regex=False)]
    return rows.groupby("level", as_index=False).agg(n=("amount", "size"), total=("amount", "sum")).sort_values("level")


def pandas_q11_count_distinct(aid, counties):
    import pandas as pd

    return pd.DataFrame({"students": [aid["student_id"].nunique()]})


def polars_q6_group_1m_keys(aid, counties):
    import polars as pl

    return (aid.group_by(k=(pl.col("student_id") - pl.col("student_id") % 3))
            .agg(n=pl.len(), total=pl.col("amount").sum())
            .select(groups=pl.len(), n=pl.col("n").sum(), total=pl.col("total").sum()))


def polars_q7_sort_text_number(aid, counties):
    import polars as pl

    return (aid.select("programme", "amount")
            .sort(["programme", "amount"], descending=[False, True])
            .with_row_index("r", offset=1)
            .filter(pl.col("r") % 100000 == 1))


def polars_q8_window_rolling_lag(aid, counties):
    import polars as pl

    return (aid.select(g=(pl.col("student_id") - pl.col("student_id") % 26), amount=pl.col("amount"))
            .sort("g", "amount")
            .with_columns(r7=pl.col("amount").rolling_sum(7, min_samples=1).over("g"),
                          prev=pl.col("amount").shift(1).over("g"))
            .select(n=pl.len(), s7=pl.col("r7").sum(), sprev=pl.col("prev").sum()))


def polars_q9_join_1m_rows(aid, counties):
    import polars as pl

    probe = aid.select(k=(pl.col("student_id") - pl.col("student_id") % 3))
    build = aid.group_by(k=(pl.col("student_id") - pl.col("student_id") % 3)).agg(m=pl.col("amount").max())
    return probe.join(build, on="k", how="inner").select(n=pl.len(), total=pl.col("m").sum())


def polars_q10_text_contains(aid, counties):
    import polars as pl

    return (aid.filter(pl.col("programme").str.contains("助学", literal=True))
            .group_by("level").agg(n=pl.len(), total=pl.col("amount").sum()).sort("level"))


def polars_q11_count_distinct(aid, counties):
    import polars as pl

    return aid.select(students=pl.col("student_id").n_unique())


def query(tool, name):
    """The function of `tool` (pandas or polars) for the query `name`, e.g. q1_totals_by_year."""
    function = globals().get(f"{tool}_{name}")
    if function is None:
        raise KeyError(f"frames.py has no {tool} version of the query {name}")
    return function
