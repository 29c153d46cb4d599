-- +goose NO TRANSACTION
-- +goose Up
-- The newsroom's workflow: articles gain the review and scheduled
-- statuses, search-engine fields, the lead image's srcset and size, and
-- keep their revisions, corrections, secondary sections and old slugs.
-- SQLite cannot widen a CHECK in place, so articles is rebuilt the way
-- SQLite documents it (foreign keys off, which only works outside a
-- transaction, hence NO TRANSACTION and the explicit BEGIN).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE articles_new (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    headline        TEXT NOT NULL,
    deck            TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    section_id      INTEGER NOT NULL REFERENCES sections(id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'review', 'scheduled', 'published')),
    published_at    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    image_url       TEXT NOT NULL DEFAULT '',
    image_caption   TEXT NOT NULL DEFAULT '',
    image_credit    TEXT NOT NULL DEFAULT '',
    image_alt       TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    comment_mode    TEXT NOT NULL DEFAULT '',
    image_srcset    TEXT NOT NULL DEFAULT '',
    image_width     INTEGER NOT NULL DEFAULT 0,
    image_height    INTEGER NOT NULL DEFAULT 0,
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT ''
);
INSERT INTO articles_new (id, slug, headline, deck, body, body_html, section_id, status, published_at,
        created_at, updated_at, image_url, image_caption, image_credit, image_alt, created_by, version, comment_mode)
    SELECT id, slug, headline, deck, body, body_html, section_id, status, published_at,
        created_at, updated_at, image_url, image_caption, image_credit, image_alt, created_by, version, comment_mode
    FROM articles;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE INDEX articles_section_list ON articles (section_id, status, published_at DESC, id DESC);
CREATE INDEX articles_list ON articles (status, published_at DESC, id DESC);

-- Every save, as the JSON of what the editor saw, so any version can be
-- shown, compared and restored.
CREATE TABLE article_revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    staff_id   INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    snapshot   TEXT NOT NULL,
    UNIQUE (article_id, version)
);

-- Corrections are appended to a published article and shown on it.
CREATE TABLE article_corrections (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    body       TEXT NOT NULL CHECK (body <> ''),
    staff_id   INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX article_corrections_article ON article_corrections (article_id, created_at);

-- Sections an article also appears in, besides its primary one.
CREATE TABLE article_sections (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, section_id)
);
CREATE INDEX article_sections_section ON article_sections (section_id);

-- Slugs an article was published under, so every old URL redirects.
CREATE TABLE article_slugs (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    slug       TEXT NOT NULL,
    PRIMARY KEY (article_id, slug)
);

-- Editors' order of the stories leading a section front.
CREATE TABLE section_picks (
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (section_id, article_id)
);

-- Every staff action: who, what, when, and the state before and after
-- where one exists (JSON).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    staff_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   INTEGER NOT NULL DEFAULT 0,
    summary     TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_log_staff ON audit_log (staff_id, id);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);

-- Staff accounts: an optional TOTP second factor, switching an account
-- off without deleting its history, one-time password-reset links and
-- failed logins kept in the database so every instance sees them.
ALTER TABLE staff ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE authors ADD COLUMN photo_url TEXT NOT NULL DEFAULT '';
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE staff_login_failures (
    email     TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX staff_login_failures_email ON staff_login_failures (email, failed_at);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
