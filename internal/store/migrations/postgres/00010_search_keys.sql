-- +goose Up
-- Search in publication order. Each published article gets a search key:
-- its publication time in milliseconds shifted left by 20 bits, with the
-- low 20 bits of its id below (the application moves a key that would
-- clash up by one), so the newest matches are those with the highest keys.
--
-- The search table keeps no copy of the text:
--   head      the headline (weight A) and the deck, bylines and tags (B):
--             small enough to stay in the row, so telling a headline
--             match from a body match for a page of candidates reads no
--             large value;
--   document  everything (headline A; deck, bylines, tags B; body C) and
--             three more words for the day, month and year of
--             publication (UTC): _d20261126, _m202611, _y2026.
-- A search asks the GIN index for its words AND the last day's word, then
-- for the days, months and years before, widening until it has enough:
-- the index's own skipping reads only the matches of those days, however
-- common the words are in the whole archive. The highlighted passage is
-- cut from the article's own row.
ALTER TABLE articles ADD COLUMN search_key BIGINT;
UPDATE articles SET search_key = (published_at << 20) | (id & 1048575)
    WHERE status = 'published' AND published_at IS NOT NULL;
CREATE UNIQUE INDEX articles_search_key ON articles (search_key);
DROP TABLE article_search;
CREATE TABLE article_search (
    search_key BIGINT PRIMARY KEY,
    article_id BIGINT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    head       tsvector NOT NULL,
    document   tsvector NOT NULL
);
INSERT INTO article_search (search_key, article_id, head, document)
SELECT search_key, id, head,
    head || setweight(to_tsvector('simple', body), 'C')
        || array_to_tsvector(ARRAY[
            '_d' || to_char(to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC', 'YYYYMMDD'),
            '_m' || to_char(to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC', 'YYYYMM'),
            '_y' || to_char(to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY')])
FROM (
    SELECT a.search_key, a.id, a.body, a.published_at,
        setweight(to_tsvector('simple', a.headline), 'A') ||
        setweight(to_tsvector('simple', a.deck || ' ' ||
            COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') || ' ' ||
            COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')), 'B') AS head
    FROM articles a WHERE a.search_key IS NOT NULL
    OFFSET 0 -- head is made once per article, not once per use
) s;
CREATE INDEX article_search_document ON article_search USING GIN (document);
CREATE INDEX article_search_head ON article_search USING GIN (head);
-- Every word the index holds (but the time words), to turn a prefix
-- (vote*, 서울) into the words it stands for: GIN answers a prefix by
-- gathering every match of every word that starts with it, growing with
-- the archive; a look-up here and a search for those words does not.
-- Words are only added; a word no article has any more matches nothing.
-- The C collation orders words by their bytes, so a prefix is a range.
CREATE TABLE search_words (word TEXT COLLATE "C" PRIMARY KEY);
INSERT INTO search_words (word)
SELECT DISTINCT w FROM article_search, unnest(tsvector_to_array(document)) w
WHERE w NOT LIKE '\_%';
