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

-- Free text: one FTS5 document per case (its name, tags, comments, string fields, and
-- its accounts' reference ids and names). FTS5 rows are numbered; case_text_rows gives a
-- case its number. The table keeps its words (not contentless): a contentless table's
-- delete only records a tombstone and leaves the words in the index's blocks until a
-- merge, and secure-delete, which takes them out of the blocks at once, needs the words
-- to find them. A redaction must leave none of a person's words on the table.
CREATE TABLE case_text_rows (
    row      INTEGER PRIMARY KEY,
    case_id  TEXT NOT NULL UNIQUE REFERENCES cases(id)
);
CREATE VIRTUAL TABLE case_text USING fts5(words, tokenize = 'unicode61 remove_diacritics 0');
-- secure-delete: a delete takes the row's words out of the index's blocks at once rather
-- than at the next merge (the redaction sweep test reads case_text_data for them).
INSERT INTO case_text(case_text, rank) VALUES ('secure-delete', 1);

-- +goose Down
DROP TABLE case_text;
DROP TABLE case_text_rows;
DROP TABLE search_fields;
DROP TABLE case_field_values;
