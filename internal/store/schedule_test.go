package store_test

import (
	"context"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

func TestNextScheduled_earliestScheduledOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		_, politics, _ := seedSections(t, db)
		if _, ok, err := db.NextScheduled(ctx); err != nil || ok {
			t.Fatalf("empty site: ok = %v, %v; want none", ok, err)
		}
		base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		add := func(headline string, st article.Status, at time.Time) {
			a := newArticle(politics.ID, headline, at)
			a.Status = st
			if err := db.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		add("Published earlier", article.Published, base.Add(-time.Hour))
		add("Due later", article.Scheduled, base.Add(2*time.Hour))
		add("Due first", article.Scheduled, base.Add(30*time.Minute+1500*time.Microsecond))
		at, ok, err := db.NextScheduled(ctx)
		want := base.Add(30*time.Minute + time.Millisecond) // stored in milliseconds
		if err != nil || !ok || !at.Equal(want) {
			t.Errorf("NextScheduled = %v, %v, %v; want %v", at, ok, err, want)
		}
	})
}
