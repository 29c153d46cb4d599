package store

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"

	"broadsheet/internal/article"
	"broadsheet/internal/search"
)

// textOnly keeps the text of rendered HTML, for the search index.
var textOnly = bluemonday.StrictPolicy()

// indexArticle keeps the article's search row in step with it, inside
// the save's transaction: only published articles are found.
func (t *txn) indexArticle(ctx context.Context, a *article.Article) error {
	pg := t.d.name == "postgres"
	del := `DELETE FROM article_search WHERE rowid = ?`
	if pg {
		del = `DELETE FROM article_search WHERE article_id = ?`
	}
	if _, err := t.exec(ctx, del, a.ID); err != nil {
		return fmt.Errorf("store: unindex article %d: %w", a.ID, err)
	}
	if a.Status != article.Published {
		return nil
	}
	var people, tags []string
	for _, au := range a.Authors {
		people = append(people, au.Name)
	}
	for _, tg := range a.Tags {
		tags = append(tags, tg.Name)
	}
	body := html.UnescapeString(textOnly.Sanitize(strings.ReplaceAll(a.BodyHTML, "<", " <")))
	args := []any{a.ID, a.Headline, a.Deck, body, strings.Join(people, " "), strings.Join(tags, " ")}
	ins := `INSERT INTO article_search (rowid, headline, deck, body, people, tags) VALUES (?, ?, ?, ?, ?, ?)`
	if pg {
		ins = `INSERT INTO article_search (article_id, headline, deck, body, people, tags, document)
			SELECT v.id, v.h, v.d, v.b, v.p, v.t,
				setweight(to_tsvector('simple', v.h), 'A') ||
				setweight(to_tsvector('simple', v.d || ' ' || v.p || ' ' || v.t), 'B') ||
				setweight(to_tsvector('simple', v.b), 'C')
			FROM (SELECT CAST(? AS BIGINT) AS id, CAST(? AS TEXT) AS h, CAST(? AS TEXT) AS d, CAST(? AS TEXT) AS b,
				CAST(? AS TEXT) AS p, CAST(? AS TEXT) AS t) v`
	}
	if _, err := t.exec(ctx, ins, args...); err != nil {
		return fmt.Errorf("store: index article %d: %w", a.ID, err)
	}
	return nil
}

// Candidates is how many matches a search ranks: the most recent ones
// (by id, which follows creation) that pass the filters. Ranking every
// match of a common word in a million articles would take seconds; the
// most recent 200 keep a search's cost flat however large the
// archive grows, and a reader looking further back sorts by date or
// narrows the words. Rare words have fewer matches than this, so their
// ranking is exact.
const Candidates = 200

// Search finds published articles matching q, best first or newest
// first, one page after q.After. Snippets are highlighted HTML.
func (db *DB) Search(ctx context.Context, q search.Query) ([]search.Hit, error) {
	limit := q.Limit
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	pg := db.d.name == "postgres"
	var filters strings.Builder
	var fargs []any
	if len(q.SectionIDs) > 0 {
		filters.WriteString(` AND a.section_id IN (` + placeholders(len(q.SectionIDs)) + `)`)
		for _, id := range q.SectionIDs {
			fargs = append(fargs, id)
		}
	}
	if q.AuthorID != 0 {
		filters.WriteString(` AND EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.author_id = ?)`)
		fargs = append(fargs, q.AuthorID)
	}
	if !q.From.IsZero() {
		filters.WriteString(` AND a.published_at >= ?`)
		fargs = append(fargs, ms(q.From))
	}
	if !q.To.IsZero() {
		filters.WriteString(` AND a.published_at < ?`)
		fargs = append(fargs, ms(q.To))
	}
	// The newest-first order pages through every match: its cursor moves
	// the candidates back in time. By relevance, the candidates are the
	// most recent matches and the cursor moves through their ranking.
	if q.Sort == search.Newest && !q.After.IsZero() {
		filters.WriteString(` AND (a.published_at < ? OR (a.published_at = ? AND a.id < ?))`)
		t := ms(q.After.PublishedAt)
		fargs = append(fargs, t, t, q.After.ID)
	}
	// The index holds published articles only, so the articles table is
	// joined only when a filter needs its columns.
	join := ""
	if filters.Len() > 0 {
		key := "s.rowid"
		if pg {
			key = "s.article_id"
		}
		join = ` JOIN articles a ON a.id = ` + key
	}
	// score: lower is better on both engines (bm25 is negative; the
	// PostgreSQL rank is negated to match), so one ordering serves both.
	var sb strings.Builder
	var args []any
	if pg {
		sb.WriteString(`SELECT ` + listCols + `, -ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', s.document, q.q, 1)::float8 AS score
			FROM (SELECT s.article_id AS id FROM article_search s` + join + `
				WHERE s.document @@ to_tsquery('simple', ?)` + filters.String() + `
				ORDER BY s.article_id DESC LIMIT ?) c
			JOIN articles a ON a.id = c.id JOIN article_search s ON s.article_id = c.id, to_tsquery('simple', ?) q(q)`)
		args = append(append(append(args, q.Terms.TSQuery()), fargs...), Candidates, q.Terms.TSQuery())
	} else {
		sb.WriteString(`SELECT ` + listCols + `, c.score FROM (
				SELECT s.rowid AS id, bm25(article_search, 10.0, 4.0, 1.0, 3.0, 3.0) AS score
				FROM article_search s` + join + `
				WHERE article_search MATCH ?` + filters.String() + `
				ORDER BY s.rowid DESC LIMIT ?) c
			JOIN articles a ON a.id = c.id`)
		args = append(append(append(args, q.Terms.FTS5()), fargs...), Candidates)
	}
	score := "c.score"
	if pg {
		score = "-ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', s.document, q.q, 1)::float8"
	}
	if q.Sort == search.Newest {
		sb.WriteString(` ORDER BY a.published_at DESC, a.id DESC`)
	} else {
		if !q.After.IsZero() {
			sb.WriteString(` WHERE (` + score + ` > ? OR (` + score + ` = ? AND a.id > ?))`)
			args = append(args, q.After.Score, q.After.Score, q.After.ID)
		}
		sb.WriteString(` ORDER BY score, a.id`)
	}
	sb.WriteString(` LIMIT ?`)
	args = append(args, limit)

	rows, err := db.query(ctx, sb.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var hits []search.Hit
	for rows.Next() {
		var h search.Hit
		if err := scanArticleInto(rows, &h.Article, &h.Score); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	if err := db.snippets(ctx, q.Terms, hits); err != nil {
		return nil, err
	}
	return hits, nil
}

// snippets fills in the highlighted passage of each hit from its
// indexed text, in one look-up by id of the page's few rows.
func (db *DB) snippets(ctx context.Context, t search.Terms, hits []search.Hit) error {
	if len(hits) == 0 {
		return nil
	}
	key := "rowid"
	if db.d.name == "postgres" {
		key = "article_id"
	}
	args := make([]any, len(hits))
	index := map[int64]int{}
	for i, h := range hits {
		args[i] = h.Article.ID
		index[h.Article.ID] = i
	}
	rows, err := db.query(ctx, `SELECT `+key+`, body FROM article_search WHERE `+key+` IN (`+placeholders(len(hits))+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: search snippets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return fmt.Errorf("store: search snippets: %w", err)
		}
		if i, ok := index[id]; ok {
			hits[i].Snippet = t.Snippet(body)
		}
	}
	return rows.Err()
}
