#!/usr/bin/env bash
# The README's test command. Installs what the tests need on a bare machine
# (Rust comes with the machine; Chromium, Java and the Nu Html Checker are
# installed when the site's browser tests are present), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not installed; install Rust (https://rustup.rs) first" >&2
    exit 3
fi

browser_tests=false
if [ -f tests/browser/package.json ]; then
    browser_tests=true
    command -v java >/dev/null 2>&1 || apt_install default-jre-headless
    command -v node >/dev/null 2>&1 || apt_install nodejs npm
    [ -x /usr/bin/chromium ] || apt_install chromium
    log "installing the browser test's npm packages"
    (cd tests/browser && npm install --no-audit --no-fund --loglevel=error >/dev/null)
    export LEXTRACK_VNU_JAR="$PWD/tests/browser/node_modules/vnu-jar/build/dist/vnu.jar"
    export LEXTRACK_REQUIRE_TOOLS=1
fi

log "cargo test"
cargo test --locked --all-targets

if $browser_tests; then
    site_dir=$(mktemp -d)
    trap 'rm -rf "$site_dir"' EXIT
    log "building the site from the bundled catalog into $site_dir"
    cargo run --locked --quiet -- --db "$site_dir/store.db" report --out "$site_dir/site" --force
    log "browser tests"
    LEXTRACK_SITE_DIR="$site_dir/site" node --test tests/browser/
    # A larger synthetic catalog, whose search index comes in two parts:
    # the provision looked for is in the second.
    log "building a site from a synthetic catalog of 600 documents"
    cargo run --locked --quiet --example synth -- --documents 600 --provisions 6000 \
        --out "$site_dir/synth" >/dev/null
    cargo run --locked --quiet -- --db "$site_dir/synth.db" init --empty
    cargo run --locked --quiet -- --db "$site_dir/synth.db" import "$site_dir/synth" >/dev/null
    cargo run --locked --quiet -- --db "$site_dir/synth.db" report --out "$site_dir/synth-site"
    log "browser tests on the synthetic site"
    LEXTRACK_SITE_DIR="$site_dir/synth-site" LEXTRACK_EXPECT_DOCUMENT=doc-000599 \
        LEXTRACK_EXPECT_PROVISION=art_2 LEXTRACK_EXPECT_AGENCY=agency-00001 \
        LEXTRACK_EXPECT_PARTNER=partner-0001 LEXTRACK_EXPECT_SHARDS=3 \
        node --test tests/browser/
fi
