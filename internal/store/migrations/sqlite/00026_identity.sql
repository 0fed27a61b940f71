-- +goose Up
-- Identity (docket.Identity) on accounts and inquiries: the hosted API's names, birthdate,
-- address and identifiers, kept as one JSON document each. identity_name is the first and
-- last names in the form the case search box finds them by (docket.SearchNameOf), NULL
-- when there are none, so that the search box's name lookup is an index seek. Inquiries
-- also keep the hosted product's template ids they were created with; the list filters on
-- inquiry_template_id.
ALTER TABLE accounts ADD COLUMN identity TEXT NOT NULL DEFAULT '{}';
ALTER TABLE accounts ADD COLUMN identity_name TEXT;
CREATE INDEX accounts_identity_name ON accounts (identity_name);
ALTER TABLE inquiries ADD COLUMN identity TEXT NOT NULL DEFAULT '{}';
ALTER TABLE inquiries ADD COLUMN identity_name TEXT;
ALTER TABLE inquiries ADD COLUMN inquiry_template_id TEXT;
ALTER TABLE inquiries ADD COLUMN template_id TEXT;
ALTER TABLE inquiries ADD COLUMN inquiry_template_version_id TEXT;
CREATE INDEX inquiries_identity_name ON inquiries (identity_name);
CREATE INDEX inquiries_inquiry_template ON inquiries (inquiry_template_id, id);

-- +goose Down
DROP INDEX inquiries_inquiry_template;
DROP INDEX inquiries_identity_name;
ALTER TABLE inquiries DROP COLUMN inquiry_template_version_id;
ALTER TABLE inquiries DROP COLUMN template_id;
ALTER TABLE inquiries DROP COLUMN inquiry_template_id;
ALTER TABLE inquiries DROP COLUMN identity_name;
ALTER TABLE inquiries DROP COLUMN identity;
DROP INDEX accounts_identity_name;
ALTER TABLE accounts DROP COLUMN identity_name;
ALTER TABLE accounts DROP COLUMN identity;
