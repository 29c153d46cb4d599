package article_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/cache"
	"broadsheet/internal/store"
	"broadsheet/internal/store/storetest"
)

// keyRecorder keeps every key it is told to invalidate.
type keyRecorder struct {
	mu   sync.Mutex
	keys []string
}

func (r *keyRecorder) Invalidate(keys ...string) {
	r.mu.Lock()
	r.keys = append(r.keys, keys...)
	r.mu.Unlock()
}

func (r *keyRecorder) has(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.keys, key)
}

// racingStore is an instance's view of the database while another
// instance publishes the due story in between two of its reads: after the
// list of due stories (lostAt "list") or after it read the story
// (lostAt "read", so its update clashes).
type racingStore struct {
	*store.DB
	lostAt string
	winner func()
	once   sync.Once
}

func (s *racingStore) DueArticles(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	ids, err := s.DB.DueArticles(ctx, now, limit)
	if s.lostAt == "list" {
		s.once.Do(s.winner)
	}
	return ids, err
}

func (s *racingStore) Article(ctx context.Context, id int64) (article.Article, error) {
	a, err := s.DB.Article(ctx, id)
	if s.lostAt == "read" {
		s.once.Do(s.winner)
	}
	return a, err
}

// TestPublishDue_loserDropsTheStorysPages: the instance that loses the
// race to publish a scheduled story still drops the pages it appears on,
// since the winner may have stopped before telling anyone (here it tells
// no one: its invalidator is cache.Nop).
func TestPublishDue_loserDropsTheStorysPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		for _, lostAt := range []string{"list", "read"} {
			t.Run(lostAt, func(t *testing.T) {
				ctx := context.Background()
				n := openNewsroom(t, e, nil)
				editor := n.staff[account.Editor]
				d, err := n.svc.Create(ctx, editor, draftInput("Due at noon "+lostAt))
				if err != nil {
					t.Fatal(err)
				}
				a, err := n.svc.Schedule(ctx, editor, d.ID, n.clock.Add(time.Minute), 0)
				if err != nil {
					t.Fatal(err)
				}
				n.clock = n.clock.Add(2 * time.Minute)

				rs := &racingStore{DB: n.db, lostAt: lostAt}
				rs.winner = func() {
					if won, err := n.svc.PublishDue(ctx); err != nil || won != 1 {
						t.Errorf("the winner published %d, %v; want 1", won, err)
					}
				}
				rec := &keyRecorder{}
				loser := article.NewService(rs, rec, func() time.Time { return n.clock })
				loser.SetAudit(n.log)
				published, err := loser.PublishDue(ctx)
				if err != nil || published != 0 {
					t.Fatalf("the loser published %d, %v; want 0 and no error", published, err)
				}
				for _, k := range []string{cache.ArticleKey(a.ID), cache.KeyHome, cache.SectionKey(a.SectionID)} {
					if !rec.has(k) {
						t.Errorf("the loser did not drop %s; its pages would never show the story", k)
					}
				}
			})
		}
	})
}
