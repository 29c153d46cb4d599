package dictionary

import (
	"math/rand/v2"
	"testing"
)

// fullDistance is the textbook Levenshtein table, to check the banded one.
func fullDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func TestEditDistance_bandMatchesFullTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, r.IntN(9))
		for i := range b {
			b[i] = "abcd"[r.IntN(4)]
		}
		return string(b)
	}
	var rows editRows // reused, as Suggest does
	for range 20000 {
		a, b := word(), word()
		for limit := range 4 {
			want := min(fullDistance(a, b), limit+1)
			if got := rows.distance(a, b, limit); got != want {
				t.Fatalf("distance(%q, %q, %d): got %d, want %d", a, b, limit, got, want)
			}
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	d := testDictionary(b)
	words := []string{"signalz", "goverment", "qwzxv", "negotiatorz", "interest ratez"}
	i := 0
	for b.Loop() {
		d.Suggest(words[i%len(words)], 5)
		i++
	}
}
