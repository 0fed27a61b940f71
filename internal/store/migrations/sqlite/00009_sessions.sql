-- +goose Up
-- Passwords live apart from users: event snapshots marshal users, and a hash must never
-- travel with them. One row per user who has set a password.
CREATE TABLE credentials (
    user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    password_hash  TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Dashboard sessions. id_hash is the SHA-256 of the browser's token: the token itself is
-- never stored. seen_at moves at most about once a minute (the idle lifetime counts from
-- it); expires_at is the absolute end.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    seen_at     BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_seen ON sessions (seen_at);

-- One-time sign-in and password-reset links, stored as the SHA-256 of their token.
CREATE TABLE password_links (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_links_user ON password_links (user_id);

-- Failed sign-ins, kept for the throttling window, under hashed keys (one for the email
-- address tried, one for the client address), so that every process sees the same count.
CREATE TABLE sign_in_failures (
    key_hash   TEXT NOT NULL,
    failed_at  BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key_hash, failed_at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (failed_at);

-- +goose Down
DROP TABLE sign_in_failures;
DROP TABLE password_links;
DROP TABLE sessions;
DROP TABLE credentials;
