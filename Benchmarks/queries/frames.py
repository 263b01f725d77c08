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


def query(tool, name):
    """The function of `tool` (pandas or polars) for the query `name`, e.g. q1_totals_by_year."""
    function = globals().get(f"{tool}_{name}")
    if function is None:
        raise KeyError(f"frames.py has no {tool} version of the query {name}")
    return function
