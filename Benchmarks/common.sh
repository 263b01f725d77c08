# Shared by the benchmark scripts (run.sh, queries.sh); sourced, not run. The caller sets TALLY_REF
# and WIP_DATAGEN first, and `set -euo pipefail`. See Benchmarks/README.md.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/Benchmarks
SCRATCH=$ROOT/.build-bench        # git-ignored; keeps these release builds apart from .build
DATA=$BENCH/data
VENV=$BENCH/.venv
RESULTS=$BENCH/results
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
SCRIPT_NAME=$(basename "$0")

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }

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
    if [ -n "${TALLY_BIN:-}" ]; then
        # A binary built before (to compare two builds without rebuilding each time).
        [ -x "$TALLY_BIN" ] || die "TALLY_BIN: $TALLY_BIN is not an executable"
        TALLY=$TALLY_BIN
        TALLY_FROM="$TALLY_BIN ($("$TALLY_BIN" --version 2>/dev/null || echo '?'))"
        return
    fi
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
    if [ -n "${DATAGEN_BIN:-}" ]; then
        # A datagen built before (e.g. by another checkout), so no Swift build runs here.
        [ -x "$DATAGEN_BIN" ] || die "DATAGEN_BIN: $DATAGEN_BIN is not an executable"
        DATAGEN=$DATAGEN_BIN
        DATAGEN_FROM="$DATAGEN_BIN (DATAGEN_BIN)"
        return
    fi
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
