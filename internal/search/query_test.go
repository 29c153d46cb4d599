package search

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		words   string
		phrases string
		err     error
	}{
		{"Harbour Budget", "harbour budget", "", nil},
		{`"harbour master" fees`, "fees", "harbour master", nil},
		{`NEAR(harbour, 3) OR OR AND NOT`, "near harbour 3 not", "", nil},
		{`the of a`, "the of a", "", nil},
		{`the "state of the art"`, "", "state of the art", nil},
		{`harb*`, "harb", "", nil},
		{`"unclosed phrase here`, "", "unclosed phrase here", nil},
		{`"one"`, "one", "", nil},
		{`'; DROP TABLE articles; --`, "drop table articles", "", nil},
		{`서울에서 "예산안 통과"`, "서울에서", "예산안 통과", nil},
		{`Café`, "café", "", nil},
		{``, "", "", ErrEmpty},
		{`"`, "", "", ErrEmpty},
		{`* ( ) : ^ -`, "", "", ErrEmpty},
		{strings.Repeat("a", 10000), "", "", ErrTooLong},
		{strings.Repeat("w ", 13), "", "", ErrTooMany},
		{"\xff\xfe", "", "", ErrBadText},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if !errors.Is(err, tt.err) {
			t.Errorf("Parse(%.40q): error %v, want %v", tt.in, err, tt.err)
			continue
		}
		var phrases []string
		for _, p := range got.Phrases {
			phrases = append(phrases, strings.Join(p, " "))
		}
		if w, p := strings.Join(got.Words, " "), strings.Join(phrases, "|"); err == nil && (w != tt.words || p != tt.phrases) {
			t.Errorf("Parse(%q) = words %q phrases %q, want %q %q", tt.in, w, p, tt.words, tt.phrases)
		}
	}
}

var (
	fts5Shape = regexp.MustCompile(`^"[^"]+"\*?( AND "[^"]+"\*?)*$`)
	tsShape   = regexp.MustCompile(`^(\(?'[^']+'(:\*)?( <-> '[^']+')*\)?)( & \(?'[^']+'(:\*)?( <-> '[^']+')*\)?)*$`)
)

// FuzzParse: no input panics, and whatever is accepted becomes an engine
// expression made of quoted words only, never engine syntax.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`harbour`, `"a b" c`, `NEAR(`, `OR OR`, `*`, `"`, `(((`, `'--`, `서울 "예산안 통과"`, `a:b`, `col:word`, "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tm, err := Parse(in)
		if err != nil {
			return
		}
		for _, w := range append(append([]string{}, tm.Words...), flatten(tm.Phrases)...) {
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
					t.Fatalf("word %q of %q holds %q", w, in, r)
				}
			}
		}
		if e := tm.FTS5(); !fts5Shape.MatchString(e) {
			t.Fatalf("FTS5 expression %q from %q", e, in)
		}
		if e := tm.TSQuery(); !tsShape.MatchString(e) {
			t.Fatalf("tsquery %q from %q", e, in)
		}
	})
}

func flatten(pp [][]string) []string {
	var out []string
	for _, p := range pp {
		out = append(out, p...)
	}
	return out
}

func TestCursorRoundTrip(t *testing.T) {
	for _, s := range []Sort{Relevance, Newest} {
		c := Cursor{Score: -3.141592653589793, PublishedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), ID: 42}
		got, err := ParseCursor(c.String(s), s)
		if err != nil || got.ID != 42 || s == Relevance && got.Score != c.Score || s == Newest && !got.PublishedAt.Equal(c.PublishedAt) {
			t.Errorf("%s: %+v %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "x", "1_", "_1", "NaN_1", "1_-1", "1e999999_1"} {
		if _, err := ParseCursor(bad, Relevance); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

func TestSnippetMarksMatchesAndEscapes(t *testing.T) {
	tm, _ := Parse(`vote "city hall"`)
	got := tm.Snippet("<b>Before</b> the voters met at city hall & left.")
	want := "&lt;b&gt;Before&lt;/b&gt; the <mark>voters</mark> met at <mark>city</mark> <mark>hall</mark> &amp; left."
	if got != want {
		t.Errorf("Snippet =\n %q\nwant\n %q", got, want)
	}
	if s := tm.Snippet("nothing here"); s != "" {
		t.Errorf("no match: %q", s)
	}
	long := strings.Repeat("word ", 100) + "vote " + strings.Repeat("more ", 100)
	if s := tm.Snippet(long); !strings.HasPrefix(s, "… ") || !strings.HasSuffix(s, " …") || !strings.Contains(s, "<mark>vote</mark>") {
		t.Errorf("long text: %q", s)
	}
}
