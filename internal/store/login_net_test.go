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
