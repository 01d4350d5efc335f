#!/usr/bin/env bash
# Benchmark `lextrack report` beside Hugo on the same number of pages.
#
#   benches/report.sh [SIZE...]        # default: 10000 100000 (pages)
#
# For each size it writes a synthetic catalog of SIZE documents with ten
# provisions each (examples/synth.rs), imports it, and builds the site:
# fresh, then again unchanged, into a tmpfs folder (/dev/shm: the cost of
# rendering) and a disk folder (the cost of the file system). From the same
# store it writes Hugo content (benches/hugo_content.py) of two kinds:
# `provisions`, one Markdown page per document, agency and partner with the
# provisions' headings and text only (the content this benchmark has always
# used), and `facts`, the same pages carrying the facts lextrack's pages
# carry plus framework and direction pages and a JSON search index; and has
# Hugo (Debian's `hugo`) build each into the same kinds of folder. Whole
# processes are measured with GNU time: wall seconds and peak resident
# memory.
#
# Environment: WORK (default /dev/shm/lextrack-report-bench) holds the
# stores and tmpfs outputs, DISK (default /var/tmp/lextrack-report-bench)
# the disk outputs;
# RUNS (default 3) builds per measurement, the best of which is reported;
# HUGO_KINDS the kinds of Hugo content built (default "provisions facts",
# `facts` only up to 10,000 pages: at 100,000 Hugo had taken 17 GiB of
# memory and 12 minutes without finishing, on a 23 GiB machine);
# HUGO_TIMEOUT (default 1200) seconds after which a Hugo build is stopped
# and reported as failed.
# Needs: cargo, hugo, python3 (with its sqlite3 module), GNU time; it
# installs hugo and time with apt-get when they are missing.

set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=("${@:-10000 100000}")
read -r -a SIZES <<<"${SIZES[*]}"
WORK=${WORK:-/dev/shm/lextrack-report-bench}
DISK=${DISK:-/var/tmp/lextrack-report-bench}
RUNS=${RUNS:-3}
HUGO_TIMEOUT=${HUGO_TIMEOUT:-1200}
TODAY=2026-11-24

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "installing $2" >&2
        apt-get install -y "$2" >/dev/null
    fi
}
need hugo hugo
[ -x /usr/bin/time ] || need /usr/bin/time time
need python3 python3

cargo build --release --quiet
cargo build --release --quiet --example synth
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
LEXTRACK=$TARGET/release/lextrack
SYNTH=$TARGET/release/examples/synth
mkdir -p "$WORK" "$DISK"

# best_of CMD...: runs CMD $RUNS times after a cleanup hook, prints the best
# "wall_s peak_kib" of the runs, or "failed 0" when a run fails.
best_of() {
    local best=""
    for _ in $(seq "$RUNS"); do
        [ -n "${BEFORE:-}" ] && eval "$BEFORE"
        local line
        if ! /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$@" >/dev/null 2>&1; then
            # Hugo can run out of memory at the largest sizes.
            echo "failed 0"
            return
        fi
        line=$(tail -n 1 "$WORK/time.txt")
        if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then
            best=$line
        fi
    done
    echo "$best"
}

# Hugo content from the store (benches/hugo_content.py), in one of two
# kinds: `provisions` (one page per document with its provisions' headings
# and text, one per agency and partner with its name) or `facts` (the same
# pages with the facts lextrack's pages carry, framework and direction
# pages, and a JSON search index).
hugo_content() {
    local db=$1 dir=$2 kind=$3
    rm -rf "$dir"
    mkdir -p "$dir/content" "$dir/layouts/_default"
    cat >"$dir/hugo.toml" <<'EOF'
baseURL = "https://example.org/"
title = "lextrack benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = false
EOF
    cat >"$dir/layouts/_default/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="{{ "site.css" | relURL }}"></head>
<body><header><nav><a href="{{ "" | relURL }}">Overview</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
EOF
    cat >"$dir/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
EOF
    cat >"$dir/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
EOF
    if [ "$kind" = facts ]; then
        # The search index: every page's title, address and text.
        printf '[outputs]\nhome = ["HTML", "JSON"]\n' >>"$dir/hugo.toml"
        cat >"$dir/layouts/index.json" <<'EOF'
[{{ range $i, $p := .Site.RegularPages }}{{ if $i }},{{ end }}{{ dict "title" $p.Title "href" $p.RelPermalink "text" $p.Plain | jsonify }}{{ end }}]
EOF
    fi
    python3 benches/hugo_content.py "$db" "$dir/content" "$kind"
}

printf '| pages | tool | folder | build | wall s | peak MiB | files |\n'
printf '|---:|---|---|---|---:|---:|---:|\n'
for size in "${SIZES[@]}"; do
    db=$WORK/store-$size.db
    if [ ! -s "$db" ]; then
        rm -rf "$WORK/synth-$size" "$db"*
        "$SYNTH" --documents "$size" --provisions $((size * 10)) --out "$WORK/synth-$size" >/dev/null
        "$LEXTRACK" --db "$db" init --empty --force >/dev/null 2>&1
        "$LEXTRACK" --db "$db" import "$WORK/synth-$size" >/dev/null 2>&1
    fi
    kinds=${HUGO_KINDS:-provisions facts}
    if [ -z "${HUGO_KINDS:-}" ] && [ "$size" -gt 10000 ]; then
        kinds=provisions
    fi
    for kind in $kinds; do
        hugo_content "$db" "$WORK/hugo-$kind-$size" "$kind"
    done
    for folder in tmpfs disk; do
        if [ "$folder" = tmpfs ]; then base=$WORK; else base=$DISK; fi
        site=$base/site-$size
        read -r wall kib < <(BEFORE="rm -rf '$site'" best_of "$LEXTRACK" --db "$db" --today "$TODAY" report --out "$site")
        files=$(find "$site" -type f | wc -l)
        printf '| %s | lextrack | %s | fresh | %s | %s | %s |\n' "$size" "$folder" "$wall" $((kib / 1024)) "$files"
        read -r wall kib < <(BEFORE="" best_of "$LEXTRACK" --db "$db" --today "$TODAY" report --out "$site")
        printf '| %s | lextrack | %s | unchanged | %s | %s | %s |\n' "$size" "$folder" "$wall" $((kib / 1024)) "$files"
        # A store changed by one fact: every page is rendered and compared,
        # one is written. The change is made in a copy, so the store the
        # next run reuses stays as generated.
        edited=$WORK/store-$size-edited.db
        cp "$db" "$edited"
        python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE partners SET note = coalesce(note, '') || '.' WHERE id = (SELECT min(id) FROM partners)\"); c.commit()" "$edited"
        read -r wall kib < <(BEFORE="" RUNS=1 best_of "$LEXTRACK" --db "$edited" --today "$TODAY" report --out "$site")
        rm -f "$edited" "$edited-wal" "$edited-shm"
        printf '| %s | lextrack | %s | one fact changed | %s | %s | %s |\n' "$size" "$folder" "$wall" $((kib / 1024)) "$files"
        for kind in $kinds; do
            hsite=$base/hugo-site-$size
            read -r wall kib < <(BEFORE="rm -rf '$hsite'" best_of timeout "$HUGO_TIMEOUT" hugo --quiet -s "$WORK/hugo-$kind-$size" -d "$hsite")
            files=$(find "$hsite" -type f | wc -l)
            printf '| %s | hugo (%s) | %s | fresh | %s | %s | %s |\n' "$size" "$kind" "$folder" "$wall" $((kib / 1024)) "$files"
            rm -rf "$hsite"
        done
        rm -rf "$site"
    done
done
