-- A history entry recorded although it contradicts the history before it
-- (`record --force --note`, or `forced = true` in a catalog file). The mark
-- travels with the entry through export and import, so that the import of
-- an export accepts what was knowingly recorded, and only that: a note
-- alone does not excuse a contradiction.
ALTER TABLE agreement_events ADD COLUMN forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1));
ALTER TABLE obligation_events ADD COLUMN forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1));
