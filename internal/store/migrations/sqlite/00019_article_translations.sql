-- +goose Up
-- An article's language and its counterpart in the other language. The
-- pair is kept as two rows, one from each side, so either article finds
-- the other with one look-up; counterpart_id is unique, so no article is
-- the counterpart of two. No row: an English article without a pair.
CREATE TABLE article_translations (
    article_id     INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    language       TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ko')),
    counterpart_id INTEGER UNIQUE REFERENCES articles(id) ON DELETE SET NULL
);
