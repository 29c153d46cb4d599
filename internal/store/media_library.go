package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"broadsheet/internal/media"
)

// SearchImages lists the images q selects, newest first. The text search
// is a LIKE over alt text, caption and credit: no index serves it, which
// a newsroom's few thousand images do not need.
func (db *DB) SearchImages(ctx context.Context, q media.ListQuery) ([]media.Image, error) {
	if q.Limit <= 0 || q.Limit > media.MaxPageSize {
		q.Limit = media.MaxPageSize
	}
	where, args := "", []any{}
	if q.Text != "" {
		p, _ := likePattern(q.Text)
		where = ` WHERE LOWER(alt) LIKE ? ESCAPE '!' OR LOWER(caption) LIKE ? ESCAPE '!' OR LOWER(credit) LIKE ? ESCAPE '!'`
		args = append(args, p, p, p)
	}
	args = append(args, q.Limit, max(q.Offset, 0))
	rows, err := db.query(ctx, `SELECT `+imageCols+` FROM images`+where+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search images: %w", err)
	}
	defer rows.Close()
	var out []media.Image
	for rows.Next() {
		im, err := scanImage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: search images: %w", err)
		}
		out = append(out, im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search images: %w", err)
	}
	return out, nil
}

// SetImageDetails changes an image's alt text, caption and credit;
// media.ErrNotFound if there is no such image.
func (db *DB) SetImageDetails(ctx context.Context, id int64, d media.Details) error {
	res, err := db.exec(ctx, `UPDATE images SET alt = ?, caption = ?, credit = ? WHERE id = ?`, d.Alt, d.Caption, d.Credit, id)
	if err != nil {
		return fmt.Errorf("store: set image %d details: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("store: set image %d details: %w", id, media.ErrNotFound)
	}
	return nil
}

// LockImage loads an image about to be deleted and, on PostgreSQL, locks
// its row until the end of the transaction it runs in: it waits for the
// article saves that resolved the image (ImageByKey) to commit, so a
// check of its uses made after it sees them, and makes later ones wait
// and find the image gone. media.ErrNotFound if there is none.
func (db *DB) LockImage(ctx context.Context, id int64) (media.Image, error) {
	lock := ""
	if db.d.name == postgresDialect.name {
		lock = " FOR UPDATE"
	}
	im, err := scanImage(db.queryRow(ctx, `SELECT `+imageCols+` FROM images WHERE id = ?`+lock, id))
	if err != nil {
		return media.Image{}, fmt.Errorf("store: lock image %d: %w", id, notFound(err, media.ErrNotFound))
	}
	return im, nil
}

// DeleteImage deletes an image's row; media.ErrNotFound if there is none.
func (db *DB) DeleteImage(ctx context.Context, id int64) error {
	res, err := db.exec(ctx, `DELETE FROM images WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete image %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("store: delete image %d: %w", id, media.ErrNotFound)
	}
	return nil
}

// containsSQL writes CONTAINS(text, part) as each engine's substring
// search: instr on SQLite, strpos on PostgreSQL. Both look for the bytes
// as they are, several times faster than LIKE '%…%', whose pattern
// matching (case-folding on SQLite) dominates a scan of article bodies.
func (db *DB) containsSQL(query string) string {
	fn := "instr(${1}, ${2}) > 0"
	if db.d.name == postgresDialect.name {
		fn = "strpos(${1}, ${2}) > 0"
	}
	return containsCall.ReplaceAllString(query, fn)
}

var containsCall = regexp.MustCompile(`CONTAINS\(([^,()]+), ([^,()]+)\)`)

// ImageUses lists up to limit articles, then static pages, that show the
// image stored under key: as the lead image or in the body. Both are a
// scan with LIKE; see media.UsePattern.
func (db *DB) ImageUses(ctx context.Context, key string, limit int) ([]media.Use, error) {
	p := media.UsePattern(key)
	rows, err := db.query(ctx, db.containsSQL(`SELECT 'article', id, headline, status, COALESCE(created_by, 0) FROM articles WHERE CONTAINS(image_url, ?) OR CONTAINS(body, ?)
		UNION ALL SELECT 'page', id, title, '', 0 FROM pages WHERE CONTAINS(body, ?)
		ORDER BY 1, 2 DESC LIMIT ?`), p, p, p, limit)
	if err != nil {
		return nil, fmt.Errorf("store: uses of image %s: %w", key, err)
	}
	defer rows.Close()
	var out []media.Use
	for rows.Next() {
		var u media.Use
		if err := rows.Scan(&u.Kind, &u.ID, &u.Title, &u.Status, &u.CreatedBy); err != nil {
			return nil, fmt.Errorf("store: uses of image %s: %w", key, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: uses of image %s: %w", key, err)
	}
	return out, nil
}

// ImageUseCounts counts, for each image key, the articles and static
// pages that show it. The texts that refer to any uploaded image are read
// once for all the keys, and the keys found in each are matched here: a
// substring search per key in SQL would read every body once per key.
func (db *DB) ImageUseCounts(ctx context.Context, keys []string) (map[string]int, error) {
	out := make(map[string]int, len(keys))
	for _, k := range keys {
		out[k] = 0
	}
	if len(keys) == 0 {
		return out, nil
	}
	folder := media.URLPrefix + "u/"
	rows, err := db.query(ctx, db.containsSQL(`SELECT image_url, body FROM articles WHERE CONTAINS(image_url, ?) OR CONTAINS(body, ?)
		UNION ALL SELECT '', body FROM pages WHERE CONTAINS(body, ?)`), folder, folder, folder)
	if err != nil {
		return nil, fmt.Errorf("store: count uses of images: %w", err)
	}
	defer rows.Close()
	var lead, body string
	for rows.Next() {
		if err := rows.Scan(&lead, &body); err != nil {
			return nil, fmt.Errorf("store: count uses of images: %w", err)
		}
		seen := map[string]bool{}
		for _, text := range []string{lead, body} {
			for rest := text; ; {
				i := strings.Index(rest, folder)
				if i < 0 {
					break
				}
				rest = rest[i+len(folder):]
				id, _, found := strings.Cut(rest, "/")
				if key := "u/" + id; found && !seen[key] {
					if _, asked := out[key]; asked {
						seen[key] = true
						out[key]++
					}
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count uses of images: %w", err)
	}
	return out, nil
}
