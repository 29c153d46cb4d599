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
		in       string
		words    string
		prefixes string
		phrases  string
		err      error
	}{
		{"Harbour Budget", "harbour budget", "", "", nil},
		{`"harbour master" fees`, "fees", "", "harbour master", nil},
		{`NEAR(harbour, 3) OR OR AND NOT`, "near harbour 3 not", "", "", nil},
		{`the of a`, "the of a", "", "", nil},
		{`the "state of the art"`, "", "", "state of the art", nil},
		{`harb*`, "", "harb", "", nil},
		{`harb* budget`, "budget", "harb", "", nil},
		{`ha* 서* 서울*`, "ha 서", "서울", "", nil},
		{`"harb* master"`, "", "", "harb master", nil},
		{`harb *`, "harb", "", "", nil},
		{`*`, "", "", "", ErrEmpty},
		{"\u0301 \u0301\u0301", "", "", "", ErrEmpty},
		{"the \u0301", "the", "", "", nil},
		{`"unclosed phrase here`, "", "", "unclosed phrase here", nil},
		{`"one"`, "one", "", "", nil},
		{`'; DROP TABLE articles; --`, "drop table articles", "", "", nil},
		{`서울에서 "예산안 통과"`, "서울에서", "", "예산안 통과", nil},
		{`Café`, "café", "", "", nil},
		{``, "", "", "", ErrEmpty},
		{`"`, "", "", "", ErrEmpty},
		{`* ( ) : ^ -`, "", "", "", ErrEmpty},
		{strings.Repeat("a", 10000), "", "", "", ErrTooLong},
		{strings.Repeat("w ", 13), "", "", "", ErrTooMany},
		{"\xff\xfe", "", "", "", ErrBadText},
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
		w, x, p := strings.Join(got.Words, " "), strings.Join(got.Prefixes, " "), strings.Join(phrases, "|")
		if err == nil && (w != tt.words || x != tt.prefixes || p != tt.phrases) {
			t.Errorf("Parse(%q) = words %q prefixes %q phrases %q, want %q %q %q", tt.in, w, x, p, tt.words, tt.prefixes, tt.phrases)
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
		for _, w := range append(append(append([]string{}, tm.Words...), tm.Prefixes...), flatten(tm.Phrases)...) {
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
	tm, _ := Parse(`vote* "city hall"`)
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

func TestTextDropsTagsAndDecodes(t *testing.T) {
	got := Text(`<p>Fees &amp; dues</p><p>rose <a href="/x?a=1&amp;b=2">5&nbsp;%</a></p>`)
	if want := " Fees & dues  rose  5\u00a0%  "; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestIndexWordsFoldLikeTheIndex(t *testing.T) {
	got := strings.Join(IndexWords("Café CAFÉ naïve", "서울에서, 서울시의회!", "e-mail"), " ")
	if want := "cafe naive 서울에서 서울시의회 e mail"; got != want {
		t.Errorf("IndexWords = %q, want %q", got, want)
	}
}

func TestExpansionsReplacePrefixes(t *testing.T) {
	tm, _ := Parse(`vote* 서울 "city hall"`)
	tm.Expansions = map[string][]string{"vote": {"vote", "voters"}, "서울": {"서울", "서울에서"}}
	want := `("서울" OR "서울에서") AND ("vote" OR "voters") AND "city hall"`
	if got := tm.FTS5(); got != want {
		t.Errorf("FTS5 = %q, want %q", got, want)
	}
	if got := tm.FTS5In("headline"); got != "{headline} : ("+want+")" {
		t.Errorf("FTS5In = %q", got)
	}
	if got, want := tm.TSQueryIn("AB"), `('서울':AB | '서울에서':AB) & ('vote':AB | 'voters':AB) & ('city':AB <-> 'hall':AB)`; got != want {
		t.Errorf("TSQueryIn = %q, want %q", got, want)
	}
}
