-- +goose Up
-- The event chain (docs/architecture.md, "The event chain"): each event carries its place
-- (seq, from 1 without gaps), the hash of the event before it, its own hash, and the
-- SHA-256 of its snapshot as recorded (object_digest), which a redaction keeps when it
-- erases the snapshot (object_erased then says so). Events written before this migration
-- have no place yet: the store chains them once, at its next start, in id order (ids
-- are time-ordered), and marks the head backfilled so that it never chains an unplaced
-- row again (one found later was inserted behind Docket's back).
ALTER TABLE events ADD COLUMN seq BIGINT;
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
ALTER TABLE events ADD COLUMN object_digest TEXT;
ALTER TABLE events ADD COLUMN object_erased BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX events_seq ON events (seq);
-- Rows without a place: every event until the backfill, none after it.
CREATE INDEX events_unchained ON events (id) WHERE seq IS NULL;

-- The chain's head: one row, locked by every transaction that appends events, so that
-- the chain stays one sequence with several processes writing.
CREATE TABLE event_chain_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    backfilled  BOOLEAN NOT NULL
);
INSERT INTO event_chain_head (id, seq, hash, updated_at, backfilled)
SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, NOT EXISTS (SELECT 1 FROM events);

-- +goose Down
DROP TABLE event_chain_head;
DROP INDEX events_unchained;
DROP INDEX events_seq;
ALTER TABLE events DROP COLUMN object_erased;
ALTER TABLE events DROP COLUMN object_digest;
ALTER TABLE events DROP COLUMN hash;
ALTER TABLE events DROP COLUMN prev_hash;
ALTER TABLE events DROP COLUMN seq;
