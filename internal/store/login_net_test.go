package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/store/storetest"
)

func TestNetLoginFailures_countedAndPruned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			if err := db.AddNetLoginFailure(ctx, "hash-a", start.Add(time.Duration(i)*time.Minute), 15*time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if at, err := db.NthNetLoginFailure(ctx, "hash-a", start.Add(-time.Minute), 3); err != nil || !at.Equal(start) {
			t.Errorf("3rd most recent failure: %v, %v; want %v", at, err, start)
		}
		if at, _ := db.NthNetLoginFailure(ctx, "hash-b", time.Time{}, 1); !at.IsZero() {
			t.Errorf("another address has a failure: %v", at)
		}
		// A failure 20 minutes on, from anywhere, prunes the ones older
		// than the window: the table holds one window at most.
		if err := db.AddNetLoginFailure(ctx, "hash-b", start.Add(20*time.Minute), 15*time.Minute); err != nil {
			t.Fatal(err)
		}
		if at, _ := db.NthNetLoginFailure(ctx, "hash-a", time.Time{}, 1); !at.IsZero() {
			t.Errorf("old failures were not pruned: %v", at)
		}
	})
}

// Instances starting at once agree on one salt.
func TestSettingOrInit_firstValueWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		got := make([]string, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				v, err := db.SettingOrInit(ctx, "test_salt", string(rune('a'+i)))
				if err != nil {
					t.Error(err)
				}
				got[i] = v
			})
		}
		wg.Wait()
		for _, v := range got {
			if v != got[0] || v == "" {
				t.Fatalf("callers got different values: %q", got)
			}
		}
		if v, err := db.SettingOrInit(ctx, "test_salt", "later"); err != nil || v != got[0] {
			t.Errorf("a later call got %q, %v; want the stored %q", v, err, got[0])
		}
	})
}

// StartNetLogin records an attempt until n fall within the window, then
// refuses with the nth most recent; ForgetNetLogin drops one attempt.
func TestStartNetLogin_countsBeforeTheCheckAndForgets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		db := e.Open(t)
		start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		since := start.Add(-time.Minute)
		for i := range 3 {
			at := start.Add(time.Duration(i) * time.Second)
			if locked, err := db.StartNetLogin(ctx, "hash-a", at, since, 3, 15*time.Minute); err != nil || !locked.IsZero() {
				t.Fatalf("attempt %d: locked %v, %v; want recorded", i+1, locked, err)
			}
		}
		fourth := start.Add(3 * time.Second)
		if locked, err := db.StartNetLogin(ctx, "hash-a", fourth, since, 3, 15*time.Minute); err != nil || !locked.Equal(start) {
			t.Fatalf("a fourth attempt: locked %v, %v; want refused, locked by the first at %v", locked, err, start)
		}
		if at, _ := db.NthNetLoginFailure(ctx, "hash-a", since, 4); !at.IsZero() {
			t.Errorf("the refused attempt was recorded: %v", at)
		}
		// The last one turned out right: it goes, and one more may try.
		if err := db.ForgetNetLogin(ctx, "hash-a", start.Add(2*time.Second)); err != nil {
			t.Fatal(err)
		}
		if at, _ := db.NthNetLoginFailure(ctx, "hash-a", since, 3); !at.IsZero() {
			t.Errorf("the forgotten attempt still counts")
		}
		if locked, err := db.StartNetLogin(ctx, "hash-a", fourth, since, 3, 15*time.Minute); err != nil || !locked.IsZero() {
			t.Errorf("after forgetting one: locked %v, %v; want recorded", locked, err)
		}
		if locked, _ := db.StartNetLogin(ctx, "hash-b", fourth, since, 3, 15*time.Minute); !locked.IsZero() {
			t.Errorf("another address is locked: %v", locked)
		}
	})
}
