-- +goose Up
-- The event browser and GET /events?filter[object-type]= page through the events of one
-- type of object, newest first.
CREATE INDEX events_object_type ON events (object_type, id);

-- +goose Down
DROP INDEX events_object_type;
