package dictionary

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// maxSuggestDistance is the largest edit distance Suggest accepts.
const maxSuggestDistance = 2

// Suggest returns up to n headwords near word, for a look-up that found
// nothing. Headwords within edit distance 2 come first (nearest, then most
// frequent, then alphabetical); the candidates are bounded to headwords with
// the same first letter and a length within two bytes. Headwords that start
// with the word fill any remaining places. Distances count bytes, which is
// exact for WordNet's ASCII headwords.
func (d *Dictionary) Suggest(word string, n int) []string {
	form, ok := normalize(word)
	if !ok || n <= 0 {
		return nil
	}
	type hit struct {
		word  string
		dist  int
		count int
	}
	var hits []hit
	var rows editRows
	lo := sort.SearchStrings(d.headwords, form[:1])
	hi := sort.SearchStrings(d.headwords, string(rune(form[0])+1))
	if form[0] == 0xff {
		hi = len(d.headwords)
	}
	for _, h := range d.headwords[lo:hi] {
		if h == form || abs(len(h)-len(form)) > maxSuggestDistance {
			continue
		}
		if dist := rows.distance(form, h, maxSuggestDistance); dist <= maxSuggestDistance {
			hits = append(hits, hit{h, dist, d.totalCount(h)})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(b.count, a.count), strings.Compare(a.word, b.word))
	})
	out := make([]string, 0, n)
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, h.word)
	}
	for i := sort.SearchStrings(d.headwords, form); i < len(d.headwords) && len(out) < n; i++ {
		h := d.headwords[i]
		if !strings.HasPrefix(h, form) {
			break
		}
		if h != form && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// editRows holds the two rows of the distance table between calls: a
// miss compares the word with thousands of headwords, and allocating rows
// for each was most of Suggest's cost.
type editRows struct{ prev, cur []int }

// distance is the Levenshtein distance between a and b, or limit+1 once it
// is known to exceed limit. Only the band of cells within limit of the
// diagonal can stay within limit, so only those are computed.
func (e *editRows) distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	if cap(e.prev) < len(b)+1 {
		e.prev, e.cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev, cur := e.prev[:len(b)+1], e.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	far := limit + 1
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[0] = i
		if lo > 1 {
			cur[lo-1] = far
		}
		rowMin := far
		if lo == 1 {
			rowMin = cur[0]
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			up := far
			if j <= i-1+limit {
				up = prev[j]
			}
			cur[j] = min(up+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		if rowMin > limit {
			return far
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], far)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
