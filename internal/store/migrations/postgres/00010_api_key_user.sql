-- +goose Up
-- An API key may belong to a user: it then acts with the lesser of its scopes and the
-- user's role. Keys made before this migration belong to nobody and keep their scopes.
ALTER TABLE api_keys ADD COLUMN user_id TEXT REFERENCES users(id);

-- +goose Down
ALTER TABLE api_keys DROP COLUMN user_id;
