-- +goose Up
-- A deactivated user keeps their row (history names them) but cannot sign in, their API
-- keys are refused and they get no new cases. NULL: active.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;

-- API keys may expire; last_used_at is written at most once a minute per key
-- (docket.APIKeyTouchEvery), not on every request.
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;

-- When the user last signed in to the dashboard, for the admin's user list. It lives with
-- the password, apart from users, so that a sign-in changes no user row and writes no event.
ALTER TABLE credentials ADD COLUMN last_sign_in_at BIGINT;

-- +goose Down
ALTER TABLE credentials DROP COLUMN last_sign_in_at;
ALTER TABLE api_keys DROP COLUMN last_used_at;
ALTER TABLE api_keys DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN deactivated_at;
