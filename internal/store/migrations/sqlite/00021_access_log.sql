-- +goose Up
-- One row per HTTP request to the API or the dashboard (issue 16): who, from where, which
-- route and objects, how it ended. Ids and route patterns only: no bodies, no query
-- strings, no personal data. id is the request id (time-ordered), so lists page by it.
-- Rows are written in batches by each process's recorder and deleted after the retention
-- period (DOCKET_AUDIT_RETENTION) by housekeeping, oldest first, a batch at a time.
CREATE TABLE access_log (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    actor_type   TEXT,
    actor_id     TEXT,
    user_id      TEXT,
    client_addr  TEXT NOT NULL,
    method       TEXT NOT NULL,
    route        TEXT NOT NULL,
    object_ids   TEXT NOT NULL,
    status       INTEGER NOT NULL,
    duration_us  BIGINT NOT NULL
);
CREATE INDEX access_log_source ON access_log (source, id);
CREATE INDEX access_log_actor ON access_log (actor_id, id);
CREATE INDEX access_log_user ON access_log (user_id, id);
CREATE INDEX access_log_created ON access_log (created_at);

-- The objects each request named, so that "who opened this case" is an index lookup.
CREATE TABLE access_log_objects (
    object_id      TEXT NOT NULL,
    access_log_id  TEXT NOT NULL REFERENCES access_log(id) ON DELETE CASCADE,
    PRIMARY KEY (object_id, access_log_id)
);
CREATE INDEX access_log_objects_log ON access_log_objects (access_log_id);

-- +goose Down
DROP TABLE access_log_objects;
DROP TABLE access_log;
