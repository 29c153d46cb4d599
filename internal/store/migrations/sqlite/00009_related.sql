-- +goose Up
-- Each published article's related articles, chosen when it is published
-- or edited (shared tags and words in common), so pages only read them.
CREATE TABLE article_related (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    related_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, related_id)
);
