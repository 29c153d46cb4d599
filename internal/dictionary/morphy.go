package dictionary

import "strings"

// detachment rules of WordNet's morphy, per part of speech (noun, verb,
// adjective, adverb): suffix to remove and ending to add.
var rules = [numPOS][][2]string{
	{{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	{{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	{{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	nil,
}

// morphy returns the dictionary forms of word in part of speech p, following
// WordNet's morphy: the word itself if it is a headword, then the exception
// list if it has the word, else every detachment rule whose result is a
// headword. Multi-word forms are reduced on their last word for nouns
// ("interest rates") and their first word for verbs ("laid off").
func (d *Dictionary) morphy(word string, p int) []string {
	var out []string
	add := func(l string) {
		if d.exists(l, p) {
			for _, o := range out {
				if o == l {
					return
				}
			}
			out = append(out, l)
		}
	}
	add(word)
	if exc, ok := d.exceptions[p][word]; ok {
		for base := range strings.SplitSeq(exc, ",") {
			add(base)
		}
		return out
	}
	for _, r := range rules[p] {
		if len(word) > len(r[0]) && strings.HasSuffix(word, r[0]) {
			add(word[:len(word)-len(r[0])] + r[1])
		}
	}
	if len(out) > 0 || !strings.Contains(word, " ") {
		return out
	}
	switch p {
	case 0:
		i := strings.LastIndexByte(word, ' ')
		for _, l := range d.morphy(word[i+1:], p) {
			add(word[:i+1] + l)
		}
	case 1:
		i := strings.IndexByte(word, ' ')
		for _, l := range d.morphy(word[:i], p) {
			add(l + word[i:])
		}
	}
	return out
}
