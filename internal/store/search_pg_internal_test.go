package store

import (
	"slices"
	"testing"
	"time"
)

// The stretches a PostgreSQL search asks for follow one another without
// gap or overlap from the top down to the floor, and their time words
// cover every instant in them.
func TestPGWindowsCoverTheKeysBelowTheTop(t *testing.T) {
	top := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	hi := keyAt(top) + 1
	for _, floor := range []int64{0, keyAt(top.AddDate(0, -2, 0)), keyAt(top.Add(-time.Hour))} {
		ws := pgWindows(top, hi, floor)
		if ws[0].hi != hi || ws[len(ws)-1].lo != floor {
			t.Fatalf("floor %d: windows run from %d to %d", floor, ws[0].hi, ws[len(ws)-1].lo)
		}
		for i, w := range ws {
			if w.lo >= w.hi {
				t.Errorf("window %d is empty: %+v", i, w)
			}
			if i > 0 && ws[i-1].lo != w.hi {
				t.Errorf("windows %d and %d do not meet", i-1, i)
			}
			if len(w.words) > 45 {
				t.Errorf("window %d asks for %d time words", i, len(w.words))
			}
			if w.words == nil {
				if i != len(ws)-1 {
					t.Errorf("window %d has no time words but is not the last", i)
				}
				continue
			}
			// Every hour in the window is covered by one of its words.
			for at := fromMS(w.lo >> keyIDBits); keyAt(at) < w.hi; at = at.Add(time.Hour) {
				if !slices.ContainsFunc(timeWordsOf(at), func(x string) bool { return slices.Contains(w.words, x) }) {
					t.Errorf("window %d (%v) does not cover %v: %v", i, w.words[0], at, w.words)
					break
				}
			}
		}
	}
}
