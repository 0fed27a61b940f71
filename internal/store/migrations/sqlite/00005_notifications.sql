-- +goose Up
-- A case's SLA breach is recorded once, so that exactly one case.sla-expired event and
-- one notification follow it, whichever process finds it.
ALTER TABLE cases ADD COLUMN sla_breached_at BIGINT;
CREATE INDEX cases_sla_due ON cases (sla_expires_at) WHERE sla_breached_at IS NULL AND resolved_at IS NULL;

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT REFERENCES users(id),
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT,
    emailed_at  BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- +goose Down
DROP TABLE notifications;
DROP INDEX cases_sla_due;
ALTER TABLE cases DROP COLUMN sla_breached_at;
