-- +goose Up
-- A leaner access log: every API and dashboard request writes a row, so each index on it
-- is paid on every request (issue 16's cost budget). Two go:
-- - access_log_created: ids are UUIDv7, ordered by the time they were made, so a time
--   range is a range of ids (docket.FirstIDAt) on the primary key or (source, id);
-- - access_log_objects_log and the foreign key that used it: housekeeping deletes an
--   entry's objects by their primary key (object_id, access_log_id), reading the object
--   ids from the entry (object_ids), in the same transaction as the entry.
DROP INDEX access_log_created;
ALTER TABLE access_log_objects DROP CONSTRAINT access_log_objects_access_log_id_fkey;
DROP INDEX access_log_objects_log;

-- +goose Down
CREATE INDEX access_log_objects_log ON access_log_objects (access_log_id);
ALTER TABLE access_log_objects ADD CONSTRAINT access_log_objects_access_log_id_fkey
    FOREIGN KEY (access_log_id) REFERENCES access_log(id) ON DELETE CASCADE;
CREATE INDEX access_log_created ON access_log (created_at);
