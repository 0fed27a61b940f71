-- +goose Up
-- JSON is JSONB in PostgreSQL (docs/decisions.md); the workflow tables of 00007 had it as
-- TEXT. Defaults are dropped around the change because a TEXT default does not cast to
-- JSONB by itself. JSONB refuses the escape \u0000, which TEXT took: a step's record may
-- hold an outside service's answer, so any \u0000 there (one not itself escaped as \\)
-- becomes U+FFFD, as the https-request action now does before saving.
ALTER TABLE workflows ALTER COLUMN definition TYPE JSONB USING definition::jsonb;
ALTER TABLE workflow_versions ALTER COLUMN definition TYPE JSONB USING definition::jsonb;
ALTER TABLE workflow_runs ALTER COLUMN trigger TYPE JSONB USING trigger::jsonb;
ALTER TABLE workflow_runs ALTER COLUMN input DROP DEFAULT;
ALTER TABLE workflow_runs ALTER COLUMN input TYPE JSONB USING input::jsonb;
ALTER TABLE workflow_runs ALTER COLUMN input SET DEFAULT '{}';
ALTER TABLE workflow_runs ALTER COLUMN steps DROP DEFAULT;
ALTER TABLE workflow_runs ALTER COLUMN steps TYPE JSONB
    USING regexp_replace(steps, '(?<!\\)((\\\\)*)\\u0000', '\1\\ufffd', 'g')::jsonb;
ALTER TABLE workflow_runs ALTER COLUMN steps SET DEFAULT '[]';

-- +goose Down
ALTER TABLE workflow_runs ALTER COLUMN steps DROP DEFAULT;
ALTER TABLE workflow_runs ALTER COLUMN steps TYPE TEXT USING steps::text;
ALTER TABLE workflow_runs ALTER COLUMN steps SET DEFAULT '[]';
ALTER TABLE workflow_runs ALTER COLUMN input DROP DEFAULT;
ALTER TABLE workflow_runs ALTER COLUMN input TYPE TEXT USING input::text;
ALTER TABLE workflow_runs ALTER COLUMN input SET DEFAULT '{}';
ALTER TABLE workflow_runs ALTER COLUMN trigger TYPE TEXT USING trigger::text;
ALTER TABLE workflow_versions ALTER COLUMN definition TYPE TEXT USING definition::text;
ALTER TABLE workflows ALTER COLUMN definition TYPE TEXT USING definition::text;
