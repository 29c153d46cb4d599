package dictionary

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLessCommonWords(t *testing.T) {
	d := testDictionary(t)
	const text = `Seoul said the government would build an embankment. The government's embankments ` +
		`and the levee were built by Kim, the lawmaker; lawmakers praised the levee. The rest is people and time.`
	got := d.LessCommonWords(text, 3)
	var lemmas []string
	for _, w := range got {
		lemmas = append(lemmas, w.Lemma)
		if w.Definition == "" || strings.Contains(w.Definition, "\n") || w.POS == "" {
			t.Errorf("%s: POS %q, definition %q; want a part of speech and a one-line definition", w.Lemma, w.POS, w.Definition)
		}
	}
	// The three rarest, once each, in the order they first appear;
	// "Seoul" and "Kim" only ever appear capitalised, so they are names.
	if want := []string{"embankment", "levee", "lawmaker"}; !slices.Equal(lemmas, want) {
		t.Errorf("LessCommonWords: got %q, want %q", lemmas, want)
	}
	if got[0].Form != "embankment" {
		t.Errorf("form of the first: got %q, want the text's first spelling", got[0].Form)
	}
	if all := d.LessCommonWords(text, 100); len(all) < 5 || slices.ContainsFunc(all, func(w Word) bool {
		return w.Lemma == "seoul" || w.Lemma == "kim" || len(w.Form) < minWordLen
	}) {
		t.Errorf("all words: got %+v, want the known words of four letters or more, no names", all)
	}
	if got := d.LessCommonWords("", 10); len(got) != 0 {
		t.Errorf("empty text: got %v", got)
	}
}

func TestLessCommonWords_skipsNameSenses(t *testing.T) {
	d := testDictionary(t)
	got := d.LessCommonWords("regional centres", 1)
	if len(got) != 1 || got[0].Lemma != "centre" || strings.Contains(got[0].Definition, "France") {
		t.Errorf("centres: got %+v, want a common-noun sense of centre, not the French region", got)
	}
}

func TestTokens(t *testing.T) {
	got := tokens("Korea’s fast-aging population—its 'workers' can't wait; 3,000 rooms.")
	want := []string{"Korea", "fast-aging", "population", "its", "workers", "can't", "wait", "rooms"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens: got %q, want %q", got, want)
	}
}

// BenchmarkLessCommonWords picks the words of the longest demo article,
// as an article page does each time it is rendered.
func BenchmarkLessCommonWords(b *testing.B) {
	d := testDictionary(b)
	files, _ := filepath.Glob("../demo/content/articles/*.md")
	var text string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, body, _ := strings.Cut(string(raw), "---\n"); len(body) > len(text) {
			text = body
		}
	}
	b.ReportMetric(float64(len(strings.Fields(text))), "words")
	for b.Loop() {
		if len(d.LessCommonWords(text, 10)) == 0 {
			b.Fatal("no words")
		}
	}
}

func TestSentenceAt(t *testing.T) {
	text := "What was cut\nThe opposition removed a voucher scheme. It also cut funding! Why? Nobody said.\nNext paragraph here."
	for _, tt := range []struct{ word, want string }{
		{"cut", "What was cut"},
		{"voucher", "The opposition removed a voucher scheme."},
		{"funding", "It also cut funding!"},
		{"Nobody", "Nobody said."},
		{"paragraph", "Next paragraph here."},
	} {
		if got := SentenceAt(text, strings.Index(text, tt.word)); got != tt.want {
			t.Errorf("SentenceAt(%s) = %q, want %q", tt.word, got, tt.want)
		}
	}
	// A "sentence" longer than the limit is cut around the word, which it keeps.
	long := strings.Repeat("filler words without any stop ", 60) + "the obscure cartographer remained " + strings.Repeat("and more words ", 60) + "end."
	got := SentenceAt(long, strings.Index(long, "cartographer"))
	if !strings.Contains(got, "cartographer") || utf8.RuneCountInString(got) > MaxContextLen {
		t.Errorf("long sentence: %d characters, holds the word: %v", utf8.RuneCountInString(got), strings.Contains(got, "cartographer"))
	}
	if SentenceAt(text, -1) != "" || SentenceAt(text, len(text)+1) != "" {
		t.Error("an offset outside the text should give no sentence")
	}
}
