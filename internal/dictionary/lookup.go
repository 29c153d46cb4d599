package dictionary

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryLen is the longest query, in characters, that Lookup accepts.
const MaxQueryLen = 100

// maxPhraseWords is the longest multi-word headword LookupPhrase tries.
const maxPhraseWords = 4

const numPOS = 4

// posTags are the one-letter part-of-speech tags of the data file, in the
// order entries are listed.
const posTags = "nvar"

var posNames = [numPOS]string{"noun", "verb", "adjective", "adverb"}

func posIndex(tag string) int {
	if len(tag) != 1 {
		return -1
	}
	return strings.IndexByte(posTags, tag[0])
}

// Result is the answer to one look-up.
type Result struct {
	Query   string  // what was asked, as given
	Lemma   string  // the best dictionary form; see Lookup
	Entries []Entry // the best lemma's entries first, then other readings
}

// Lemmas lists the result's dictionary forms, the best first, without
// repeats: what to look up elsewhere (the newsroom glossary) for the query.
func (r Result) Lemmas() []string {
	var out []string
	if r.Lemma != "" {
		out = append(out, r.Lemma)
	}
	for _, e := range r.Entries {
		if !slices.Contains(out, e.Lemma) {
			out = append(out, e.Lemma)
		}
	}
	return out
}

// Entry is one headword in one part of speech.
type Entry struct {
	Lemma  string
	POS    string // "noun", "verb", "adjective", "adverb" or one of functionPOS
	Senses []Sense
	// Pronunciation is the lemma's usual pronunciation in IPA between
	// slashes, or "" when it is not known; see Pronunciation.
	Pronunciation string
	// Lexicon marks an entry of the function-word lexicon written for
	// Broadsheet, not WordNet's: the page credits each source for its own.
	Lexicon bool
}

// Sense is one meaning of an entry, most frequent first.
type Sense struct {
	Definition string
	Examples   []string
	Synonyms   []string // other words of the synset, not the entry's lemma
	// Fits marks the sense judged to fit the sentence the word was read
	// in (LookupInContext); at most one sense of a Result has it.
	Fits bool
}

// Lookup finds the dictionary entries for one word as it appears in running
// text. The word is normalised (trimmed, lower-cased, curly quotes made
// straight, surrounding punctuation and a possessive 's or s' removed) and
// then reduced to its dictionary forms with WordNet's morphy algorithm:
// exception lists first, then the detachment rules of each part of speech.
//
// A function word (the, whom, could) or a contraction (don't, it's) is
// answered from the function-word lexicon first; see lookupFunctionWord.
//
// Every part of speech in which a dictionary form exists gets an Entry.
// Result.Lemma is the form whose reached entries have the highest SemCor
// frequency in total (so "better" gives "good", "held" gives "hold"); on a
// tie, a form that differs from the query wins, then the shorter one.
//
// A hyphenated word that is not a headword is tried with a space and without
// the hyphen ("heat-wave", "e-mail"), then by its last part ("post-election"
// gives "election"). Lookup reports false for empty input, input longer than
// MaxQueryLen characters, control characters or words it cannot find.
func (d *Dictionary) Lookup(word string) (Result, bool) {
	form, ok := normalize(word)
	if !ok {
		return Result{}, false
	}
	if r, ok := d.lookupFunctionWord(word, form); ok {
		return r, true
	}
	if r, ok := d.lookupForm(word, form); ok {
		return r, true
	}
	if strings.HasSuffix(form, "'s") || strings.HasSuffix(form, "s'") {
		base := strings.TrimSuffix(strings.TrimSuffix(form, "'"), "'s")
		if r, ok := d.lookupFunctionWord(word, base); ok {
			return r, true // one's, everybody's, others'
		}
		if r, ok := d.lookupForm(word, base); ok {
			return r, true
		}
	}
	if strings.Contains(form, "-") {
		for _, alt := range []string{
			strings.ReplaceAll(form, "-", " "),
			strings.ReplaceAll(form, "-", ""),
			form[strings.LastIndexByte(form, '-')+1:],
		} {
			if r, ok := d.lookupForm(word, alt); ok {
				return r, true
			}
		}
	}
	return Result{}, false
}

// LookupPhrase looks for the longest multi-word headword (up to four words)
// in words that contains words[i], such as "interest rates" or "laid off",
// and falls back to Lookup(words[i]). A phrase does not span a word that ends
// in sentence punctuation. Result.Query is the phrase as given.
func (d *Dictionary) LookupPhrase(words []string, i int) (Result, bool) {
	if i < 0 || i >= len(words) {
		return Result{}, false
	}
	if r, ok := d.longestPhrase(words, i); ok {
		return r, true
	}
	return d.Lookup(words[i])
}

// longestPhrase is LookupPhrase without the fall-back to the word alone.
func (d *Dictionary) longestPhrase(words []string, i int) (Result, bool) {
	for n := min(maxPhraseWords, len(words)); n >= 2; n-- {
		for start := max(0, i-n+1); start <= i && start+n <= len(words); start++ {
			span := words[start : start+n]
			if !joinable(span) {
				continue
			}
			query := strings.Join(span, " ")
			form, ok := normalize(query)
			if !ok || !strings.Contains(form, " ") {
				continue
			}
			if r, ok := d.lookupFunctionWord(query, form); ok {
				return r, true // according to, instead of
			}
			if r, ok := d.lookupForm(query, form); ok {
				return r, true
			}
		}
	}
	return Result{}, false
}

// joinable reports whether words can form one phrase: no word but the last
// may end in punctuation that closes a clause.
func joinable(words []string) bool {
	for _, w := range words[:len(words)-1] {
		if w == "" || strings.ContainsAny(w[len(w)-1:], ",.;:!?)\"") || strings.HasSuffix(w, "”") {
			return false
		}
	}
	return true
}

// Has reports whether lemma is a headword in any part of speech.
func (d *Dictionary) Has(lemma string) bool {
	_, ok := d.lemmas[lemma]
	return ok
}

var quoteReplacer = strings.NewReplacer("’", "'", "‘", "'", "‛", "'", "′", "'", "“", `"`, "”", `"`, "„", `"`, "‐", "-", "‑", "-")

// normalize turns a word from running text into a look-up key. It reports
// false for input that cannot be a word.
func normalize(s string) (string, bool) {
	if len(s) > 4*MaxQueryLen || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxQueryLen {
		return "", false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return "", false
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ToLower(quoteReplacer.Replace(s))
	s = strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	// Keep a trailing apostrophe only as a plural possessive (workers').
	s = strings.TrimLeft(s, "'")
	if strings.HasSuffix(s, "'") && !strings.HasSuffix(s, "s'") {
		s = strings.TrimRight(s, "'")
	}
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return "", false
	}
	return s, true
}

// reading is one dictionary form of the query in one part of speech.
type reading struct {
	lemma string
	pos   int
}

func (d *Dictionary) lookupForm(query, form string) (Result, bool) {
	rs := d.readings(form)
	if len(rs) == 0 {
		return Result{}, false
	}
	res := Result{Query: query, Lemma: rs[0].lemma, Entries: make([]Entry, 0, len(rs))}
	for _, r := range rs {
		_, ids, _ := d.posInfo(r.lemma, r.pos)
		res.Entries = append(res.Entries, Entry{Lemma: r.lemma, POS: posNames[r.pos], Senses: d.senses(r.lemma, ids), Pronunciation: Pronunciation(r.lemma)})
	}
	return res, true
}

// readings lists the dictionary forms of form in every part of speech,
// the best lemma's first: the one whose readings have the highest SemCor
// count in total; on a tie, one that differs from form, then the shorter.
// It builds no senses, so ranking words is cheap.
func (d *Dictionary) readings(form string) []reading {
	var rs []reading
	for p := range numPOS {
		for _, l := range d.morphy(form, p) {
			rs = append(rs, reading{l, p})
		}
	}
	if len(rs) <= 1 {
		return rs
	}
	score := make(map[string]int, 2)
	for _, r := range rs {
		c, _, _ := d.posInfo(r.lemma, r.pos)
		score[r.lemma] += c
	}
	better := func(a, b string) bool {
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		if (a == form) != (b == form) {
			return b == form
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	}
	slices.SortStableFunc(rs, func(a, b reading) int {
		switch {
		case a.lemma == b.lemma:
			return a.pos - b.pos
		case better(a.lemma, b.lemma):
			return -1
		default:
			return 1
		}
	})
	return rs
}

// posInfo returns the frequency count and the comma-separated synset ids of
// lemma in part of speech p.
func (d *Dictionary) posInfo(lemma string, p int) (count int, ids string, ok bool) {
	raw, ok := d.lemmas[lemma]
	if !ok {
		return 0, "", false
	}
	for raw != "" {
		var tag, c string
		tag, raw, _ = strings.Cut(raw, "\t")
		c, raw, _ = strings.Cut(raw, "\t")
		ids, raw, _ = strings.Cut(raw, "\t")
		if tag[0] == posTags[p] {
			count, _ = strconv.Atoi(c)
			return count, ids, true
		}
	}
	return 0, "", false
}

// totalCount is the frequency count of lemma over all parts of speech.
func (d *Dictionary) totalCount(lemma string) int {
	n := 0
	for p := range numPOS {
		c, _, _ := d.posInfo(lemma, p)
		n += c
	}
	return n
}

func (d *Dictionary) exists(lemma string, p int) bool {
	_, _, ok := d.posInfo(lemma, p)
	return ok
}

func (d *Dictionary) senses(lemma, ids string) []Sense {
	out := make([]Sense, 0, strings.Count(ids, ",")+1)
	for idText := range strings.SplitSeq(ids, ",") {
		id, _, ok := senseID(idText)
		if !ok || id >= len(d.synsets) {
			continue // cannot happen with data written by dictgen
		}
		s := d.synsets[id]
		sense := Sense{Definition: s.def}
		if s.examples != "" {
			sense.Examples = strings.Split(s.examples, "\x1f")
		}
		for w := range strings.SplitSeq(s.words, "|") {
			if !strings.EqualFold(w, lemma) && !slices.Contains(sense.Synonyms, w) {
				sense.Synonyms = append(sense.Synonyms, w)
			}
		}
		out = append(out, sense)
	}
	return out
}

// Frequency is the SemCor tag count of lemma summed over its parts of speech:
// how often its senses occur in WordNet's sense-tagged corpus. Rare and
// unknown words give 0. It can rank the less common words of an article.
func (d *Dictionary) Frequency(lemma string) int {
	return d.totalCount(lemma)
}

// MaxContextLen is the longest context sentence, in characters, that
// LookupInContext is asked with through the API: a long sentence of a
// news story is about 300.
const MaxContextLen = 600

// CheckContext says what is wrong with a context sentence, or returns nil:
// valid UTF-8 of at most MaxContextLen characters with no control
// characters but spaces. An empty context is allowed: it means none.
func CheckContext(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("the sentence is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(s); n > MaxContextLen {
		return fmt.Errorf("the sentence is %d characters long; send at most %d, the sentence around the word", n, MaxContextLen)
	}
	for _, c := range s {
		if unicode.IsControl(c) && c != ' ' && c != '\t' && c != '\n' {
			return fmt.Errorf("the sentence holds a control character (%U)", c)
		}
	}
	return nil
}

// CheckQuery says what is wrong with a reader's query, or returns nil:
// one word or a short phrase of letters, digits, spaces, hyphens,
// apostrophes and light punctuation, at most MaxQueryLen characters.
func CheckQuery(q string) error {
	if strings.TrimSpace(q) == "" {
		return errors.New("type a word to look up")
	}
	if utf8.RuneCountInString(q) > MaxQueryLen {
		return fmt.Errorf("the query is longer than %d characters; look up one word or a short phrase", MaxQueryLen)
	}
	for _, c := range q {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.Is(unicode.Mn, c) || strings.ContainsRune(" -'’‘.,", c)) {
			return fmt.Errorf("the query may hold only letters, digits, spaces, hyphens and apostrophes; %q is not allowed", c)
		}
	}
	return nil
}
