-- +goose Up
-- A workflow's draft is edited in place; publishing copies it into workflow_versions,
-- which never change, and points the workflow at the new version. trigger_type and
-- trigger_event describe the published version, so that events find their workflows
-- with one indexed lookup.
CREATE TABLE workflows (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    definition     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0,
    trigger_type   TEXT,
    trigger_event  TEXT,
    next_run_at    BIGINT,
    published_at   BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX workflows_event ON workflows (trigger_event) WHERE status = 'active';
CREATE INDEX workflows_schedule ON workflows (next_run_at) WHERE status = 'active' AND trigger_type = 'schedule';

CREATE TABLE workflow_versions (
    workflow_id   TEXT NOT NULL REFERENCES workflows(id),
    version       INTEGER NOT NULL,
    definition    TEXT NOT NULL,
    published_at  BIGINT NOT NULL,
    PRIMARY KEY (workflow_id, version)
);

-- A run keeps its steps' records as JSON; wait_* say what a waiting run waits for.
CREATE TABLE workflow_runs (
    id              TEXT PRIMARY KEY,
    workflow_id     TEXT NOT NULL REFERENCES workflows(id),
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    trigger         TEXT NOT NULL,
    object_id       TEXT,
    input           TEXT NOT NULL DEFAULT '{}',
    depth           INTEGER NOT NULL DEFAULT 0,
    current_step    TEXT NOT NULL DEFAULT '',
    steps           TEXT NOT NULL DEFAULT '[]',
    error           TEXT,
    wait_event      TEXT,
    wait_object_id  TEXT,
    wait_until      BIGINT,
    creator_type    TEXT NOT NULL,
    creator_id      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    completed_at    BIGINT
);
CREATE INDEX workflow_runs_workflow ON workflow_runs (workflow_id, id);
CREATE INDEX workflow_runs_object ON workflow_runs (object_id, id);
CREATE INDEX workflow_runs_waiting ON workflow_runs (wait_object_id, wait_event) WHERE status = 'waiting';

-- +goose Down
DROP TABLE workflow_runs;
DROP TABLE workflow_versions;
DROP TABLE workflows;
