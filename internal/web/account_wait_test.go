package web

import (
	"testing"
	"time"

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
