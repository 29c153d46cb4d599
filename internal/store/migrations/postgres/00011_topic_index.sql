-- +goose Up
-- A topic page lists a tag's published articles newest first. Ordered by
-- articles.published_at, a popular tag's articles were all read and
-- sorted for every page; with the publication time copied onto the tag
-- link (NULL unless the article is published), the page is a walk down
-- one index that stops after a page of rows. Article saves keep the copy.
ALTER TABLE article_tags ADD COLUMN published_at BIGINT;
UPDATE article_tags SET published_at = a.published_at FROM articles a
    WHERE a.id = article_tags.article_id AND a.status = 'published';
CREATE INDEX article_tags_published ON article_tags (tag_id, published_at DESC, article_id DESC);

-- A month's sitemap reads every column it shows from this index, in
-- order, instead of looking each article's row up by id.
CREATE INDEX articles_sitemap ON articles (status, published_at, id) INCLUDE (slug, headline, updated_at);
