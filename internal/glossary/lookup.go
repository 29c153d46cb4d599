package glossary

import (
	"cmp"
	"slices"
)

// LookupKeys lists the headwords to look a reader's query up under, most
// specific first: the query as typed (in Key form), then each dictionary
// form of it that the dictionary found (its lemma first), without repeats.
// So "Sanctions" finds an entry for "sanctions" and one for "sanction".
func LookupKeys(query string, lemmas ...string) []string {
	keys := make([]string, 0, 1+len(lemmas))
	for _, s := range append([]string{query}, lemmas...) {
		if k := Key(s); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// Order sorts entries found under keys in the order of keys, then by
// language, so that an entry for the word as typed comes before one for
// its dictionary form.
func Order(entries []Entry, keys []string) {
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if c := cmp.Compare(slices.Index(keys, a.Headword), slices.Index(keys, b.Headword)); c != 0 {
			return c
		}
		return cmp.Compare(a.Lang, b.Lang)
	})
}
