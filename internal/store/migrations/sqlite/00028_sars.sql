-- +goose Up
-- Suspicious Activity Reports (docket.SAR). A SAR belongs to a case; its form is one JSON
-- document (report) with, beside it, where each auto-filled value came from (sources).
-- prepared_by_user_id is the person behind the preparer, whom the four-eyes rule keeps
-- from approving it. sar_settings holds one row: the filing institution, transmitter,
-- contact office and category mapping. A template marked sar makes its cases secret.
ALTER TABLE case_templates ADD COLUMN sar BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE sars (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    status              TEXT NOT NULL,
    filing_type         TEXT NOT NULL,
    prior_sar_id        TEXT REFERENCES sars(id),
    report              TEXT NOT NULL,
    sources             TEXT NOT NULL,
    prepared_by_type    TEXT NOT NULL,
    prepared_by_id      TEXT NOT NULL,
    prepared_by_user_id TEXT,
    approved_by_type    TEXT,
    approved_by_id      TEXT,
    approved_at         BIGINT,
    filed_at            BIGINT,
    bsa_id              TEXT,
    due_at              BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX sars_case ON sars (case_id, id);
CREATE INDEX sars_status ON sars (status, id);
CREATE TABLE sar_settings (
    id         INTEGER PRIMARY KEY,
    settings   TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE sar_settings;
DROP TABLE sars;
ALTER TABLE case_templates DROP COLUMN sar;
