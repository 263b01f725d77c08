#!/usr/bin/env bash
# Load benchmark: time loading the synthetic student-aid records into Tally, DuckDB, sqlite3,
# pandas and polars, one fresh process per tool, and print wall time and peak RSS side by side.
#
#   Benchmarks/run.sh                        # 1M and 10M rows
#   SIZES="1000000" Benchmarks/run.sh        # sizes in rows (1M, 10M, 500k and 1_000_000 work too)
#   RUNS=5 TOOLS="tally duckdb" Benchmarks/run.sh
#
# Environment: SIZES (default "1M 10M"), RUNS (timed runs per tool and size, best wall time kept;
# default 3), TOOLS (default "tally duckdb sqlite3 pandas polars"), TIMEOUT (seconds per run, default
# 1800), WIP_DATAGEN (the scratch datagen package used while the main package's tally-datagen is a
# placeholder; default /work/wip-datagen), TALLY_REF (benchmark this commit, e.g. HEAD, instead of
# the working tree). See Benchmarks/README.md.
set -euo pipefail

SIZES=${SIZES:-"1M 10M"}
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-"tally duckdb sqlite3 pandas polars"}
TIMEOUT=${TIMEOUT:-1800}
WIP_DATAGEN=${WIP_DATAGEN:-/work/wip-datagen}
TALLY_REF=${TALLY_REF:-}

# The release builds, the venv, the data files and their helpers (build_tally, build_datagen,
# ensure_venv, generate, ...), shared with queries.sh.
# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ---------------------------------------------------------------------------------------------
# Measurements: RUNS fresh processes per tool; the best wall time and that run's peak RSS.

# Sets CMD to the command that loads FILE with TOOL; it prints the row count as the last line of
# stdout (Tally prints "loaded aid: 1,000,000 rows × 7 columns" on stderr, which is checked instead).
set_load_command() {
    local tool=$1 file=$2
    case $tool in
        tally)   CMD=("$TALLY" --no-datasets -c ".load $file as aid") ;;
        sqlite3) CMD=(sqlite3 -batch -cmd ".mode csv" -cmd ".import \"$file\" aid" :memory: "select count(*) from aid;") ;;
        duckdb|pandas|polars) CMD=("$PY" "$BENCH/peers.py" load "$tool" "$file") ;;
        *) die "unknown tool '$tool' in TOOLS (tally duckdb sqlite3 pandas polars)" ;;
    esac
}

# Rows the run reports having loaded, or nothing.
loaded_rows() {
    local tool=$1
    if [ "$tool" = tally ]; then
        sed -n 's/^loaded aid: \([0-9,]*\) rows.*/\1/p' "$WORK/err" | tr -d , | tail -1
    else
        tail -1 "$WORK/out" | tr -d '[:space:]'
    fi
}

# measure TOOL ROWS FILE: appends "tool rows wall peak_kb status" to $MEASUREMENTS.
measure() {
    local tool=$1 rows=$2 file=$3 best_wall="" best_kb="" status=ok run rc wall kb got
    if [ "$tool" = sqlite3 ] && ! command -v sqlite3 >/dev/null; then
        printf '%s\t%s\t\t\t%s\n' "$tool" "$rows" "skipped: sqlite3 is not installed" >>"$MEASUREMENTS"
        say "$tool: skipped (not installed)"
        return
    fi
    set_load_command "$tool" "$file"
    for ((run = 1; run <= RUNS; run++)); do
        timeout "$TIMEOUT" /usr/bin/time -f '%e %M' -o "$WORK/time" "${CMD[@]}" >"$WORK/out" 2>"$WORK/err" \
            && rc=0 || rc=$?
        if [ "$rc" = 124 ]; then
            status="failed (timed out after ${TIMEOUT} s)"
        elif [ "$rc" != 0 ]; then
            status="failed (exit status $rc)"
        else
            got=$(loaded_rows "$tool")
            [ "$got" = "$rows" ] || status="failed (loaded ${got:-?} rows)"
        fi
        if [ "$status" != ok ]; then
            say "$tool, $rows rows: $status; its stderr ends with:"
            tail -15 "$WORK/err" | sed 's/^/    /' >&2
            break
        fi
        read -r wall kb < <(tail -1 "$WORK/time")
        printf '    %-8s run %d: %7.2f s %9.1f MiB\n' "$tool" "$run" "$wall" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" >&2
        if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
            best_wall=$wall best_kb=$kb
        fi
    done
    [ "$status" = ok ] || best_wall="" best_kb=""
    printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$rows" "$best_wall" "$best_kb" "$status" >>"$MEASUREMENTS"
    if [ "$tool" = tally ] && [ "$status" = ok ]; then TALLY_PEAK_KB=$best_kb; fi
}

# The size of Tally's loaded columns, from the schema and row count Tally reports.
tally_footprint() {
    local rows=$1 file=$2
    "$TALLY" --no-datasets --format csv -c ".load $file as aid" -c ".schema aid" >"$WORK/schema.csv" 2>/dev/null \
        || { echo "tally columns at $rows rows: could not read the schema"; return; }
    "$PY" "$BENCH/peers.py" footprint "$WORK/schema.csv" "$rows" "$file" "$TALLY_PEAK_KB"
}

# ---------------------------------------------------------------------------------------------
# The byte-scanning limit (scan_limit.c): RUNS scans of FILE by two threads; one line with the
# median time and Tally's load wall time (the best run, as in the table) over it.

scan_limit() {
    local rows=$1 file=$2 run times=() median tally_wall
    for ((run = 1; run <= RUNS; run++)); do
        times+=("$("$SCAN_LIMIT" "$file" 2 | cut -d' ' -f1)")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    tally_wall=$(awk -F'\t' -v r="$rows" '$1 == "tally" && $2 == r { print $3 }' "$MEASUREMENTS")
    awk -v rows="$rows" -v m="$median" -v b="$(stat -c %s "$file")" -v t="$tally_wall" 'BEGIN {
        printf "scan limit, %d rows: two threads read %.2f GB and count newlines and commas in %.3f s (median of the runs, %.2f GB/s)", rows, b / 1e9, m, b / m / 1e9
        if (t != "" && m > 0) printf "; tally load %.2f s = %.2f x the limit (goal: within 2x)", t, t / m
        printf "\n"
    }'
}

main() {
    [[ $ROOT != *[[:space:]]* ]] || die "the repository path must not contain spaces: $ROOT"
    [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, got '$RUNS'"
    local sizes=() s
    for s in $SIZES; do sizes+=("$(parse_rows "$s")"); done
    [ ${#sizes[@]} -gt 0 ] || die "SIZES is empty"

    ensure_time
    build_tally
    build_datagen
    ensure_venv
    for s in "${sizes[@]}"; do generate "$s"; done
    SCAN_LIMIT=$WORK/scan_limit
    gcc -O2 -pthread -o "$SCAN_LIMIT" "$BENCH/scan_limit.c" || die "could not compile Benchmarks/scan_limit.c (gcc -O2 -pthread)"

    LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)   # other work on the machine skews the timings
    MEASUREMENTS=$WORK/measurements.tsv
    printf 'tool\trows\twall\tpeak_kb\tstatus\n' >"$MEASUREMENTS"
    local footprints=() file tool
    for s in "${sizes[@]}"; do
        file=$DATA/aid-$s.csv
        cat "$file" >/dev/null   # warm the page cache, so no tool pays for the first read from disk
        TALLY_PEAK_KB=""
        for tool in $TOOLS; do
            say "loading $s rows with $tool ($RUNS runs)"
            measure "$tool" "$s" "$file"
        done
        if [ -n "$TALLY_PEAK_KB" ]; then footprints+=("$(tally_footprint "$s" "$file")"); fi
        say "scan limit for $s rows ($RUNS runs)"
        footprints+=("$(scan_limit "$s" "$file")")
    done

    mkdir -p "$RESULTS"
    local out
    out=$RESULTS/load-$(date +%Y-%m-%d-%H%M%S).txt
    {
        echo "Tally load benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), best of $RUNS runs"
        echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); load average at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "tally $TALLY_FROM; sqlite3 $(sqlite3 --version 2>/dev/null | cut -d' ' -f1); $("$PY" "$BENCH/peers.py" versions)"
        echo "data: synthetic student-aid records from tally-datagen ($DATAGEN_FROM)"
        echo
        "$PY" "$BENCH/peers.py" report "$MEASUREMENTS"
        echo
        for s in "${footprints[@]+"${footprints[@]}"}"; do echo "$s"; done
    } | tee "$out"
    say "written to ${out#"$ROOT"/}"
}

main "$@"
