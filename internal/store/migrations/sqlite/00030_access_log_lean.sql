-- +goose Up
-- A leaner access log: every API and dashboard request writes a row, so each index on it
-- is paid on every request (issue 16's cost budget). Two go:
-- - access_log_created: ids are UUIDv7, ordered by the time they were made, so a time
--   range is a range of ids (docket.FirstIDAt) on the primary key or (source, id);
-- - access_log_objects_log and the foreign key that used it: housekeeping deletes an
--   entry's objects by their primary key (object_id, access_log_id), reading the object
--   ids from the entry (object_ids), in the same transaction as the entry.
-- SQLite cannot drop a foreign key: the table is rebuilt without it.
DROP INDEX access_log_created;
CREATE TABLE access_log_objects_new (
    object_id      TEXT NOT NULL,
    access_log_id  TEXT NOT NULL,
    PRIMARY KEY (object_id, access_log_id)
);
INSERT INTO access_log_objects_new (object_id, access_log_id) SELECT object_id, access_log_id FROM access_log_objects;
DROP TABLE access_log_objects;
ALTER TABLE access_log_objects_new RENAME TO access_log_objects;

-- +goose Down
CREATE TABLE access_log_objects_old (
    object_id      TEXT NOT NULL,
    access_log_id  TEXT NOT NULL REFERENCES access_log(id) ON DELETE CASCADE,
    PRIMARY KEY (object_id, access_log_id)
);
INSERT INTO access_log_objects_old (object_id, access_log_id) SELECT object_id, access_log_id FROM access_log_objects;
DROP TABLE access_log_objects;
ALTER TABLE access_log_objects_old RENAME TO access_log_objects;
CREATE INDEX access_log_objects_log ON access_log_objects (access_log_id);
CREATE INDEX access_log_created ON access_log (created_at);
