package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/comment"
)

// ImportedProviderPrefix starts the provider of every reader an import
// made ("import:wordpress"): the commenters of another system's archive,
// who have no way to prove who they are here. No session is ever made
// for such a reader (CreateSession), and no login can become one
// (SignInReader).
const ImportedProviderPrefix = "import:"

// ErrImportedReader refuses a session or a login for a reader an import
// made.
var ErrImportedReader = errors.New("an imported commenter cannot sign in")

// ImportID is the local id and the content hash recorded for the
// source's record (source, kind, id); found is false for a record never
// imported.
func (db *DB) ImportID(ctx context.Context, source, kind, id string) (localID int64, hash string, found bool, err error) {
	err = db.queryRow(ctx, `SELECT local_id, content_hash FROM import_ids WHERE source = ? AND kind = ? AND source_id = ?`,
		source, kind, id).Scan(&localID, &hash)
	if errors.Is(err, errNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("store: import id %s %s %s: %w", source, kind, id, err)
	}
	return localID, hash, true, nil
}

// SetImportID records what the source's record became, and its hash.
func (db *DB) SetImportID(ctx context.Context, source, kind, id string, localID int64, hash string) error {
	return db.SetImportVersion(ctx, source, kind, id, localID, hash, 0)
}

// ImportVersion is the local version recorded for the source's record
// (0 when none is, or the record was never imported).
func (db *DB) ImportVersion(ctx context.Context, source, kind, id string) (int, error) {
	var v int
	err := db.queryRow(ctx, `SELECT local_version FROM import_ids WHERE source = ? AND kind = ? AND source_id = ?`,
		source, kind, id).Scan(&v)
	if errors.Is(err, errNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: import version %s %s %s: %w", source, kind, id, err)
	}
	return v, nil
}

// SetImportVersion records what the source's record became, its hash and
// the local row's version as the import left it.
func (db *DB) SetImportVersion(ctx context.Context, source, kind, id string, localID int64, hash string, version int) error {
	_, err := db.exec(ctx, `INSERT INTO import_ids (source, kind, source_id, local_id, content_hash, local_version) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, kind, source_id) DO UPDATE SET local_id = excluded.local_id, content_hash = excluded.content_hash,
		local_version = excluded.local_version`,
		source, kind, id, localID, hash, version)
	if err != nil {
		return fmt.Errorf("store: set import id %s %s %s: %w", source, kind, id, err)
	}
	return nil
}

// ImportReader finds or makes the reader who wrote an imported comment:
// provider is "import:<source>", subject the commenter's email, or a
// hash of their name when they gave none. Such a reader cannot sign in.
func (db *DB) ImportReader(ctx context.Context, provider, subject, name string, at time.Time) (int64, error) {
	if !strings.HasPrefix(provider, ImportedProviderPrefix) {
		return 0, fmt.Errorf("store: import reader: provider %q does not start with %q", provider, ImportedProviderPrefix)
	}
	var id int64
	err := db.queryRow(ctx, `INSERT INTO readers (provider, subject, display_name, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (provider, subject) DO UPDATE SET display_name = excluded.display_name RETURNING id`,
		provider, subject, name, ms(at)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: import reader: %w", err)
	}
	return id, nil
}

// ImportComment stores an imported comment: a new one when c.ID is 0,
// else the one with c.ID gets c's text, author, date and parent, but
// keeps its status (c.Status is set to it): a moderator's decision is
// never undone by an import. A comment a moderator rejected or deleted is
// left as it is (c.Status tells which). The parent's
// count of visible replies is counted again, so it stays true however the
// comment changed. No limit of the comment service applies: the comments
// were posted elsewhere, long ago.
func (db *DB) ImportComment(ctx context.Context, c *comment.Comment) error {
	return db.tx(ctx, func(t *txn) error {
		var oldParent int64
		if c.ID == 0 {
			err := t.queryRow(ctx, `INSERT INTO comments (article_id, parent_id, reader_id, body, status, body_hash, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				c.ArticleID, nullID(c.ParentID), nullID(c.ReaderID), c.Body, string(c.Status), comment.Fingerprint(c.Body),
				ms(c.CreatedAt)).Scan(&c.ID)
			if err != nil {
				return fmt.Errorf("store: import comment: %w", err)
			}
		} else {
			var parent *int64
			var status string
			if err := t.queryRow(ctx, `SELECT parent_id, status FROM comments WHERE id = ?`, c.ID).Scan(&parent, &status); err != nil {
				return fmt.Errorf("store: import comment %d: %w", c.ID, notFound(err, comment.ErrNotFound))
			}
			c.Status = comment.Status(status)
			if c.Status != comment.Visible && c.Status != comment.Held {
				return nil // rejected or deleted here: left so
			}
			if parent != nil {
				oldParent = *parent
			}
			if _, err := t.exec(ctx, `UPDATE comments SET article_id = ?, parent_id = ?, reader_id = ?, body = ?, body_hash = ?,
				created_at = ? WHERE id = ?`, c.ArticleID, nullID(c.ParentID), nullID(c.ReaderID), c.Body,
				comment.Fingerprint(c.Body), ms(c.CreatedAt), c.ID); err != nil {
				return fmt.Errorf("store: import comment %d: %w", c.ID, err)
			}
		}
		for _, p := range []int64{oldParent, c.ParentID} {
			if p == 0 {
				continue
			}
			if _, err := t.exec(ctx, `UPDATE comments SET replies = (SELECT COUNT(*) FROM comments r
				WHERE r.parent_id = ? AND r.status = 'visible') WHERE id = ?`, p, p); err != nil {
				return fmt.Errorf("store: import comment: count replies: %w", err)
			}
		}
		return nil
	})
}

// CountRows counts the rows of the tables an import writes, by table, so
// that a refused import can be shown to have written none.
func (db *DB) CountRows(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, tbl := range []string{"articles", "article_authors", "article_tags", "article_revisions", "authors", "tags",
		"sections", "pages", "readers", "comments", "images", "redirects", "import_ids", "audit_log"} {
		var n int
		if err := db.queryRow(ctx, `SELECT COUNT(*) FROM `+tbl).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: count %s: %w", tbl, err)
		}
		out[tbl] = n
	}
	return out, nil
}
