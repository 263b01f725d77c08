#!/usr/bin/env bash
# PostgreSQL benchmark: a throwaway PostgreSQL on loopback holds the synthetic student-aid records
# (table aid) and Datasets/counties.csv (table counties); then, side by side, medians of RUNS:
#   (a) the five queries Benchmarks/queries/q1..q5 pushed down through Tally (`from pg.aid | …`,
#       timed with `.timer on` inside one tally process) and their .sql run by psql (`\timing on`
#       inside one psql process), with the ratio tally/psql;
#   (b) the whole table pulled into the client: Tally into its columns, psql `\copy … to /dev/null`;
#   (c) DuckDB's postgres extension (ATTACH … TYPE postgres) on the same queries and pull: DuckDB's
#       own INSTALL when it can download, else the extension packaged on PyPI for one DuckDB
#       release (a venv Benchmarks/.venv-pg with that duckdb); otherwise the reason neither could.
# Also the load: psql `\copy aid from CSV` and Tally's `.store` of the loaded file.
#
#   Benchmarks/pg.sh                      # 1M rows, 5 runs
#   SIZES="1M 10M" RUNS=3 Benchmarks/pg.sh
#   TALLY_BIN=.build-bench/release/tally Benchmarks/pg.sh   # a tally built before
#
# Environment: SIZES (default "1M"), RUNS (default 5), TALLY_BIN, TALLY_REF, DATAGEN_BIN and
# WIP_DATAGEN as in run.sh. Writes Benchmarks/results/pg-DATE.txt. See Benchmarks/README.md.
set -euo pipefail

SIZES=${SIZES:-"1M"}
RUNS=${RUNS:-5}
WIP_DATAGEN=${WIP_DATAGEN:-/work/wip-datagen}
TALLY_REF=${TALLY_REF:-}

# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

COUNTIES=$ROOT/Datasets/counties.csv
QUERIES=(q1_totals_by_year q2_top_counties q3_join_city_level q4_yoy_growth q5_filter_count_sum)

# ---------------------------------------------------------------------------------------------
# The server: initdb into a temporary folder, a free loopback port, its own socket folder; run as
# the `postgres` user when we are root (the server refuses root); stopped by the trap on exit.

PGTMP=""
PG_CTL=""
cleanup() {
    if [ -n "$PGTMP" ]; then
        [ -f "$PGTMP/data/postmaster.pid" ] && as_pg "$PG_CTL" -D "$PGTMP/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$PGTMP"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg() {
    if [ "$(id -u)" = 0 ]; then /usr/sbin/runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) /usr/local/bin /usr/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
    done
    die "initdb and pg_ctl not found (Debian: apt-get install postgresql)"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() {
    local bin
    bin=$(pg_bindir)
    PG_CTL=$bin/pg_ctl
    command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"
    if [ "$(id -u)" = 0 ]; then id -u postgres >/dev/null 2>&1 || die "running as root, and there is no postgres user to run the server as"; fi
    PGTMP=$(mktemp -d /tmp/tally-bench-pg.XXXXXX)
    chmod 755 "$PGTMP"
    mkdir -p "$PGTMP/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres "$PGTMP"
    PORT=$(free_port)
    say "starting PostgreSQL ($bin) on 127.0.0.1:$PORT, data in $PGTMP"
    as_pg "$bin/initdb" -D "$PGTMP/data" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$WORK/initdb.log" 2>&1 \
        || { tail -20 "$WORK/initdb.log" >&2; die "initdb failed"; }
    as_pg "$PG_CTL" -D "$PGTMP/data" -l "$PGTMP/log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" \
        start >"$WORK/pg_ctl.log" 2>&1 || { tail -20 "$PGTMP/log" >&2; die "pg_ctl start failed"; }
    export PGOPTIONS="-c client_min_messages=warning"   # no NOTICEs from DROP TABLE IF EXISTS
    CONN="host=127.0.0.1 port=$PORT dbname=bench user=bench"
    PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U bench)
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null
    PG_VERSION=$("${PSQL[@]}" -d bench -At -c "SHOW server_version")
    "${PSQL[@]}" -d bench >/dev/null <<'SQL'
CREATE TABLE counties (county_code bigint, county text, city_code bigint, city text, kind text,
                       key_county boolean, border_county boolean, autonomous_county boolean,
                       population_2020 bigint, population_basis text);
SQL
    "${PSQL[@]}" -d bench -c "\\copy counties FROM '$COUNTIES' CSV HEADER" >/dev/null
}

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------------------------------------
# One size: load, then (a), (b), (c). Appends "section<TAB>name<TAB>tool<TAB>seconds" to $FIGURES.

figure() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$FIGURES"; }

load_size() {
    local rows=$1 file=$DATA/aid-$1.csv t0 t1
    "${PSQL[@]}" -d bench -c "DROP TABLE IF EXISTS aid; DROP TABLE IF EXISTS aid_from_tally" >/dev/null
    "${PSQL[@]}" -d bench -c "CREATE TABLE aid (year bigint, county_code bigint, school_id bigint, level text, programme text, student_id bigint, amount double precision)" >/dev/null
    cat "$file" >/dev/null
    say "$rows rows: loading aid with psql \\copy"
    t0=$(now)
    "${PSQL[@]}" -d bench -c "\\copy aid FROM '$file' CSV HEADER" >/dev/null
    t1=$(now)
    figure load "psql \\copy aid FROM the CSV (wall)" psql "$(elapsed "$t0" "$t1")"
    "${PSQL[@]}" -d bench -c "VACUUM ANALYZE aid" -c "VACUUM ANALYZE counties" >/dev/null
    local got
    got=$("${PSQL[@]}" -d bench -At -c "SELECT count(*) FROM aid")
    [ "$got" = "$rows" ] || die "aid has $got rows in PostgreSQL, expected $rows"

    say "$rows rows: writing them again with tally .store (aid_from_tally)"
    cat >"$WORK/store.tally" <<EOF
.connect "$CONN" as pg
.load $file as local_aid
.timer on
.store local_aid into pg.aid_from_tally
EOF
    "$TALLY" --no-datasets run "$WORK/store.tally" >/dev/null 2>"$WORK/store.err" \
        || { tail -5 "$WORK/store.err" >&2; die "tally .store failed"; }
    # The lines after `.timer on`: its own, then the .store.
    figure load "tally .store of the loaded table (.timer)" tally "$(grep '^time: ' "$WORK/store.err" | sed -n 2p | awk '{print $2}')"
    got=$("${PSQL[@]}" -d bench -At -c "SELECT count(*) FROM aid_from_tally")
    [ "$got" = "$rows" ] || die "aid_from_tally has $got rows, expected $rows"
    "${PSQL[@]}" -d bench -c "DROP TABLE aid_from_tally" >/dev/null
}

# (a) and (b) through Tally: one process, `.timer on`; the k-th `time:` line after `.timer on`'s
# own is the k-th statement of $WORK/tally-statements.
run_tally() {
    local rows=$1 q run stmts=$WORK/tally-statements
    : >"$stmts"
    {
        echo ".connect \"$CONN\" as pg"
        echo ".mode csv"
        echo ".timer on"
    } >"$WORK/bench.tally"
    for ((run = 1; run <= RUNS; run++)); do
        for q in "${QUERIES[@]}"; do
            # `from aid` as `from aid = pg.aid`, so `aid.level` still names its columns.
            sed -e 's/^from aid$/from aid = pg.aid/' -e 's/= counties (/= pg.counties (/' "$BENCH/queries/$q.prql" \
                | awk 'NF' >>"$WORK/bench.tally"
            echo "" >>"$WORK/bench.tally"
            echo "a	$q" >>"$stmts"
        done
        # The whole table into columns: a `let` is computed where it is first used; the count
        # after it runs in memory on the rows pulled.
        echo "let pulled_$run = (from pg.aid)" >>"$WORK/bench.tally"
        echo "-" >>"$stmts"
        echo "from pulled_$run | aggregate {n = count this}" >>"$WORK/bench.tally"
        echo "b	pull" >>"$stmts"
    done
    say "$rows rows: tally, $RUNS runs of the five queries and the pull in one process"
    "$TALLY" --no-datasets run "$WORK/bench.tally" >"$WORK/tally.out" 2>"$WORK/tally.err" \
        || { tail -10 "$WORK/tally.err" >&2; die "the tally script failed (its statements: $WORK/bench.tally)"; }
    grep '^time: ' "$WORK/tally.err" | tail -n +2 | awk '{print $2}' >"$WORK/tally.times"
    [ "$(wc -l <"$WORK/tally.times")" = "$(wc -l <"$stmts")" ] \
        || die "tally printed $(wc -l <"$WORK/tally.times") times for $(wc -l <"$stmts") statements"
    paste "$stmts" "$WORK/tally.times" | awk -F'\t' '$1 != "-" { print $1 "\t" $2 "\t" $3 }' >"$WORK/tally.raw"
    grep -c '^n$' "$WORK/tally.out" >/dev/null || true
}

# (a) through psql: one process, `\timing on` (the time psql waits for the whole result).
run_psql() {
    local rows=$1 q run
    {
        echo '\timing on'
        for ((run = 1; run <= RUNS; run++)); do
            for q in "${QUERIES[@]}"; do cat "$BENCH/queries/$q.sql"; echo; done
        done
    } >"$WORK/bench.sql"
    say "$rows rows: psql, $RUNS runs of the five queries in one process"
    "${PSQL[@]}" -d bench -o /dev/null -f "$WORK/bench.sql" >"$WORK/psql.out" 2>&1 \
        || { tail -5 "$WORK/psql.out" >&2; die "psql failed"; }
    grep '^Time: ' "$WORK/psql.out" | awk '{printf "%.6f\n", $2 / 1000}' >"$WORK/psql.times"
    [ "$(wc -l <"$WORK/psql.times")" = $((RUNS * ${#QUERIES[@]})) ] || die "psql printed $(wc -l <"$WORK/psql.times") times"
    local i=0
    while read -r t; do
        printf 'a\t%s\t%s\n' "${QUERIES[$((i % ${#QUERIES[@]}))]}" "$t"
        i=$((i + 1))
    done <"$WORK/psql.times" >"$WORK/psql.raw"

    # (b): a fresh psql per run, wall time (its start and connection included, a few ms).
    say "$rows rows: psql \\copy of the whole table to /dev/null, text and binary"
    local t0 t1
    : >"$WORK/psql-pull.raw"
    for ((run = 1; run <= RUNS; run++)); do
        t0=$(now)
        "${PSQL[@]}" -d bench -c "\\copy (SELECT * FROM aid) TO '/dev/null'" >/dev/null
        t1=$(now)
        printf 'b\tpull text\t%s\n' "$(elapsed "$t0" "$t1")" >>"$WORK/psql-pull.raw"
        t0=$(now)
        "${PSQL[@]}" -d bench -c "\\copy (SELECT * FROM aid) TO '/dev/null' WITH (FORMAT binary)" >/dev/null
        t1=$(now)
        printf 'b\tpull binary\t%s\n' "$(elapsed "$t0" "$t1")" >>"$WORK/psql-pull.raw"
    done
}

# DuckDB's own download of an extension needs a network this machine may lack, so the postgres
# extension comes from PyPI instead: duckdb-extension-postgres-scanner packages the extension
# binary of one DuckDB release, so it goes into a venv of its own with exactly that duckdb.
PG_DUCKDB_VERSION=${PG_DUCKDB_VERSION:-1.5.5}
PG_VENV=$BENCH/.venv-pg
ensure_pg_venv() {
    if [ -x "$PG_VENV/bin/python" ] && "$PG_VENV/bin/python" -c 'import duckdb, duckdb_extension_postgres_scanner' 2>/dev/null; then
        say "reusing the venv $PG_VENV"
    else
        say "creating the venv $PG_VENV with duckdb $PG_DUCKDB_VERSION and its postgres extension"
        [ -x "$PG_VENV/bin/python" ] || python3 -m venv "$PG_VENV" || { PG_PY=$PY; return; }
        "$PG_VENV/bin/python" -m pip install -q "duckdb==$PG_DUCKDB_VERSION" \
            "duckdb-extension-postgres-scanner==$PG_DUCKDB_VERSION" >&2 || { PG_PY=$PY; return; }
    fi
    PG_PY=$PG_VENV/bin/python
}

# (c) DuckDB's postgres extension: downloaded by DuckDB when it can be, else the PyPI package's.
run_duckdb() {
    local rows=$1
    say "$rows rows: duckdb with the postgres extension"
    DUCKDB_NOTE=""
    "$PG_PY" - "$CONN" "$RUNS" "$BENCH/queries" "${QUERIES[@]}" >"$WORK/duckdb.raw" 2>"$WORK/duckdb.err" <<'PY' || true
import sys, time, glob, os, duckdb
conn, runs, folder, names = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
con = duckdb.connect()
source = "INSTALL postgres (downloaded by DuckDB)"
try:
    con.execute("INSTALL postgres")
    con.execute("LOAD postgres")
except Exception as e:
    try:
        import duckdb_extension_postgres_scanner as pkg
        found = glob.glob(os.path.join(os.path.dirname(pkg.__file__), "extensions", "*", "postgres_scanner.duckdb_extension"))
        if not found:
            raise RuntimeError("the package holds no postgres_scanner.duckdb_extension")
        con.execute(f"LOAD '{found[0]}'")
        source = "LOAD of the file in the PyPI package duckdb-extension-postgres-scanner"
    except Exception as e2:
        import socket
        try:
            socket.getaddrinfo("extensions.duckdb.org", 80)
            why = ""
        except OSError as dns:
            why = f" (extensions.duckdb.org does not resolve here: {dns}; no network)"
        print("unavailable\t" + " ".join(str(e).split())[:200] + why + "; from PyPI: " + " ".join(str(e2).split())[:200])
        sys.exit(0)
con.execute(f"ATTACH '{conn}' AS pg (TYPE postgres, READ_ONLY)")
queries = {n: open(f"{folder}/{n}.sql", encoding="utf-8").read() for n in names}
for _ in range(runs):
    con.execute("USE pg")
    for n in names:
        t = time.perf_counter()
        con.execute(queries[n]).fetchall()
        print(f"a\t{n}\t{time.perf_counter() - t:.6f}")
    con.execute("USE memory")
    t = time.perf_counter()
    con.execute("CREATE OR REPLACE TEMP TABLE pulled AS SELECT * FROM pg.public.aid")
    print(f"b\tpull\t{time.perf_counter() - t:.6f}")
print("version\t" + duckdb.__version__)
print("source\t" + source)
PY
    if grep -q '^unavailable' "$WORK/duckdb.raw"; then
        DUCKDB_NOTE="duckdb $("$PG_PY" -c 'import duckdb; print(duckdb.__version__)'): the postgres extension could not be installed: $(sed -n 's/^unavailable\t//p' "$WORK/duckdb.raw")"
        : >"$WORK/duckdb.raw"
    elif ! grep -q '^version' "$WORK/duckdb.raw"; then
        DUCKDB_NOTE="duckdb failed: $(tail -3 "$WORK/duckdb.err" | tr '\n' ' ')"
        : >"$WORK/duckdb.raw"
    else
        DUCKDB_NOTE="duckdb $(sed -n 's/^version\t//p' "$WORK/duckdb.raw") with its postgres extension, got by $(sed -n 's/^source\t//p' "$WORK/duckdb.raw") (ATTACH … TYPE postgres; the query runs in DuckDB on rows it scans from PostgreSQL)"
        sed -i -e '/^version/d' -e '/^source/d' "$WORK/duckdb.raw"
    fi
}

# The answers: tally's first run of each query (its CSV blocks in tally.out, split on their header
# lines) against psql --csv of the same .sql: the same columns, row count and sum of `total`
# (to 1e-9 relative: the two add floats in different orders), and the pull's count. Sets ANSWERS.
check_answers() {
    local rows=$1 q
    for q in "${QUERIES[@]}"; do
        "${PSQL[@]}" -d bench --csv -f "$BENCH/queries/$q.sql" >"$WORK/psql-$q.csv"
    done
    ANSWERS=$(python3 - "$WORK" "$rows" "${QUERIES[@]}" <<'PY'
import csv, io, sys
work, rows, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def read(text):
    return list(csv.reader(io.StringIO(text)))
expected = {n: read(open(f"{work}/psql-{n}.csv", encoding="utf-8").read()) for n in names}
headers = {tuple(e[0]): n for n, e in expected.items()}
blocks, current = [], None
for line in open(f"{work}/tally.out", encoding="utf-8").read().splitlines():
    cells = next(csv.reader([line])) if line else [""]
    if tuple(cells) in headers or cells == ["n"]:
        current = [cells]
        blocks.append(current)
    elif current is not None:
        current.append(cells)
problems = []
got = {}
for b in blocks:
    name = headers.get(tuple(b[0]), "pull")
    got.setdefault(name, b)
def total(table):
    i = table[0].index("total")
    return sum(float(r[i]) for r in table[1:] if r[i] != "")
for n in names:
    if n not in got:
        problems.append(f"{n}: no result from tally"); continue
    t, p = got[n], expected[n]
    if t[0] != p[0]: problems.append(f"{n}: columns {t[0]} vs {p[0]}")
    elif len(t) != len(p): problems.append(f"{n}: {len(t) - 1} rows vs {len(p) - 1}")
    elif abs(total(t) - total(p)) > 1e-9 * max(1.0, abs(total(p))): problems.append(f"{n}: sum of total {total(t)} vs {total(p)}")
pull = got.get("pull")
if not pull or pull[1:] != [[str(rows)]]: problems.append(f"pull: count {pull[1:] if pull else None}, expected {rows}")
print("the same as psql's (columns, row count, sum of total; the pull's row count)" if not problems else "!!! " + "; ".join(problems))
PY
)
}

# The table of figures for one size, from the raw "section name seconds" files.
report_size() {
    local rows=$1 q t p d
    med() { awk -F'\t' -v s="$2" -v n="$3" '$1 == s && $2 == n { print $3 }' "$1" | median; }
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else printf "%.2f", a / b }'; }
    fmt() { [ -n "$1" ] && printf '%.3f' "$1" || printf '—'; }
    printf '%s rows of aid (%s), median of %s runs, seconds\n\n' "$(printf "%'d" "$rows")" "$DATA/aid-$rows.csv" "$RUNS"
    printf 'load\n'
    awk -F'\t' '$1 == "load" { printf "  %-52s %8.3f\n", $2, $4 }' "$FIGURES"
    printf '\n(a) the queries, pushed down      %8s %8s %10s %10s %11s\n' tally psql tally/psql duckdb duckdb/psql
    for q in "${QUERIES[@]}"; do
        t=$(med "$WORK/tally.raw" a "$q"); p=$(med "$WORK/psql.raw" a "$q"); d=$(med "$WORK/duckdb.raw" a "$q")
        printf '  %-31s %8s %8s %10s %10s %11s\n' "$q" "$(fmt "$t")" "$(fmt "$p")" "$(ratio "$t" "$p")" "$(fmt "$d")" "$(ratio "$d" "$p")"
    done
    printf '\n(b) the whole table into the client (%s rows, 7 columns)\n' "$(printf "%'d" "$rows")"
    t=$(med "$WORK/tally.raw" b pull)
    p=$(med "$WORK/psql-pull.raw" b "pull text")
    local pb; pb=$(med "$WORK/psql-pull.raw" b "pull binary")
    d=$(med "$WORK/duckdb.raw" b pull)
    printf '  %-66s %8s\n' "tally: let t = (from pg.aid), computed into columns (.timer)" "$(fmt "$t")"
    printf '  %-66s %8s\n' "psql: \\copy (SELECT * FROM aid) TO '/dev/null' (wall, text)" "$(fmt "$p")"
    printf '  %-66s %8s\n' "psql: the same WITH (FORMAT binary) (wall)" "$(fmt "$pb")"
    printf '  %-66s %8s\n' "duckdb: CREATE TEMP TABLE pulled AS SELECT * FROM pg.public.aid" "$(fmt "$d")"
    printf '  tally / psql text: %s; tally / psql binary: %s\n\n' "$(ratio "$t" "$p")" "$(ratio "$t" "$pb")"
    printf 'answers: tally %s\n\n' "$ANSWERS"
}

# ---------------------------------------------------------------------------------------------

main() {
    [[ $ROOT != *[[:space:]]* ]] || die "the repository path must not contain spaces: $ROOT"
    [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, got '$RUNS'"
    [ -f "$COUNTIES" ] || die "missing $COUNTIES"
    local sizes=() s q
    for s in $SIZES; do sizes+=("$(parse_rows "$s")"); done
    [ ${#sizes[@]} -gt 0 ] || die "SIZES is empty"
    for q in "${QUERIES[@]}"; do [ -f "$BENCH/queries/$q.prql" ] && [ -f "$BENCH/queries/$q.sql" ] || die "missing Benchmarks/queries/$q.prql or .sql"; done

    build_tally
    # The data files are reused when their markers match; datagen is built only when one is missing.
    local missing=""
    for s in "${sizes[@]}"; do
        [ -f "$DATA/aid-$s.csv" ] && [ "$(cat "$DATA/aid-$s.csv.ok" 2>/dev/null)" = "$s $(stat -c %s "$DATA/aid-$s.csv")" ] || missing=1
    done
    [ -z "$missing" ] || build_datagen
    for s in "${sizes[@]}"; do generate "$s"; done
    ensure_venv
    ensure_pg_venv
    start_server

    LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
    local body=$WORK/report.txt
    : >"$body"
    for s in "${sizes[@]}"; do
        FIGURES=$WORK/figures-$s.tsv
        : >"$FIGURES"
        load_size "$s"
        run_tally "$s"
        run_psql "$s"
        run_duckdb "$s"
        check_answers "$s"
        report_size "$s" >>"$body"
    done

    mkdir -p "$RESULTS"
    local out
    out=$RESULTS/pg-$(date +%Y-%m-%d-%H%M%S).txt
    {
        echo "Tally on PostgreSQL, $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); load average (/proc/loadavg) at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "server: PostgreSQL $PG_VERSION, throwaway, 127.0.0.1 over TCP, fsync off, shared_buffers 256MB, trust auth; tables vacuumed and analyzed"
        echo "tally $TALLY_FROM: .connect, then each query as in Benchmarks/queries/*.prql with from pg.aid and pg.counties;"
        echo "      timed by .timer on in one process (the statement's whole time: SQL sent, rows decoded, result printed as CSV)"
        echo "psql $(psql --version | awk '{print $3}'): the .sql files, \\timing on in one process (query sent to the whole result received)"
        echo "$DUCKDB_NOTE"
        echo
        cat "$body"
    } | tee "$out"
    say "written to ${out#"$ROOT"/}"
    ! grep -q '^answers: tally !!!' "$out" || die "tally's answers differ from psql's (the line starting with answers:)"
}

main "$@"
