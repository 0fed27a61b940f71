-- +goose Up
-- A reservation in flight is held by one process (owner) until lease_until, which that
-- process keeps extending while it serves the request. A process that dies stops
-- extending it, so the client's retry can take the key over once the lease ends instead
-- of being told "in progress" for the whole replay window. Rows from before this
-- migration have an expired lease: their processes were stopped to apply it.
ALTER TABLE idempotency_keys ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN lease_until;
ALTER TABLE idempotency_keys DROP COLUMN owner;
