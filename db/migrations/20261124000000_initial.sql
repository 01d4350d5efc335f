-- lextrack's store. One row per catalog record; text primary keys are the
-- catalog IDs, so an import upserts by ID and an export writes the same IDs.
-- Every foreign key is deferred: an import writes a whole catalog in one
-- transaction, in any order, and SQLite checks the references at commit.
-- Dates are stored as the partial-date text the source gave (YYYY, YYYY-MM,
-- YYYY-MM-DD); tables that queries filter by date also keep the earliest
-- and latest day the date can stand for, and its precision.

CREATE TABLE sources (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    author     TEXT,
    publisher  TEXT,
    published  TEXT,
    url        TEXT,
    accessed   TEXT,
    note       TEXT
) STRICT;

CREATE TABLE agencies (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    name_en      TEXT,
    name_ru      TEXT,
    name_kk      TEXT,
    abbreviation TEXT,
    -- other names in any language, as a JSON array of strings
    aliases      TEXT NOT NULL DEFAULT '[]',
    parent_id    TEXT REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    jurisdiction TEXT NOT NULL,
    established  TEXT,
    abolished    TEXT,
    note         TEXT,
    source_id    TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence   TEXT NOT NULL
) STRICT;
CREATE INDEX agencies_parent ON agencies(parent_id);
CREATE INDEX agencies_source ON agencies(source_id);

CREATE TABLE agency_successions (
    from_id    TEXT NOT NULL REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    to_id      TEXT NOT NULL REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    kind       TEXT NOT NULL,
    date       TEXT NOT NULL,
    precision  TEXT NOT NULL,
    date_min   TEXT NOT NULL,
    date_max   TEXT NOT NULL,
    functions  TEXT,
    note       TEXT,
    source_id  TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id, kind, date)
) STRICT;
CREATE INDEX agency_successions_to ON agency_successions(to_id);
CREATE INDEX agency_successions_source ON agency_successions(source_id);

CREATE TABLE partners (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    iso        TEXT UNIQUE,
    name_en    TEXT,
    name_ru    TEXT,
    name_kk    TEXT,
    aliases    TEXT NOT NULL DEFAULT '[]',
    note       TEXT,
    source_id  TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence TEXT NOT NULL
) STRICT;
CREATE INDEX partners_source ON partners(source_id);

CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    work_id      TEXT NOT NULL UNIQUE,
    number       TEXT,
    title_en     TEXT,
    title_ru     TEXT,
    title_kk     TEXT,
    issuer_id    TEXT REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    jurisdiction TEXT NOT NULL,
    adopted      TEXT,
    in_force     TEXT,
    expires      TEXT,
    repealed     TEXT,
    status       TEXT NOT NULL,
    url          TEXT,
    note         TEXT,
    source_id    TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence   TEXT NOT NULL
) STRICT;
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_issuer ON documents(issuer_id);
CREATE INDEX documents_source ON documents(source_id);

CREATE TABLE document_relations (
    from_id    TEXT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    kind       TEXT NOT NULL,
    to_id      TEXT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    ord        INTEGER NOT NULL,
    date       TEXT,
    note       TEXT,
    source_id  TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence TEXT NOT NULL,
    PRIMARY KEY (from_id, kind, to_id)
) STRICT;
CREATE INDEX document_relations_to ON document_relations(to_id);
CREATE INDEX document_relations_source ON document_relations(source_id);

-- The provision tree. `ord` is the position in the document's file, which
-- orders siblings. `source_id` NULL means the document's source.
CREATE TABLE provisions (
    document_id TEXT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    eid         TEXT NOT NULL,
    parent_eid  TEXT,
    ord         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    number      TEXT,
    heading     TEXT,
    text        TEXT,
    text_kind   TEXT,
    valid_from  TEXT,
    valid_to    TEXT,
    source_id   TEXT REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence  TEXT NOT NULL,
    PRIMARY KEY (document_id, eid),
    FOREIGN KEY (document_id, parent_eid) REFERENCES provisions(document_id, eid) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX provisions_parent ON provisions(document_id, parent_eid);
CREATE INDEX provisions_order ON provisions(document_id, ord);
CREATE INDEX provisions_source ON provisions(source_id);

CREATE TABLE frameworks (
    id          TEXT PRIMARY KEY NOT NULL,
    title_en    TEXT,
    title_ru    TEXT,
    title_kk    TEXT,
    document_id TEXT REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    note        TEXT,
    source_id   TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence  TEXT NOT NULL
) STRICT;
CREATE INDEX frameworks_document ON frameworks(document_id);
CREATE INDEX frameworks_source ON frameworks(source_id);

CREATE TABLE framework_nodes (
    id           TEXT PRIMARY KEY NOT NULL,
    framework_id TEXT NOT NULL REFERENCES frameworks(id) DEFERRABLE INITIALLY DEFERRED,
    parent_id    TEXT REFERENCES framework_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    ord          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    number       TEXT,
    title_en     TEXT,
    title_ru     TEXT,
    title_kk     TEXT,
    text         TEXT,
    source_id    TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence   TEXT NOT NULL
) STRICT;
CREATE INDEX framework_nodes_framework ON framework_nodes(framework_id, ord);
CREATE INDEX framework_nodes_parent ON framework_nodes(parent_id);
CREATE INDEX framework_nodes_kind ON framework_nodes(kind);
CREATE INDEX framework_nodes_source ON framework_nodes(source_id);

CREATE TABLE provision_links (
    document_id TEXT NOT NULL,
    eid         TEXT NOT NULL,
    node_id     TEXT NOT NULL REFERENCES framework_nodes(id) DEFERRABLE INITIALLY DEFERRED,
    kind        TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    note        TEXT,
    source_id   TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence  TEXT NOT NULL,
    PRIMARY KEY (document_id, eid, node_id, kind),
    FOREIGN KEY (document_id, eid) REFERENCES provisions(document_id, eid) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX provision_links_node ON provision_links(node_id);
CREATE INDEX provision_links_source ON provision_links(source_id);

CREATE TABLE obligations (
    id               TEXT PRIMARY KEY NOT NULL,
    document_id      TEXT NOT NULL,
    eid              TEXT NOT NULL,
    ord              INTEGER NOT NULL,
    agency_id        TEXT NOT NULL REFERENCES agencies(id) DEFERRABLE INITIALLY DEFERRED,
    role             TEXT NOT NULL,
    modality         TEXT NOT NULL,
    action           TEXT NOT NULL,
    due              TEXT,
    recurrence_every TEXT,
    recurrence_by    TEXT,
    note             TEXT,
    source_id        TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence       TEXT NOT NULL,
    FOREIGN KEY (document_id, eid) REFERENCES provisions(document_id, eid) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX obligations_provision ON obligations(document_id, eid);
CREATE INDEX obligations_agency ON obligations(agency_id);
CREATE INDEX obligations_modality ON obligations(modality);
CREATE INDEX obligations_due ON obligations(due);
CREATE INDEX obligations_source ON obligations(source_id);

-- Append-only: a status change is never edited, only followed by another.
CREATE TABLE obligation_events (
    obligation_id TEXT NOT NULL REFERENCES obligations(id) DEFERRABLE INITIALLY DEFERRED,
    seq           INTEGER NOT NULL,
    status        TEXT NOT NULL,
    date          TEXT NOT NULL,
    date_min      TEXT NOT NULL,
    date_max      TEXT NOT NULL,
    note          TEXT,
    source_id     TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (obligation_id, status, date)
) STRICT;
CREATE INDEX obligation_events_order ON obligation_events(obligation_id, seq);
CREATE INDEX obligation_events_source ON obligation_events(source_id);

CREATE TABLE agreement_parties (
    document_id TEXT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    partner_id  TEXT NOT NULL REFERENCES partners(id) DEFERRABLE INITIALLY DEFERRED,
    ord         INTEGER NOT NULL,
    note        TEXT,
    PRIMARY KEY (document_id, partner_id)
) STRICT;
CREATE INDEX agreement_parties_partner ON agreement_parties(partner_id);

-- Append-only history of an agreement's stages. `party_id` NULL: the
-- agreement as a whole. `scope` repeats it as '' for NULL so that the
-- natural key can be unique.
CREATE TABLE agreement_events (
    document_id TEXT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    party_id    TEXT REFERENCES partners(id) DEFERRABLE INITIALLY DEFERRED,
    scope       TEXT GENERATED ALWAYS AS (coalesce(party_id, '')) STORED,
    seq         INTEGER NOT NULL,
    stage       TEXT NOT NULL,
    date        TEXT NOT NULL,
    precision   TEXT NOT NULL,
    date_min    TEXT NOT NULL,
    date_max    TEXT NOT NULL,
    note        TEXT,
    source_id   TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence  TEXT NOT NULL,
    UNIQUE (document_id, scope, stage, date)
) STRICT;
CREATE INDEX agreement_events_order ON agreement_events(document_id, seq);
CREATE INDEX agreement_events_party ON agreement_events(party_id);
CREATE INDEX agreement_events_stage ON agreement_events(stage, date_min);
CREATE INDEX agreement_events_source ON agreement_events(source_id);

CREATE TABLE claims (
    id                   TEXT PRIMARY KEY NOT NULL,
    partner_id           TEXT NOT NULL REFERENCES partners(id) DEFERRABLE INITIALLY DEFERRED,
    document_id          TEXT REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    stage                TEXT,
    stated               TEXT NOT NULL,
    statement            TEXT NOT NULL,
    correction           TEXT,
    correction_source_id TEXT REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    source_id            TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence           TEXT NOT NULL
) STRICT;
CREATE INDEX claims_partner ON claims(partner_id);
CREATE INDEX claims_document ON claims(document_id);
CREATE INDEX claims_source ON claims(source_id);
CREATE INDEX claims_correction_source ON claims(correction_source_id);

CREATE TABLE indicators (
    id        TEXT PRIMARY KEY NOT NULL,
    name_en   TEXT,
    name_ru   TEXT,
    name_kk   TEXT,
    unit      TEXT NOT NULL,
    measure   TEXT NOT NULL,
    note      TEXT,
    source_id TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX indicators_source ON indicators(source_id);

CREATE TABLE indicator_values (
    indicator_id TEXT NOT NULL REFERENCES indicators(id) DEFERRABLE INITIALLY DEFERRED,
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    ord          INTEGER NOT NULL,
    value        REAL NOT NULL,
    derived      INTEGER NOT NULL,
    note         TEXT,
    source_id    TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    confidence   TEXT NOT NULL,
    PRIMARY KEY (indicator_id, period)
) STRICT;
CREATE INDEX indicator_values_source ON indicator_values(source_id);
