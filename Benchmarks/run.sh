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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/Benchmarks
SCRATCH=$ROOT/.build-bench        # git-ignored; keeps these release builds apart from .build
DATA=$BENCH/data
VENV=$BENCH/.venv
RESULTS=$BENCH/results
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# "10M" -> 10000000, "500k" -> 500000, "1_000_000" -> 1000000.
parse_rows() {
    local s=${1//_/}
    case $s in
        *[0-9][kK]) echo $(( ${s%?} * 1000 )) ;;
        *[0-9][mM]) echo $(( ${s%?} * 1000000 )) ;;
        *[0-9])     [[ $s =~ ^[0-9]+$ ]] && echo $(( 10#$s )) || die "SIZES: '$1' is not a row count" ;;
        *)          die "SIZES: '$1' is not a row count (e.g. 1000000, 1M, 500k)" ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# 1. Tools: /usr/bin/time, release builds of tally and tally-datagen, the Python venv.

ensure_time() {
    [ -x /usr/bin/time ] && return
    say "installing GNU time (/usr/bin/time is missing)"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time
    [ -x /usr/bin/time ] || die "could not install /usr/bin/time"
}

# The working tree by default; with TALLY_REF, a snapshot of that commit (git archive), so a
# benchmark can run while the working tree is mid-edit.
build_tally() {
    pkg-config --exists libedit 2>/dev/null || die "libedit-dev is missing: run 'make deps' (or 'make bench')"
    if [ -z "$TALLY_REF" ]; then
        say "building tally from the working tree (release, scratch path .build-bench)"
        (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product tally) >&2 \
            || die "the release build of tally failed; to benchmark the last commit: TALLY_REF=HEAD $0"
        TALLY=$SCRATCH/release/tally
        TALLY_FROM="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" status --porcelain --untracked-files=normal -- Sources Package.swift 2>/dev/null | grep -q . && echo ' + uncommitted changes')"
    else
        local rev src
        rev=$(git -C "$ROOT" rev-parse --short "$TALLY_REF^{commit}") || die "TALLY_REF: no commit '$TALLY_REF'"
        src=$SCRATCH/src-$rev
        if [ ! -f "$src/Package.swift" ]; then
            rm -rf "$src" && mkdir -p "$src"
            git -C "$ROOT" archive "$rev" | tar -x -C "$src"
        fi
        say "building tally at $rev (release, from a snapshot in .build-bench/src-$rev)"
        swift build -c release --package-path "$src" --scratch-path "$SCRATCH/ref" --product tally >&2 \
            || die "the release build of tally at $rev failed"
        TALLY=$SCRATCH/ref/release/tally
        TALLY_FROM="$rev (TALLY_REF=$TALLY_REF)"
    fi
}

# The main package's tally-datagen when it can write records, else the scratch datagen package
# (built into .build-bench/wip-datagen, so it does not share a build directory with its authors).
build_datagen() {
    say "building tally-datagen (release)"
    if (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product tally-datagen) >"$WORK/datagen.log" 2>&1 \
        && "$SCRATCH/release/tally-datagen" --help 2>&1 | grep -q 'records'; then
        DATAGEN=$SCRATCH/release/tally-datagen
        DATAGEN_FROM="main package"
        return
    fi
    [ -f "$WIP_DATAGEN/Package.swift" ] \
        || die "the main package's tally-datagen cannot write records, and $WIP_DATAGEN has no package"
    say "the main package's tally-datagen cannot write records yet; building it from $WIP_DATAGEN"
    local attempt
    for attempt in 1 2 3; do    # that tree is being edited: a build can see a file change under it
        if swift build -c release --package-path "$WIP_DATAGEN" --scratch-path "$SCRATCH/wip-datagen" \
            >"$WORK/datagen.log" 2>&1; then
            DATAGEN=$SCRATCH/wip-datagen/release/tally-datagen
            DATAGEN_FROM=$WIP_DATAGEN
            return
        fi
        [ "$attempt" = 3 ] || { say "build failed (attempt $attempt of 3), retrying in 15 s"; sleep 15; }
    done
    tail -20 "$WORK/datagen.log" >&2
    die "could not build tally-datagen from $WIP_DATAGEN"
}

ensure_venv() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import duckdb, pandas, polars' 2>/dev/null; then
        say "reusing the venv $VENV"
    else
        say "creating the venv $VENV with duckdb, pandas, polars"
        [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv?)"
        "$VENV/bin/python" -m pip install -q --upgrade pip >&2
        "$VENV/bin/python" -m pip install -q duckdb pandas polars >&2 || die "pip install failed"
    fi
    PY=$VENV/bin/python
}

# ---------------------------------------------------------------------------------------------
# 2. Data: Benchmarks/data/aid-N.csv, with a marker aid-N.csv.ok holding "rows bytes".

generate() {
    local rows=$1 file=$DATA/aid-$1.csv
    local marker=$file.ok
    if [ -f "$file" ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$rows $(stat -c %s "$file")" ]; then
        say "reusing $file"
        return
    fi
    say "generating $rows rows into $file"
    mkdir -p "$DATA"
    rm -f "$marker"
    "$DATAGEN" records --rows "$rows" -o "$file" >&2 || die "tally-datagen failed"
    local lines
    lines=$(wc -l <"$file")
    [ "$lines" = $((rows + 1)) ] || die "$file has $lines lines, expected $((rows + 1)) (header + rows)"
    echo "$rows $(stat -c %s "$file")" >"$marker"
}

# ---------------------------------------------------------------------------------------------
# 3. Measurements: RUNS fresh processes per tool; the best wall time and that run's peak RSS.

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
