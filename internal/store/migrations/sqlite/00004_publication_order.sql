-- +goose Up
-- Published articles in publication order, oldest first, with the time of
-- their last change: the sitemaps count each month, find its newest change
-- and page through it by (published_at, id) from this index alone, without
-- reading table rows, so they stay fast at millions of articles.
CREATE INDEX articles_publication_order ON articles (status, published_at, id, updated_at);
