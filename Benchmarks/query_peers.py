#!/usr/bin/env python3
"""Helpers of Benchmarks/queries.sh, run with the benchmark venv's Python.

    query_peers.py names                           the query names (checks every tool has each one)
    query_peers.py tally-script AID COUNTIES       print the Tally script: .timer on, two .load, the queries
    query_peers.py sqlite-script AID COUNTIES OUT  print the sqlite3 script (results go to OUT/NAME.csv)
    query_peers.py run TOOL AID COUNTIES OUT       load and query with duckdb, pandas or polars
    query_peers.py collect TOOL OUT STDOUT STDERR  read what tally or sqlite3 printed into OUT
    query_peers.py steps OUT                       one line: the times of a run, for the progress output
    query_peers.py report MEASUREMENTS             the tables and the check of the answers
                                                   (exit status 3 when the answers disagree)

Every run leaves in its folder OUT a file times.tsv, lines `step<TAB>value`: `rows` (the aid rows the
tool loaded), `load` (seconds to load aid and counties), one line per query (seconds, or `n/a: why`
when the tool cannot run it, or `failed: why`); and one OUT/NAME.csv per query answered (header first).

`run` imports only the library it times, so the peak RSS of one tool does not include the others.
"""

import csv
import statistics
import math
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ next to the queries when frames.py is imported

BENCH = os.path.dirname(os.path.abspath(__file__))
QUERY_DIR = os.path.join(BENCH, "queries")

# name, result columns (as in the PRQL query), columns whose sums are compared across tools.
QUERIES = [
    ("q1_totals_by_year", ("year", "total"), ("total",)),
    ("q2_top_counties", ("county_code", "students", "total"), ("students", "total")),
    ("q3_join_city_level", ("city", "level", "total", "n"), ("total", "n")),
    ("q4_yoy_growth", ("county_code", "year", "total", "previous", "growth"), ("total",)),
    ("q5_filter_count_sum", ("county_code", "level", "n", "total"), ("n", "total")),
    # The wider set: one stressed engine part each (Benchmarks/README.md); small answers.
    ("q6_group_1m_keys", ("groups", "n", "total"), ("groups", "n", "total")),
    ("q7_sort_text_number", ("r", "programme", "amount"), ("r", "amount")),
    ("q8_window_rolling_lag", ("n", "s7", "sprev"), ("n", "s7", "sprev")),
    ("q9_join_1m_rows", ("n", "total"), ("n", "total")),
    ("q10_text_contains", ("level", "n", "total"), ("n", "total")),
    ("q11_count_distinct", ("students",), ("students",)),
]
NAMES = [name for name, _, _ in QUERIES]
COLUMNS = {name: columns for name, columns, _ in QUERIES}
SUMS = {name: sums for name, _, sums in QUERIES}
RELATIVE_TOLERANCE = 1e-6

# Column types for sqlite3, which would otherwise import every field as text (and then compare
# `amount >= 500` as text). The files' headers must match these names.
SQLITE_SCHEMAS = {
    "aid": [("year", "INTEGER"), ("county_code", "INTEGER"), ("school_id", "INTEGER"), ("level", "TEXT"),
            ("programme", "TEXT"), ("student_id", "INTEGER"), ("amount", "REAL")],
    "counties": [("county_code", "INTEGER"), ("county", "TEXT"), ("city_code", "INTEGER"), ("city", "TEXT"),
                 ("kind", "TEXT"), ("key_county", "TEXT"), ("border_county", "TEXT"),
                 ("autonomous_county", "TEXT")],
}

TOOL_ORDER = ["tally", "duckdb", "sqlite3", "pandas", "polars"]


def fail(message):
    sys.exit(f"query_peers.py: {message}")


def query_text(name, ext):
    path = os.path.join(QUERY_DIR, f"{name}.{ext}")
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError as e:
        fail(f"cannot read the query {path}: {e.strerror}")


def names():
    sys.path.insert(0, QUERY_DIR)
    import frames

    for name in NAMES:
        query_text(name, "prql")
        query_text(name, "sql")
        frames.query("pandas", name)
        frames.query("polars", name)
        print(name)


# ---------------------------------------------------------------------------------------------
# Scripts for tally and sqlite3

def tally_script(aid, counties):
    """`.timer on` makes Tally print `time: X s` on stderr after every statement, so the n-th time
    line belongs to the n-th statement: .timer, .load aid, .load counties, then the queries."""
    lines = [".timer on", f".load {aid} as aid", f".load {counties} as counties"]
    for name in NAMES:
        text = query_text(name, "prql")
        rest = text.splitlines()[1:]
        # A script statement starts at a line beginning in column one with from, let, prql or `.`.
        if not text.startswith("from ") or any(re.match(r"(from|let|prql)\b|\.", line) for line in rest):
            fail(f"queries/{name}.prql must be one statement: `from` in column one, the rest indented "
                 "or starting with a transform")
        lines += [text, ""]
    print("\n".join(lines))


def check_header(path, table):
    with open(path, encoding="utf-8-sig") as f:
        header = f.readline().strip().split(",")
    expected = [c for c, _ in SQLITE_SCHEMAS[table]]
    if header != expected:
        fail(f"{path}: columns {header}, expected {expected}")


def sqlite_script(aid, counties, out):
    """Typed tables, `.import --skip 1` into them; `.shell date` before and after the imports (the
    CLI's timer only times SQL); then `.timer on` and each query's result into OUT/NAME.csv."""
    for path, table in ((aid, "aid"), (counties, "counties")):
        check_header(path, table)
    lines = [".bail on", ".headers on", ".mode csv"]
    for table, columns in SQLITE_SCHEMAS.items():
        lines.append(f"CREATE TABLE {table} (" + ", ".join(f"{c} {t}" for c, t in columns) + ");")
    lines += [".shell date +%s.%N",
              f'.import --csv --skip 1 "{aid}" aid',
              f'.import --csv --skip 1 "{counties}" counties',
              ".shell date +%s.%N",
              f'.once "{out}/rows.csv"',
              "SELECT count(*) AS n FROM aid;",
              ".timer on"]
    for name in NAMES:
        sql = query_text(name, "sql")
        if not sql.endswith(";") or sql.count(";") != 1:
            fail(f"queries/{name}.sql must hold one statement ending in `;`")
        lines += [f'.once "{out}/{name}.csv"', sql]
    print("\n".join(lines))


# ---------------------------------------------------------------------------------------------
# Running duckdb, pandas, polars

def write_times(out, rows, load, steps):
    with open(os.path.join(out, "times.tsv"), "w", encoding="utf-8") as f:
        f.write(f"rows\t{rows}\n")
        f.write(f"load\t{load}\n")
        for name in NAMES:
            f.write(f"{name}\t{steps.get(name, 'failed: no result')}\n")


def one_line(error):
    return " ".join(str(error).split())[:200] or type(error).__name__


def run(tool, aid_path, counties_path, out):
    steps = {}
    clock = time.perf_counter
    if tool == "duckdb":
        import duckdb

        con = duckdb.connect()  # in-memory database, as in the load benchmark

        def literal(path):
            return "'" + path.replace("'", "''") + "'"

        start = clock()
        con.execute(f"CREATE TABLE aid AS SELECT * FROM read_csv_auto({literal(aid_path)})")
        con.execute(f"CREATE TABLE counties AS SELECT * FROM read_csv_auto({literal(counties_path)})")
        load = clock() - start
        rows = con.execute("SELECT count(*) FROM aid").fetchone()[0]
        for name in NAMES:
            sql = query_text(name, "sql")
            try:
                start = clock()
                cursor = con.execute(sql)
                data = cursor.fetchall()
                steps[name] = clock() - start
            except Exception as e:  # report the query as failed and go on, like tally --keep-going
                steps[name] = f"failed: {one_line(e)}"
                continue
            with open(os.path.join(out, f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f, lineterminator="\n")
                writer.writerow([d[0] for d in cursor.description])
                writer.writerows(data)
    elif tool in ("pandas", "polars"):
        sys.path.insert(0, QUERY_DIR)
        import frames

        if tool == "pandas":
            import pandas as library
        else:
            import polars as library
        start = clock()
        aid = library.read_csv(aid_path)
        counties = library.read_csv(counties_path)
        load = clock() - start
        rows = len(aid)
        for name in NAMES:
            function = frames.query(tool, name)
            try:
                start = clock()
                result = function(aid, counties)
                steps[name] = clock() - start
            except Exception as e:
                steps[name] = f"failed: {one_line(e)}"
                continue
            path = os.path.join(out, f"{name}.csv")
            if tool == "pandas":
                result.to_csv(path, index=False)
            else:
                result.write_csv(path)
    else:
        fail(f"unknown tool '{tool}' for run (duckdb, pandas or polars)")
    write_times(out, rows, load, steps)


# ---------------------------------------------------------------------------------------------
# Reading what tally and sqlite3 printed

def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


def collect_tally(out, stdout_path, stderr_path):
    """Statements and their `time:` lines pair up in order; an `error:` before a time line belongs to
    that statement. The query results are concatenated on stdout, each with its header first."""
    chunks, current = [], []
    for line in read_lines(stderr_path):
        m = re.fullmatch(r"time: ([0-9.]+) s", line.strip())
        if m:
            chunks.append((current, float(m.group(1))))
            current = []
        else:
            current.append(line)
    if current:  # text after the last time line: the process died in the middle of a statement
        chunks.append((current, None))

    def error_of(i):
        if i >= len(chunks) or chunks[i][1] is None:
            return "tally stopped before it (see its stderr)"
        errors = [line for line in chunks[i][0] if line.startswith("error")]
        return errors[0] if errors else None

    rows, load = "", ""
    if not any(error_of(i) for i in (1, 2)):
        found = [re.match(r"loaded aid: ([0-9,]+) rows", line) for line in chunks[1][0]]
        rows = next((m.group(1).replace(",", "") for m in found if m), "")
        load = chunks[1][1] + chunks[2][1]
    steps, answered = {}, []
    for i, name in enumerate(NAMES):
        error = error_of(3 + i)
        if error is None:
            steps[name] = chunks[3 + i][1]
            answered.append(name)
        else:
            # The time a failing statement took is in the wall time too (Tally may compute part of
            # the pipeline before it meets the unsupported transform), so it is kept in the note.
            spent = f" (after {chunks[3 + i][1]:.3f} s)" if chunks[3 + i][1] is not None else ""
            kind = "n/a" if "is not supported yet" in error else "failed"
            steps[name] = f"{kind}: " + error.removeprefix("error:").strip() + spent

    # Split stdout: each answered query's output starts with its header line.
    lines = read_lines(stdout_path)
    at = 0
    for k, name in enumerate(answered):
        header = ",".join(COLUMNS[name])
        if at >= len(lines) or lines[at] != header:
            got = repr(lines[at]) if at < len(lines) else "nothing"
            for rest in answered[k:]:
                steps[rest] = f"failed: stdout has {got} where the header {header!r} of {name} should start"
            break
        end = len(lines)
        if k + 1 < len(answered):
            following = ",".join(COLUMNS[answered[k + 1]])
            end = next((j for j in range(at + 1, len(lines)) if lines[j] == following), len(lines))
        block = lines[at:end]
        while block and not block[-1].strip():
            block.pop()
        with open(os.path.join(out, f"{name}.csv"), "w", encoding="utf-8") as f:
            f.write("\n".join(block) + "\n")
        at = end
    write_times(out, rows, load, steps)


def collect_sqlite(out, stdout_path, stderr_path):
    """stdout holds the two `.shell date` lines around the imports, then one `Run Time:` line per
    query (the results went to files with `.once`)."""
    lines = read_lines(stdout_path)
    dates = [float(line) for line in lines if re.fullmatch(r"[0-9]+\.[0-9]+", line.strip())]
    run_times = [float(m.group(1)) for m in (re.match(r"Run Time: real ([0-9.]+)", line) for line in lines) if m]
    load = dates[1] - dates[0] if len(dates) >= 2 else ""
    rows = ""
    try:
        rows = read_lines(os.path.join(out, "rows.csv"))[1].strip()
    except (OSError, IndexError):
        pass
    errors = [line for line in read_lines(stderr_path) if line.strip()]
    steps = {}
    for i, name in enumerate(NAMES):
        if i < len(run_times) and os.path.exists(os.path.join(out, f"{name}.csv")):
            steps[name] = run_times[i]
        else:
            steps[name] = "failed: " + (errors[0] if errors else "no result")
    write_times(out, rows, load, steps)


def collect(tool, out, stdout_path, stderr_path):
    if tool == "tally":
        collect_tally(out, stdout_path, stderr_path)
    elif tool == "sqlite3":
        collect_sqlite(out, stdout_path, stderr_path)
    else:
        fail(f"collect is for tally and sqlite3, not '{tool}'")


# ---------------------------------------------------------------------------------------------
# Report

def read_times(folder):
    times = {}
    with open(os.path.join(folder, "times.tsv"), encoding="utf-8") as f:
        for line in f:
            step, _, value = line.rstrip("\n").partition("\t")
            try:
                times[step] = float(value)
            except ValueError:
                times[step] = value
    return times


def steps(folder):
    times = read_times(folder)
    parts = []
    for step in ["load"] + NAMES:
        value = times.get(step, "")
        label = step.split("_")[0]
        parts.append(f"{label} {value:.3f}" if isinstance(value, float) else f"{label} {str(value).split(':')[0] or '?'}")
    print(", ".join(parts))


def read_result(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return (rows[0] if rows else []), rows[1:]


def column_sum(header, rows, column):
    i = header.index(column)
    return math.fsum(float(r[i]) for r in rows if r[i] != "")


def table(header, lines, left=(0,)):
    widths = [max(len(line[i]) for line in [header] + lines) for i in range(len(header))]

    def fmt(line):
        return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(line, widths))).rstrip()

    out = [fmt(header), fmt(tuple("-" * w if h else "" for h, w in zip(header, widths)))]
    out += [fmt(line) for line in lines]
    return "\n".join(out)


def label(name):
    return name.split("_")[0]


def report(measurements_path):
    with open(measurements_path, newline="", encoding="utf-8") as f:
        runs = list(csv.DictReader(f, delimiter="\t"))
    # (tool, rows) in the order measured
    keys = []
    for r in runs:
        if (r["tool"], r["rows"]) not in keys:
            keys.append((r["tool"], r["rows"]))
    results = {}
    for key in keys:
        mine = [r for r in runs if (r["tool"], r["rows"]) == key]
        failed = [r for r in mine if r["status"] != "ok"]
        ok = [r for r in mine if r["status"] == "ok"]
        if failed or not ok:
            results[key] = {"status": (failed or mine)[0]["status"]}
            continue
        # The median run by wall time (the lower middle one for an even count), and that run's RSS.
        best = sorted(ok, key=lambda r: float(r["wall"]))[(len(ok) - 1) // 2]
        all_times = [read_times(r["dir"]) for r in ok]
        merged = {}
        for step in ["load"] + NAMES:
            values = [t.get(step) for t in all_times]
            numbers = [v for v in values if isinstance(v, float)]
            failures = [v for v in values if not isinstance(v, float)]
            merged[step] = failures[0] if failures else statistics.median(numbers)  # median of the runs, per step
        results[key] = {"status": "ok", "wall": float(best["wall"]), "kb": int(best["peak_kb"]),
                        "loadavg": best["loadavg"], "dir": best["dir"], "times": merged}

    sizes = []
    for _, rows in keys:
        if rows not in sizes:
            sizes.append(rows)
    out, problems = [], []

    # Which queries every tool answered (for the comparable sum of the internal times).
    def answered(res, name):
        return res["status"] == "ok" and isinstance(res["times"].get(name), float)

    common = {rows: [n for n in NAMES if all(answered(results[k], n) for k in keys if k[1] == rows
                                             and results[k]["status"] == "ok")] for rows in sizes}

    def partial(res):
        return any(not isinstance(res["times"].get(n), float) for n in NAMES)

    duck = {rows: results.get(("duckdb", rows)) for rows in sizes}

    def ratio(value, base):
        return f"{value / base:.2f}" if base and isinstance(value, float) and isinstance(base, float) and base > 0 else "-"

    # 1. The whole process
    lines, notes = [], []
    for tool, rows in keys:
        res = results[(tool, rows)]
        if res["status"] != "ok":
            lines.append((tool, f"{int(rows):,}", "-", "-", "-", "-", res["status"]))
            continue
        mark = " *" if partial(res) else "  "
        base = duck[rows]["wall"] if duck[rows] and duck[rows]["status"] == "ok" else None
        lines.append((tool, f"{int(rows):,}", f"{res['wall']:.2f}{mark}", f"{res['kb'] / 1024:,.1f}",
                      (ratio(res["wall"], base) + mark) if base else "-  ", res["loadavg"], ""))
        if partial(res):
            missing = [n for n in NAMES if not isinstance(res["times"].get(n), float)]
            why = "; ".join(f"{label(n)} {res['times'][n]}" for n in missing)
            notes.append(f"* partial: {tool} ran {len(NAMES) - len(missing)} of {len(NAMES)} queries ({why})")
    out.append("Whole process: start, load aid and counties, run the queries, exit "
               "(median wall time of the runs, and that run's peak RSS)")
    out.append("")
    out.append(table(("tool", "rows", "wall s", "peak MiB", "x DuckDB", "loadavg", ""), lines, left=(0, 6)))
    out += notes

    # 2. The times the tools report
    def cell(value):
        if isinstance(value, float):
            return f"{value:.3f}"
        return "n/a" if str(value).startswith("n/a") else "FAILED"

    def common_sum(res, rows):
        return res["times"]["load"] + sum(res["times"][n] for n in common[rows]) \
            if isinstance(res["times"].get("load"), float) else "-"

    lines, ratio_lines = [], []
    for tool, rows in keys:
        res = results[(tool, rows)]
        if res["status"] != "ok":
            continue
        t = res["times"]
        total = common_sum(res, rows)
        lines.append((tool, f"{int(rows):,}", cell(t["load"])) + tuple(cell(t[n]) for n in NAMES)
                     + (cell(total) if isinstance(total, float) else "-",))
        base = duck[rows] if duck[rows] and duck[rows]["status"] == "ok" else None
        if base:
            bt = base["times"]
            ratio_lines.append((tool, f"{int(rows):,}", ratio(res["wall"], base["wall"]) + (" *" if partial(res) else "  "),
                                ratio(t["load"], bt["load"]))
                               + tuple(ratio(t[n], bt[n]) if isinstance(t[n], float) else cell(t[n]) for n in NAMES)
                               + (ratio(total, common_sum(base, rows)),))
    names = tuple(f"{label(n)} s" for n in NAMES)
    common_label = {rows: "load+" + "+".join(label(n) for n in common[rows]) for rows in sizes}
    heading = common_label[sizes[0]] if len(set(common_label.values())) == 1 else "load+common"
    out += ["", "Times the tools report for each step, seconds (median of the runs for each step)", ""]
    out.append(table(("tool", "rows", "load s") + names + (heading,), lines))
    if ratio_lines:
        out += ["", "x DuckDB: each time over DuckDB's (below 1 is faster than DuckDB)", ""]
        out.append(table(("tool", "rows", "wall", "load") + tuple(label(n) for n in NAMES) + (heading,),
                         ratio_lines))

    # 3. The answers
    for (tool, rows), res in results.items():
        if res["status"] != "ok" and not res["status"].startswith("skipped"):
            problems.append(f"FAILED {tool} at {int(rows):,} rows: {res['status']}")
    out += ["", "Answers (row counts; column sums to 1e-6 relative; against DuckDB's):"]
    for rows in sizes:
        here = [k for k in keys if k[1] == rows and results[k]["status"] == "ok"]
        for name in NAMES:
            have = {}
            for key in here:
                value = results[key]["times"][name]
                if not isinstance(value, float):
                    if not str(value).startswith("n/a"):
                        problems.append(f"FAILED {label(name)} ({name}) at {int(rows):,} rows: {key[0]} {value}")
                    continue
                path = os.path.join(results[key]["dir"], f"{name}.csv")
                try:
                    have[key[0]] = read_result(path)
                except OSError:
                    problems.append(f"{key[0]} {label(name)} at {int(rows):,} rows: no result file")
            if not have:
                continue
            ref_tool = "duckdb" if "duckdb" in have else next(iter(have))
            ref_header, ref_rows = have[ref_tool]
            ok_tools = []
            for tool, (header, data) in have.items():
                bad = []
                if tuple(header) != COLUMNS[name]:
                    bad.append(f"columns {','.join(header)} (expected {','.join(COLUMNS[name])})")
                if len(data) != len(ref_rows):
                    bad.append(f"{len(data):,} rows, {ref_tool} {len(ref_rows):,}")
                if not bad and tool != ref_tool:
                    for column in SUMS[name]:
                        try:
                            a, b = column_sum(header, data, column), column_sum(ref_header, ref_rows, column)
                        except ValueError as e:
                            bad.append(f"{column}: {e}")
                            continue
                        if abs(a - b) > RELATIVE_TOLERANCE * max(abs(a), abs(b)):
                            bad.append(f"sum of {column} {a!r}, {ref_tool} {b!r}")
                if bad:
                    problems.append(f"MISMATCH {label(name)} ({name}) at {int(rows):,} rows: {tool}: " + "; ".join(bad))
                else:
                    ok_tools.append(tool)
            summary = f"  {label(name)} {name:<20} {len(ref_rows):>6,} rows  "
            summary += "agree: " + ", ".join(ok_tools) if ok_tools else "no two tools agree"
            for kind in ("n/a", "failed"):
                tools = [k[0] for k in here if str(results[k]["times"][name]).startswith(kind)]
                if tools:
                    summary += f"  ({kind}: {', '.join(tools)})"
            if len(sizes) > 1:
                summary += f"  [{int(rows):,} rows]"
            out.append(summary)
    if problems:
        out += [""] + [f"!!! {p}" for p in problems]
    print("\n".join(out))
    if problems:
        print("\n".join(f"query_peers.py: {p}" for p in problems), file=sys.stderr)
        sys.exit(3)


def main(argv):
    commands = {"names": (names, 0), "tally-script": (tally_script, 2), "sqlite-script": (sqlite_script, 3),
                "run": (run, 4), "collect": (collect, 4), "steps": (steps, 1), "report": (report, 1)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    function(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
