// Package search turns what a reader types into a full-text query both
// database engines understand, and the engines' highlighted snippets
// back into safe HTML. Readers never write engine syntax: words are
// matched whole (Korean words and words ending in * by their start),
// "quoted words" as a phrase, and every other character only separates
// words, so no input can be an operator, a column filter or a syntax
// error on either engine.
package search

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"broadsheet/internal/article"
)

// Limits on a query.
const (
	MaxQueryRunes = 200 // longer input is refused, not cut
	MaxWords      = 12  // words and phrase words together
	MaxWordRunes  = 60
)

// Errors a caller shows to the reader (as 400).
var (
	ErrEmpty     = errors.New("type at least one word to search for")
	ErrTooLong   = fmt.Errorf("a search may be at most %d characters long", MaxQueryRunes)
	ErrTooMany   = fmt.Errorf("a search may have at most %d words", MaxWords)
	ErrBadText   = errors.New("the search contains characters that are not text")
	ErrBadCursor = errors.New("that page of results does not exist; start again from the first page")
)

// Terms is a parsed query: single words, matched whole ("vote" finds
// "vote", not "voters") except Korean words, matched by their start
// because particles attach to them ("서울" finds "서울에서"); prefixes
// the reader asked for with a star ("vote*" finds "voters"); and phrases,
// whose words must follow one another. Every word holds letters and
// digits only.
//
// Whole words are the default because a prefix costs the engines a walk
// over every indexed word that starts with it: flat for a whole word,
// growing with the archive for a prefix.
type Terms struct {
	Words    []string
	Prefixes []string
	Phrases  [][]string
	// Expansions, when the store sets them, are the indexed words a
	// prefix (or Korean word) stands for: the engine's expression lists
	// them instead of asking the engine for the prefix.
	Expansions map[string][]string
}

// PrefixWords lists the words matched by their start: the prefixes and
// the Korean words.
func (t Terms) PrefixWords() []string {
	out := append([]string{}, t.Prefixes...)
	for _, w := range t.Words {
		if korean(w) {
			out = append(out, w)
		}
	}
	return out
}

// Parse reads a reader's query.
func Parse(raw string) (Terms, error) {
	if !utf8.ValidString(raw) {
		return Terms{}, ErrBadText
	}
	if utf8.RuneCountInString(raw) > MaxQueryRunes {
		return Terms{}, ErrTooLong
	}
	var t Terms
	seen := map[string]bool{}
	count := 0
	// Quotes split the input: odd pieces are phrases. An unclosed quote
	// makes the rest a phrase, as a reader who forgot it would mean.
	for i, piece := range strings.Split(raw, `"`) {
		words, stars := splitStarred(piece)
		if len(words) == 0 {
			continue
		}
		count += len(words)
		if count > MaxWords {
			return Terms{}, ErrTooMany
		}
		if i%2 == 1 && len(words) > 1 {
			t.Phrases = append(t.Phrases, words)
			continue
		}
		for j, w := range words {
			// Inside quotes a star is only punctuation.
			if i%2 == 0 && stars[j] && longEnough(w) {
				if !seen["*"+w] {
					seen["*"+w] = true
					t.Prefixes = append(t.Prefixes, w)
				}
				continue
			}
			if !seen[w] {
				seen[w] = true
				t.Words = append(t.Words, w)
			}
		}
	}
	if len(t.Words) == 0 && len(t.Prefixes) == 0 && len(t.Phrases) == 0 {
		return Terms{}, ErrEmpty
	}
	// Words in nearly every article ("the", "of") find nothing a reader
	// wants and cost the most; they are left out of a search that has
	// other words (a phrase keeps them).
	var kept []string
	for _, w := range t.Words {
		if !commonWords[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) > 0 || len(t.Prefixes) > 0 || len(t.Phrases) > 0 {
		t.Words = kept
	}
	return t, nil
}

// commonWords are left out of searches that have other words.
var commonWords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "to": true, "in": true,
	"on": true, "at": true, "by": true, "for": true, "and": true, "or": true, "is": true, "it": true,
	"as": true, "be": true, "was": true, "are": true, "with": true, "that": true, "this": true, "from": true}

// korean reports whether a word is Korean of two syllables or more, which
// is matched as the start of longer words: particles attach to Korean
// words (서울 finds 서울에서). Korean text is a small part of the
// archive, so the walk over the words starting with it stays short.
func korean(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.Is(unicode.Hangul, r) && utf8.RuneCountInString(w) >= 2
}

// longEnough reports whether a word may be a prefix the reader asked for:
// three letters, or two Hangul syllables. A shorter one is matched whole,
// since "a*" would match a large part of the dictionary.
func longEnough(w string) bool {
	return utf8.RuneCountInString(w) >= 3 || korean(w)
}

// splitStarred is splitWords that also reports which words were followed
// at once by a star.
func splitStarred(s string) (words []string, stars []bool) {
	for len(s) > 0 {
		i := strings.IndexByte(s, '*')
		chunk := s
		if i >= 0 {
			chunk = s[:i]
		}
		ws := splitWords(chunk)
		for j := range ws {
			words = append(words, ws[j])
			// The star belongs to the chunk's last word when nothing
			// separates them.
			last := j == len(ws)-1
			r, _ := utf8.DecodeLastRuneInString(chunk)
			stars = append(stars, i >= 0 && last && isWordRune(r))
		}
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	return words, stars
}

// isWordRune reports whether r is part of a word rather than a separator.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// splitWords cuts text into lower-case runs of letters, digits and
// combining marks, each at most MaxWordRunes long.
func splitWords(s string) []string {
	var out []string
	var b strings.Builder
	n := 0
	flush := func() {
		// Combining marks alone are not a word: no engine indexes them.
		if w := b.String(); strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			out = append(out, w)
		}
		b.Reset()
		n = 0
	}
	for _, r := range s {
		if isWordRune(r) {
			if n < MaxWordRunes {
				b.WriteRune(unicode.ToLower(r))
				n++
			}
			continue
		}
		flush()
	}
	flush()
	return out
}

// FTS5 writes the terms as an SQLite FTS5 MATCH expression: every word
// quoted ("vote", or "서울"* for Korean), every prefix "vote"*, every
// phrase a quoted phrase, all required. Quoting makes words like OR,
// NEAR or AND plain words.
func (t Terms) FTS5() string {
	var parts []string
	for _, w := range t.Words {
		parts = append(parts, t.fts5Word(w, korean(w)))
	}
	for _, w := range t.Prefixes {
		parts = append(parts, t.fts5Word(w, true))
	}
	for _, p := range t.Phrases {
		parts = append(parts, `"`+strings.Join(p, " ")+`"`)
	}
	return strings.Join(parts, " AND ")
}

func (t Terms) fts5Word(w string, prefix bool) string {
	if exp, ok := t.Expansions[w]; prefix && ok && len(exp) > 0 {
		alts := make([]string, len(exp))
		for i, e := range exp {
			alts[i] = fts5Word(e, false)
		}
		return "(" + strings.Join(alts, " OR ") + ")"
	}
	return fts5Word(w, prefix)
}

// FTS5In is FTS5 limited to some columns of the index: the whole query
// must match within them.
func (t Terms) FTS5In(columns ...string) string {
	return "{" + strings.Join(columns, " ") + "} : (" + t.FTS5() + ")"
}

func fts5Word(w string, prefix bool) string {
	if prefix {
		return `"` + w + `"*`
	}
	return `"` + w + `"`
}

// TSQuery writes the terms for PostgreSQL's to_tsquery('simple', …):
// words quoted ('vote', or '서울':* for Korean), prefixes 'vote':*,
// phrases with <->, all joined by &. Words hold only letters and
// digits, so the quotes need no escaping.
func (t Terms) TSQuery() string { return t.TSQueryIn("") }

// TSQueryIn is TSQuery limited to lexemes of the given weights ("A" the
// headline, "AB" the headline, deck, bylines and tags): the whole query
// must match within them. "" means any weight.
func (t Terms) TSQueryIn(weights string) string {
	var parts []string
	for _, w := range t.Words {
		parts = append(parts, t.tsWord(w, korean(w), weights))
	}
	for _, w := range t.Prefixes {
		parts = append(parts, t.tsWord(w, true, weights))
	}
	for _, p := range t.Phrases {
		q := make([]string, len(p))
		for i, w := range p {
			q[i] = tsWord(w, false, weights)
		}
		parts = append(parts, "("+strings.Join(q, " <-> ")+")")
	}
	return strings.Join(parts, " & ")
}

func (t Terms) tsWord(w string, prefix bool, weights string) string {
	if exp, ok := t.Expansions[w]; prefix && ok && len(exp) > 0 {
		alts := make([]string, len(exp))
		for i, e := range exp {
			alts[i] = tsWord(e, false, weights)
		}
		return "(" + strings.Join(alts, " | ") + ")"
	}
	return tsWord(w, prefix, weights)
}

func tsWord(w string, prefix bool, weights string) string {
	label := weights
	if prefix {
		label = "*" + weights
	}
	if label == "" {
		return "'" + w + "'"
	}
	return "'" + w + "':" + label
}

// Sort is the order of results.
type Sort string

// The orders.
const (
	Relevance Sort = "relevance"
	Newest    Sort = "newest"
)

// Cursor marks the last result of a page; the next page continues after
// it. Score is used when sorting by relevance, PublishedAt by date.
type Cursor struct {
	Score       float64
	PublishedAt time.Time
	ID          int64
}

// IsZero reports the start of the results.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes the cursor for a URL.
func (c Cursor) String(s Sort) string {
	if s == Newest {
		return strconv.FormatInt(c.PublishedAt.UnixMilli(), 10) + "_" + strconv.FormatInt(c.ID, 10)
	}
	return strconv.FormatFloat(c.Score, 'g', -1, 64) + "_" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor decodes a cursor written by String for the same sort.
func ParseCursor(raw string, s Sort) (Cursor, error) {
	head, idText, ok := strings.Cut(raw, "_")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 {
		return Cursor{}, ErrBadCursor
	}
	if s == Newest {
		ms, err := strconv.ParseInt(head, 10, 64)
		if err != nil || ms < 0 {
			return Cursor{}, ErrBadCursor
		}
		return Cursor{PublishedAt: time.UnixMilli(ms).UTC(), ID: id}, nil
	}
	score, err := strconv.ParseFloat(head, 64)
	if err != nil || score != score { // NaN
		return Cursor{}, ErrBadCursor
	}
	return Cursor{Score: score, ID: id}, nil
}

// Query is one search with its filters and page.
type Query struct {
	Terms      Terms
	SectionIDs []int64   // any of these sections (a section and those below it); empty for all
	AuthorID   int64     // 0 for any
	From, To   time.Time // published in [From, To); zero for open
	Sort       Sort
	After      Cursor
	Limit      int
}

// Hit is one result: the article (without its body), its score under the
// query (lower is better), and a passage of its body with the matched
// words in <mark>, as safe HTML.
type Hit struct {
	Article article.Article
	Score   float64
	Snippet string
}

// AnyFTS5 is an FTS5 expression matching articles whose headline, deck or
// tags hold any of the words, for finding articles like another.
func AnyFTS5(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = fts5Word(w, korean(w))
	}
	return "{headline deck people tags} : (" + strings.Join(parts, " OR ") + ")"
}

// AnyTSQuery is the tsquery of AnyFTS5: any of the words in the headline
// (weight A) or the deck, bylines and tags (B).
func AnyTSQuery(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = tsWord(w, korean(w), "AB")
	}
	return strings.Join(parts, " | ")
}

// stopWords are too common to tell articles apart.
var stopWords = map[string]bool{"the": true, "and": true, "for": true, "with": true, "from": true, "that": true,
	"this": true, "are": true, "was": true, "were": true, "has": true, "have": true, "will": true, "its": true,
	"into": true, "after": true, "over": true, "about": true, "than": true, "but": true, "not": true, "new": true,
	"says": true, "said": true, "who": true, "what": true, "how": true, "why": true, "more": true, "their": true}

// KeyWords picks up to max distinct words of text worth matching on: at
// least three letters (two for Hangul, whose syllables carry more), and
// not among the commonest English words.
func KeyWords(text string, max int) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range splitWords(text) {
		n := utf8.RuneCountInString(w)
		r, _ := utf8.DecodeRuneInString(w)
		if seen[w] || stopWords[w] || n < 3 && !(n == 2 && unicode.Is(unicode.Hangul, r)) {
			continue
		}
		seen[w] = true
		out = append(out, w)
		if len(out) == max {
			break
		}
	}
	return out
}
