-- +goose Up
-- Search in publication order. Each published article gets a search key:
-- its publication time in milliseconds shifted left by 20 bits, with the
-- low 20 bits of its id below (the application moves a key that would
-- clash up by one). "The newest matches" then walks the key's index
-- backwards and stops after a page, and a date range is a key range.
--
-- The search table keeps no copy of the text, only the weighted
-- tsvector (headline A; deck, bylines and tags B; body C): the
-- highlighted passage is cut from the article's own row, and the weights
-- tell a headline match from a body match without a second column.
ALTER TABLE articles ADD COLUMN search_key BIGINT;
UPDATE articles SET search_key = (published_at << 20) | (id & 1048575)
    WHERE status = 'published' AND published_at IS NOT NULL;
CREATE UNIQUE INDEX articles_search_key ON articles (search_key);
DROP TABLE article_search;
CREATE TABLE article_search (
    search_key BIGINT PRIMARY KEY,
    article_id BIGINT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    document   tsvector NOT NULL
);
INSERT INTO article_search (search_key, article_id, document)
SELECT search_key, id,
    setweight(to_tsvector('simple', headline), 'A') ||
    setweight(to_tsvector('simple', deck || ' ' || people || ' ' || tags), 'B') ||
    setweight(to_tsvector('simple', body), 'C')
FROM (
    SELECT a.search_key, a.id, a.headline, a.deck, a.body,
        COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') AS people,
        COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '') AS tags
    FROM articles a WHERE a.search_key IS NOT NULL
) s;
CREATE INDEX article_search_document ON article_search USING GIN (document);
