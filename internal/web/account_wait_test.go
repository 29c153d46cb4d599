package web

import (
	"strings"
	"testing"
	"time"

	"broadsheet/internal/comment"
	"broadsheet/internal/i18n"
)

func TestWaitText_saysOneAndManyInEachLanguage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en, ko := cat.For("en"), cat.For("ko")
	for _, c := range []struct {
		wait time.Duration
		en   string
		ko   string
	}{
		{time.Second, "1 second", "1초"},
		{300 * time.Millisecond, "1 second", "1초"},
		{2 * time.Second, "2 seconds", "2초"},
		{119 * time.Second, "119 seconds", "119초"},
		{120 * time.Second, "2 minutes", "2분"},
		{121 * time.Second, "3 minutes", "3분"},
		{2 * time.Hour, "2 hours", "2시간"},
	} {
		if got := waitText(en, c.wait); got != c.en {
			t.Errorf("waitText(en, %v) = %q, want %q", c.wait, got, c.en)
		}
		if got := waitText(ko, c.wait); got != c.ko {
			t.Errorf("waitText(ko, %v) = %q, want %q", c.wait, got, c.ko)
		}
	}
	// Every unit has its singular, whether or not waitText reaches it today.
	for id, want := range map[string][2]string{
		"wait_seconds": {"1 second", "2 seconds"},
		"wait_minutes": {"1 minute", "2 minutes"},
		"wait_hours":   {"1 hour", "2 hours"},
	} {
		if got := en.N(id, 1); got != want[0] {
			t.Errorf("%s of 1 = %q, want %q", id, got, want[0])
		}
		if got := en.N(id, 2); got != want[1] {
			t.Errorf("%s of 2 = %q, want %q", id, got, want[1])
		}
	}
}

// A refusal that counts its limit says one and many in each language.
func TestRefusalIn_countsTheLimitByPlural(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en, ko := cat.For("en"), cat.For("ko")
	for _, c := range []struct {
		code  string
		limit int
		en    string
		ko    string
	}{
		{"per_day", 1, "You have posted 1 comment today", "댓글 1개"},
		{"per_day", 20, "You have posted 20 comments today", "댓글 20개"},
		{"per_article", 1, "You have posted 1 comment on this article", "댓글을 1개"},
		{"per_article", 3, "You have posted 3 comments on this article", "댓글을 3개"},
		{"reactions_per_day", 1, "You have used your 1 reaction for today", "반응 1개"},
		{"reactions_per_day", 50, "You have used your 50 reactions for today", "반응 50개"},
	} {
		rf := &comment.Refusal{Code: c.code, Limit: c.limit, RetryAfter: time.Hour}
		if got := refusalIn(en, rf); !strings.HasPrefix(got, c.en) {
			t.Errorf("%s, limit %d, in English: %q, want it to start %q", c.code, c.limit, got, c.en)
		}
		if got := refusalIn(ko, rf); !strings.Contains(got, c.ko) {
			t.Errorf("%s, limit %d, in Korean: %q, want %q in it", c.code, c.limit, got, c.ko)
		}
	}
}
