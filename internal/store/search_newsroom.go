package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"broadsheet/internal/article"
	"broadsheet/internal/search"
)

// The newsroom searches every article a person may list, not only the
// published ones the readers' index holds: articles without a search key
// (drafts, review, scheduled) are in draft_search (migration 00015),
// keyed by id. indexArticle keeps each article in exactly one of the two.

// unindexDraft takes the article out of the drafts' index, if it is there.
func (t *txn) unindexDraft(ctx context.Context, id int64) error {
	del := `DELETE FROM draft_search WHERE rowid = ?`
	if t.d.name == "postgres" {
		del = `DELETE FROM draft_search WHERE article_id = ?`
	}
	if _, err := t.exec(ctx, del, id); err != nil {
		return fmt.Errorf("store: unindex draft %d: %w", id, err)
	}
	return nil
}

// indexDraft puts an article readers cannot see into the drafts' index,
// and its words into the vocabulary prefixes are expanded from.
func (t *txn) indexDraft(ctx context.Context, a *article.Article) error {
	people, tags := bylineWords(a)
	body := search.Text(a.BodyHTML)
	if t.d.name == "postgres" {
		if _, err := t.exec(ctx, `INSERT INTO draft_search (article_id, document)
			VALUES (?, to_tsvector('simple', CAST(? AS TEXT)))`,
			a.ID, strings.Join([]string{a.Headline, a.Deck, body, people, tags}, " ")); err != nil {
			return fmt.Errorf("store: index draft %d: %w", a.ID, err)
		}
		if _, err := t.exec(ctx, `INSERT INTO search_words (word)
			SELECT w FROM draft_search, unnest(tsvector_to_array(document)) w
			WHERE article_id = ? ORDER BY w ON CONFLICT DO NOTHING`, a.ID); err != nil {
			return fmt.Errorf("store: index draft %d words: %w", a.ID, err)
		}
		return nil
	}
	if _, err := t.exec(ctx, `INSERT INTO draft_search (rowid, headline, deck, body, people, tags) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.Headline, a.Deck, body, people, tags); err != nil {
		return fmt.Errorf("store: index draft %d: %w", a.ID, err)
	}
	words, err := json.Marshal(search.IndexWords(a.Headline, a.Deck, body, people, tags))
	if err != nil {
		return fmt.Errorf("store: index draft %d: %w", a.ID, err)
	}
	if _, err := t.exec(ctx, `INSERT OR IGNORE INTO search_words (word) SELECT value FROM json_each(?)`, string(words)); err != nil {
		return fmt.Errorf("store: index draft %d words: %w", a.ID, err)
	}
	return nil
}

// bylineWords are the names of a's authors and tags, as the indexes hold
// them.
func bylineWords(a *article.Article) (people, tags string) {
	var p, t []string
	for _, au := range a.Authors {
		p = append(p, au.Name)
	}
	for _, tg := range a.Tags {
		t = append(t, tg.Name)
	}
	return strings.Join(p, " "), strings.Join(t, " ")
}

// textFilter is the condition (on articles as a) that an article matches
// the newsroom's search words, in whichever index holds it. A query that
// is not a search is an *article.QueryError naming the field "q".
func (db *DB) textFilter(ctx context.Context, text string) (string, []any, error) {
	terms, err := search.Parse(text)
	if err != nil {
		return "", nil, &article.QueryError{Field: "q", Err: err}
	}
	if terms, err = db.expand(ctx, terms); err != nil {
		return "", nil, err
	}
	if db.d.name == "postgres" {
		tsq := terms.TSQuery()
		return ` AND (a.id IN (SELECT s.article_id FROM article_search s WHERE s.document @@ to_tsquery('simple', ?))
			OR a.id IN (SELECT d.article_id FROM draft_search d WHERE d.document @@ to_tsquery('simple', ?)))`,
			[]any{tsq, tsq}, nil
	}
	m := terms.FTS5()
	return ` AND (a.search_key IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)
		OR a.id IN (SELECT rowid FROM draft_search WHERE draft_search MATCH ?))`, []any{m, m}, nil
}

// rebuildDraftSearch fills the drafts' index from the articles without a
// search key, after a bulk load.
func (db *DB) rebuildDraftSearch(ctx context.Context) error {
	stmts := []string{
		`INSERT INTO draft_search (draft_search) VALUES ('delete-all')`,
		`INSERT INTO draft_search (rowid, headline, deck, body, people, tags)
		SELECT a.id, a.headline, a.deck, a.body,
			COALESCE((SELECT group_concat(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), ''),
			COALESCE((SELECT group_concat(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '')
		FROM articles a WHERE a.search_key IS NULL`,
		`CREATE VIRTUAL TABLE IF NOT EXISTS draft_search_vocab USING fts5vocab(draft_search, 'row')`,
		`INSERT OR IGNORE INTO search_words (word) SELECT term FROM draft_search_vocab`,
		`DROP TABLE draft_search_vocab`,
	}
	if db.d.name == "postgres" {
		stmts = []string{
			`DELETE FROM draft_search`,
			`INSERT INTO draft_search (article_id, document)
			SELECT a.id, to_tsvector('simple', a.headline || ' ' || a.deck || ' ' || a.body || ' ' ||
				COALESCE((SELECT string_agg(au.name, ' ') FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id), '') || ' ' ||
				COALESCE((SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), ''))
			FROM articles a WHERE a.search_key IS NULL`,
			`INSERT INTO search_words (word)
			SELECT DISTINCT w FROM draft_search, unnest(tsvector_to_array(document)) w ON CONFLICT DO NOTHING`,
		}
	}
	for _, s := range stmts {
		if _, err := db.sql.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("store: rebuild draft search: %w", err)
		}
	}
	return nil
}
