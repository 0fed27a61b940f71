-- +goose Up
-- Nothing to do: SQLite keeps JSON as TEXT. PostgreSQL's 00008 turns its workflow
-- tables' JSON columns into JSONB; this file keeps both folders numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
