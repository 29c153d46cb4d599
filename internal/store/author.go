package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"broadsheet/internal/article"
	"broadsheet/internal/author"
)

const authorCols = `id, slug, name, title, email, bio, photo_url`

func scanAuthor(row interface{ Scan(...any) error }) (author.Author, error) {
	var a author.Author
	err := row.Scan(&a.ID, &a.Slug, &a.Name, &a.Title, &a.Email, &a.Bio, &a.PhotoURL)
	return a, err
}

// Authors lists every author by name.
func (db *DB) Authors(ctx context.Context) ([]author.Author, error) {
	rows, err := db.query(ctx, `SELECT `+authorCols+` FROM authors ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list authors: %w", err)
	}
	defer rows.Close()
	var out []author.Author
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list authors: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list authors: %w", err)
	}
	return out, nil
}

// AuthorBySlug finds an author by the slug of their page.
func (db *DB) AuthorBySlug(ctx context.Context, slug string) (author.Author, error) {
	a, err := scanAuthor(db.queryRow(ctx, `SELECT `+authorCols+` FROM authors WHERE slug = ?`, slug))
	if err != nil {
		return author.Author{}, fmt.Errorf("store: author %q: %w", slug, notFound(err, author.ErrNotFound))
	}
	return a, nil
}

// AuthorByID finds an author by id.
func (db *DB) AuthorByID(ctx context.Context, id int64) (author.Author, error) {
	a, err := scanAuthor(db.queryRow(ctx, `SELECT `+authorCols+` FROM authors WHERE id = ?`, id))
	if err != nil {
		return author.Author{}, fmt.Errorf("store: author %d: %w", id, notFound(err, author.ErrNotFound))
	}
	return a, nil
}

// SaveAuthor creates the author, or updates the one with the same id.
// A new author without a slug gets one made from the name.
func (db *DB) SaveAuthor(ctx context.Context, a *author.Author) error {
	return db.tx(ctx, func(t *txn) error {
		if a.ID == 0 {
			return t.createAuthor(ctx, a)
		}
		res, err := t.exec(ctx, `UPDATE authors SET name = ?, title = ?, email = ?, bio = ?, photo_url = ? WHERE id = ?`,
			a.Name, a.Title, a.Email, a.Bio, a.PhotoURL, a.ID)
		if isUniqueViolation(err) {
			return fmt.Errorf("store: update author %d: %w", a.ID, author.ErrEmailTaken)
		}
		if err != nil {
			return fmt.Errorf("store: update author %d: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: update author %d: %w", a.ID, author.ErrNotFound)
		}
		return t.queryRow(ctx, `SELECT slug FROM authors WHERE id = ?`, a.ID).Scan(&a.Slug)
	})
}

// matchAuthor finds the author with a's email, or creates one, and fills
// in a's id and slug. The stored name of an existing author is kept.
func (t *txn) matchAuthor(ctx context.Context, a *author.Author) error {
	found, err := scanAuthor(t.queryRow(ctx, `SELECT `+authorCols+` FROM authors WHERE email = ?`, a.Email))
	if err == nil {
		*a = found
		return nil
	}
	if !errors.Is(err, errNoRows) {
		return fmt.Errorf("store: match author %q: %w", a.Email, err)
	}
	return t.insertAuthor(ctx, a, true)
}

// createAuthor inserts a new author; an email already in use is
// author.ErrEmailTaken.
func (t *txn) createAuthor(ctx context.Context, a *author.Author) error {
	return t.insertAuthor(ctx, a, false)
}

// insertAuthor inserts a, giving it a free slug: "kim-minji", then
// "kim-minji-2" and so on. ON CONFLICT DO NOTHING keeps a race with
// another writer from failing the transaction: if the email turns out to
// be taken meanwhile, reuse takes that author, else it is an error.
func (t *txn) insertAuthor(ctx context.Context, a *author.Author, reuse bool) error {
	base := a.Slug
	if base == "" {
		base = article.Slugify(a.Name)
	}
	for i := 1; i <= 100; i++ {
		slug := base
		if i > 1 {
			slug = base + "-" + strconv.Itoa(i)
		}
		err := t.queryRow(ctx, `INSERT INTO authors (slug, name, title, email, bio, photo_url) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id`, slug, a.Name, a.Title, a.Email, a.Bio, a.PhotoURL).Scan(&a.ID)
		if err == nil {
			a.Slug = slug
			return nil
		}
		if !errors.Is(err, errNoRows) {
			return fmt.Errorf("store: create author %q: %w", a.Email, err)
		}
		found, ferr := scanAuthor(t.queryRow(ctx, `SELECT `+authorCols+` FROM authors WHERE email = ?`, a.Email))
		switch {
		case ferr == nil && reuse:
			*a = found
			return nil
		case ferr == nil:
			return fmt.Errorf("store: create author %q: %w", a.Email, author.ErrEmailTaken)
		case !errors.Is(ferr, errNoRows):
			return fmt.Errorf("store: create author %q: %w", a.Email, ferr)
		}
		// The slug was taken: try the next one.
	}
	return fmt.Errorf("store: create author: no free slug for %q", base)
}
