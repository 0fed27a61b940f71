-- +goose Up
-- Round robin continues after the member who got the template's previous case; the
-- column is read and written under the template row's lock.
ALTER TABLE case_templates ADD COLUMN rr_last_user_id TEXT;
-- Fewest-cases counts each member's unresolved cases.
CREATE INDEX cases_open_assignee ON cases (assignee_id) WHERE resolved_at IS NULL;

-- +goose Down
DROP INDEX cases_open_assignee;
ALTER TABLE case_templates DROP COLUMN rr_last_user_id;
