-- +goose Up
-- Old addresses that answer 301 with a new one: a paper's archive brought
-- in from another system keeps its links working. from_path is a path,
-- normalised (no trailing slash but "/", lower-case percent-escapes), with
-- a query only for WordPress's "/?p=ID" and "/?page_id=ID" forms; source
-- is the system the redirect came from ("wordpress", "ghost"), or "" for
-- one made by hand. The primary key is the one index a 404 consults.
CREATE TABLE redirects (
    from_path  TEXT PRIMARY KEY,
    to_path    TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
