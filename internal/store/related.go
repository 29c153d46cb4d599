package store

import (
	"context"
	"fmt"
	"sort"

	"broadsheet/internal/article"
	"broadsheet/internal/search"
)

// relatedCandidates is how many articles each signal proposes.
const relatedCandidates = 30

// ComputeRelated chooses a published article's related articles from
// those sharing its tags and those whose text best matches its headline,
// deck and tags, and stores them in order. It runs when an article is
// published or edited, so article pages only read the result.
func (db *DB) ComputeRelated(ctx context.Context, a article.Article, limit int) error {
	score := map[int64]float64{}
	// Shared tags weigh most: an editor chose them.
	if len(a.Tags) > 0 {
		args := []any{a.ID}
		for _, t := range a.Tags {
			args = append(args, t.ID)
		}
		args = append(args, relatedCandidates)
		rows, err := db.query(ctx, `SELECT at.article_id, COUNT(*) FROM article_tags at JOIN articles x ON x.id = at.article_id
			WHERE x.status = 'published' AND at.article_id <> ? AND at.tag_id IN (`+placeholders(len(a.Tags))+`)
			GROUP BY at.article_id ORDER BY COUNT(*) DESC, at.article_id DESC LIMIT ?`, args...)
		if err != nil {
			return fmt.Errorf("store: related by tags: %w", err)
		}
		for rows.Next() {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return fmt.Errorf("store: related by tags: %w", err)
			}
			score[id] += 2 * float64(n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: related by tags: %w", err)
		}
	}
	// Words in common: the newest articles whose headline, deck, bylines
	// or tags hold one of this one's key words, the newest adding most.
	// The walk back through the index stops after a few, so choosing costs
	// the same in a large archive as in a small one.
	text := a.Headline + " " + a.Deck
	for _, t := range a.Tags {
		text += " " + t.Name
	}
	if words := search.KeyWords(text, 10); len(words) > 0 {
		var query string
		var match any
		if db.d.name == "postgres" {
			query = `SELECT s.article_id FROM article_search s
				WHERE s.head @@ to_tsquery('simple', ?) AND s.article_id <> ? ORDER BY s.search_key DESC LIMIT ?`
			match = search.AnyTSQuery(words)
		} else {
			query = `SELECT a.id FROM article_search s JOIN articles a ON a.search_key = s.rowid
				WHERE article_search MATCH ? AND a.id <> ? ORDER BY s.rowid DESC LIMIT ?`
			match = search.AnyFTS5(words)
		}
		rows, err := db.query(ctx, query, match, a.ID, relatedCandidates)
		if err != nil {
			return fmt.Errorf("store: related by text: %w", err)
		}
		i := 0
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("store: related by text: %w", err)
			}
			score[id] += 1 / float64(1+i)
			i++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: related by text: %w", err)
		}
	}
	ids := make([]int64, 0, len(score))
	for id := range score {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if score[ids[i]] != score[ids[j]] {
			return score[ids[i]] > score[ids[j]]
		}
		return ids[i] > ids[j] // the newer article first
	})
	if len(ids) > limit {
		ids = ids[:limit]
	}
	return db.tx(ctx, func(t *txn) error {
		if _, err := t.exec(ctx, `DELETE FROM article_related WHERE article_id = ?`, a.ID); err != nil {
			return fmt.Errorf("store: save related: %w", err)
		}
		for i, id := range ids {
			if _, err := t.exec(ctx, `INSERT INTO article_related (article_id, related_id, position) VALUES (?, ?, ?)`, a.ID, id, i); err != nil {
				return fmt.Errorf("store: save related: %w", err)
			}
		}
		return nil
	})
}

// RelatedArticles lists the related articles chosen for an article that
// are still published, in order.
func (db *DB) RelatedArticles(ctx context.Context, id int64, limit int) ([]article.Article, error) {
	return db.articles(ctx, "related articles", `SELECT `+listCols+` FROM article_related r JOIN articles a ON a.id = r.related_id
		WHERE r.article_id = ? AND a.status = 'published' ORDER BY r.position LIMIT ?`, id, limit)
}
