package popular

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

type fakeStore struct {
	fail  bool
	added map[int64]int64
}

func (f *fakeStore) AddViews(_ context.Context, _ time.Time, views map[int64]int64) error {
	if f.fail {
		return errors.New("database away")
	}
	for id, n := range views {
		f.added[id] += n
	}
	return nil
}

func (f *fakeStore) PruneViews(context.Context, time.Time) error { return nil }

// A failed write keeps the counts for the next flush: nothing is lost.
func TestFlushKeepsCountsWhenTheWriteFails(t *testing.T) {
	st := &fakeStore{fail: true, added: map[int64]int64{}}
	c := New(st, nil, nil)
	c.Count(1)
	c.Count(1)
	c.Count(2)
	if err := c.Flush(context.Background()); err == nil {
		t.Fatal("the failed write was not reported")
	}
	c.Count(1)
	st.fail = false
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st.added[1] != 3 || st.added[2] != 1 {
		t.Errorf("added %v, want 1:3 2:1", st.added)
	}
	if err := c.Flush(context.Background()); err != nil || st.added[1] != 3 {
		t.Errorf("an empty flush added more: %v %v", st.added, err)
	}
}

func TestIsBot(t *testing.T) {
	for ua, want := range map[string]bool{
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36": false,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1":           false,
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)":      true,
		"facebookexternalhit/1.1": true,
		"curl/8.5.0":              true,
		"":                        true,
	} {
		r := httptest.NewRequest("GET", "/article/1/x", nil)
		r.Header.Set("User-Agent", ua)
		if got := IsBot(r); got != want {
			t.Errorf("IsBot(%q) = %v, want %v", ua, got, want)
		}
	}
	r := httptest.NewRequest("GET", "/article/1/x", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0 Chrome/156.0")
	r.Header.Set("Sec-Purpose", "prefetch")
	if !IsBot(r) {
		t.Error("a prefetch was counted")
	}
}
