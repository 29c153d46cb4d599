-- +goose Up
-- Uploaded images (internal/media). Each is stored as one file per width
-- under key: <key>/<width>.<ext>, e.g. u/3f9a…/640.jpg. widths lists the
-- stored widths, smallest first, as "320,640"; width and height are the
-- original's. bytes is the size of all the files together.
CREATE TABLE images (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    ext          TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    widths       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes        INTEGER NOT NULL,
    created_by   INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    CHECK (key <> '' AND ext <> '' AND widths <> '' AND width > 0 AND height > 0)
);
CREATE INDEX images_newest ON images (created_at, id);
CREATE INDEX images_created_by ON images (created_by);
