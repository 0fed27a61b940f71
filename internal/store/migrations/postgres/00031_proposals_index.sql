-- +goose Up
-- The decisions awaiting a second person (four-eyes), oldest first: the home page of
-- everyone who may confirm them lists them on every view, which without this index would
-- read every case. Few cases hold a proposal at a time, so the partial index stays small.
CREATE INDEX cases_proposed ON cases (proposed_at, id) WHERE proposed_status IS NOT NULL;

-- +goose Down
DROP INDEX cases_proposed;
