#!/usr/bin/env bash
# Group bodies other than one `aggregate`: in ONE tally process, load the synthetic student-aid
# records, then time `group … (derive …)` (shares of a group's total), `group … (sort | take)` (top
# rows per group) and `group … (filter …)` (rows above their group's average), in about 1,000 groups
# (county × year) and in 111 (county). Prints each query's time, median of RUNS processes.
#
#   Benchmarks/group_body.sh                     # 10M rows, the working tree
#   TALLY_REF=6d34c14 Benchmarks/group_body.sh   # an earlier commit, to compare
#   SIZES=1M RUNS=1 Benchmarks/group_body.sh
#   TALLY_BIN=/path/to/tally Benchmarks/group_body.sh   # a binary built before
set -euo pipefail

SIZES=${SIZES:-"10M"}
RUNS=${RUNS:-3}
WIP_DATAGEN=${WIP_DATAGEN:-/work/wip-datagen}
TALLY_REF=${TALLY_REF:-}
# shellcheck source=Benchmarks/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_time
build_tally
build_datagen
for size in $SIZES; do
    rows=$(parse_rows "$size")
    generate "$rows"
    file=$DATA/aid-$rows.csv
    script=$WORK/group.tally
    cat >"$script" <<TALLY
.load $file as aid
from aid | aggregate {rows = count this}
.timer on
from aid | group {county_code, year} (derive {share = amount / (sum amount)}) | aggregate {n = count this, s = sum share}
from aid | group {county_code, year} (sort -amount | take 3) | aggregate {n = count this, s = sum amount}
from aid | group {county_code, year} (filter (amount > (average amount))) | aggregate {n = count this}
from aid | group county_code (derive {share = amount / (sum amount)}) | aggregate {n = count this, s = sum share}
from aid | group {county_code, year} (aggregate {n = count this}) | aggregate {groups = count this}
TALLY
    say "tally $TALLY_FROM, $rows rows, $RUNS runs"
    for ((run = 1; run <= RUNS; run++)); do
        "$TALLY" --no-datasets --format csv run "$script" >"$WORK/out-$run" 2>"$WORK/err-$run" || { cat "$WORK/err-$run" >&2; die "tally failed"; }
        sed -n 's/^time: \([0-9.]*\) s$/\1/p' "$WORK/err-$run" | tr '\n' ' ' >"$WORK/times-$run"
        echo >>"$WORK/times-$run"
    done
    printf 'run times in seconds (q1..q5):\n'
    cat "$WORK"/times-*
    printf 'answers of the last run:\n'
    cat "$WORK/out-$RUNS"
done
