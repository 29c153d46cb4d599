-- +goose Up
-- The newsroom glossary: a headword with its translation into one
-- language, shown before WordNet's definitions. headword is stored in the
-- form look-ups use (glossary.Key: lower-case, single spaces, no
-- surrounding punctuation), so finding an entry is one equality match.
CREATE TABLE glossary (
    id          INTEGER PRIMARY KEY,
    headword    TEXT NOT NULL,
    lang        TEXT NOT NULL,
    translation TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (headword, lang),
    CHECK (headword <> '' AND lang <> '' AND translation <> '')
);
