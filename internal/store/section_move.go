package store

import (
	"context"
	"fmt"
	"strings"

	"broadsheet/internal/section"
)

// EditSection saves every field of a section, its slug and parent (0 for
// the top level) included, and rewrites the paths of the section and
// everything under it, all in one transaction; s.Path is set to the new
// path. A parent inside the section itself is section.ErrLoop, a path
// another section has section.ErrExists. UpdateSection is the narrower
// change that never moves a URL.
func (db *DB) EditSection(ctx context.Context, s *section.Section) error {
	return db.tx(ctx, func(t *txn) error {
		rows, err := t.tx.QueryContext(ctx, t.d.q(`SELECT `+sectionCols+` FROM sections ORDER BY position, id`))
		if err != nil {
			return fmt.Errorf("store: edit section %d: %w", s.ID, err)
		}
		var all []section.Section
		for rows.Next() {
			sec, err := scanSection(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: edit section %d: %w", s.ID, err)
			}
			all = append(all, sec)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: edit section %d: %w", s.ID, err)
		}
		tree := section.NewTree(all)
		old, ok := tree.ByID(s.ID)
		if !ok {
			return fmt.Errorf("store: edit section %d: %w", s.ID, section.ErrNotFound)
		}
		newPath := s.Slug
		var parent any
		if s.ParentID != 0 {
			p, ok := tree.ByID(s.ParentID)
			if !ok {
				return fmt.Errorf("store: edit section %d: parent %d: %w", s.ID, s.ParentID, section.ErrNotFound)
			}
			for _, sub := range tree.Subtree(s.ID) {
				if sub == s.ParentID {
					return fmt.Errorf("store: edit section %d under %d: %w", s.ID, s.ParentID, section.ErrLoop)
				}
			}
			newPath, parent = p.Path+"/"+s.Slug, s.ParentID
		}
		// The section itself goes first (Subtree starts with it), so a
		// taken path is found before any child is touched.
		for _, sub := range tree.Subtree(s.ID) {
			c, _ := tree.ByID(sub)
			path := newPath + strings.TrimPrefix(c.Path, old.Path)
			if sub == s.ID {
				_, err = t.exec(ctx, `UPDATE sections SET parent_id = ?, slug = ?, path = ?, name = ?, name_ko = ?,
					description = ?, position = ? WHERE id = ?`, parent, s.Slug, path, s.Name, s.NameKo, s.Description, s.Position, s.ID)
			} else if path != c.Path {
				_, err = t.exec(ctx, `UPDATE sections SET path = ? WHERE id = ?`, path, sub)
			}
			if isUniqueViolation(err) {
				return fmt.Errorf("store: edit section %d to %q: %w", s.ID, path, section.ErrExists)
			}
			if err != nil {
				return fmt.Errorf("store: edit section %d: %w", s.ID, err)
			}
		}
		s.Path = newPath
		return nil
	})
}
