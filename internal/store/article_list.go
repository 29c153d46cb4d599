package store

import (
	"context"
	"fmt"
	"strings"

	"broadsheet/internal/article"
)

// The newsroom's list: search words, the time of the last change, a sort
// by any column and pages by number, with a count. The readers' lists
// (ListArticles without these) keep their index walks; a newsroom list
// reads its filtered set, which a search or a filter keeps small, and a
// page of it.

// newsroomList reports a query that needs the newsroom's list.
func newsroomList(q article.ListQuery) bool {
	return q.Text != "" || q.Sort != "" || q.Offset != 0 || !q.ChangedFrom.IsZero() || !q.ChangedTo.IsZero()
}

// listWhere is the FROM and WHERE of a newsroom list (articles as a),
// with their arguments. A bad search is an *article.QueryError.
func (db *DB) listWhere(ctx context.Context, q article.ListQuery) (string, []any, error) {
	publishedOnly, createdBy, err := q.Scope.Limits()
	if err != nil {
		return "", nil, fmt.Errorf("store: list articles: %w", err)
	}
	if publishedOnly {
		if q.Status != "" && q.Status != article.Published {
			return ` FROM articles a WHERE 1 = 0`, nil, nil
		}
		q.Status = article.Published
	}
	var sb strings.Builder
	var args []any
	sb.WriteString(` FROM articles a`)
	if q.Sort == article.SortSection {
		sb.WriteString(` JOIN sections sc ON sc.id = a.section_id`)
	}
	sb.WriteString(` WHERE 1 = 1`)
	if q.Status != "" {
		sb.WriteString(` AND a.status = ?`)
		args = append(args, string(q.Status))
	}
	if createdBy != 0 {
		sb.WriteString(` AND a.created_by = ?`)
		args = append(args, createdBy)
	}
	if len(q.SectionIDs) > 0 {
		// Filed in the sections, or naming them among its others, as the
		// section pages list them.
		ph := placeholders(len(q.SectionIDs))
		sb.WriteString(` AND (a.section_id IN (` + ph + `) OR a.id IN (SELECT article_id FROM article_sections WHERE section_id IN (` + ph + `)))`)
		for range 2 {
			for _, id := range q.SectionIDs {
				args = append(args, id)
			}
		}
	}
	if q.AuthorID != 0 {
		sb.WriteString(` AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?)`)
		args = append(args, q.AuthorID)
	}
	if q.TagID != 0 {
		sb.WriteString(` AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = ?)`)
		args = append(args, q.TagID)
	}
	if len(q.ExcludeIDs) > 0 {
		sb.WriteString(` AND a.id NOT IN (` + placeholders(len(q.ExcludeIDs)) + `)`)
		for _, id := range q.ExcludeIDs {
			args = append(args, id)
		}
	}
	if !q.ChangedFrom.IsZero() {
		sb.WriteString(` AND a.updated_at >= ?`)
		args = append(args, ms(q.ChangedFrom))
	}
	if !q.ChangedTo.IsZero() {
		sb.WriteString(` AND a.updated_at < ?`)
		args = append(args, ms(q.ChangedTo))
	}
	if q.Text != "" {
		cond, targs, err := db.textFilter(ctx, q.Text)
		if err != nil {
			return "", nil, err
		}
		sb.WriteString(cond)
		args = append(args, targs...)
	}
	return sb.String(), args, nil
}

// listOrder is the ORDER BY of a newsroom list: the column, then the id
// in the same direction, so the order is total and pages neither repeat
// nor skip an article. Text is compared by its bytes on both engines.
func (db *DB) listOrder(q article.ListQuery) string {
	dir := " DESC"
	if q.Ascending {
		dir = " ASC"
	}
	collate := ""
	if db.d.name == "postgres" {
		collate = ` COLLATE "C"`
	}
	switch q.Sort {
	case article.SortHeadline:
		return ` ORDER BY LOWER(a.headline)` + collate + dir + `, a.id` + dir
	case article.SortSection:
		return ` ORDER BY sc.path` + collate + dir + `, a.id` + dir
	case article.SortStatus:
		return ` ORDER BY CASE a.status WHEN 'draft' THEN 0 WHEN 'review' THEN 1 WHEN 'scheduled' THEN 2 ELSE 3 END` + dir + `, a.id` + dir
	case article.SortUpdated:
		return ` ORDER BY a.updated_at` + dir + `, a.id` + dir
	case article.SortPublished:
		// Never published comes last both ways: NULLs sort differently
		// on the two engines, so they are put in their place first.
		return ` ORDER BY CASE WHEN a.published_at IS NULL THEN 1 ELSE 0 END, a.published_at` + dir + `, a.id` + dir
	}
	return ` ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC`
}

// findArticles is ListArticles for a newsroom list.
func (db *DB) findArticles(ctx context.Context, q article.ListQuery) ([]article.Article, error) {
	where, args, err := db.listWhere(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.Sort == "" && !q.After.IsZero() {
		t := ms(q.After.PublishedAt)
		where += ` AND (COALESCE(a.published_at, a.created_at) < ? OR (COALESCE(a.published_at, a.created_at) = ? AND a.id < ?))`
		args = append(args, t, t, q.After.ID)
	}
	// The page's ids first, then their rows: sorting ids only keeps the
	// sort small (whole rows made SQLite's sorter spill to disk).
	args = append(args, listLimit(q.Limit), q.Offset)
	rows, err := db.query(ctx, `SELECT a.id`+where+db.listOrder(q)+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list articles: %w", err)
	}
	var ids []any
	at := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list articles: %w", err)
		}
		at[id] = len(ids)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list articles: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := db.articles(ctx, "list articles", `SELECT `+listCols+` FROM articles a WHERE a.id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, err
	}
	// In the page's order; an article deleted between the reads is left out.
	out := make([]article.Article, len(ids))
	found := make([]bool, len(ids))
	for _, a := range list {
		out[at[a.ID]], found[at[a.ID]] = a, true
	}
	kept := out[:0]
	for i, a := range out {
		if found[i] {
			kept = append(kept, a)
		}
	}
	return kept, nil
}

// CountArticles is how many articles q's list holds over all its pages.
// The scope is required, as for ListArticles.
func (db *DB) CountArticles(ctx context.Context, q article.ListQuery) (int, error) {
	where, args, err := db.listWhere(ctx, q)
	if err != nil {
		return 0, err
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count articles: %w", err)
	}
	return n, nil
}
