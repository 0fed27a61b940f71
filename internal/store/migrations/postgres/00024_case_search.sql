-- +goose Up
-- Indexed search (issue 14, docs/decisions.md "Search"). Both tables are kept in step with
-- the cases in the transaction that changes them (store/search_index.go), so a search
-- finds a case the moment its write is acknowledged.

-- The values of the template fields marked searchable, one typed row per case and key:
-- fields.amount gte 100 seeks (key, typ, num) instead of reading every case's JSON.
-- typ is the JSON type (number, string, boolean; dates are strings, ordered as text);
-- a boolean is num 0 or 1.
CREATE TABLE case_field_values (
    case_id  TEXT NOT NULL REFERENCES cases(id),
    key      TEXT NOT NULL,
    typ      TEXT NOT NULL,
    num      DOUBLE PRECISION,
    txt      TEXT,
    PRIMARY KEY (case_id, key)
);
CREATE INDEX case_field_values_num ON case_field_values (key, typ, num, case_id);
CREATE INDEX case_field_values_txt ON case_field_values (key, typ, txt, case_id);

-- Which template fields are indexed. backfill_after is the case number the background
-- backfill has reached for a field newly marked searchable; NULL once every older case
-- is in case_field_values. A search uses the side table for a key only when every
-- template declaring the key has a row here with backfill_after NULL.
CREATE TABLE search_fields (
    template_id     TEXT NOT NULL REFERENCES case_templates(id),
    key             TEXT NOT NULL,
    backfill_after  BIGINT,
    PRIMARY KEY (template_id, key)
);

-- Free text: one tsvector per case (its name, tags, comments, string fields, and its
-- accounts' reference ids and names), words split and lower-cased by Docket
-- (docket.SearchWords) so both stores match the same words; 'simple' keeps them as they are.
CREATE TABLE case_text (
    case_id  TEXT PRIMARY KEY REFERENCES cases(id),
    words    tsvector NOT NULL
) WITH (parallel_workers = 0);
-- No parallel workers: the planner cannot estimate a prefix query (it guesses 2% of the
-- rows) and started workers to read the ten documents a word matches, which cost more
-- than the search (docs/benchmarks.md).
-- A small pending list: every query reads all of it (unsorted), and at the default 4 MB a
-- one-word search spent 95 ms there at 1,000,000 cases; 128 kB keeps that under a
-- millisecond while inserts still go in batches (docs/benchmarks.md).
CREATE INDEX case_text_words ON case_text USING GIN (words) WITH (gin_pending_list_limit = 128);

-- +goose Down
DROP TABLE case_text;
DROP TABLE search_fields;
DROP TABLE case_field_values;
