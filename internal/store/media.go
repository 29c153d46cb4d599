package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"broadsheet/internal/media"
)

const imageCols = `id, key, ext, width, height, widths, content_type, bytes, created_by, created_at, alt, caption, credit`

func scanImage(row interface{ Scan(...any) error }) (media.Image, error) {
	var im media.Image
	var widths string
	var createdBy sql.NullInt64
	var created int64
	if err := row.Scan(&im.ID, &im.Key, &im.Ext, &im.Width, &im.Height, &widths, &im.ContentType, &im.Bytes, &createdBy, &created, &im.Alt, &im.Caption, &im.Credit); err != nil {
		return media.Image{}, err
	}
	ws, err := parseWidths(widths)
	if err != nil {
		return media.Image{}, fmt.Errorf("image %d: %w", im.ID, err)
	}
	im.Widths, im.CreatedBy, im.CreatedAt = ws, createdBy.Int64, fromMS(created)
	return im, nil
}

// formatWidths writes widths as stored: "320,640".
func formatWidths(ws []int) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = strconv.Itoa(w)
	}
	return strings.Join(s, ",")
}

func parseWidths(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		w, err := strconv.Atoi(f)
		if err != nil || w <= 0 {
			return nil, fmt.Errorf("bad widths %q", s)
		}
		out = append(out, w)
	}
	return out, nil
}

// CreateImage records an uploaded image and sets its id. A CreatedBy of 0
// is stored as no one.
func (db *DB) CreateImage(ctx context.Context, im *media.Image) error {
	if len(im.Widths) == 0 {
		return fmt.Errorf("store: create image %s: no widths", im.Key)
	}
	createdBy := sql.NullInt64{Int64: im.CreatedBy, Valid: im.CreatedBy != 0}
	err := db.queryRow(ctx, `INSERT INTO images (key, ext, width, height, widths, content_type, bytes, created_by, created_at, alt, caption, credit)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		im.Key, im.Ext, im.Width, im.Height, formatWidths(im.Widths), im.ContentType, im.Bytes, createdBy, ms(im.CreatedAt),
		im.Alt, im.Caption, im.Credit).Scan(&im.ID)
	if err != nil {
		return fmt.Errorf("store: create image %s: %w", im.Key, err)
	}
	return nil
}

// Image loads one image; media.ErrNotFound if there is none.
func (db *DB) Image(ctx context.Context, id int64) (media.Image, error) {
	im, err := scanImage(db.queryRow(ctx, `SELECT `+imageCols+` FROM images WHERE id = ?`, id))
	if err != nil {
		return media.Image{}, fmt.Errorf("store: image %d: %w", id, notFound(err, media.ErrNotFound))
	}
	return im, nil
}

// ImageByKey loads the image stored under key ("u/<id>");
// media.ErrNotFound if there is none.
//
// On PostgreSQL it takes a key-share lock on the row until the end of the
// transaction it runs in, so that a save resolving its images inside its
// own transaction and a delete of the same image (LockImage) are ordered:
// the delete waits for the save to commit and then sees the article using
// the image, or the save waits for the delete and finds no image. The lock
// does not hold up edits of the image's alt text, caption or credit.
// SQLite needs none: its writing transactions run one at a time.
func (db *DB) ImageByKey(ctx context.Context, key string) (media.Image, error) {
	lock := ""
	if db.d.name == postgresDialect.name {
		lock = " FOR KEY SHARE"
	}
	im, err := scanImage(db.queryRow(ctx, `SELECT `+imageCols+` FROM images WHERE key = ?`+lock, key))
	if err != nil {
		return media.Image{}, fmt.Errorf("store: image %s: %w", key, notFound(err, media.ErrNotFound))
	}
	return im, nil
}

// Images lists images newest first, skipping offset and returning at most
// limit (1 to 1000; other values mean 1000).
func (db *DB) Images(ctx context.Context, limit, offset int) ([]media.Image, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	offset = max(offset, 0)
	rows, err := db.query(ctx, `SELECT `+imageCols+` FROM images ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: images: %w", err)
	}
	defer rows.Close()
	var out []media.Image
	for rows.Next() {
		im, err := scanImage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: images: %w", err)
		}
		out = append(out, im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: images: %w", err)
	}
	return out, nil
}
