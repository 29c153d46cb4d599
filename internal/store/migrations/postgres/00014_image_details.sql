-- +goose Up
-- The media library: every uploaded image keeps the alt text, caption and
-- credit it was uploaded with, which the library page edits and which a
-- writer reusing the image gets back. The library's search is a LIKE over
-- these three columns (no index can serve a '%word%' pattern): a newsroom
-- keeps thousands of images, not millions, so a scan of this one narrow
-- table stays in the milliseconds.
ALTER TABLE images ADD COLUMN alt TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN credit TEXT NOT NULL DEFAULT '';
