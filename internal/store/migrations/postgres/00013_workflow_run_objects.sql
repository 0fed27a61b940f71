-- +goose Up
-- The objects (cases, accounts, inquiries, reports, transactions) whose ids a workflow
-- run's record holds, in its trigger object, input or steps: a run that holds an
-- object's id may hold its personal data, so redacting the object erases the data of
-- these runs, found with one indexed lookup instead of a scan of every run.
CREATE TABLE workflow_run_objects (
    object_id  TEXT NOT NULL,
    run_id     TEXT NOT NULL REFERENCES workflow_runs(id),
    PRIMARY KEY (object_id, run_id)
);

-- When a redaction erased the run's data: every later save of the run erases again what
-- the engine records, as a step in flight may have read the data before they went.
ALTER TABLE workflow_runs ADD COLUMN redacted_at BIGINT;

-- Runs recorded before this migration: every string value of their JSON that is an id
-- of one of those kinds (prefix, underscore, 26 characters).
INSERT INTO workflow_run_objects (object_id, run_id)
SELECT DISTINCT v.s, r.id
FROM workflow_runs r,
    LATERAL (SELECT x #>> '{}' AS s FROM jsonb_path_query(jsonb_build_array(r.trigger, r.input, r.steps), 'strict $.**') x
        WHERE jsonb_typeof(x) = 'string') v
WHERE split_part(v.s, '_', 1) IN ('case', 'act', 'inq', 'rep', 'txn') AND length(v.s) - strpos(v.s, '_') = 26;

-- +goose Down
ALTER TABLE workflow_runs DROP COLUMN redacted_at;
DROP TABLE workflow_run_objects;
