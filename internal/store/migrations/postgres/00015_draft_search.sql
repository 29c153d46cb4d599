-- +goose Up
-- The newsroom's search also finds articles readers cannot see yet:
-- drafts, articles in review, scheduled ones. They are kept in a table
-- of their own, beside the readers' (article_search, published articles
-- only), so no reader search can ever reach them. An article is in
-- exactly one of the two: here while it has no search key. The newsroom
-- does not rank by weight, so one plain document is enough.
CREATE TABLE draft_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    document   tsvector NOT NULL
);
INSERT INTO draft_search (article_id, document)
SELECT a.id, to_tsvector('simple', a.headline || ' ' || a.deck || ' ' || a.body || ' ' ||
    COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') || ' ' ||
    COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), ''))
FROM articles a WHERE a.search_key IS NULL;
CREATE INDEX draft_search_document ON draft_search USING GIN (document);
-- Their words join the vocabulary that prefixes are expanded from (see
-- 00010); a word in it finds nothing in an index that does not hold it.
INSERT INTO search_words (word)
SELECT DISTINCT w FROM draft_search, unnest(tsvector_to_array(document)) w
ON CONFLICT DO NOTHING;
-- The newsroom's list opens on the most recently changed articles, and
-- its pages by headline are read in the order of an index too.
CREATE INDEX articles_updated ON articles (updated_at, id);
CREATE INDEX articles_headline_sort ON articles ((LOWER(headline) COLLATE "C"), id);
