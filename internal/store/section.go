package store

import (
	"context"
	"fmt"

	"broadsheet/internal/section"
)

const sectionCols = `id, COALESCE(parent_id, 0), slug, path, name, name_ko, description, position`

func scanSection(row interface{ Scan(...any) error }) (section.Section, error) {
	var s section.Section
	err := row.Scan(&s.ID, &s.ParentID, &s.Slug, &s.Path, &s.Name, &s.NameKo, &s.Description, &s.Position)
	return s, err
}

// Sections lists every section, parents before children within a level,
// ordered by position.
func (db *DB) Sections(ctx context.Context) ([]section.Section, error) {
	rows, err := db.query(ctx, `SELECT `+sectionCols+` FROM sections ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list sections: %w", err)
	}
	defer rows.Close()
	var out []section.Section
	for rows.Next() {
		s, err := scanSection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list sections: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sections: %w", err)
	}
	return out, nil
}

// SectionByPath finds a section by its path, such as "national/politics".
func (db *DB) SectionByPath(ctx context.Context, path string) (section.Section, error) {
	s, err := scanSection(db.queryRow(ctx, `SELECT `+sectionCols+` FROM sections WHERE path = ?`, path))
	if err != nil {
		return section.Section{}, fmt.Errorf("store: section %q: %w", path, notFound(err, section.ErrNotFound))
	}
	return s, nil
}

// SectionByID finds a section by id.
func (db *DB) SectionByID(ctx context.Context, id int64) (section.Section, error) {
	s, err := scanSection(db.queryRow(ctx, `SELECT `+sectionCols+` FROM sections WHERE id = ?`, id))
	if err != nil {
		return section.Section{}, fmt.Errorf("store: section %d: %w", id, notFound(err, section.ErrNotFound))
	}
	return s, nil
}

// SectionChain is the section with id and its ancestors, top level first.
func (db *DB) SectionChain(ctx context.Context, id int64) ([]section.Section, error) {
	all, err := db.Sections(ctx)
	if err != nil {
		return nil, err
	}
	chain := section.NewTree(all).Chain(id)
	if len(chain) == 0 {
		return nil, fmt.Errorf("store: section %d: %w", id, section.ErrNotFound)
	}
	return chain, nil
}

// CreateSection adds a section under parentID (0 for top level); its path
// is the parent's path plus its slug.
func (db *DB) CreateSection(ctx context.Context, s *section.Section) error {
	return db.tx(ctx, func(t *txn) error {
		s.Path = s.Slug
		var parent any
		if s.ParentID != 0 {
			var pp string
			if err := t.queryRow(ctx, `SELECT path FROM sections WHERE id = ?`, s.ParentID).Scan(&pp); err != nil {
				return fmt.Errorf("store: parent section %d: %w", s.ParentID, notFound(err, section.ErrNotFound))
			}
			s.Path = pp + "/" + s.Slug
			parent = s.ParentID
		}
		err := t.queryRow(ctx, `INSERT INTO sections (parent_id, slug, path, name, name_ko, description, position)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			parent, s.Slug, s.Path, s.Name, s.NameKo, s.Description, s.Position).Scan(&s.ID)
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create section %q: %w", s.Path, section.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("store: create section %q: %w", s.Path, err)
		}
		return nil
	})
}

// UpdateSection changes a section's names, description and position. Its
// slug and parent stay, so no article URL or section path changes.
func (db *DB) UpdateSection(ctx context.Context, s section.Section) error {
	res, err := db.exec(ctx, `UPDATE sections SET name = ?, name_ko = ?, description = ?, position = ? WHERE id = ?`,
		s.Name, s.NameKo, s.Description, s.Position, s.ID)
	if err != nil {
		return fmt.Errorf("store: update section %d: %w", s.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update section %d: %w", s.ID, section.ErrNotFound)
	}
	return nil
}

// DeleteSection removes an empty section; one with articles or children
// gets section.ErrInUse.
func (db *DB) DeleteSection(ctx context.Context, id int64) error {
	return db.tx(ctx, func(t *txn) error {
		var n int
		err := t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM articles WHERE section_id = ?) +
			(SELECT COUNT(*) FROM sections WHERE parent_id = ?)`, id, id).Scan(&n)
		if err != nil {
			return fmt.Errorf("store: delete section %d: %w", id, err)
		}
		if n > 0 {
			return fmt.Errorf("store: delete section %d: %w", id, section.ErrInUse)
		}
		res, err := t.exec(ctx, `DELETE FROM sections WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete section %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: delete section %d: %w", id, section.ErrNotFound)
		}
		return nil
	})
}
