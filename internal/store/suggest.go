package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/author"
)

// likePattern is q lower-cased as a LIKE pattern that matches q anywhere
// (contains) or at the start (prefix); the wildcards a person may type
// are escaped with '!', so "50%" finds "50%" and not "50 anything".
func likePattern(q string) (contains, prefix string) {
	q = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(strings.ToLower(q))
	return "%" + q + "%", q + "%"
}

// AuthorSuggestions lists up to limit authors whose name or email holds q
// (ignoring case), those where it starts the name or the email first,
// then by name: the editor's type-ahead. An empty q lists the first by
// name.
func (db *DB) AuthorSuggestions(ctx context.Context, q string, limit int) ([]author.Author, error) {
	contains, prefix := likePattern(q)
	rows, err := db.query(ctx, `SELECT `+authorCols+` FROM authors
		WHERE LOWER(name) LIKE ? ESCAPE '!' OR LOWER(email) LIKE ? ESCAPE '!'
		ORDER BY CASE WHEN LOWER(name) LIKE ? ESCAPE '!' OR LOWER(email) LIKE ? ESCAPE '!' THEN 0 ELSE 1 END, name, id
		LIMIT ?`, contains, contains, prefix, prefix, limit)
	if err != nil {
		return nil, fmt.Errorf("store: author suggestions: %w", err)
	}
	defer rows.Close()
	out := []author.Author{}
	for rows.Next() {
		a, err := scanAuthor(rows)
		if err != nil {
			return nil, fmt.Errorf("store: author suggestions: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: author suggestions: %w", err)
	}
	return out, nil
}

// TagSuggestions lists up to limit tag names that hold q (ignoring case):
// those that start with it first, then the most used in articles
// published since since, then by name. An empty q lists every tag in that
// order. Counting only recent uses keeps the query cheap on a large
// archive (each tag's count is a short range of the
// article_tags_published index) and puts the topics of the day first.
func (db *DB) TagSuggestions(ctx context.Context, q string, since time.Time, limit int) ([]string, error) {
	contains, prefix := likePattern(q)
	rows, err := db.query(ctx, `SELECT t.name FROM tags t
		WHERE LOWER(t.name) LIKE ? ESCAPE '!'
		ORDER BY CASE WHEN LOWER(t.name) LIKE ? ESCAPE '!' THEN 0 ELSE 1 END,
			(SELECT COUNT(*) FROM article_tags at WHERE at.tag_id = t.id AND at.published_at >= ?) DESC, t.name
		LIMIT ?`, contains, prefix, ms(since), limit)
	if err != nil {
		return nil, fmt.Errorf("store: tag suggestions: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: tag suggestions: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tag suggestions: %w", err)
	}
	return out, nil
}
