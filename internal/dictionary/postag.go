package dictionary

import (
	"slices"
	"strings"
)

// A few rules on the neighbouring words guess the part of speech of a word
// in a sentence: enough to tell "in talks" (a noun) from "she talks" (a
// verb) or "broken promises" (an adjective) from "has broken" (a verb),
// which decides more senses than any gloss does. The rules read only the
// function-word lexicon and WordNet's parts of speech; where none applies
// the guess is "don't know" and the frequency prior decides.

// wordClass is what a word of the sentence can be.
type wordClass struct {
	function uint16       // parts of speech in the function-word lexicon, a bit per functionPOS
	wordnet  [numPOS]bool // parts of speech WordNet has for it
	form     string
}

func (c wordClass) is(pos string) bool {
	i := slices.Index(functionPOS, pos)
	return i >= 0 && c.function&(1<<i) != 0
}

// content reports whether the word is a WordNet word and not a function word.
func (c wordClass) content() bool {
	return c.function == 0 && (c.wordnet[0] || c.wordnet[1] || c.wordnet[2] || c.wordnet[3])
}

var beForms = map[string]bool{"be": true, "am": true, "is": true, "are": true, "was": true, "were": true, "been": true, "being": true,
	"seem": true, "seems": true, "seemed": true, "become": true, "became": true, "becomes": true, "remain": true, "remains": true,
	"remained": true, "feel": true, "feels": true, "felt": true, "look": true, "looks": true, "looked": true, "sound": true, "sounded": true}

var haveForms = map[string]bool{"have": true, "has": true, "had": true, "having": true}

var subjectPronouns = map[string]bool{"i": true, "we": true, "they": true, "he": true, "she": true, "you": true, "who": true}

func (d *Dictionary) classOf(form string) wordClass {
	c := wordClass{form: form}
	if lx, err := loadFunctionWords(); err == nil {
		for _, e := range lx.entries[lx.lemma(form)] {
			if i := slices.Index(functionPOS, e.POS); i >= 0 {
				c.function |= 1 << i
			}
		}
	}
	for p := range numPOS {
		c.wordnet[p] = len(d.morphy(form, p)) > 0
	}
	return c
}

// guessPOS guesses the part of speech (an index into posNames) of words[i]
// from its neighbours, or returns -1.
func (d *Dictionary) guessPOS(words []string, i int) int {
	w := d.classOf(words[i])
	can := w.wordnet
	prevAt := func(k int) wordClass {
		if k < 0 {
			return wordClass{}
		}
		return d.classOf(words[k])
	}
	// Skip adverbs between the word and what governs it ("would mostly reward").
	k := i - 1
	for k >= 0 && (words[k] == "not" || words[k] == "also" || words[k] == "still" || d.onlyAdverb(words[k])) {
		k--
	}
	prev := prevAt(k)
	next := wordClass{}
	if i+1 < len(words) {
		next = d.classOf(words[i+1])
	}
	form := words[i]
	participle := strings.HasSuffix(form, "ed") || strings.HasSuffix(form, "en") || strings.HasSuffix(form, "ing")
	adjBeforeNoun := can[2] && next.content() && next.wordnet[0] && !strings.HasSuffix(next.form, "ly")
	switch {
	case can[3] && strings.HasSuffix(form, "ly") && !adjBeforeNoun:
		return 3 // but "an early stage", "a daily paper" are adjectives
	case prev.is("modal verb") || prev.form == "to" || prev.form == "do" || prev.form == "does" || prev.form == "did":
		if can[1] {
			return 1
		}
	case haveForms[prev.form]:
		if can[1] && participle {
			return 1
		}
	case beForms[prev.form]:
		switch {
		case can[1] && participle:
			return 1 // "were granted", "is rising"
		case can[2]:
			return 2
		}
	case prev.is("determiner") || prev.is("preposition") || (prev.is("pronoun") && !subjectPronouns[prev.form] && prev.form != "it"):
		if adjBeforeNoun {
			return 2
		}
		if can[0] {
			return 0
		}
	case subjectPronouns[prev.form] || prev.form == "it":
		if can[1] {
			return 1
		}
	}
	if adjBeforeNoun && (participle || !can[0]) && d.exists(form, 2) {
		return 2 // "broken promises", "digital advertising"
	}
	if can[0] && prev.content() && prev.wordnet[2] && !prev.wordnet[0] && !prev.wordnet[1] {
		return 0 // after an adjective: "parental leave", "strong demand"
	}
	if can[0] && k < 0 && next.content() && next.wordnet[1] && (strings.HasSuffix(next.form, "ed") || d.isPastForm(next.form)) {
		return 0 // a subject at the start: "Scouts praised"
	}
	if can[1] && prev.content() && prev.wordnet[0] && (strings.HasSuffix(form, "ed") || d.isPastForm(form)) {
		return 1 // "speculation spiked", "prices rose"
	}
	if can[1] && strings.HasSuffix(form, "s") && prev.content() && prev.wordnet[0] &&
		(next.is("determiner") || next.is("pronoun")) {
		return 1 // "the policy harms the poor"
	}
	return -1
}

// isPastForm reports whether form is an irregular past form of a verb
// (rose, held, fell), from WordNet's exception list.
func (d *Dictionary) isPastForm(form string) bool {
	base, ok := d.exceptions[1][form]
	return ok && base != form
}

// onlyAdverb reports whether WordNet has form as an adverb and as nothing
// else ("mostly", "quickly"; not "family" or "early").
func (d *Dictionary) onlyAdverb(form string) bool {
	c := d.classOf(form)
	return c.wordnet[3] && !c.wordnet[0] && !c.wordnet[1] && !c.wordnet[2]
}
