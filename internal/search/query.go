// Package search turns what a reader types into a full-text query both
// database engines understand, and the engines' highlighted snippets
// back into safe HTML. Readers never write engine syntax: words are
// matched as prefixes, "quoted words" as a phrase, and every other
// character only separates words, so no input can be an operator, a
// column filter or a syntax error on either engine.
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

// Terms is a parsed query: single words, matched as prefixes ("vote"
// finds "voters", "서울" finds "서울에서"), and phrases, whose words
// must follow one another. Every word holds letters and digits only.
type Terms struct {
	Words   []string
	Phrases [][]string
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
		words := splitWords(piece)
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
		for _, w := range words {
			if !seen[w] {
				seen[w] = true
				t.Words = append(t.Words, w)
			}
		}
	}
	if len(t.Words) == 0 && len(t.Phrases) == 0 {
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
	if len(kept) > 0 || len(t.Phrases) > 0 {
		t.Words = kept
	}
	return t, nil
}

// commonWords are left out of searches that have other words.
var commonWords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "to": true, "in": true,
	"on": true, "at": true, "by": true, "for": true, "and": true, "or": true, "is": true, "it": true,
	"as": true, "be": true, "was": true, "are": true, "with": true, "that": true, "this": true, "from": true}

// prefix reports whether a word is matched as the start of longer words:
// from three letters, or two Hangul syllables (서울 finds 서울에서). A
// shorter word is matched whole, since "a" as a prefix matches a large
// part of the dictionary.
func prefix(w string) bool {
	n := utf8.RuneCountInString(w)
	r, _ := utf8.DecodeRuneInString(w)
	return n >= 3 || n == 2 && unicode.Is(unicode.Hangul, r)
}

// splitWords cuts text into lower-case runs of letters, digits and
// combining marks, each at most MaxWordRunes long.
func splitWords(s string) []string {
	var out []string
	var b strings.Builder
	n := 0
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
			n = 0
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
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

// FTS5 writes the terms as an SQLite FTS5 MATCH expression: every word a
// quoted prefix ("vote"*), every phrase a quoted phrase, all required.
// Quoting makes words like OR, NEAR or AND plain words.
func (t Terms) FTS5() string {
	var parts []string
	for _, w := range t.Words {
		if prefix(w) {
			parts = append(parts, `"`+w+`"*`)
		} else {
			parts = append(parts, `"`+w+`"`)
		}
	}
	for _, p := range t.Phrases {
		parts = append(parts, `"`+strings.Join(p, " ")+`"`)
	}
	return strings.Join(parts, " AND ")
}

// TSQuery writes the terms for PostgreSQL's to_tsquery('simple', …):
// words as prefixes ('vote':*), phrases with <->, all joined by &. Words
// hold only letters and digits, so the quotes need no escaping.
func (t Terms) TSQuery() string {
	var parts []string
	for _, w := range t.Words {
		if prefix(w) {
			parts = append(parts, "'"+w+"':*")
		} else {
			parts = append(parts, "'"+w+"'")
		}
	}
	for _, p := range t.Phrases {
		q := make([]string, len(p))
		for i, w := range p {
			q[i] = "'" + w + "'"
		}
		parts = append(parts, "("+strings.Join(q, " <-> ")+")")
	}
	return strings.Join(parts, " & ")
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

// AnyFTS5 is an FTS5 expression matching any of the words (as prefixes),
// for finding articles like another.
func AnyFTS5(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `"` + w + `"*`
	}
	return strings.Join(parts, " OR ")
}

// AnyTSQuery is the tsquery matching any of the words, as prefixes.
func AnyTSQuery(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = "'" + w + "':*"
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
