-- +goose Up
-- Article views for the most-read lists, counted by the application in
-- memory and added here in batches: one row per article per hour (UTC,
-- Unix ms of the hour's start). Rows older than the longest list are
-- deleted as new ones are written.
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hour       BIGINT NOT NULL,
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_hour ON article_views (hour);
