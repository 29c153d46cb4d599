package store

import (
	"context"
	"fmt"
	"strings"

	"broadsheet/internal/glossary"
)

const glossaryCols = `id, headword, lang, translation, note, created_at, updated_at`

func scanGlossaryEntry(row interface{ Scan(...any) error }) (glossary.Entry, error) {
	var e glossary.Entry
	var created, updated int64
	err := row.Scan(&e.ID, &e.Headword, &e.Lang, &e.Translation, &e.Note, &created, &updated)
	e.CreatedAt, e.UpdatedAt = fromMS(created), fromMS(updated)
	return e, err
}

// GlossaryEntry loads one entry.
func (db *DB) GlossaryEntry(ctx context.Context, id int64) (glossary.Entry, error) {
	e, err := scanGlossaryEntry(db.queryRow(ctx, `SELECT `+glossaryCols+` FROM glossary WHERE id = ?`, id))
	if err != nil {
		return glossary.Entry{}, fmt.Errorf("store: glossary entry %d: %w", id, notFound(err, glossary.ErrNotFound))
	}
	return e, nil
}

// maxGlossaryKeys bounds one look-up: a query, its lemma and a few other
// readings are all a dictionary answer needs.
const maxGlossaryKeys = 8

// GlossaryLookup finds the entries whose headword is one of keys (in
// glossary.Key form), by headword and then language.
func (db *DB) GlossaryLookup(ctx context.Context, keys []string) ([]glossary.Entry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > maxGlossaryKeys {
		keys = keys[:maxGlossaryKeys]
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	return db.glossaryQuery(ctx, `SELECT `+glossaryCols+` FROM glossary WHERE headword IN (`+placeholders(len(keys))+`)
		ORDER BY headword, lang`, args...)
}

// maxPrefix is past every character, so [prefix, prefix+maxPrefix) holds
// exactly the headwords that start with prefix, in byte order.
const maxPrefix = "\U0010FFFF"

// GlossaryEntries lists one page of entries in headword order, then
// language, after q.After.
func (db *DB) GlossaryEntries(ctx context.Context, q glossary.ListQuery) ([]glossary.Entry, error) {
	var where []string
	var args []any
	if q.Prefix != "" {
		where = append(where, `headword >= ? AND headword < ?`)
		args = append(args, q.Prefix, q.Prefix+maxPrefix)
	}
	if q.Lang != "" {
		where = append(where, `lang = ?`)
		args = append(args, q.Lang)
	}
	if !q.After.IsZero() {
		where = append(where, `(headword > ? OR (headword = ? AND lang > ?))`)
		args = append(args, q.After.Headword, q.After.Headword, q.After.Lang)
	}
	query := `SELECT ` + glossaryCols + ` FROM glossary`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	args = append(args, limit)
	return db.glossaryQuery(ctx, query+` ORDER BY headword, lang LIMIT ?`, args...)
}

func (db *DB) glossaryQuery(ctx context.Context, query string, args ...any) ([]glossary.Entry, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: glossary: %w", err)
	}
	defer rows.Close()
	var out []glossary.Entry
	for rows.Next() {
		e, err := scanGlossaryEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("store: glossary: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: glossary: %w", err)
	}
	return out, nil
}

// EachGlossaryEntry calls fn with every entry in headword order, then
// language, stopping at the first error; an export streams through it
// without holding the whole glossary in memory.
func (db *DB) EachGlossaryEntry(ctx context.Context, fn func(glossary.Entry) error) error {
	rows, err := db.sql.QueryContext(ctx, db.d.q(`SELECT `+glossaryCols+` FROM glossary ORDER BY headword, lang`))
	if err != nil {
		return fmt.Errorf("store: glossary export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanGlossaryEntry(rows)
		if err != nil {
			return fmt.Errorf("store: glossary export: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: glossary export: %w", err)
	}
	return nil
}

// CreateGlossaryEntry stores a new entry and sets its id;
// glossary.ErrExists if its headword and language are taken.
func (db *DB) CreateGlossaryEntry(ctx context.Context, e *glossary.Entry) error {
	err := db.queryRow(ctx, `INSERT INTO glossary (headword, lang, translation, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Headword, e.Lang, e.Translation, e.Note, ms(e.CreatedAt), ms(e.UpdatedAt)).Scan(&e.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: create glossary entry %q/%s: %w", e.Headword, e.Lang, glossary.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: create glossary entry %q/%s: %w", e.Headword, e.Lang, err)
	}
	return nil
}

// UpdateGlossaryEntry replaces entry e.ID's fields; glossary.ErrExists if
// another entry has its new headword and language.
func (db *DB) UpdateGlossaryEntry(ctx context.Context, e *glossary.Entry) error {
	res, err := db.exec(ctx, `UPDATE glossary SET headword = ?, lang = ?, translation = ?, note = ?, updated_at = ?
		WHERE id = ?`, e.Headword, e.Lang, e.Translation, e.Note, ms(e.UpdatedAt), e.ID)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: update glossary entry %d: %w", e.ID, glossary.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: update glossary entry %d: %w", e.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update glossary entry %d: %w", e.ID, glossary.ErrNotFound)
	}
	return nil
}

// DeleteGlossaryEntry removes one entry.
func (db *DB) DeleteGlossaryEntry(ctx context.Context, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM glossary WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete glossary entry %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete glossary entry %d: %w", id, glossary.ErrNotFound)
	}
	return nil
}

// ImportGlossary adds each entry or, when its headword and language exist,
// updates its translation and note, all in one transaction: a failure
// stores none of them. Entries must not repeat a headword and language
// (glossary.Prepare sees to that). An existing entry whose text is
// already the same is left alone and counted as unchanged.
func (db *DB) ImportGlossary(ctx context.Context, entries []glossary.Entry) (glossary.ImportResult, error) {
	var res glossary.ImportResult
	err := db.tx(ctx, func(t *txn) error {
		insert, err := t.prepare(ctx, `INSERT INTO glossary (headword, lang, translation, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (headword, lang) DO NOTHING`)
		if err != nil {
			return err
		}
		defer insert.Close()
		update, err := t.prepare(ctx, `UPDATE glossary SET translation = ?, note = ?, updated_at = ?
			WHERE headword = ? AND lang = ? AND (translation <> ? OR note <> ?)`)
		if err != nil {
			return err
		}
		defer update.Close()
		for _, e := range entries {
			r, err := insert.ExecContext(ctx, e.Headword, e.Lang, e.Translation, e.Note, ms(e.CreatedAt), ms(e.UpdatedAt))
			if err != nil {
				return fmt.Errorf("store: import glossary entry %q/%s: %w", e.Headword, e.Lang, err)
			}
			if n, _ := r.RowsAffected(); n == 1 {
				res.Added++
				continue
			}
			r, err = update.ExecContext(ctx, e.Translation, e.Note, ms(e.UpdatedAt), e.Headword, e.Lang, e.Translation, e.Note)
			if err != nil {
				return fmt.Errorf("store: import glossary entry %q/%s: %w", e.Headword, e.Lang, err)
			}
			if n, _ := r.RowsAffected(); n == 1 {
				res.Updated++
			} else {
				res.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return glossary.ImportResult{}, err
	}
	return res, nil
}
