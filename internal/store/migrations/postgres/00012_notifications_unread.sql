-- +goose Up
-- The dashboard shows every signed-in page with the user's unread count (capped): this
-- index holds only unread rows, so the count never reads the notifications already read.
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- +goose Down
DROP INDEX notifications_unread;
