-- +goose Up
-- Full-text search over published articles. One row per published
-- article, rowid = the article's id; the columns are the text a reader
-- searches, with bylines and tags as words. unicode61 splits on anything
-- but letters and digits and folds case and accents; Korean words are
-- matched by prefix (서울 finds 서울에서), see docs/search.md; the
-- prefix indexes make two- and three-letter prefixes as fast as words. The
-- application keeps the rows in step with articles in the same
-- transaction as each save.
CREATE VIRTUAL TABLE article_search USING fts5(
    headline, deck, body, people, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO article_search (rowid, headline, deck, body, people, tags)
SELECT a.id, a.headline, a.deck, a.body,
    COALESCE((SELECT group_concat(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), ''),
    COALESCE((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')
FROM articles a WHERE a.status = 'published';
