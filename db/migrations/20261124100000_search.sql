-- Full-text search (`lextrack search`) over titles, provision text, notes,
-- obligations and the names of agencies, partners and framework nodes, in
-- every language of the catalog. unicode61 folds case for Cyrillic as well as
-- Latin, and `remove_diacritics 2` lets "Қазақстан" match "казакстан" and
-- "Việt Nam" match "viet nam".
--
-- `search_keys` gives every indexed record a stable integer (the FTS rowid)
-- so triggers can find its entry again; the triggers keep the index in step
-- with every insert, change and delete, including those of `import`, whose
-- upserts only touch rows whose values changed.

CREATE TABLE search_keys (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    -- the document a provision or obligation belongs to; '' otherwise
    document_id TEXT NOT NULL,
    key         TEXT NOT NULL,
    UNIQUE (kind, document_id, key)
) STRICT;

CREATE VIRTUAL TABLE search USING fts5(
    title,
    body,
    tokenize = "unicode61 remove_diacritics 2"
);

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO search_keys (kind, document_id, key) VALUES ('document', NEW.id, NEW.id);
    INSERT INTO search (rowid, title, body) VALUES (last_insert_rowid(), (coalesce(NEW.title_en, '') || ' ' || coalesce(NEW.title_ru, '') || ' ' || coalesce(NEW.title_kk, '') || ' ' || coalesce(NEW.number, '')), coalesce(NEW.note, ''));
END;

CREATE TRIGGER documents_search_update AFTER UPDATE ON documents BEGIN
    UPDATE search SET title = (coalesce(NEW.title_en, '') || ' ' || coalesce(NEW.title_ru, '') || ' ' || coalesce(NEW.title_kk, '') || ' ' || coalesce(NEW.number, '')), body = coalesce(NEW.note, '')
    WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'document' AND document_id = NEW.id AND key = NEW.id);
END;

CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
    DELETE FROM search WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'document' AND document_id = OLD.id AND key = OLD.id);
    DELETE FROM search_keys WHERE kind = 'document' AND document_id = OLD.id AND key = OLD.id;
END;

CREATE TRIGGER provisions_search_insert AFTER INSERT ON provisions BEGIN
    INSERT INTO search_keys (kind, document_id, key) VALUES ('provision', NEW.document_id, NEW.eid);
    INSERT INTO search (rowid, title, body) VALUES (last_insert_rowid(), (coalesce(NEW.number, '') || ' ' || coalesce(NEW.heading, '')), coalesce(NEW.text, ''));
END;

CREATE TRIGGER provisions_search_update AFTER UPDATE ON provisions BEGIN
    UPDATE search SET title = (coalesce(NEW.number, '') || ' ' || coalesce(NEW.heading, '')), body = coalesce(NEW.text, '')
    WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'provision' AND document_id = NEW.document_id AND key = NEW.eid);
END;

CREATE TRIGGER provisions_search_delete AFTER DELETE ON provisions BEGIN
    DELETE FROM search WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'provision' AND document_id = OLD.document_id AND key = OLD.eid);
    DELETE FROM search_keys WHERE kind = 'provision' AND document_id = OLD.document_id AND key = OLD.eid;
END;

CREATE TRIGGER obligations_search_insert AFTER INSERT ON obligations BEGIN
    INSERT INTO search_keys (kind, document_id, key) VALUES ('obligation', NEW.document_id, NEW.id);
    INSERT INTO search (rowid, title, body) VALUES (last_insert_rowid(), NEW.action, coalesce(NEW.note, ''));
END;

CREATE TRIGGER obligations_search_update AFTER UPDATE ON obligations BEGIN
    UPDATE search SET title = NEW.action, body = coalesce(NEW.note, '')
    WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'obligation' AND document_id = NEW.document_id AND key = NEW.id);
END;

CREATE TRIGGER obligations_search_delete AFTER DELETE ON obligations BEGIN
    DELETE FROM search WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'obligation' AND document_id = OLD.document_id AND key = OLD.id);
    DELETE FROM search_keys WHERE kind = 'obligation' AND document_id = OLD.document_id AND key = OLD.id;
END;

CREATE TRIGGER agencies_search_insert AFTER INSERT ON agencies BEGIN
    INSERT INTO search_keys (kind, document_id, key) VALUES ('agency', '', NEW.id);
    INSERT INTO search (rowid, title, body) VALUES (last_insert_rowid(), (coalesce(NEW.name_en, '') || ' ' || coalesce(NEW.name_ru, '') || ' ' || coalesce(NEW.name_kk, '') || ' ' || coalesce(NEW.abbreviation, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.aliases)), '')), coalesce(NEW.note, ''));
END;

CREATE TRIGGER agencies_search_update AFTER UPDATE ON agencies BEGIN
    UPDATE search SET title = (coalesce(NEW.name_en, '') || ' ' || coalesce(NEW.name_ru, '') || ' ' || coalesce(NEW.name_kk, '') || ' ' || coalesce(NEW.abbreviation, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.aliases)), '')), body = coalesce(NEW.note, '')
    WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'agency' AND document_id = '' AND key = NEW.id);
END;

CREATE TRIGGER agencies_search_delete AFTER DELETE ON agencies BEGIN
    DELETE FROM search WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'agency' AND document_id = '' AND key = OLD.id);
    DELETE FROM search_keys WHERE kind = 'agency' AND document_id = '' AND key = OLD.id;
END;

CREATE TRIGGER partners_search_insert AFTER INSERT ON partners BEGIN
    INSERT INTO search_keys (kind, document_id, key) VALUES ('partner', '', NEW.id);
    INSERT INTO search (rowid, title, body) VALUES (last_insert_rowid(), (coalesce(NEW.name_en, '') || ' ' || coalesce(NEW.name_ru, '') || ' ' || coalesce(NEW.name_kk, '') || ' ' || coalesce(NEW.iso, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.aliases)), '')), coalesce(NEW.note, ''));
END;

CREATE TRIGGER partners_search_update AFTER UPDATE ON partners BEGIN
    UPDATE search SET title = (coalesce(NEW.name_en, '') || ' ' || coalesce(NEW.name_ru, '') || ' ' || coalesce(NEW.name_kk, '') || ' ' || coalesce(NEW.iso, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(NEW.aliases)), '')), body = coalesce(NEW.note, '')
    WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'partner' AND document_id = '' AND key = NEW.id);
END;

CREATE TRIGGER partners_search_delete AFTER DELETE ON partners BEGIN
    DELETE FROM search WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'partner' AND document_id = '' AND key = OLD.id);
    DELETE FROM search_keys WHERE kind = 'partner' AND document_id = '' AND key = OLD.id;
END;

CREATE TRIGGER framework_nodes_search_insert AFTER INSERT ON framework_nodes BEGIN
    INSERT INTO search_keys (kind, document_id, key) VALUES ('node', '', NEW.id);
    INSERT INTO search (rowid, title, body) VALUES (last_insert_rowid(), (coalesce(NEW.number, '') || ' ' || coalesce(NEW.title_en, '') || ' ' || coalesce(NEW.title_ru, '') || ' ' || coalesce(NEW.title_kk, '')), coalesce(NEW.text, ''));
END;

CREATE TRIGGER framework_nodes_search_update AFTER UPDATE ON framework_nodes BEGIN
    UPDATE search SET title = (coalesce(NEW.number, '') || ' ' || coalesce(NEW.title_en, '') || ' ' || coalesce(NEW.title_ru, '') || ' ' || coalesce(NEW.title_kk, '')), body = coalesce(NEW.text, '')
    WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'node' AND document_id = '' AND key = NEW.id);
END;

CREATE TRIGGER framework_nodes_search_delete AFTER DELETE ON framework_nodes BEGIN
    DELETE FROM search WHERE rowid = (SELECT id FROM search_keys WHERE kind = 'node' AND document_id = '' AND key = OLD.id);
    DELETE FROM search_keys WHERE kind = 'node' AND document_id = '' AND key = OLD.id;
END;

-- Index what the store already holds.
INSERT INTO search_keys (kind, document_id, key) SELECT 'document', t.id, t.id FROM documents t;
INSERT INTO search_keys (kind, document_id, key) SELECT 'provision', t.document_id, t.eid FROM provisions t;
INSERT INTO search_keys (kind, document_id, key) SELECT 'obligation', t.document_id, t.id FROM obligations t;
INSERT INTO search_keys (kind, document_id, key) SELECT 'agency', '', t.id FROM agencies t;
INSERT INTO search_keys (kind, document_id, key) SELECT 'partner', '', t.id FROM partners t;
INSERT INTO search_keys (kind, document_id, key) SELECT 'node', '', t.id FROM framework_nodes t;
INSERT INTO search (rowid, title, body)
    SELECT k.id, (coalesce(t.title_en, '') || ' ' || coalesce(t.title_ru, '') || ' ' || coalesce(t.title_kk, '') || ' ' || coalesce(t.number, '')), coalesce(t.note, '') FROM documents t
    JOIN search_keys k ON k.kind = 'document' AND k.document_id = t.id AND k.key = t.id;
INSERT INTO search (rowid, title, body)
    SELECT k.id, (coalesce(t.number, '') || ' ' || coalesce(t.heading, '')), coalesce(t.text, '') FROM provisions t
    JOIN search_keys k ON k.kind = 'provision' AND k.document_id = t.document_id AND k.key = t.eid;
INSERT INTO search (rowid, title, body)
    SELECT k.id, t.action, coalesce(t.note, '') FROM obligations t
    JOIN search_keys k ON k.kind = 'obligation' AND k.document_id = t.document_id AND k.key = t.id;
INSERT INTO search (rowid, title, body)
    SELECT k.id, (coalesce(t.name_en, '') || ' ' || coalesce(t.name_ru, '') || ' ' || coalesce(t.name_kk, '') || ' ' || coalesce(t.abbreviation, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(t.aliases)), '')), coalesce(t.note, '') FROM agencies t
    JOIN search_keys k ON k.kind = 'agency' AND k.document_id = '' AND k.key = t.id;
INSERT INTO search (rowid, title, body)
    SELECT k.id, (coalesce(t.name_en, '') || ' ' || coalesce(t.name_ru, '') || ' ' || coalesce(t.name_kk, '') || ' ' || coalesce(t.iso, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(t.aliases)), '')), coalesce(t.note, '') FROM partners t
    JOIN search_keys k ON k.kind = 'partner' AND k.document_id = '' AND k.key = t.id;
INSERT INTO search (rowid, title, body)
    SELECT k.id, (coalesce(t.number, '') || ' ' || coalesce(t.title_en, '') || ' ' || coalesce(t.title_ru, '') || ' ' || coalesce(t.title_kk, '')), coalesce(t.text, '') FROM framework_nodes t
    JOIN search_keys k ON k.kind = 'node' AND k.document_id = '' AND k.key = t.id;
