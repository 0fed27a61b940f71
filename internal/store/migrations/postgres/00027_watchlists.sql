-- +goose Up
-- Watch lists and report templates (issue 18): a report created with a template screens
-- its query against the template's lists. An import replaces a list's entries and bumps
-- its version, which tells screeners their index of it is stale. Each entry is kept
-- whole as JSON (docket.WatchlistEntry): it is read only to build the in-memory index.
CREATE TABLE watchlists (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    format       TEXT NOT NULL,
    entry_count  INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX watchlists_name ON watchlists (name);

CREATE TABLE watchlist_entries (
    list_id  TEXT NOT NULL REFERENCES watchlists(id),
    uid      TEXT NOT NULL,
    entry    JSONB NOT NULL,
    PRIMARY KEY (list_id, uid)
);

CREATE TABLE report_templates (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    report_type    TEXT NOT NULL,
    threshold      DOUBLE PRECISION NOT NULL,
    watchlist_ids  JSONB NOT NULL DEFAULT '[]',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- A screening report names its template; re-screening finds the accounts screened
-- before through it.
ALTER TABLE reports ADD COLUMN report_template_id TEXT REFERENCES report_templates(id);
CREATE INDEX reports_template_account ON reports (report_template_id, account_id);

-- +goose Down
DROP INDEX reports_template_account;
ALTER TABLE reports DROP COLUMN report_template_id;
DROP TABLE report_templates;
DROP TABLE watchlist_entries;
DROP TABLE watchlists;
