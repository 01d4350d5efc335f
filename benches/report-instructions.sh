#!/usr/bin/env bash
# Counts the instructions `lextrack report` executes on a synthetic catalog,
# with valgrind's callgrind: a measure of the build's CPU work that does not
# move with the machine's load, for comparing two binaries on a noisy
# machine. It says nothing about time spent waiting or about how well the
# build uses both cores (a change that only moves work onto another thread
# counts the same), so wall-time figures still come from benches/report.sh.
#
#   benches/report-instructions.sh                      # this checkout, 1,000 pages
#   benches/report-instructions.sh OLD_BINARY           # and OLD_BINARY, for a ratio
#   SIZE=2000 benches/report-instructions.sh
#
# Environment: SIZE (default 1000) documents of ten provisions each; WORK
# (default /dev/shm/lextrack-instructions) holds the store and outputs.
# callgrind runs the build about 50 times slower (about 45 s at 1,000
# pages here). The count repeats to within about 0.1 % from run to run
# (the threads' hand-overs vary a little).
# Needs: cargo, valgrind (apt-get install valgrind).

set -euo pipefail

cd "$(dirname "$0")/.."
SIZE=${SIZE:-1000}
WORK=${WORK:-/dev/shm/lextrack-instructions}
TODAY=2026-11-24
command -v valgrind >/dev/null || { echo "install valgrind first" >&2; exit 3; }

cargo build --release --quiet
cargo build --release --quiet --example synth
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
LEXTRACK=$TARGET/release/lextrack
mkdir -p "$WORK"
db=$WORK/store-$SIZE.db
if [ ! -s "$db" ]; then
    rm -rf "$WORK/synth-$SIZE" "$db"*
    "$TARGET/release/examples/synth" --documents "$SIZE" --provisions $((SIZE * 10)) \
        --out "$WORK/synth-$SIZE" >/dev/null
    "$LEXTRACK" --db "$db" init --empty --force >/dev/null 2>&1
    "$LEXTRACK" --db "$db" import "$WORK/synth-$SIZE" >/dev/null 2>&1
fi

# instructions BINARY: the instructions of one fresh build into an emptied folder.
instructions() {
    rm -rf "$WORK/site"
    valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
        "$1" --db "$db" --today "$TODAY" report --out "$WORK/site" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# The old binary first, so that the profile left behind is this checkout's.
if [ $# -ge 1 ]; then
    old=$(instructions "$1")
    printf '%s pages, %s: %s instructions\n' "$SIZE" "$1" "$old"
fi
new=$(instructions "$LEXTRACK")
printf '%s pages, this checkout: %s instructions\n' "$SIZE" "$new"
if [ $# -ge 1 ]; then
    awk -v n="$new" -v o="$old" 'BEGIN { printf "this checkout / old: %.3f\n", n / o }'
fi
printf 'the profile of this checkout: %s (callgrind_annotate %s | head -40)\n' \
    "$WORK/callgrind.out" "$WORK/callgrind.out"
