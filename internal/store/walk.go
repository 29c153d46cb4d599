package store

import (
	"context"
	"fmt"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/page"
)

// The walks below read the whole archive in id order, one page at a
// time, for exports: a caller holds one page, never the archive.

// MaxWalk is the most rows one page of a walk may ask for.
const MaxWalk = 1000

func checkWalk(what string, limit int) error {
	if limit < 1 || limit > MaxWalk {
		return fmt.Errorf("store: %s: a page of %d rows: want 1 to %d", what, limit, MaxWalk)
	}
	return nil
}

// MaxIDs are the highest article and page ids in use, 0 for none.
func (db *DB) MaxIDs(ctx context.Context) (articleID, pageID int64, err error) {
	err = db.queryRow(ctx, `SELECT COALESCE((SELECT MAX(id) FROM articles), 0), COALESCE((SELECT MAX(id) FROM pages), 0)`).
		Scan(&articleID, &pageID)
	if err != nil {
		return 0, 0, fmt.Errorf("store: highest ids: %w", err)
	}
	return articleID, pageID, nil
}

// ArticlesAfter lists articles of every status with id > afterID, by id,
// at most limit of them, each with its body, rendered body, bylines, tags
// and other sections.
func (db *DB) ArticlesAfter(ctx context.Context, afterID int64, limit int) ([]article.Article, error) {
	if err := checkWalk("articles after", limit); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+listCols+`, a.body, a.body_html FROM articles a
		WHERE a.id > ? ORDER BY a.id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: articles after %d: %w", afterID, err)
	}
	defer rows.Close()
	out := make([]article.Article, 0, min(limit, 256))
	for rows.Next() {
		var a article.Article
		if err := scanArticleInto(rows, &a, &a.Body, &a.BodyHTML); err != nil {
			return nil, fmt.Errorf("store: articles after %d: %w", afterID, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: articles after %d: %w", afterID, err)
	}
	rows.Close()
	if err := db.LoadBylinesAndTags(ctx, out); err != nil {
		return nil, err
	}
	if err := db.loadAlsoIn(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadAlsoIn fills in the other sections of every article in list with
// one query.
func (db *DB) loadAlsoIn(ctx context.Context, list []article.Article) error {
	if len(list) == 0 {
		return nil
	}
	index := make(map[int64]int, len(list))
	ids := make([]any, len(list))
	for i, a := range list {
		index[a.ID], ids[i] = i, a.ID
	}
	rows, err := db.query(ctx, `SELECT article_id, section_id FROM article_sections
		WHERE article_id IN (`+placeholders(len(ids))+`) ORDER BY article_id, section_id`, ids...)
	if err != nil {
		return fmt.Errorf("store: other sections of %d articles: %w", len(list), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, s int64
		if err := rows.Scan(&id, &s); err != nil {
			return fmt.Errorf("store: other sections of %d articles: %w", len(list), err)
		}
		a := &list[index[id]]
		a.AlsoIn = append(a.AlsoIn, s)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: other sections of %d articles: %w", len(list), err)
	}
	return nil
}

// TagsAfter lists every tag, used or not, with id > afterID, by id, at
// most limit of them.
func (db *DB) TagsAfter(ctx context.Context, afterID int64, limit int) ([]article.Tag, error) {
	if err := checkWalk("tags after", limit); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, slug, name FROM tags WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: tags after %d: %w", afterID, err)
	}
	defer rows.Close()
	var out []article.Tag
	for rows.Next() {
		var t article.Tag
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return nil, fmt.Errorf("store: tags after %d: %w", afterID, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tags after %d: %w", afterID, err)
	}
	return out, nil
}

// VisibleCommentsAfter lists the visible comments of an article with id >
// afterID, by id (so a parent comes before its replies), at most limit of
// them. A reply whose parent is not visible has ParentID 0: what is left
// of the thread stands on its own.
func (db *DB) VisibleCommentsAfter(ctx context.Context, articleID, afterID int64, limit int) ([]comment.Comment, error) {
	if err := checkWalk("comments after", limit); err != nil {
		return nil, err
	}
	list, err := db.scanComments(ctx, `SELECT c.id, c.article_id,
		CASE WHEN p.status = 'visible' THEN p.id ELSE 0 END, COALESCE(c.reader_id, 0),
		COALESCE(r.display_name, ''), COALESCE(r.avatar_url, ''), c.body, c.status, COALESCE(c.rule, 0), c.mod_reason,
		c.likes, c.dislikes, c.reports, c.replies, c.created_at, c.edited_at
		FROM comments c LEFT JOIN readers r ON r.id = c.reader_id LEFT JOIN comments p ON p.id = c.parent_id
		WHERE c.article_id = ? AND c.status = 'visible' AND c.id > ? ORDER BY c.id LIMIT ?`, articleID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: comments of article %d: %w", articleID, err)
	}
	return list, nil
}

// PagesAfter lists static pages with id > afterID, by id, at most limit
// of them, with their bodies.
func (db *DB) PagesAfter(ctx context.Context, afterID int64, limit int) ([]page.Page, error) {
	if err := checkWalk("pages after", limit); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, slug, title, title_ko, body, body_html, updated_at FROM pages
		WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pages after %d: %w", afterID, err)
	}
	defer rows.Close()
	var out []page.Page
	for rows.Next() {
		var p page.Page
		var updated int64
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.TitleKo, &p.Body, &p.BodyHTML, &updated); err != nil {
			return nil, fmt.Errorf("store: pages after %d: %w", afterID, err)
		}
		p.UpdatedAt = fromMS(updated)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pages after %d: %w", afterID, err)
	}
	return out, nil
}
