-- +goose Up
-- Webhooks and the log of every delivery attempt. Signing secrets are stored in clear
-- because signing needs them; they are shown to the API once, at creation and rotation.
CREATE TABLE webhooks (
    id                          TEXT PRIMARY KEY,
    url                         TEXT NOT NULL,
    status                      TEXT NOT NULL,
    enabled_events              TEXT NOT NULL,
    api_key_inflection          TEXT NOT NULL DEFAULT 'kebab',
    api_attributes_blocklist    TEXT NOT NULL DEFAULT '[]',
    custom_http_headers         TEXT NOT NULL DEFAULT '{}',
    secret                      TEXT NOT NULL,
    previous_secret             TEXT,
    previous_secret_expires_at  BIGINT,
    consecutive_failures        INTEGER NOT NULL DEFAULT 0,
    disabled_reason             TEXT,
    created_at                  BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL,
    archived_at                 BIGINT
);
CREATE INDEX webhooks_status ON webhooks (status);

CREATE TABLE webhook_deliveries (
    id                  TEXT PRIMARY KEY,
    webhook_id          TEXT NOT NULL REFERENCES webhooks(id),
    event_id            TEXT NOT NULL,
    attempt             INTEGER NOT NULL,
    succeeded           BOOLEAN NOT NULL,
    status_code         INTEGER NOT NULL DEFAULT 0,
    latency_ms          BIGINT NOT NULL DEFAULT 0,
    error               TEXT NOT NULL DEFAULT '',
    response_snippet    TEXT NOT NULL DEFAULT '',
    first_attempted_at  BIGINT NOT NULL,
    created_at          BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id, webhook_id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
