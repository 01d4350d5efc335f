#!/usr/bin/env bash
# Times each query of `lextrack` (obligations, agreements, partners, trace,
# search, show) as a whole process on a synthetic catalog, beside the same
# SQL run through the sqlite3 shell on the same store file: the floor.
#
#   benches/queries.sh                                   # 100,000 provisions, 1,000,000 obligations
#   PROVISIONS=10000 OBLIGATIONS=100000 RUNS=5 benches/queries.sh
#
# Needs hyperfine and sqlite3 (apt-get install hyperfine sqlite3). Both
# sides print CSV to /dev/null. The SQL files written to $WORK/sql are the
# statements lextrack runs for each command (src/store/query.rs), with the
# parameters written in; keep them in step when the queries change.
set -euo pipefail
cd "$(dirname "$0")/.."
P=${PROVISIONS:-100000}
O=${OBLIGATIONS:-1000000}
WORK=${WORK:-/dev/shm/lextrack-bench}
RUNS=${RUNS:-10}
TODAY=2026-11-24
for tool in hyperfine sqlite3; do
    command -v "$tool" >/dev/null || { echo "install $tool first" >&2; exit 3; }
done

cargo build --release --quiet --example synth --bin lextrack
bin=$PWD/target/release/lextrack
synth=$PWD/target/release/examples/synth
mkdir -p "$WORK/sql" "$WORK/results"
catalog="$WORK/catalog-$P-$O"
db="$WORK/queries-$P-$O.db"
[ -d "$catalog" ] || "$synth" --provisions "$P" --obligations "$O" --out "$catalog"
if [ ! -f "$db" ]; then
    "$bin" --db "$db" init --empty 2>/dev/null
    echo "== importing $P provisions, $O obligations"
    /usr/bin/time -f "import: %e s, %M KiB max RSS" "$bin" --db "$db" import "$catalog" >/dev/null
fi

q() { sqlite3 "$db" "$1"; }
# The arguments: an agency that inherited functions, a document, a
# direction, a partner and a framework with many rows behind them.
SUCC=$(q "SELECT to_id FROM agency_successions ORDER BY to_id LIMIT 1")
AGENCIES=$(q "WITH RECURSIVE pred(id) AS (SELECT '$SUCC' UNION SELECT s.from_id FROM agency_successions s JOIN pred ON s.to_id = pred.id) SELECT group_concat(quote(id), ', ') FROM (SELECT id FROM pred ORDER BY id)")
DOC=$(q "SELECT document_id FROM obligations WHERE rowid = (SELECT max(rowid) / 2 FROM obligations)")
NODE=$(q "SELECT node_id FROM provision_links GROUP BY node_id ORDER BY count(*) DESC, node_id LIMIT 1")
PARTNER=$(q "SELECT partner_id FROM agreement_parties GROUP BY partner_id ORDER BY count(*) DESC, partner_id LIMIT 1")
FW=$(q "SELECT id FROM frameworks ORDER BY id LIMIT 1")
PROV=$(q "SELECT document_id || '#' || eid FROM obligations WHERE document_id = '$DOC' LIMIT 1")
WORD=quota
echo "== agency $SUCC (with predecessors $AGENCIES), document $DOC, direction $NODE, partner $PARTNER, framework $FW"

# The obligations statement, as src/store/query.rs builds it; $1 is a CTE
# prefix, $2 the filter.
obligations_sql() {
    cat <<EOF
$1 SELECT json_group_array(json(row)) FROM (SELECT json_array(
  o.id, o.agency_id, coalesce(a.name_en, a.name_ru, a.name_kk, a.id),
  o.role, o.modality, o.action, o.document_id,
  coalesce(d.title_en, d.title_ru, d.title_kk, d.id),
  o.eid, p.number, o.due, o.recurrence_every,
  o.recurrence_by, o.source_id, o.confidence,
  (SELECT e.status || ' ' || e.date || ' ' || e.confidence || ' ' || e.source_id FROM obligation_events e
    WHERE e.obligation_id = o.id AND e.date_max <= '$TODAY'
      AND NOT EXISTS (SELECT 1 FROM obligation_events x WHERE x.obligation_id = o.id
                        AND x.date_max <= '$TODAY' AND x.date_min > e.date_max)
    ORDER BY e.seq DESC LIMIT 1),
  (SELECT group_concat(l.node_id) FROM provision_links l
    WHERE l.document_id = o.document_id
      AND l.eid IN (p.eid, p.parent_eid, p2.parent_eid, p3.parent_eid, p4.parent_eid, p5.parent_eid, p6.parent_eid, p7.parent_eid, p8.parent_eid))) AS row
FROM obligations o
JOIN agencies a ON a.id = o.agency_id
JOIN documents d ON d.id = o.document_id
JOIN provisions p ON p.document_id = o.document_id AND p.eid = o.eid
LEFT JOIN provisions p2 ON p2.document_id = p.document_id AND p2.eid = p.parent_eid
LEFT JOIN provisions p3 ON p3.document_id = p.document_id AND p3.eid = p2.parent_eid
LEFT JOIN provisions p4 ON p4.document_id = p.document_id AND p4.eid = p3.parent_eid
LEFT JOIN provisions p5 ON p5.document_id = p.document_id AND p5.eid = p4.parent_eid
LEFT JOIN provisions p6 ON p6.document_id = p.document_id AND p6.eid = p5.parent_eid
LEFT JOIN provisions p7 ON p7.document_id = p.document_id AND p7.eid = p6.parent_eid
LEFT JOIN provisions p8 ON p8.document_id = p.document_id AND p8.eid = p7.parent_eid
WHERE 1 $2
ORDER BY o.document_id, p.ord, o.ord, o.id);
EOF
}

RESOLVE_AGENCY="SELECT id, name_en, name_ru, name_kk, abbreviation, aliases FROM agencies ORDER BY id;
SELECT from_id, to_id, date FROM agency_successions ORDER BY date_min;"

{ echo "$RESOLVE_AGENCY"; obligations_sql "" "AND o.agency_id IN ($AGENCIES)"; } > "$WORK/sql/obligations-agency.sql"
{ echo "SELECT 1 FROM documents WHERE id = '$DOC';"; obligations_sql "" "AND o.document_id = '$DOC'"; } > "$WORK/sql/obligations-document.sql"
{
    echo "SELECT 1 FROM framework_nodes WHERE id = '$NODE';"
    obligations_sql "WITH RECURSIVE nodes(id) AS (SELECT '$NODE' UNION SELECT n.id FROM framework_nodes n JOIN nodes ON n.parent_id = nodes.id),
linked(document_id, eid) AS (SELECT l.document_id, l.eid FROM provision_links l JOIN nodes ON l.node_id = nodes.id
  UNION SELECT p.document_id, p.eid FROM provisions p JOIN linked ON p.document_id = linked.document_id AND p.parent_eid = linked.eid)" \
        "AND (o.document_id, o.eid) IN (SELECT document_id, eid FROM linked)"
} > "$WORK/sql/obligations-direction.sql"

PARTIES="SELECT ap.document_id, coalesce(d.title_en, d.title_ru, d.title_kk, d.id) AS title, d.kind,
  ap.partner_id, coalesce(pt.name_en, pt.name_ru, pt.name_kk, pt.id) AS partner_name
FROM agreement_parties ap JOIN documents d ON d.id = ap.document_id JOIN partners pt ON pt.id = ap.partner_id WHERE 1"
EVENTS="SELECT e.document_id, e.party_id, e.seq, e.stage, e.date, e.note, e.source_id, s.title AS source_title, e.confidence
FROM agreement_events e JOIN sources s ON s.id = e.source_id"
cat > "$WORK/sql/agreements.sql" <<EOF
$PARTIES
UNION ALL SELECT d.id, coalesce(d.title_en, d.title_ru, d.title_kk, d.id), d.kind, NULL, NULL FROM documents d
WHERE d.id IN (SELECT document_id FROM agreement_events) AND d.id NOT IN (SELECT document_id FROM agreement_parties);
$EVENTS WHERE e.document_id IN (SELECT document_id FROM agreement_parties) ORDER BY e.document_id, e.seq;
EOF
cat > "$WORK/sql/agreements-partner-history.sql" <<EOF
SELECT id, iso, name_en, name_ru, name_kk, aliases FROM partners ORDER BY id;
$PARTIES AND ap.partner_id = '$PARTNER';
$EVENTS WHERE e.document_id IN (SELECT document_id FROM agreement_parties WHERE partner_id = '$PARTNER') ORDER BY e.document_id, e.seq;
EOF
cat > "$WORK/sql/partners.sql" <<EOF
SELECT id, kind, iso, coalesce(name_en, name_ru, name_kk, id) AS name FROM partners ORDER BY id;
$(sed -n '1,$p' "$WORK/sql/agreements.sql")
EOF
cat > "$WORK/sql/trace.sql" <<EOF
SELECT 1 FROM frameworks WHERE id = '$FW';
SELECT id, coalesce(title_en, title_ru, title_kk, id) AS title FROM frameworks WHERE id = '$FW' ORDER BY id;
SELECT id, kind, number, coalesce(title_en, title_ru, title_kk, id) AS title FROM framework_nodes WHERE framework_id = '$FW' ORDER BY ord, id;
SELECT l.node_id, l.document_id, l.eid, p.number, l.kind FROM provision_links l
JOIN framework_nodes n ON n.id = l.node_id JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
WHERE n.framework_id = '$FW' ORDER BY l.document_id, p.ord, l.kind;
SELECT json_group_array(json_array(document_id, eid, parent_eid, number, heading)) FROM (
  SELECT p.document_id, p.eid, p.parent_eid, p.number, p.heading FROM provisions p
  WHERE p.document_id IN (SELECT DISTINCT l.document_id FROM provision_links l
    JOIN framework_nodes n ON n.id = l.node_id WHERE n.framework_id = '$FW')
  ORDER BY p.document_id, p.ord);
EOF
cat > "$WORK/sql/search.sql" <<EOF
WITH best AS MATERIALIZED (
  SELECT search.rowid AS id, bm25(search, 4.0, 1.0) AS rank FROM search
  WHERE search MATCH '"$WORD"' ORDER BY rank LIMIT 20)
SELECT k.kind, k.document_id, k.key, best.rank,
  CASE k.kind
    WHEN 'document' THEN (SELECT coalesce(title_en, title_ru, title_kk) FROM documents WHERE id = k.key)
    WHEN 'provision' THEN (SELECT coalesce(heading, kind || ' ' || coalesce(number, '')) FROM provisions
                           WHERE document_id = k.document_id AND eid = k.key)
    WHEN 'obligation' THEN (SELECT action FROM obligations WHERE id = k.key)
    WHEN 'agency' THEN (SELECT coalesce(name_en, name_ru, name_kk) FROM agencies WHERE id = k.key)
    WHEN 'partner' THEN (SELECT coalesce(name_en, name_ru, name_kk) FROM partners WHERE id = k.key)
    ELSE (SELECT coalesce(title_en, title_ru, title_kk) FROM framework_nodes WHERE id = k.key)
  END AS title,
  snippet(search, -1, '**', '**', '…', 16) AS snippet
FROM best JOIN search ON search.rowid = best.id JOIN search_keys k ON k.id = best.id
WHERE search MATCH '"$WORD"' ORDER BY best.rank, k.kind, k.key;
EOF

bench() {
    local name=$1 sql=$2
    shift 2
    echo "== $name: lextrack $*"
    echo "   rows: $("$bin" --db "$db" --today "$TODAY" "$@" --format csv 2>/dev/null | tail -n +2 | wc -l)"
    hyperfine -N --warmup 3 --runs "$RUNS" --style basic \
        --export-markdown "$WORK/results/$name.md" \
        --command-name "lextrack $name" "$bin --db $db --today $TODAY $* --format csv" \
        --command-name "sqlite3 $name" "sqlite3 -csv $db '.read $WORK/sql/$sql.sql'" \
        | grep -E "Time|±|faster|slower|^lextrack|^sqlite3" || true
}

bench obligations-agency obligations-agency obligations --agency "$SUCC"
bench obligations-document obligations-document obligations --document "$DOC"
bench obligations-direction obligations-direction obligations --direction "$NODE"
bench agreements agreements agreements
bench agreements-partner-history agreements-partner-history agreements --partner "$PARTNER" --history
bench partners partners partners
bench trace trace trace --framework "$FW"
bench search search search "$WORD"
echo "== show $PROV (no floor: a dozen point lookups)"
hyperfine -N --warmup 3 --runs "$RUNS" --style basic \
    --command-name "lextrack show" "$bin --db $db --today $TODAY show $PROV --format json" | grep -E "Time" || true
echo "== results in $WORK/results/*.md"
