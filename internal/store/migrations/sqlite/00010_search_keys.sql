-- +goose Up
-- Search in publication order. Each published article gets a search key:
-- its publication time in milliseconds shifted left by 20 bits, with the
-- low 20 bits of its id below (the application moves a key that would
-- clash up by one). The full-text index uses the key as its rowid, so
-- "the newest matches" is a walk back from the end of the index that
-- stops after a page, and a date range is a rowid range: neither reads
-- the rest of a common word's matches.
--
-- The index keeps no copy of the text (content=''): the highlighted
-- passage is cut from the article's own row. Prefix index: three
-- characters, for prefixes the reader asks for (gov*) and Korean words,
-- which are matched by their start.
ALTER TABLE articles ADD COLUMN search_key INTEGER;
UPDATE articles SET search_key = (published_at << 20) | (id & 1048575)
    WHERE status = 'published' AND published_at IS NOT NULL;
CREATE UNIQUE INDEX articles_search_key ON articles (search_key);
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
    headline, deck, body, people, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
);
INSERT INTO article_search (rowid, headline, deck, body, people, tags)
SELECT a.search_key, a.headline, a.deck, a.body,
    COALESCE((SELECT group_concat(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), ''),
    COALESCE((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')
FROM articles a WHERE a.search_key IS NOT NULL;
-- Every word the index holds, to turn a prefix the index has no prefix
-- index for (vote*, 서울) into the words it stands for: a look-up here
-- and a search for those words reads about as much as a page of results,
-- where FTS5 would merge every matching word's whole list. Words are only
-- added; a word no article has any more matches nothing.
CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE temp.article_search_vocab USING fts5vocab(main, article_search, 'row');
INSERT OR IGNORE INTO search_words (word) SELECT term FROM temp.article_search_vocab;
DROP TABLE temp.article_search_vocab;
