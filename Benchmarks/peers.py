#!/usr/bin/env python3
"""Helpers of Benchmarks/run.sh, run with the benchmark venv's Python.

    peers.py load TOOL FILE          load FILE with duckdb, pandas or polars; print the row count
    peers.py versions                print the versions of the Python peers
    peers.py footprint SCHEMA ROWS FILE PEAK_KB
                                     print the size of Tally's typed columns and its peak RSS as a
                                     multiple of it (SCHEMA: the CSV of `.schema aid`)
    peers.py report MEASUREMENTS     print the table of results (MEASUREMENTS: the TSV run.sh writes)

`load` imports only the library it times, so the peak RSS of one tool does not include the others.
"""

import csv
import sys


def load(tool, path):
    if tool == "duckdb":
        import duckdb

        con = duckdb.connect()  # in-memory database
        literal = "'" + path.replace("'", "''") + "'"
        con.execute(f"CREATE TABLE aid AS SELECT * FROM read_csv_auto({literal})")
        rows = con.execute("SELECT count(*) FROM aid").fetchone()[0]
    elif tool == "pandas":
        import pandas

        rows = len(pandas.read_csv(path))
    elif tool == "polars":
        import polars

        rows = polars.read_csv(path).height
    else:
        sys.exit(f"peers.py: unknown tool '{tool}' (duckdb, pandas or polars)")
    print(rows)


def versions():
    import duckdb
    import pandas
    import polars

    print(f"duckdb {duckdb.__version__}, pandas {pandas.__version__}, polars {polars.__version__}, "
          f"python {sys.version.split()[0]}")


# Bytes per row of each Tally type, as in TallyEngine's Table.byteSize (text: a UInt32 code).
BYTES_PER_ROW = {"int": 8, "float": 8, "timestamp": 8, "date": 4, "text": 4, "bool": 1}
# A dictionary entry costs its UTF-8 bytes plus a 16-byte Swift String (as in Table.byteSize).
STRING_OVERHEAD = 16


def mib(n):
    return n / (1 << 20)


def footprint(schema_path, rows, data_path, peak_kb):
    """The size of the loaded columns: 8 bytes per int/float row, 4 per text code + dictionary.

    Tally has no queries yet, so the distinct values of its text columns (the dictionary) are
    counted with polars; validity bitmaps are left out (the benchmark data has no nulls).
    """
    rows = int(rows)
    with open(schema_path, newline="", encoding="utf-8") as f:
        schema = [(r["column"], r["type"]) for r in csv.DictReader(f)]
    unknown = [t for _, t in schema if t not in BYTES_PER_ROW]
    if unknown:
        sys.exit(f"peers.py: unknown column type(s) in the schema: {', '.join(unknown)}")
    per_row = sum(BYTES_PER_ROW[t] for _, t in schema)
    text_columns = [c for c, t in schema if t == "text"]
    dictionary = 0
    if text_columns:
        import polars

        frame = polars.scan_csv(data_path, infer_schema=False).select(text_columns)
        for column in text_columns:
            values = frame.select(polars.col(column).drop_nulls().unique()).collect().to_series()
            dictionary += sum(len(v.encode("utf-8")) + STRING_OVERHEAD for v in values)
    total = per_row * rows + dictionary
    kinds = ", ".join(f"{sum(1 for _, t in schema if t == k)} {k}"
                      for k in BYTES_PER_ROW if any(t == k for _, t in schema))
    ratio = (int(peak_kb) * 1024) / total if total else float("nan")
    print(f"tally columns at {rows:,} rows: {kinds} = {per_row} B/row + dictionary "
          f"{dictionary:,} B = {mib(total):,.1f} MiB; peak RSS {mib(int(peak_kb) * 1024):,.1f} MiB "
          f"= {ratio:.2f}x the columns")


def report(measurements_path):
    """One line per tool and size: wall seconds, peak MiB, wall time over DuckDB's at that size."""
    with open(measurements_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    duck = {r["rows"]: float(r["wall"]) for r in rows if r["tool"] == "duckdb" and r["status"] == "ok"}
    header = ("tool", "rows", "wall s", "peak MiB", "x DuckDB", "")
    lines = []
    for r in rows:
        if r["status"] == "ok":
            wall = float(r["wall"])
            base = duck.get(r["rows"])
            ratio = f"{wall / base:.2f}" if base else "-"
            lines.append((r["tool"], f"{int(r['rows']):,}", f"{wall:.2f}",
                          f"{int(r['peak_kb']) / 1024:,.1f}", ratio, ""))
        else:
            lines.append((r["tool"], f"{int(r['rows']):,}", "-", "-", "-", r["status"]))
    widths = [max(len(line[i]) for line in [header] + lines) for i in range(len(header))]
    left = {0, 5}

    def fmt(line):
        cells = [c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))]
        return "  ".join(cells).rstrip()

    print(fmt(header))
    print(fmt(tuple("-" * w for w in widths[:-1]) + ("",)))
    for line in lines:
        print(fmt(line))


def main(argv):
    commands = {"load": (load, 2), "versions": (versions, 0), "footprint": (footprint, 4),
                "report": (report, 1)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    function(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
