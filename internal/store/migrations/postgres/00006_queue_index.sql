-- +goose Up
-- Queues list and claim open cases by urgency: SLA deadline first, then age.
CREATE INDEX cases_open_urgency ON cases (sla_expires_at, created_at, id) WHERE resolved_at IS NULL AND redacted_at IS NULL;

-- +goose Down
DROP INDEX cases_open_urgency;
