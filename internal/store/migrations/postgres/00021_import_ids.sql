-- +goose Up
-- What each import made of each record of its source: the source's own id
-- (a WordPress post id, a Ghost uuid), the local row it became, and a hash
-- of the record as last imported, so that running the same file again
-- adds nothing and rewrites only the records that changed.
CREATE TABLE import_ids (
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    local_id     BIGINT NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, kind, source_id)
);
