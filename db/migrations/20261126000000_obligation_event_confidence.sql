-- How far a recorded change of an obligation's status can be trusted, as
-- every other fact records it: a lapse inferred from a plan's end date is
-- `unverified`, not a fact a source states. Existing changes keep the
-- default the catalog format gives an omitted confidence.
ALTER TABLE obligation_events ADD COLUMN confidence TEXT NOT NULL DEFAULT 'verified';
