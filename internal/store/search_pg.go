package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/search"
)

// On PostgreSQL a search does not walk its index in key order (GIN
// indexes have none); it asks the index for the query's words AND the
// time words of a stretch of publication time (see migration 00010),
// newest stretch first, widening until it has enough matches. Each ask
// reads the matches of that stretch only, so the work follows the
// number of results, not the size of the archive.

// pgWindow is one stretch of time: search keys in [lo, hi), and the time
// words (day, month or year) that cover it; none for the last, which
// holds everything older.
type pgWindow struct {
	lo, hi int64
	words  []string
}

// pgWindowEdges are how far back each stretch reaches from the top: a
// day, then three times as far each time up to about three years, then
// the rest. Each stretch's matches are all read and sorted (a phrase's
// are each checked against the article's document), so a stretch should
// not be much larger than what a page needs; each one asked for also
// costs a look-up, which a common word does not need. At a million
// articles, growing by 3 beat growing by 2 and by about 7 (a day, a week,
// a month, …).
var pgWindowEdges = func() []time.Duration {
	var out []time.Duration
	for d := 1; d <= 1100; d *= 3 {
		out = append(out, time.Duration(d)*24*time.Hour)
	}
	return out
}()

// pgWindows splits the keys below hi (published at top or before) and at
// or above floor into stretches.
func pgWindows(top time.Time, hi, floor int64) []pgWindow {
	var out []pgWindow
	upper, upperT := hi, top
	for _, back := range pgWindowEdges {
		lowT := top.Add(-back)
		lo := keyAt(lowT)
		if lo <= floor {
			return append(out, pgWindow{lo: floor, hi: upper, words: timeWords(lowT, upperT)})
		}
		out = append(out, pgWindow{lo: lo, hi: upper, words: timeWords(lowT, upperT)})
		upper, upperT = lo, lowT
	}
	return append(out, pgWindow{lo: floor, hi: upper})
}

// timeWords are the fewest day, month or year words (UTC) that cover
// publication times in [from, to]: days for up to 40 days, months for up
// to 400, years beyond.
func timeWords(from, to time.Time) []string {
	from, to = from.UTC(), to.UTC()
	var out []string
	span := to.Sub(from)
	switch {
	case span <= 40*24*time.Hour:
		for d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC); !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, "_d"+d.Format("20060102"))
		}
	case span <= 400*24*time.Hour:
		for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(to); m = m.AddDate(0, 1, 0) {
			out = append(out, "_m"+m.Format("200601"))
		}
	default:
		for y := from.Year(); y <= to.Year(); y++ {
			out = append(out, fmt.Sprintf("_y%04d", y))
		}
	}
	return out
}

// timeWordsOf are the time words an article published at t is indexed
// with.
func timeWordsOf(t time.Time) []string {
	t = t.UTC()
	return []string{"_d" + t.Format("20060102"), "_m" + t.Format("200601"), fmt.Sprintf("_y%04d", t.Year())}
}

// pgCandidates is searchCandidates on PostgreSQL: up to want matches,
// newest first, with keys below upper.
func (db *DB) pgCandidates(ctx context.Context, q search.Query, upper int64, want int) ([]candidate, error) {
	// The windows start at the newest article, not at a bound in the
	// future, where they would all be empty.
	var top sql.NullInt64
	if err := db.queryRow(ctx, `SELECT MAX(search_key) FROM article_search`).Scan(&top); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	if !top.Valid {
		return nil, nil
	}
	if top.Int64 < upper {
		upper = top.Int64 + 1
	}
	floor := int64(noFloor)
	if !q.From.IsZero() {
		floor = keyAt(q.From)
	}
	// Articles joined only for the filters that need their columns.
	articleSQL, fargs := articleFilters(q)
	filters := `SELECT s.search_key AS k, s.article_id AS id FROM article_search s WHERE s.search_key >= ? AND s.search_key < ?`
	if articleSQL != "" {
		filters = `SELECT s.search_key AS k, a.id AS id FROM article_search s JOIN articles a ON a.id = s.article_id
			WHERE s.search_key >= ? AND s.search_key < ?` + articleSQL
	}
	words := q.Terms.TSQuery()
	var out []candidate
	topAt := fromMS(upper >> keyIDBits)
	for _, w := range pgWindows(topAt, upper, floor) {
		if w.hi <= w.lo {
			continue
		}
		// OFFSET 0 keeps the planner from walking the key index
		// backwards and testing every row's document: the index is asked
		// for this stretch's matches, which are then sorted.
		match := ` AND s.document @@ to_tsquery('simple', ?)`
		args := append([]any{w.lo, w.hi}, fargs...)
		args = append(args, words)
		if len(w.words) > 0 {
			match = ` AND s.document @@ (to_tsquery('simple', ?) && CAST(? AS tsquery))`
			args = append(args, "'"+strings.Join(w.words, "' | '")+"'")
		}
		args = append(args, want-len(out))
		got, err := db.candidates(ctx, `SELECT c.k, c.id FROM (`+filters+match+` OFFSET 0) c ORDER BY c.k DESC LIMIT ?`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if len(out) >= want {
			break
		}
	}
	return out, nil
}

// candidates runs a query of (key, id) rows.
func (db *DB) candidates(ctx context.Context, query string, args ...any) ([]candidate, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.key, &c.id); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return out, nil
}
