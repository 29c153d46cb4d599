-- +goose Up
-- What each import made of each record of its source: the source's own id
-- (a WordPress post id, a Ghost uuid), the local row it became, and a hash
-- of the record as last imported, so that running the same file again
-- adds nothing and rewrites only the records that changed. local_version
-- is the article's version as the import left it, so that a later run
-- leaves an article the newsroom edited since alone; for a section it is
-- -1 when the import adopted a section the paper already had, which no
-- run then changes.
CREATE TABLE import_ids (
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    local_id     BIGINT NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    local_version INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, kind, source_id)
);
