package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"broadsheet/internal/article"
	"broadsheet/internal/search"
)

// keyIDBits is how many low bits of a search key hold the article's id.
const keyIDBits = 20

// keyIDMask keeps the id's bits of a search key.
const keyIDMask = 1<<keyIDBits - 1

// The range of publication times (ms) a search key can hold: from before
// 1700 to after 2200.
const (
	minKeyMS = math.MinInt64 >> keyIDBits
	maxKeyMS = math.MaxInt64 >> keyIDBits
)

// Bounds of a key range meaning "no bound".
const (
	noFloor = math.MinInt64
	noUpper = math.MaxInt64
)

// searchKey is a published article's place in the search index: its
// publication time in milliseconds, then the low bits of its id. The
// index is ordered by it, so the newest matches come first on a walk
// back from the end, and a date range is a key range (see migration
// 00010).
func searchKey(published time.Time, id int64) int64 {
	return keyAt(published) | id&keyIDMask
}

// keyAt is the first search key of the instant t: keys ≥ keyAt(t) are of
// articles published at t or later. Times beyond what a key holds are
// held at its ends, so a date filter in the year 9999 does not wrap.
func keyAt(t time.Time) int64 { return min(max(ms(t), minKeyMS), maxKeyMS) << keyIDBits }

// indexArticle keeps the article's search row in step with it, inside
// the save's transaction: only published articles are found.
func (t *txn) indexArticle(ctx context.Context, a *article.Article) error {
	pg := t.d.name == "postgres"
	var old sql.NullInt64
	if err := t.queryRow(ctx, `SELECT search_key FROM articles WHERE id = ?`, a.ID).Scan(&old); err != nil {
		return fmt.Errorf("store: unindex article %d: %w", a.ID, err)
	}
	if old.Valid {
		del := `DELETE FROM article_search WHERE rowid = ?`
		if pg {
			del = `DELETE FROM article_search WHERE search_key = ?`
		}
		if _, err := t.exec(ctx, del, old.Int64); err != nil {
			return fmt.Errorf("store: unindex article %d: %w", a.ID, err)
		}
	}
	if err := t.unindexDraft(ctx, a.ID); err != nil {
		return err
	}
	if a.Status != article.Published || a.PublishedAt.IsZero() {
		if old.Valid {
			if _, err := t.exec(ctx, `UPDATE articles SET search_key = NULL WHERE id = ?`, a.ID); err != nil {
				return fmt.Errorf("store: unindex article %d: %w", a.ID, err)
			}
		}
		return t.indexDraft(ctx, a)
	}
	key, err := t.freeSearchKey(ctx, a)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE articles SET search_key = ? WHERE id = ?`, key, a.ID); err != nil {
		return fmt.Errorf("store: index article %d: %w", a.ID, err)
	}
	var people, tags []string
	for _, au := range a.Authors {
		people = append(people, au.Name)
	}
	for _, tg := range a.Tags {
		tags = append(tags, tg.Name)
	}
	body := search.Text(a.BodyHTML)
	args := []any{key, a.Headline, a.Deck, body, strings.Join(people, " "), strings.Join(tags, " ")}
	ins := `INSERT INTO article_search (rowid, headline, deck, body, people, tags) VALUES (?, ?, ?, ?, ?, ?)`
	if pg {
		ins = `INSERT INTO article_search (search_key, article_id, head, document)
			SELECT v.k, v.id, v.head, v.head || setweight(to_tsvector('simple', v.b), 'C') || array_to_tsvector(CAST(? AS text[]))
			FROM (SELECT CAST(? AS BIGINT) AS k, CAST(? AS BIGINT) AS id, CAST(? AS TEXT) AS b,
				setweight(to_tsvector('simple', CAST(? AS TEXT)), 'A') ||
				setweight(to_tsvector('simple', CAST(? AS TEXT) || ' ' || CAST(? AS TEXT) || ' ' || CAST(? AS TEXT)), 'B') AS head) v`
		args = []any{timeWordsOf(a.PublishedAt), key, a.ID, body, a.Headline, a.Deck, strings.Join(people, " "), strings.Join(tags, " ")}
	}
	if _, err := t.exec(ctx, ins, args...); err != nil {
		return fmt.Errorf("store: index article %d: %w", a.ID, err)
	}
	if pg {
		// The words as PostgreSQL made them, in order, so that two saves
		// adding the same new words wait for each other rather than
		// deadlock; time words (_d…) are left out.
		if _, err := t.exec(ctx, `INSERT INTO search_words (word)
			SELECT w FROM article_search, unnest(tsvector_to_array(document)) w
			WHERE search_key = ? AND w NOT LIKE '\_%' ORDER BY w ON CONFLICT DO NOTHING`, key); err != nil {
			return fmt.Errorf("store: index article %d words: %w", a.ID, err)
		}
		return nil
	}
	words, err := json.Marshal(search.IndexWords(a.Headline, a.Deck, body, strings.Join(people, " "), strings.Join(tags, " ")))
	if err != nil {
		return fmt.Errorf("store: index article %d: %w", a.ID, err)
	}
	if _, err := t.exec(ctx, `INSERT OR IGNORE INTO search_words (word) SELECT value FROM json_each(?)`, string(words)); err != nil {
		return fmt.Errorf("store: index article %d words: %w", a.ID, err)
	}
	return nil
}

// maxExpansion is how many words a prefix may stand for before the
// engine's own prefix search is used instead.
const maxExpansion = 64

// expand sets the words each prefix of t stands for (see search_words in
// migration 00010). On SQLite, three-letter prefixes have an index of
// their own and are left to FTS5; on both, so are prefixes of more than
// maxExpansion words.
func (db *DB) expand(ctx context.Context, t search.Terms) (search.Terms, error) {
	pg := db.d.name == "postgres"
	for _, p := range t.PrefixWords() {
		if !pg && utf8.RuneCountInString(p) == 3 {
			continue
		}
		// SQLite's index folds accents; PostgreSQL's keeps them.
		from := p
		if !pg {
			from = search.Fold(p)
		}
		rows, err := db.query(ctx, `SELECT word FROM search_words WHERE word >= ? AND word < ? ORDER BY word LIMIT ?`,
			from, from+string(utf8.MaxRune), maxExpansion+1)
		if err != nil {
			return t, fmt.Errorf("store: search prefix: %w", err)
		}
		var words []string
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				rows.Close()
				return t, fmt.Errorf("store: search prefix: %w", err)
			}
			words = append(words, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t, fmt.Errorf("store: search prefix: %w", err)
		}
		if len(words) == 0 || len(words) > maxExpansion {
			continue
		}
		if t.Expansions == nil {
			t.Expansions = map[string][]string{}
		}
		t.Expansions[p] = words
	}
	return t, nil
}

// freeSearchKey is a's search key, with other low bits if another
// article has it: two articles published in the same millisecond whose ids
// share their low bits would otherwise clash. The millisecond is kept, so
// the key still says when the article was published.
func (t *txn) freeSearchKey(ctx context.Context, a *article.Article) (int64, error) {
	key := searchKey(a.PublishedAt, a.ID)
	for {
		var other int64
		err := t.queryRow(ctx, `SELECT id FROM articles WHERE search_key = ? AND id <> ?`, key, a.ID).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			return key, nil
		}
		if err != nil {
			return 0, fmt.Errorf("store: index article %d: %w", a.ID, err)
		}
		key = key&^keyIDMask | (key+1)&keyIDMask
	}
}

// Candidates is how many matches a search by relevance ranks: the most
// recent ones that pass the filters. Ranking every match of a common word
// in a million articles would read all of them; the most recent 100 keep
// a search's cost flat however large the archive grows, and a reader
// looking further back sorts by date or narrows the words or dates. Rare
// words have fewer matches than this, so their ranking is exact.
const Candidates = 100

// Relevance tiers: where the whole query matched. Within a tier, newer
// articles come first.
const (
	tierHeadline = iota // in the headline
	tierByline          // in the headline, deck, bylines and tags
	tierBody            // only with the body's words
	tierSpan     = 1e13 // more milliseconds than any publication time has
)

// candidate is one match: its search key and article id.
type candidate struct {
	key, id int64
	score   float64
}

// Search finds published articles matching q, best first or newest
// first, one page after q.After. Snippets are highlighted HTML.
//
// Both orders walk the index backwards from the newest match (or the
// cursor, or the end of the date range), so a search reads about as many
// index entries as it returns, whatever the size of the archive. By
// relevance, the newest Candidates matches are put in tiers: the whole
// query in the headline, then in the headline, deck, bylines and tags,
// then anywhere; newer first within a tier.
func (db *DB) Search(ctx context.Context, q search.Query) ([]search.Hit, error) {
	limit := q.Limit
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	upper := int64(noUpper) // exclusive
	if !q.To.IsZero() {
		upper = keyAt(q.To)
	}
	want := Candidates
	if q.Sort == search.Newest {
		want = limit
		if !q.After.IsZero() {
			k, err := db.cursorKey(ctx, q.After)
			if err != nil {
				return nil, err
			}
			upper = min(upper, k)
		}
	}
	var err error
	if q.Terms, err = db.expand(ctx, q.Terms); err != nil {
		return nil, err
	}
	cands, err := db.searchCandidates(ctx, q, upper, want)
	if err != nil {
		return nil, err
	}
	if q.Sort != search.Newest {
		if cands, err = db.rank(ctx, q, cands); err != nil {
			return nil, err
		}
		if !q.After.IsZero() {
			cands = slices.DeleteFunc(cands, func(c candidate) bool {
				return c.score < q.After.Score || c.score == q.After.Score && c.id <= q.After.ID
			})
		}
		cands = cands[:min(len(cands), limit)]
	}
	return db.searchHits(ctx, q.Terms, cands)
}

// SearchCount counts q's matches (whatever its page) up to Candidates+1:
// a reader is told how many results there are, or that there are more
// than Candidates. Counting reads at most as many index entries as one
// search by relevance does, so it stays flat as the archive grows.
func (db *DB) SearchCount(ctx context.Context, q search.Query) (int, error) {
	upper := int64(noUpper)
	if !q.To.IsZero() {
		upper = keyAt(q.To)
	}
	var err error
	if q.Terms, err = db.expand(ctx, q.Terms); err != nil {
		return 0, err
	}
	cands, err := db.searchCandidates(ctx, q, upper, Candidates+1)
	return len(cands), err
}

// searchCandidates lists up to want matches of q that pass its filters,
// newest first, with keys below upper. On SQLite it is one walk
// back through the index from upper, which stops after want matches.
func (db *DB) searchCandidates(ctx context.Context, q search.Query, upper int64, want int) ([]candidate, error) {
	if db.d.name == "postgres" {
		return db.pgCandidates(ctx, q, upper, want)
	}
	var sb strings.Builder
	args := []any{q.Terms.FTS5()}
	sb.WriteString(`SELECT s.rowid, a.id FROM article_search s JOIN articles a ON a.search_key = s.rowid
		WHERE article_search MATCH ?`)
	if !q.From.IsZero() {
		sb.WriteString(` AND s.rowid >= ?`)
		args = append(args, keyAt(q.From))
	}
	if upper != noUpper {
		sb.WriteString(` AND s.rowid < ?`)
		args = append(args, upper)
	}
	filters, fargs := articleFilters(q)
	sb.WriteString(filters)
	args = append(args, fargs...)
	sb.WriteString(` ORDER BY s.rowid DESC LIMIT ?`)
	args = append(args, want)
	return db.candidates(ctx, sb.String(), args...)
}

// articleFilters is the SQL (joined to articles as a) and arguments of
// q's section and author filters, "" when it has none.
func articleFilters(q search.Query) (string, []any) {
	var sb strings.Builder
	var args []any
	if len(q.SectionIDs) > 0 {
		sb.WriteString(` AND a.section_id IN (` + placeholders(len(q.SectionIDs)) + `)`)
		for _, id := range q.SectionIDs {
			args = append(args, id)
		}
	}
	if q.AuthorID != 0 {
		sb.WriteString(` AND EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.author_id = ?)`)
		args = append(args, q.AuthorID)
	}
	return sb.String(), args
}

// rank scores the candidates by tier and age (lower is better) and sorts
// them best first, ties by id.
func (db *DB) rank(ctx context.Context, q search.Query, cands []candidate) ([]candidate, error) {
	if len(cands) == 0 {
		return cands, nil
	}
	inHeadline, err := db.matchingKeys(ctx, cands, q.Terms.FTS5In("headline"), q.Terms.TSQueryIn("A"))
	if err != nil {
		return nil, err
	}
	inByline, err := db.matchingKeys(ctx, cands, q.Terms.FTS5In("headline", "deck", "people", "tags"), q.Terms.TSQueryIn("AB"))
	if err != nil {
		return nil, err
	}
	for i := range cands {
		c := &cands[i]
		tier := tierBody
		if inHeadline[c.key] {
			tier = tierHeadline
		} else if inByline[c.key] {
			tier = tierByline
		}
		c.score = float64(tier)*tierSpan - float64(c.key>>keyIDBits)
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.id, b.id))
	})
	return cands, nil
}

// matchingKeys is the set of the candidates' keys that also match a
// narrower expression (fts5 on SQLite, tsquery on PostgreSQL). SQLite
// walks the index over the candidates' key range; PostgreSQL looks the
// candidates up by key.
func (db *DB) matchingKeys(ctx context.Context, cands []candidate, fts5, tsquery string) (map[int64]bool, error) {
	var rows *sql.Rows
	var err error
	if db.d.name == "postgres" {
		keys := make([]int64, len(cands))
		for i, c := range cands {
			keys[i] = c.key
		}
		// head holds the headline and bylines' words only: small enough
		// to be read from the row without fetching the whole document.
		rows, err = db.query(ctx, `SELECT search_key FROM article_search
			WHERE search_key = ANY(?) AND head @@ to_tsquery('simple', ?)`, keys, tsquery)
	} else {
		lo, hi := cands[0].key, cands[0].key
		for _, c := range cands {
			lo, hi = min(lo, c.key), max(hi, c.key)
		}
		rows, err = db.query(ctx, `SELECT rowid FROM article_search
			WHERE article_search MATCH ? AND rowid >= ? AND rowid <= ?`, fts5, lo, hi)
	}
	if err != nil {
		return nil, fmt.Errorf("store: search rank: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: search rank: %w", err)
		}
		out[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search rank: %w", err)
	}
	return out, nil
}

// cursorKey is the search key a newest-first page continues below: the
// cursor's article's key, or (should it have been unpublished since)
// the key it would have had.
func (db *DB) cursorKey(ctx context.Context, c search.Cursor) (int64, error) {
	var k sql.NullInt64
	err := db.queryRow(ctx, `SELECT search_key FROM articles WHERE id = ?`, c.ID).Scan(&k)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: search cursor: %w", err)
	}
	if k.Valid && k.Int64&^keyIDMask == keyAt(c.PublishedAt) {
		return k.Int64, nil
	}
	return searchKey(c.PublishedAt, c.ID), nil
}

// searchHits reads the page's articles, in the candidates' order, with
// their highlighted passages cut from their body text.
func (db *DB) searchHits(ctx context.Context, t search.Terms, cands []candidate) ([]search.Hit, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	args := make([]any, len(cands))
	index := map[int64]int{}
	for i, c := range cands {
		args[i] = c.id
		index[c.id] = i
	}
	rows, err := db.query(ctx, `SELECT `+listCols+`, a.body_html FROM articles a
		WHERE a.id IN (`+placeholders(len(cands))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	hits := make([]search.Hit, len(cands))
	found := make([]bool, len(cands))
	for rows.Next() {
		var a article.Article
		var body string
		if err := scanArticleInto(rows, &a, &body); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		i, ok := index[a.ID]
		if !ok {
			continue
		}
		hits[i] = search.Hit{Article: a, Score: cands[i].score, Snippet: t.Snippet(search.Text(body))}
		found[i] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	// An article deleted between the two reads is left out.
	out := hits[:0]
	for i, h := range hits {
		if found[i] {
			out = append(out, h)
		}
	}
	return out, nil
}
