#!/usr/bin/env python3
"""Writes Hugo content from a lextrack store, for benches/report.sh.

    hugo_content.py STORE DIR provisions|facts

`provisions`: one Markdown page per document (its provisions as headings
and text), agency and partner (its name): the content the benchmark has
always given Hugo.

`facts`: the same pages carrying the facts lextrack's pages carry, so that
both tools render the same text: a document's metadata, and under each
provision its links to directions and its obligations; an agency's
obligations grouped by document; a partner's agreements; one page per
framework (its nodes) and per direction (the provisions linked to it); and
a JSON search index of every page's text, as lextrack writes one. What
lextrack writes that has no counterpart here: the CSV and JSON downloads,
the SVG charts and timelines, the listings split into pages, the
agreements by year and the matrix.

Everything is read in one ordered pass per table, so memory stays small.
"""

import json
import os
import sqlite3
import sys


def front(title):
    return "---\ntitle: " + json.dumps(title, ensure_ascii=False) + "\n---\n"


def main():
    db, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode not in ("provisions", "facts"):
        sys.exit("mode must be `provisions` or `facts`")
    facts = mode == "facts"
    con = sqlite3.connect(db)
    dirs = ["documents", "agencies", "partners"]
    if facts:
        dirs += ["frameworks", "directions"]
    for d in dirs:
        os.makedirs(os.path.join(out, d), exist_ok=True)

    def write(sub, id_, text):
        with open(os.path.join(out, sub, id_ + ".md"), "w", encoding="utf-8") as f:
            f.write(text)

    agency_names = dict(
        con.execute("SELECT id, coalesce(name_en, name_ru, name_kk, id) FROM agencies")
    )
    node_names = dict(
        con.execute("SELECT id, coalesce(title_en, title_ru, title_kk, id) FROM framework_nodes")
    )

    # Documents, with their provisions (and, for `facts`, each provision's
    # links and obligations), merged from ordered reads.
    def by_doc(sql):
        return iter(con.cursor().execute(sql))

    links = by_doc(
        "SELECT document_id, eid, node_id, kind FROM provision_links ORDER BY document_id, eid, ord"
    ) if facts else iter(())
    obligations = by_doc(
        "SELECT document_id, eid, agency_id, role, modality, action, due FROM obligations"
        " ORDER BY document_id, eid, ord"
    ) if facts else iter(())
    pending = {"l": next(links, None), "o": next(obligations, None)}

    cur, parts = None, []
    docs = con.cursor().execute(
        """SELECT d.id, coalesce(d.title_en, d.title_ru, d.title_kk, d.id), d.kind, d.number,
                  d.adopted, d.status, s.title, p.eid, p.kind, p.number, p.heading, p.text
             FROM documents d LEFT JOIN sources s ON s.id = d.source_id
             LEFT JOIN provisions p ON p.document_id = d.id
            ORDER BY d.id, p.ord"""
    )
    # Provisions come in document order; links and obligations are read in
    # (document, eId) order, so each provision's are looked up in a
    # per-document map.
    for doc, title, kind, number, adopted, status, source, eid, pkind, pnum, head, text in docs:
        if doc != cur:
            if cur is not None:
                write("documents", cur, "".join(parts))
            cur = doc
            parts = [front(title)]
            if facts:
                parts.append(
                    f"\n{kind} {number or ''} · adopted {adopted or 'unknown'} · {status}"
                    f" · source: {source or ''}\n"
                )
                doc_links, doc_obls = {}, {}
                while pending["l"] is not None and pending["l"][0] < doc:
                    pending["l"] = next(links, None)
                while pending["l"] is not None and pending["l"][0] == doc:
                    doc_links.setdefault(pending["l"][1], []).append(pending["l"])
                    pending["l"] = next(links, None)
                while pending["o"] is not None and pending["o"][0] < doc:
                    pending["o"] = next(obligations, None)
                while pending["o"] is not None and pending["o"][0] == doc:
                    doc_obls.setdefault(pending["o"][1], []).append(pending["o"])
                    pending["o"] = next(obligations, None)
        if not eid:
            continue
        parts.append(f"\n### {pkind} {pnum or ''} {head or ''} {{#{eid}}}\n\n{text or ''}\n")
        if facts:
            for _, _, node, lkind in doc_links.get(eid, ()):
                parts.append(f"\n- {lkind}: [{node_names.get(node, node)}](/directions/{node}/)")
            for _, _, agency, role, modality, action, due in doc_obls.get(eid, ()):
                parts.append(
                    f"\n- [{agency_names.get(agency, agency)}](/agencies/{agency}/) · {role}"
                    f" · *{modality}*: {action}" + (f" (due {due})" if due else "")
                )
            parts.append("\n")
    if cur is not None:
        write("documents", cur, "".join(parts))

    # Agencies: for `facts`, their obligations grouped by document.
    if facts:
        rows = con.cursor().execute(
            """SELECT o.agency_id, o.document_id,
                      coalesce(d.title_en, d.title_ru, d.title_kk, o.document_id),
                      o.eid, p.kind, p.number, o.role, o.modality, o.action, o.due
                 FROM obligations o
                 LEFT JOIN documents d ON d.id = o.document_id
                 LEFT JOIN provisions p ON p.document_id = o.document_id AND p.eid = o.eid
                ORDER BY o.agency_id, o.document_id, p.ord, o.ord"""
        )
        by_agency = {}
        cur, parts, group = None, [], None
        for agency, doc, title, eid, pkind, pnum, role, modality, action, due in rows:
            if agency != cur:
                if cur is not None:
                    by_agency[cur] = "".join(parts)
                cur, parts, group = agency, [], None
            if doc != group:
                parts.append(f"\n\n## [{title}](/documents/{doc}/)\n")
                group = doc
            parts.append(
                f"\n- [{pkind} {pnum or ''}](/documents/{doc}/#{eid}) · {role} · *{modality}*:"
                f" {action}" + (f" (due {due})" if due else "")
            )
        if cur is not None:
            by_agency[cur] = "".join(parts)
    for id_, agency in agency_names.items():
        body = by_agency.pop(id_, "") + "\n" if facts else ""
        write("agencies", id_, front(agency) + "\n" + agency + "\n" + body)

    # Partners: for `facts`, their agreements.
    agreements = {}
    if facts:
        for partner, doc, title in con.execute(
            """SELECT ap.partner_id, ap.document_id,
                      coalesce(d.title_en, d.title_ru, d.title_kk, ap.document_id)
                 FROM agreement_parties ap LEFT JOIN documents d ON d.id = ap.document_id
                ORDER BY ap.partner_id, ap.document_id"""
        ):
            agreements.setdefault(partner, []).append(f"\n- [{title}](/documents/{doc}/)")
    for id_, pname in con.execute(
        "SELECT id, coalesce(name_en, name_ru, name_kk, id) FROM partners"
    ):
        body = "".join(agreements.get(id_, ())) + "\n" if facts else ""
        write("partners", id_, front(pname) + "\n" + pname + "\n" + body)

    if not facts:
        return

    # Frameworks and their nodes; directions and the provisions linked.
    cur, parts = None, []
    for fw, ftitle, node, kind, ntitle in con.execute(
        """SELECT f.id, coalesce(f.title_en, f.title_ru, f.title_kk, f.id), n.id, n.kind,
                  coalesce(n.title_en, n.title_ru, n.title_kk, n.id)
             FROM frameworks f LEFT JOIN framework_nodes n ON n.framework_id = f.id
            ORDER BY f.id, n.ord"""
    ):
        if fw != cur:
            if cur is not None:
                write("frameworks", cur, "".join(parts))
            cur, parts = fw, [front(ftitle)]
        if node:
            target = f"[{ntitle}](/directions/{node}/)" if kind == "direction" else ntitle
            parts.append(f"\n- {kind}: {target}")
    if cur is not None:
        write("frameworks", cur, "".join(parts))
    cur, parts = None, []
    for node, ntitle, doc, dtitle, eid, pkind, pnum, head, lkind in con.execute(
        """SELECT n.id, coalesce(n.title_en, n.title_ru, n.title_kk, n.id), l.document_id,
                  coalesce(d.title_en, d.title_ru, d.title_kk, l.document_id), l.eid,
                  p.kind, p.number, p.heading, l.kind
             FROM framework_nodes n
             LEFT JOIN provision_links l ON l.node_id = n.id
             LEFT JOIN documents d ON d.id = l.document_id
             LEFT JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
            WHERE n.kind = 'direction'
            ORDER BY n.id, l.document_id, p.ord"""
    ):
        if node != cur:
            if cur is not None:
                write("directions", cur, "".join(parts))
            cur, parts = node, [front(ntitle)]
        if doc:
            parts.append(
                f"\n- {lkind}: [{pkind} {pnum or ''} {head or ''}](/documents/{doc}/#{eid})"
                f" of [{dtitle}](/documents/{doc}/)"
            )
    if cur is not None:
        write("directions", cur, "".join(parts))


if __name__ == "__main__":
    main()
