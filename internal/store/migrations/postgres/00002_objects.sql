-- +goose Up
-- The objects a case investigates: identity-verification inquiries, screening reports,
-- and typed transactions. Each may point at the account its reference id names.
CREATE TABLE inquiries (
    id                 TEXT PRIMARY KEY,
    status             TEXT NOT NULL,
    reference_id       TEXT,
    account_id         TEXT REFERENCES accounts(id),
    creator_email      TEXT,
    note               TEXT,
    reviewer_comment   TEXT,
    fields             JSONB NOT NULL DEFAULT '{}',
    tags               JSONB NOT NULL DEFAULT '[]',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    started_at         BIGINT,
    completed_at       BIGINT,
    failed_at          BIGINT,
    expired_at         BIGINT,
    marked_at          BIGINT,
    decisioned_at      BIGINT,
    redacted_at        BIGINT
);
CREATE INDEX inquiries_status_created ON inquiries (status, created_at);
CREATE INDEX inquiries_reference ON inquiries (reference_id);
CREATE INDEX inquiries_account ON inquiries (account_id);

CREATE TABLE reports (
    id            TEXT PRIMARY KEY,
    report_type   TEXT NOT NULL,
    status        TEXT NOT NULL,
    matched       BOOLEAN NOT NULL DEFAULT FALSE,
    result        JSONB NOT NULL DEFAULT '{}',
    reference_id  TEXT,
    account_id    TEXT REFERENCES accounts(id),
    inquiry_id    TEXT REFERENCES inquiries(id),
    tags          JSONB NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    completed_at  BIGINT,
    redacted_at   BIGINT
);
CREATE INDEX reports_account ON reports (account_id);
CREATE INDEX reports_inquiry ON reports (inquiry_id);

CREATE TABLE transaction_types (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    field_schemas  JSONB NOT NULL,
    statuses       JSONB NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE transactions (
    id            TEXT PRIMARY KEY,
    type_id       TEXT NOT NULL REFERENCES transaction_types(id),
    reference_id  TEXT,
    account_id    TEXT REFERENCES accounts(id),
    status        TEXT NOT NULL,
    fields        JSONB NOT NULL DEFAULT '{}',
    tags          JSONB NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    redacted_at   BIGINT
);
CREATE INDEX transactions_type ON transactions (type_id, id);
CREATE INDEX transactions_reference ON transactions (reference_id);
CREATE INDEX transactions_account ON transactions (account_id);
CREATE INDEX transactions_created ON transactions (created_at);

-- +goose Down
DROP TABLE transactions;
DROP TABLE transaction_types;
DROP TABLE reports;
DROP TABLE inquiries;
