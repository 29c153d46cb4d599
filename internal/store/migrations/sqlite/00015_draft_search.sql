-- +goose Up
-- The newsroom's search also finds articles readers cannot see yet:
-- drafts, articles in review, scheduled ones. They are kept in an index
-- of their own, beside the readers' (article_search, published articles
-- only), so no reader search can ever reach them. An article is in
-- exactly one of the two: here while it has no search key, by its id.
-- The same tokenizer and prefix index, so a query matches the same
-- words in both.
CREATE VIRTUAL TABLE draft_search USING fts5(
    headline, deck, body, people, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
);
INSERT INTO draft_search (rowid, headline, deck, body, people, tags)
SELECT a.id, a.headline, a.deck, a.body,
    COALESCE((SELECT group_concat(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), ''),
    COALESCE((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')
FROM articles a WHERE a.search_key IS NULL;
-- Their words join the vocabulary that prefixes are expanded from, or a
-- prefix whose words are all in published articles would never reach a
-- draft's other words. A word in the vocabulary finds nothing in an
-- index that does not hold it.
CREATE VIRTUAL TABLE temp.draft_search_vocab USING fts5vocab(main, draft_search, 'row');
INSERT OR IGNORE INTO search_words (word) SELECT term FROM temp.draft_search_vocab;
DROP TABLE temp.draft_search_vocab;
-- The newsroom's list opens on the most recently changed articles, and
-- its pages by headline are read in the order of an index too.
CREATE INDEX articles_updated ON articles (updated_at, id);
CREATE INDEX articles_headline_sort ON articles (LOWER(headline), id);
