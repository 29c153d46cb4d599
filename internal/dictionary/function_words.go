package dictionary

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// WordNet lists only nouns, verbs, adjectives and adverbs, so the words that
// hold a sentence together (the, of, whom, could) are missing from it. The
// function-word lexicon fills that gap with learner's definitions written for
// this dictionary, in the same Entry format.
//
//go:embed data/function-words.tsv
var functionWordData string

// functionPOS are the parts of speech the lexicon may use, besides WordNet's.
var functionPOS = []string{"determiner", "pronoun", "preposition", "conjunction", "auxiliary verb", "modal verb", "adverb", "particle"}

// functionLexicon is the parsed lexicon.
type functionLexicon struct {
	entries   map[string][]Entry  // lower-cased lemma → its entries, in file order
	forms     map[string]string   // inflected form → lemma (was → be)
	contract  map[string][]string // contraction → the forms it stands for
	headwords []string            // lemmas in file order, for tests
}

var loadFunctionWords = sync.OnceValues(func() (*functionLexicon, error) {
	return parseFunctionWords(functionWordData)
})

// parseFunctionWords reads the lexicon's tab-separated lines:
//
//	lemma  POS  definition  example[|example…]   one sense; lines in a row with the same lemma and POS make one entry
//	=form  lemma                                 an inflected form
//	~contraction  form[ form…]                   what a contraction stands for
func parseFunctionWords(text string) (*functionLexicon, error) {
	lx := &functionLexicon{entries: map[string][]Entry{}, forms: map[string]string{}, contract: map[string][]string{}}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case strings.HasPrefix(f[0], "=") && len(f) == 2:
			lx.forms[f[0][1:]] = f[1]
		case strings.HasPrefix(f[0], "~") && len(f) == 2:
			lx.contract[f[0][1:]] = strings.Fields(f[1])
		case len(f) == 4:
			// The key is lower-case, as look-ups are; the entry keeps the
			// headword as written ("I").
			headword, pos := f[0], f[1]
			lemma := strings.ToLower(headword)
			if !slices.Contains(functionPOS, pos) {
				return nil, fmt.Errorf("function words line %d: unknown part of speech %q", n+1, pos)
			}
			sense := Sense{Definition: f[2]}
			if f[3] != "" {
				sense.Examples = strings.Split(f[3], "|")
			}
			es := lx.entries[lemma]
			if len(es) > 0 && es[len(es)-1].POS == pos {
				es[len(es)-1].Senses = append(es[len(es)-1].Senses, sense)
			} else {
				if len(es) == 0 {
					lx.headwords = append(lx.headwords, lemma)
				}
				lx.entries[lemma] = append(es, Entry{Lemma: headword, POS: pos, Senses: []Sense{sense}, Pronunciation: Pronunciation(headword), Lexicon: true})
			}
		default:
			return nil, fmt.Errorf("function words line %d: %d fields, want 2 or 4", n+1, len(f))
		}
	}
	for form, lemma := range lx.forms {
		if _, ok := lx.entries[lemma]; !ok {
			return nil, fmt.Errorf("function words: form %q points to %q, which has no entry", form, lemma)
		}
	}
	return lx, nil
}

// lemma is the lexicon headword of form, or "".
func (lx *functionLexicon) lemma(form string) string {
	if _, ok := lx.entries[form]; ok {
		return form
	}
	return lx.forms[form]
}

// lookupFunctionWord answers a normalised form from the lexicon: a
// contraction gives the entries of each word it stands for (from the lexicon,
// or from WordNet for a word such as the "let" of "let's"), the first word's
// lemma as Result.Lemma; a function word gives its entries first, then any
// WordNet entries the form has (can → modal verb, then noun and verb).
func (d *Dictionary) lookupFunctionWord(query, form string) (Result, bool) {
	lx, err := loadFunctionWords()
	if err != nil {
		return Result{}, false // cannot happen: TestFunctionWords_wellFormed parses the embedded file
	}
	if parts, ok := lx.contract[form]; ok {
		var res Result
		for _, p := range parts {
			entries := lx.entries[lx.lemma(p)]
			var lemma string
			if len(entries) > 0 {
				lemma = entries[0].Lemma
			} else {
				wn, ok := d.lookupForm(p, p)
				if !ok {
					continue
				}
				lemma, entries = wn.Lemma, wn.Entries
			}
			if res.Lemma == "" {
				res.Lemma = lemma
			}
			res.Entries = append(res.Entries, entries...)
		}
		res.Query = query
		return res, res.Lemma != ""
	}
	lemma := lx.lemma(form)
	if lemma == "" {
		return Result{}, false
	}
	entries := lx.entries[lemma]
	res := Result{Query: query, Lemma: entries[0].Lemma, Entries: slices.Clone(entries)}
	if wn, ok := d.lookupForm(query, form); ok {
		res.Entries = append(res.Entries, wn.Entries...)
	}
	return res, true
}
