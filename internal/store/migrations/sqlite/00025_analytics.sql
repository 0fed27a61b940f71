-- +goose Up
-- Analytics (internal/analytics) read two tables kept by the store in the transaction
-- that records each case event (store/analytics_facts.go), rather than the event log
-- itself: at a million cases a 90-day figure must answer in well under a second, and
-- replaying events per request cannot (docs/decisions.md, "Analytics from facts").
--
-- case_facts: one row per case, its state as analytics sees it now.
CREATE TABLE case_facts (
    case_id           TEXT PRIMARY KEY REFERENCES cases(id),
    template_id       TEXT NOT NULL,
    assignee_id       TEXT,
    status            TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    first_assigned_at BIGINT,
    resolved_at       BIGINT,
    resolution        TEXT,
    sla_expires_at    BIGINT,
    reopen_count      INTEGER NOT NULL DEFAULT 0
);
-- Each index covers what one figure reads from a range of one time column (and the
-- template and assignee filters), so that a 90-day figure reads index entries only.
CREATE INDEX case_facts_created ON case_facts (created_at, template_id, first_assigned_at, assignee_id);
CREATE INDEX case_facts_resolved ON case_facts (resolved_at, created_at, template_id, assignee_id, sla_expires_at, resolution)
    WHERE resolved_at IS NOT NULL;
CREATE INDEX case_facts_open ON case_facts (created_at, sla_expires_at, template_id, assignee_id) WHERE resolved_at IS NULL;
CREATE INDEX case_facts_sla ON case_facts (sla_expires_at, resolved_at, template_id, assignee_id) WHERE sla_expires_at IS NOT NULL;

-- case_spells: one row per stay of a case in a status, from the event that entered it
-- (id) to the one that left it (ended_at; NULL while it lasts). kind says how it
-- began: created, resolved (an end status entered from an open one), reopened (an open
-- status entered from an end one) or moved.
CREATE TABLE case_spells (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    status      TEXT NOT NULL,
    is_end      INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT
);
CREATE INDEX case_spells_case ON case_spells (case_id) WHERE ended_at IS NULL;
CREATE INDEX case_spells_kind ON case_spells (kind, started_at, case_id);
CREATE INDEX case_spells_ended ON case_spells (ended_at, status, started_at, case_id) WHERE ended_at IS NOT NULL;

-- Backfill from the cases and their events (snapshots keep the status and resolution
-- time, redacted ones too).
INSERT INTO case_facts (case_id, template_id, assignee_id, status, created_at, first_assigned_at,
    resolved_at, resolution, sla_expires_at, reopen_count)
SELECT c.id, c.template_id, c.assignee_id, c.status, c.created_at,
    COALESCE((SELECT MIN(e.created_at) FROM events e WHERE e.object_id = c.id
        AND json_extract(e.object, '$."assignee-id"') IS NOT NULL), c.assigned_at),
    c.resolved_at, c.resolution, c.sla_expires_at,
    (SELECT COUNT(*) FROM events e WHERE e.object_id = c.id AND e.name = 'case.reopened')
FROM cases c;

INSERT INTO case_spells (id, case_id, status, is_end, kind, started_at, ended_at)
SELECT id, case_id, status, is_end,
    CASE WHEN prev_end IS NULL THEN 'created'
         WHEN is_end = 1 AND prev_end = 0 THEN 'resolved'
         WHEN is_end = 0 AND prev_end = 1 THEN 'reopened'
         ELSE 'moved' END,
    created_at, next_at
FROM (
    SELECT id, case_id, status, is_end, created_at,
        LAG(is_end) OVER (PARTITION BY case_id ORDER BY created_at, seq, id) AS prev_end,
        LEAD(created_at) OVER (PARTITION BY case_id ORDER BY created_at, seq, id) AS next_at
    FROM (
        SELECT e.id, e.object_id AS case_id, e.created_at, e.seq,
            COALESCE(json_extract(e.object, '$.status'), '') AS status,
            CASE WHEN json_extract(e.object, '$."resolved-at"') IS NULL THEN 0 ELSE 1 END AS is_end
        FROM events e
        WHERE e.object_type = 'case' AND e.name IN ('case.created', 'case.status-updated')
            AND EXISTS (SELECT 1 FROM cases c WHERE c.id = e.object_id)
    ) s
) t;

-- +goose Down
DROP TABLE case_spells;
DROP TABLE case_facts;
