package store

import (
	"context"
	"fmt"

	"broadsheet/internal/page"
)

// PageByID loads a static page by id.
func (db *DB) PageByID(ctx context.Context, id int64) (page.Page, error) {
	var p page.Page
	var updated int64
	err := db.queryRow(ctx, `SELECT id, slug, title, title_ko, body, body_html, updated_at FROM pages WHERE id = ?`, id).
		Scan(&p.ID, &p.Slug, &p.Title, &p.TitleKo, &p.Body, &p.BodyHTML, &updated)
	if err != nil {
		return page.Page{}, fmt.Errorf("store: page %d: %w", id, notFound(err, page.ErrNotFound))
	}
	p.UpdatedAt = fromMS(updated)
	return p, nil
}

// CreatePage adds a new static page; a slug in use is page.ErrExists
// (SavePage would replace that page instead).
func (db *DB) CreatePage(ctx context.Context, p *page.Page) error {
	err := db.queryRow(ctx, `INSERT INTO pages (slug, title, title_ko, body, body_html, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`, p.Slug, p.Title, p.TitleKo, p.Body, p.BodyHTML, ms(p.UpdatedAt)).Scan(&p.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: create page %q: %w", p.Slug, page.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: create page %q: %w", p.Slug, err)
	}
	return nil
}

// UpdatePage changes the page with p's id, its slug included.
func (db *DB) UpdatePage(ctx context.Context, p page.Page) error {
	res, err := db.exec(ctx, `UPDATE pages SET slug = ?, title = ?, title_ko = ?, body = ?, body_html = ?, updated_at = ? WHERE id = ?`,
		p.Slug, p.Title, p.TitleKo, p.Body, p.BodyHTML, ms(p.UpdatedAt), p.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: update page %d: %w", p.ID, page.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: update page %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update page %d: %w", p.ID, page.ErrNotFound)
	}
	return nil
}
