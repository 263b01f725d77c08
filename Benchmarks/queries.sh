#!/usr/bin/env bash
# Query benchmark: in ONE process per tool, load the synthetic student-aid records and the county
# table, then run the queries in Benchmarks/queries/; print wall time and peak RSS per tool,
# the per-query times each tool reports, their ratios to DuckDB, and check that the answers agree.
#
#   Benchmarks/queries.sh                    # 10M rows
#   SIZES="1M" Benchmarks/queries.sh         # sizes in rows (1M, 10M, 500k and 1_000_000 work too)
#   RUNS=1 TOOLS="tally duckdb" Benchmarks/queries.sh
#   TALLY_REF=HEAD Benchmarks/queries.sh     # the last commit, when the working tree is mid-edit
#
# Environment: SIZES (default "10M"), RUNS (timed runs per tool and size, default 3), TOOLS (default
# "tally duckdb sqlite3 pandas polars"), TIMEOUT (seconds per run, default 1800), WIP_DATAGEN and
# TALLY_REF as in run.sh. Exit status 3 when the tools' answers disagree or a query fails (other than
# one Tally does not support yet). See Benchmarks/README.md.
set -euo pipefail

SIZES=${SIZES:-"10M"}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-"tally duckdb sqlite3 pandas polars"}
TIMEOUT=${TIMEOUT:-1800}
WIP_DATAGEN=${WIP_DATAGEN:-/work/wip-datagen}
TALLY_REF=${TALLY_REF:-}

# The release builds, the venv, the data files (build_tally, build_datagen, ensure_venv, generate).
# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

COUNTIES=$ROOT/Datasets/counties.csv
HELPER=$BENCH/query_peers.py

# ---------------------------------------------------------------------------------------------
# One run: a fresh process that loads both tables and runs every query; its folder RUN_DIR ends
# with times.tsv and one NAME.csv per answered query (see query_peers.py).

# Sets CMD (and CMD_STDIN) for TOOL on FILE, writing into the folder DIR.
set_command() {
    local tool=$1 file=$2 dir=$3
    CMD_STDIN=/dev/null
    case $tool in
        tally)
            "$PY" "$HELPER" tally-script "$file" "$COUNTIES" >"$dir/script.tally"
            CMD=("$TALLY" --no-datasets --format csv run --keep-going "$dir/script.tally") ;;
        sqlite3)
            "$PY" "$HELPER" sqlite-script "$file" "$COUNTIES" "$dir" >"$dir/script.sql"
            CMD=(sqlite3 -batch :memory:)
            CMD_STDIN=$dir/script.sql ;;
        duckdb|pandas|polars)
            CMD=("$PY" "$HELPER" run "$tool" "$file" "$COUNTIES" "$dir") ;;
        *) die "unknown tool '$tool' in TOOLS (tally duckdb sqlite3 pandas polars)" ;;
    esac
}

# measure TOOL ROWS FILE: appends one line per run to $MEASUREMENTS.
measure() {
    local tool=$1 rows=$2 file=$3 status=ok run rc wall kb got dir loadavg
    if [ "$tool" = sqlite3 ] && ! command -v sqlite3 >/dev/null; then
        printf '%s\t%s\t1\t\t\t\t%s\t\n' "$tool" "$rows" "skipped: sqlite3 is not installed" >>"$MEASUREMENTS"
        say "$tool: skipped (not installed)"
        return
    fi
    for ((run = 1; run <= RUNS; run++)); do
        dir=$WORK/$tool-$rows-$run
        mkdir -p "$dir"
        set_command "$tool" "$file" "$dir"
        loadavg=$(cut -d' ' -f1 /proc/loadavg)
        timeout "$TIMEOUT" /usr/bin/time -f '%e %M' -o "$dir/time" "${CMD[@]}" <"$CMD_STDIN" >"$dir/stdout" 2>"$dir/stderr" \
            && rc=0 || rc=$?
        if [ "$tool" = tally ] || [ "$tool" = sqlite3 ]; then
            "$PY" "$HELPER" collect "$tool" "$dir" "$dir/stdout" "$dir/stderr" || status="failed (could not read its output)"
        fi
        # tally run --keep-going exits with 1 when a statement failed; the queries it cannot run yet
        # are marked n/a in times.tsv, any other failure is reported with the answers.
        if [ "$rc" = 124 ]; then
            status="failed (timed out after ${TIMEOUT} s)"
        elif [ "$rc" != 0 ] && ! { [ "$tool" = tally ] && [ "$rc" = 1 ]; }; then
            status="failed (exit status $rc)"
        elif [ "$status" = ok ]; then
            got=$(sed -n 's/^rows\t//p' "$dir/times.tsv" 2>/dev/null)
            [ "$got" = "$rows" ] || status="failed (loaded ${got:-?} rows)"
        fi
        if [ "$status" != ok ]; then
            say "$tool, $rows rows: $status; its stderr ends with:"
            tail -15 "$dir/stderr" | sed 's/^/    /' >&2
        fi
        read -r wall kb < <(tail -1 "$dir/time") || true
        [[ ${wall:-} =~ ^[0-9.]+$ && ${kb:-} =~ ^[0-9]+$ ]] || { wall="" kb=""; [ "$status" != ok ] || status="failed (no timing)"; }
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$rows" "$run" "$wall" "$kb" "$status" "$dir" "$loadavg" >>"$MEASUREMENTS"
        [ "$status" = ok ] || break
        printf '    %-8s run %d: %7.2f s %9.1f MiB  (%s; load average %s)\n' "$tool" "$run" "$wall" \
            "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$("$PY" "$HELPER" steps "$dir")" "$loadavg" >&2
    done
}

# ---------------------------------------------------------------------------------------------

main() {
    [[ $ROOT != *[[:space:]]* ]] || die "the repository path must not contain spaces: $ROOT"
    [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, got '$RUNS'"
    [ -f "$COUNTIES" ] || die "missing $COUNTIES"
    local sizes=() s
    for s in $SIZES; do sizes+=("$(parse_rows "$s")"); done
    [ ${#sizes[@]} -gt 0 ] || die "SIZES is empty"

    ensure_time
    build_tally
    build_datagen
    ensure_venv
    "$PY" "$HELPER" names >/dev/null || die "the queries in Benchmarks/queries/ are incomplete"
    for s in "${sizes[@]}"; do generate "$s"; done

    LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)   # other work on the machine skews the timings
    MEASUREMENTS=$WORK/measurements.tsv
    printf 'tool\trows\trun\twall\tpeak_kb\tstatus\tdir\tloadavg\n' >"$MEASUREMENTS"
    local file tool
    for s in "${sizes[@]}"; do
        file=$DATA/aid-$s.csv
        cat "$file" >/dev/null   # warm the page cache, so no tool pays for the first read from disk
        for tool in $TOOLS; do
            say "$s rows with $tool: load and the queries ($RUNS runs)"
            measure "$tool" "$s" "$file"
        done
    done

    mkdir -p "$RESULTS"
    local out rc
    out=$RESULTS/queries-$(date +%Y-%m-%d-%H%M%S).txt
    {
        echo "Tally query benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), median of $RUNS runs"
        echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); load average at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "tally $TALLY_FROM; sqlite3 $(sqlite3 --version 2>/dev/null | cut -d' ' -f1); $("$PY" "$BENCH/peers.py" versions)"
        echo "data: synthetic student-aid records from tally-datagen ($DATAGEN_FROM), and Datasets/counties.csv"
        echo "queries: Benchmarks/queries/ (q1 totals by year, q2 top-10 counties with count_distinct, q3 left join"
        echo "         to counties by city and level, q4 year-over-year growth with lag, q5 filter + grouped count/sum)"
        echo
        "$PY" "$HELPER" report "$MEASUREMENTS"
    } | tee "$out" && rc=0 || rc=$?
    say "written to ${out#"$ROOT"/}"
    [ "$rc" = 0 ] || die "the answers disagree or a query failed (see the lines marked !!! above)"
}

main "$@"
