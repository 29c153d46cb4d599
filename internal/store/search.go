package store

import (
	"context"
	"database/sql"
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
	args := []any{a.ID, search.Clean(a.Headline), search.Clean(a.Deck), search.Clean(body),
		search.Clean(strings.Join(people, " ")), search.Clean(strings.Join(tags, " "))}
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

// Search finds published articles matching q, best first or newest
// first, one page after q.After. Snippets are highlighted HTML.
func (db *DB) Search(ctx context.Context, q search.Query) ([]search.Hit, error) {
	limit := q.Limit
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	pg := db.d.name == "postgres"
	// score: lower is better on both engines (bm25 is negative; the
	// PostgreSQL rank is negated to match), so one ordering serves both.
	var sb strings.Builder
	var args []any
	if pg {
		sb.WriteString(`SELECT ` + listCols + `, m.score FROM (
			SELECT s.article_id AS id, -ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', s.document, q.q, 1)::float8 AS score
			FROM article_search s, to_tsquery('simple', ?) q(q) WHERE s.document @@ q.q) m
			JOIN articles a ON a.id = m.id`)
		args = append(args, q.Terms.TSQuery())
	} else {
		sb.WriteString(`SELECT ` + listCols + `, m.score FROM (
			SELECT rowid AS id, bm25(article_search, 10.0, 4.0, 1.0, 3.0, 3.0) AS score
			FROM article_search WHERE article_search MATCH ?) m
			JOIN articles a ON a.id = m.id`)
		args = append(args, q.Terms.FTS5())
	}
	sb.WriteString(` WHERE a.status = 'published'`)
	if len(q.SectionIDs) > 0 {
		sb.WriteString(` AND a.section_id IN (` + placeholders(len(q.SectionIDs)) + `)`)
		for _, id := range q.SectionIDs {
			args = append(args, id)
		}
	}
	if q.AuthorID != 0 {
		sb.WriteString(` AND EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.author_id = ?)`)
		args = append(args, q.AuthorID)
	}
	if !q.From.IsZero() {
		sb.WriteString(` AND a.published_at >= ?`)
		args = append(args, ms(q.From))
	}
	if !q.To.IsZero() {
		sb.WriteString(` AND a.published_at < ?`)
		args = append(args, ms(q.To))
	}
	if q.Sort == search.Newest {
		if !q.After.IsZero() {
			t := ms(q.After.PublishedAt)
			sb.WriteString(` AND (a.published_at < ? OR (a.published_at = ? AND a.id < ?))`)
			args = append(args, t, t, q.After.ID)
		}
		sb.WriteString(` ORDER BY a.published_at DESC, a.id DESC`)
	} else {
		if !q.After.IsZero() {
			sb.WriteString(` AND (m.score > ? OR (m.score = ? AND a.id > ?))`)
			args = append(args, q.After.Score, q.After.Score, q.After.ID)
		}
		sb.WriteString(` ORDER BY m.score, a.id`)
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

// snippets fills in the highlighted passage of each hit, in a second
// query over the page's few ids: making snippets for every match before
// the sort and the limit would cost as much as the search itself.
func (db *DB) snippets(ctx context.Context, t search.Terms, hits []search.Hit) error {
	if len(hits) == 0 {
		return nil
	}
	args := []any{}
	var query string
	if db.d.name == "postgres" {
		query = `SELECT s.article_id, ts_headline('simple', s.body, to_tsquery('simple', ?),
			'StartSel=` + search.MarkStart + `, StopSel=` + search.MarkEnd + `, MaxWords=35, MinWords=15, MaxFragments=1, FragmentDelimiter=" … "')
			FROM article_search s WHERE s.article_id IN (` + placeholders(len(hits)) + `)`
		args = append(args, t.TSQuery())
	} else {
		query = `SELECT rowid, snippet(article_search, 2, ?, ?, '…', 24) FROM article_search
			WHERE article_search MATCH ? AND rowid IN (` + placeholders(len(hits)) + `)`
		args = append(args, search.MarkStart, search.MarkEnd, t.FTS5())
	}
	index := map[int64]int{}
	for i, h := range hits {
		args = append(args, h.Article.ID)
		index[h.Article.ID] = i
	}
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: search snippets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var snip sql.NullString
		if err := rows.Scan(&id, &snip); err != nil {
			return fmt.Errorf("store: search snippets: %w", err)
		}
		if i, ok := index[id]; ok {
			hits[i].Snippet = search.Highlight(snip.String)
		}
	}
	return rows.Err()
}
