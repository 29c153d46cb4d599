package dictionary

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

// pronunciationData is the CMU Pronouncing Dictionary in IPA for WordNet's
// single-word headwords and the common function words, written by
// cmd/prongen: one word a line, its pronunciations after it, tab-separated.
//
//go:embed data/pronunciation.bin.gz
var pronunciationData []byte

// pronunciations maps a word to its tab-separated IPA transcriptions, the
// first the most common. It is decoded on first use, apart from the WordNet
// data, so that start-up does not wait for it.
type pronunciations map[string]string

var loadPronunciations = sync.OnceValues(func() (pronunciations, error) {
	return readPronunciations(bytes.NewReader(pronunciationData))
})

func readPronunciations(r io.Reader) (pronunciations, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("dictionary: pronunciations: %w", err)
	}
	var b strings.Builder
	if _, err := io.Copy(&b, zr); err != nil {
		return nil, fmt.Errorf("dictionary: pronunciations: %w", err)
	}
	text := b.String()
	p := make(pronunciations, 32000)
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		word, ipa, ok := strings.Cut(line, "\t")
		if !ok || word == "" || ipa == "" {
			return nil, fmt.Errorf("dictionary: pronunciations: line %d: bad entry %q", n, line)
		}
		p[word] = ipa
	}
	return p, nil
}

// Pronunciation returns the usual General American pronunciation of a
// dictionary form in IPA between slashes, such as "/ˈsʌmət/", or "" when the
// CMU Pronouncing Dictionary does not have it. A headword of several words
// ("interest rate") is pronounced word by word when every word is known.
// Stress marks stand before the stressed syllable; where a word has two
// stressed syllables the first is taken as the primary, which is right for
// most words but not all (see cmd/prongen).
func Pronunciation(lemma string) string {
	ps := Pronunciations(lemma)
	if len(ps) == 0 {
		return ""
	}
	return ps[0]
}

// Pronunciations returns every pronunciation the data has for a dictionary
// form — the usual one first, then up to two variants (the adjective and the
// verb "live") — each in IPA between slashes. A headword of several words
// gets one pronunciation, from each word's first.
func Pronunciations(lemma string) []string {
	p, err := loadPronunciations()
	if err != nil {
		// The embedded file is checked by the tests; a broken one leaves
		// entries without a pronunciation rather than failing look-ups.
		return nil
	}
	lemma = strings.ToLower(lemma)
	if ipa, ok := p.find(lemma); ok {
		out := strings.Split(ipa, "\t")
		for i, s := range out {
			out[i] = "/" + s + "/"
		}
		return out
	}
	words := strings.FieldsFunc(lemma, func(r rune) bool { return r == ' ' || r == '-' })
	if len(words) < 2 {
		return nil
	}
	parts := make([]string, len(words))
	for i, w := range words {
		ipa, ok := p.find(w)
		if !ok {
			return nil
		}
		parts[i], _, _ = strings.Cut(ipa, "\t")
	}
	return []string{"/" + strings.Join(parts, " ") + "/"}
}

// britishToAmerican are spelling differences that do not change the sound.
// WordNet has some British spellings (criticise, neighbour, kilometre) that
// the American CMU dictionary has only the American way.
var britishToAmerican = []struct{ british, american string }{
	{"is", "iz"}, {"our", "or"}, {"tre", "ter"}, {"llist", "list"}, {"ller", "ler"},
	{"lment", "llment"}, {"sceptic", "skeptic"},
}

// find returns a word's transcriptions, trying the American spelling of a
// British one when the word itself is missing: each difference is replaced
// in one place at a time, from the end, where the suffixes are.
func (p pronunciations) find(word string) (string, bool) {
	if ipa, ok := p[word]; ok {
		return ipa, true
	}
	for _, s := range britishToAmerican {
		for i := strings.LastIndex(word, s.british); i >= 0; i = strings.LastIndex(word[:i], s.british) {
			if ipa, ok := p[word[:i]+s.american+word[i+len(s.british):]]; ok {
				return ipa, true
			}
		}
	}
	return "", false
}
