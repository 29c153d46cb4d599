-- +goose Up
-- A reader's report names the policy rule the comment breaks; the reason
-- becomes the reader's optional note. 0: a report from before rules were
-- chosen, or an API client that gave only a reason.
ALTER TABLE comment_reports ADD COLUMN rule INTEGER NOT NULL DEFAULT 0;
