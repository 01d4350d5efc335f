#!/usr/bin/env bash
# Measures `lextrack import` on synthetic catalogs of 10,000 and 100,000
# provisions (with half as many obligations), whole process, on tmpfs.
#
#   benches/import.sh            # both sizes
#   SIZES="10000" benches/import.sh
#
# Needs hyperfine (apt-get install hyperfine). Prints hyperfine's table.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 100000"}
WORK=${WORK:-/dev/shm/lextrack-bench}
RUNS=${RUNS:-5}
command -v hyperfine >/dev/null || { echo "install hyperfine first" >&2; exit 3; }

cargo build --release --quiet --example synth --bin lextrack
bin=$PWD/target/release/lextrack
synth=$PWD/target/release/examples/synth
mkdir -p "$WORK"

for n in $SIZES; do
    cat_dir="$WORK/catalog-$n"
    [ -d "$cat_dir" ] || "$synth" --provisions "$n" --out "$cat_dir"
    db="$WORK/import-$n.db"
    echo "== $n provisions: $(du -sh "$cat_dir" | cut -f1) of TOML in $(find "$cat_dir" -type f | wc -l) files"
    hyperfine --runs "$RUNS" --style basic \
        --prepare "rm -f $db $db-wal $db-shm && $bin --db $db init --empty 2>/dev/null" \
        --command-name "import $n (new store)" "$bin --db $db import $cat_dir" \
        --prepare "true" \
        --command-name "re-import $n (unchanged)" "$bin --db $db import $cat_dir"
done
