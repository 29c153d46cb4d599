-- +goose NO TRANSACTION
-- +goose Up
-- Moderators join the staff roles. SQLite cannot change a CHECK in place,
-- so staff is rebuilt the way SQLite documents it: foreign keys off (which
-- only works outside a transaction, hence NO TRANSACTION and the explicit
-- BEGIN), build the new table, copy, drop, rename, check, commit.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE staff_new (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('reporter', 'moderator', 'editor', 'admin')),
    created_at    INTEGER NOT NULL,
    password_hash TEXT NOT NULL DEFAULT ''
);
INSERT INTO staff_new (id, email, name, role, created_at)
    SELECT id, email, name, role, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;

-- '' inherits: article from section, section from its parent, then the site.
ALTER TABLE sections ADD COLUMN comment_mode TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN comment_mode TEXT NOT NULL DEFAULT '';

-- Readers sign in only through social login: no passwords here.
CREATE TABLE readers (
    id               INTEGER PRIMARY KEY,
    provider         TEXT NOT NULL,
    subject          TEXT NOT NULL,
    display_name     TEXT NOT NULL,
    avatar_url       TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    policy_version   TEXT NOT NULL DEFAULT '',
    banned_until     INTEGER,
    ban_rule         INTEGER,
    ban_reason       TEXT NOT NULL DEFAULT '',
    last_comment_at  INTEGER NOT NULL DEFAULT 0,
    last_reaction_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (provider, subject)
);

-- Browser sessions of readers and of staff; only a hash of the cookie is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    reader_id  INTEGER REFERENCES readers(id) ON DELETE CASCADE,
    staff_id   INTEGER REFERENCES staff(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    CHECK ((reader_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX sessions_reader ON sessions (reader_id);
CREATE INDEX sessions_staff ON sessions (staff_id);

-- An OAuth login in progress, keyed by its state and used at most once.
CREATE TABLE login_flows (
    state      TEXT PRIMARY KEY,
    provider   TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    next_path  TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    reader_id   INTEGER REFERENCES readers(id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('visible', 'held', 'rejected', 'deleted')),
    rule        INTEGER,
    mod_reason  TEXT NOT NULL DEFAULT '',
    likes       INTEGER NOT NULL DEFAULT 0,
    dislikes    INTEGER NOT NULL DEFAULT 0,
    reports     INTEGER NOT NULL DEFAULT 0,
    replies     INTEGER NOT NULL DEFAULT 0,
    score       REAL NOT NULL DEFAULT 0,
    body_hash   TEXT NOT NULL,
    ip_hash     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER
);
CREATE INDEX comments_article ON comments (article_id, parent_id, created_at, id);
CREATE INDEX comments_best ON comments (article_id, parent_id, score DESC, id);
CREATE INDEX comments_reader ON comments (reader_id, created_at);
CREATE INDEX comments_reader_article ON comments (reader_id, article_id);
CREATE INDEX comments_reader_text ON comments (reader_id, body_hash, created_at);
CREATE INDEX comments_queue ON comments (status, created_at);
CREATE INDEX comments_reported ON comments (reports, created_at);
CREATE INDEX comments_ip ON comments (ip_hash, created_at);

CREATE TABLE comment_reactions (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    ip_hash    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);
CREATE INDEX comment_reactions_reader ON comment_reactions (reader_id, created_at);

CREATE TABLE comment_reports (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);

CREATE TABLE banned_words (
    id     INTEGER PRIMARY KEY,
    word   TEXT NOT NULL,
    lang   TEXT NOT NULL CHECK (lang IN ('en', 'ko')),
    action TEXT NOT NULL CHECK (action IN ('reject', 'hold')),
    rule   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (word, lang)
);

-- Every moderation decision, by staff or by the rules, with the policy
-- rule it applied.
CREATE TABLE moderation_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    staff_id   INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    action     TEXT NOT NULL,
    comment_id INTEGER,
    reader_id  INTEGER,
    rule       INTEGER,
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX moderation_log_at ON moderation_log (at);
CREATE INDEX moderation_log_reader ON moderation_log (reader_id, at);

COMMIT;
PRAGMA foreign_keys = ON;
