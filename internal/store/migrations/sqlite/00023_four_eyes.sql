-- +goose Up
-- Four-eyes decisions (docket.Proposal): a template names the end statuses a second
-- person must confirm, and a case holds the decision awaiting that confirmation. The
-- proposal's comment is an ordinary case comment (proposal_comment_id), so redacting the
-- case erases its text with the other comments; proposed_by_user_id is the person behind
-- the proposer (a user, or the user an API key belongs to), whom the rule keeps from
-- confirming it.
ALTER TABLE case_templates ADD COLUMN four_eyes_statuses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN proposed_status TEXT;
ALTER TABLE cases ADD COLUMN proposed_by_type TEXT;
ALTER TABLE cases ADD COLUMN proposed_by_id TEXT;
ALTER TABLE cases ADD COLUMN proposed_by_user_id TEXT;
ALTER TABLE cases ADD COLUMN proposed_at BIGINT;
ALTER TABLE cases ADD COLUMN proposal_comment_id TEXT;

-- +goose Down
ALTER TABLE cases DROP COLUMN proposal_comment_id;
ALTER TABLE cases DROP COLUMN proposed_at;
ALTER TABLE cases DROP COLUMN proposed_by_user_id;
ALTER TABLE cases DROP COLUMN proposed_by_id;
ALTER TABLE cases DROP COLUMN proposed_by_type;
ALTER TABLE cases DROP COLUMN proposed_status;
ALTER TABLE case_templates DROP COLUMN four_eyes_statuses;
