-- +goose Up
-- Full-text search over published articles: one row per published
-- article with its searchable text and a weighted tsvector (headline A,
-- deck, bylines and tags B, body C) under a GIN index. The 'simple'
-- configuration lower-cases and splits words without stemming, so both
-- English and Korean words are found by prefix (서울 finds 서울에서),
-- see docs/search.md. The application keeps the rows in step with
-- articles in the same transaction as each save.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    headline   TEXT NOT NULL,
    deck       TEXT NOT NULL,
    body       TEXT NOT NULL,
    people     TEXT NOT NULL,
    tags       TEXT NOT NULL,
    document   tsvector NOT NULL
);
CREATE INDEX article_search_document ON article_search USING GIN (document);
INSERT INTO article_search (article_id, headline, deck, body, people, tags, document)
SELECT id, headline, deck, body, people, tags,
    setweight(to_tsvector('simple', headline), 'A') ||
    setweight(to_tsvector('simple', deck || ' ' || people || ' ' || tags), 'B') ||
    setweight(to_tsvector('simple', body), 'C')
FROM (
    SELECT a.id, a.headline, a.deck, a.body,
        COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') AS people,
        COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '') AS tags
    FROM articles a WHERE a.status = 'published'
) s;
