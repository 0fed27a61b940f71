-- +goose Up
-- The case list's "SLA then age" order pages over (sla_expires_at, id): cases with an SLA
-- by expiry, then cases without one, each oldest first (ids are time-ordered). A keyset
-- over plain columns, rather than over COALESCE(sla_expires_at, ...), lets both engines
-- seek straight to a page's cursor however deep it is. The next two serve the same order
-- within a status tab and for one assignee (or none: "unassigned by urgency" would
-- otherwise sort every unassigned case). cases_sla (sla_expires_at, partial) is covered
-- by the first.
CREATE INDEX cases_sla_id ON cases (sla_expires_at, id);
CREATE INDEX cases_status_sla_id ON cases (status, sla_expires_at, id);
CREATE INDEX cases_assignee_sla_id ON cases (assignee_id, sla_expires_at, id);
DROP INDEX cases_sla;

-- A user's saved case list views: a name and the case list's URL query.
CREATE TABLE saved_views (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX saved_views_user ON saved_views (user_id, id);

-- +goose Down
DROP TABLE saved_views;
CREATE INDEX cases_sla ON cases (sla_expires_at) WHERE sla_expires_at IS NOT NULL;
DROP INDEX cases_assignee_sla_id;
DROP INDEX cases_status_sla_id;
DROP INDEX cases_sla_id;
