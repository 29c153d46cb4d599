-- +goose Up
-- Korean names for what the reader site's chrome shows: a section's name
-- in the navigation, breadcrumbs and headings, a static page's title in
-- the footer. Empty means none was given, and Korean pages show the
-- English one; readers always get a name.
ALTER TABLE sections ADD COLUMN name_ko TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN title_ko TEXT NOT NULL DEFAULT '';
