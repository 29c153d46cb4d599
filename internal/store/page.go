package store

import (
	"context"
	"fmt"

	"broadsheet/internal/page"
)

// PageBySlug loads a static page.
func (db *DB) PageBySlug(ctx context.Context, slug string) (page.Page, error) {
	var p page.Page
	var updated int64
	err := db.queryRow(ctx, `SELECT id, slug, title, title_ko, body, body_html, updated_at FROM pages WHERE slug = ?`, slug).
		Scan(&p.ID, &p.Slug, &p.Title, &p.TitleKo, &p.Body, &p.BodyHTML, &updated)
	if err != nil {
		return page.Page{}, fmt.Errorf("store: page %q: %w", slug, notFound(err, page.ErrNotFound))
	}
	p.UpdatedAt = fromMS(updated)
	return p, nil
}

// Pages lists the static pages by title, without their bodies.
func (db *DB) Pages(ctx context.Context) ([]page.Page, error) {
	rows, err := db.query(ctx, `SELECT id, slug, title, title_ko, updated_at FROM pages ORDER BY title, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list pages: %w", err)
	}
	defer rows.Close()
	var out []page.Page
	for rows.Next() {
		var p page.Page
		var updated int64
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.TitleKo, &updated); err != nil {
			return nil, fmt.Errorf("store: list pages: %w", err)
		}
		p.UpdatedAt = fromMS(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// SavePage creates or replaces the page with p's slug.
func (db *DB) SavePage(ctx context.Context, p *page.Page) error {
	err := db.queryRow(ctx, `INSERT INTO pages (slug, title, title_ko, body, body_html, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET title = excluded.title, title_ko = excluded.title_ko, body = excluded.body,
			body_html = excluded.body_html, updated_at = excluded.updated_at
		RETURNING id`, p.Slug, p.Title, p.TitleKo, p.Body, p.BodyHTML, ms(p.UpdatedAt)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("store: save page %q: %w", p.Slug, err)
	}
	return nil
}
