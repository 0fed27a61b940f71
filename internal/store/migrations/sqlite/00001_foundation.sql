-- +goose Up
-- Timestamps are integer milliseconds since the Unix epoch (UTC) in both dialects, so that
-- one set of queries serves SQLite and PostgreSQL. JSON columns are TEXT here, JSONB there.
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL,
    available   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);

CREATE TABLE case_templates (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    key                  TEXT NOT NULL UNIQUE,
    status               TEXT NOT NULL,
    statuses             TEXT NOT NULL,
    field_schemas        TEXT NOT NULL,
    assignment_policy    TEXT NOT NULL,
    notification_policy  TEXT NOT NULL,
    sla_seconds          BIGINT,
    visible_to_roles     TEXT NOT NULL,
    case_count           BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    archived_at          BIGINT
);

CREATE TABLE case_queues (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'active',
    filter       TEXT NOT NULL DEFAULT '{}',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    archived_at  BIGINT
);

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    template_id     TEXT NOT NULL REFERENCES case_templates(id),
    number          BIGINT NOT NULL,
    name            TEXT NOT NULL,
    status          TEXT NOT NULL,
    resolution      TEXT,
    fields          TEXT NOT NULL DEFAULT '{}',
    queue_id        TEXT REFERENCES case_queues(id),
    assignee_id     TEXT REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    assigned_at     BIGINT,
    resolved_at     BIGINT,
    redacted_at     BIGINT,
    sla_expires_at  BIGINT,
    creator_type    TEXT,
    creator_id      TEXT,
    assigner_type   TEXT,
    assigner_id     TEXT,
    resolver_type   TEXT,
    resolver_id     TEXT,
    updater_type    TEXT,
    updater_id      TEXT,
    version         BIGINT NOT NULL DEFAULT 1,
    UNIQUE (template_id, number)
);
CREATE INDEX cases_template_status ON cases (template_id, status, id);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_assignee ON cases (assignee_id, id);
CREATE INDEX cases_queue ON cases (queue_id, id);
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX cases_sla ON cases (sla_expires_at) WHERE sla_expires_at IS NOT NULL;

CREATE TABLE case_tags (
    case_id  TEXT NOT NULL REFERENCES cases(id),
    tag      TEXT NOT NULL,
    PRIMARY KEY (case_id, tag)
);
CREATE INDEX case_tags_tag ON case_tags (tag, case_id);

CREATE TABLE case_objects (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    object_id    TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (case_id, object_id)
);
CREATE INDEX case_objects_object ON case_objects (object_id, case_id);

CREATE TABLE case_comments (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    body            TEXT NOT NULL,
    commenter_type  TEXT NOT NULL,
    commenter_id    TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    redacted_at     BIGINT
);
CREATE INDEX case_comments_case ON case_comments (case_id, id);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    reference_id  TEXT UNIQUE,
    fields        TEXT NOT NULL DEFAULT '{}',
    tags          TEXT NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    redacted_at   BIGINT
);

CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    actor_type   TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    object       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX events_name ON events (name, id);
CREATE INDEX events_object ON events (object_id, id);

CREATE TABLE idempotency_keys (
    api_key_id    TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status_code   INTEGER NOT NULL DEFAULT 0,
    response      TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE events;
DROP TABLE accounts;
DROP TABLE case_comments;
DROP TABLE case_objects;
DROP TABLE case_tags;
DROP TABLE cases;
DROP TABLE case_queues;
DROP TABLE case_templates;
DROP TABLE api_keys;
DROP TABLE users;
