package dictionary

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestPronunciation(t *testing.T) {
	tests := map[string]string{
		"summit":        "/ˈsʌmət/",
		"nuclear":       "/ˈnukliɚ/",
		"relations":     "/riˈleɪʃənz/",
		"the":           "/ðə/",
		"of":            "/ʌv/",
		"Pyongyang":     "/ˈpjɔŋˌjæŋ/",
		"interest rate": "/ˈɪntrəst reɪt/", // word by word
		"criticise":     "/ˈkrɪtɪˌsaɪz/",   // as criticize
		"neighbour":     "/ˈneɪbɚ/",
		"zzzxq":         "",
		"":              "",
		"summit zzzxq":  "", // a word of the phrase is unknown
	}
	for lemma, want := range tests {
		if got := Pronunciation(lemma); got != want {
			t.Errorf("Pronunciation(%q) = %q, want %q", lemma, got, want)
		}
	}
	if got := Pronunciations("live"); !slices.Equal(got, []string{"/laɪv/", "/lɪv/"}) {
		t.Errorf("Pronunciations(live) = %q, want both the adjective's and the verb's", got)
	}
}

func TestLookup_entriesCarryPronunciation(t *testing.T) {
	d := testDictionary(t)
	r, ok := d.Lookup("summits")
	if !ok || len(r.Entries) == 0 {
		t.Fatal("Lookup(summits) found nothing")
	}
	for _, e := range r.Entries {
		if e.Pronunciation != Pronunciation(e.Lemma) || e.Pronunciation == "" {
			t.Errorf("%s (%s): pronunciation %q, want %q", e.Lemma, e.POS, e.Pronunciation, Pronunciation(e.Lemma))
		}
	}
}

// TestPronunciationData_wellFormed checks every line of the embedded file:
// a lower-case word, one to three transcriptions made only of the IPA
// symbols cmd/prongen writes, at most one primary stress each.
func TestPronunciationData_wellFormed(t *testing.T) {
	p, err := readPronunciations(bytes.NewReader(pronunciationData))
	if err != nil {
		t.Fatal(err)
	}
	if len(p) < 25000 {
		t.Fatalf("%d words, want at least 25000", len(p))
	}
	symbols := regexp.MustCompile(`^[ˈˌɑæʌɔaʊəɪɛɝɚeiouʊbtʃdðfɡhʒklmnŋprsθvwjz]+$`)
	for w, ipa := range p {
		if w != strings.ToLower(w) {
			t.Errorf("%q is not lower-case", w)
		}
		ps := strings.Split(ipa, "\t")
		if len(ps) > 3 {
			t.Errorf("%q has %d pronunciations, want at most 3", w, len(ps))
		}
		for _, s := range ps {
			if !symbols.MatchString(s) || strings.Count(s, "ˈ") > 1 {
				t.Errorf("%q: bad transcription %q", w, s)
			}
		}
	}
	if _, err := readPronunciations(bytes.NewReader(gzipped(t, "word-without-ipa\n"))); err == nil {
		t.Error("a line without a transcription was accepted")
	}
}

// TestPronunciation_demoArticleCoverage measures how many of the demo
// articles' words that the dictionary finds get a pronunciation. CMUdict
// lacks some rare and many recent words, so the floor is below 100 %.
func TestPronunciation_demoArticleCoverage(t *testing.T) {
	d := testDictionary(t)
	files, err := filepath.Glob("../demo/content/articles/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no demo articles found: %v", err)
	}
	seen := map[string]bool{}
	found, pronounced := 0, 0
	var missing []string
	word := regexp.MustCompile(`[A-Za-z][A-Za-z'’-]*`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range word.FindAllString(string(b), -1) {
			r, ok := d.Lookup(w)
			if !ok || seen[r.Lemma] {
				continue
			}
			seen[r.Lemma] = true
			found++
			if r.Entries[0].Pronunciation != "" {
				pronounced++
			} else {
				missing = append(missing, r.Lemma)
			}
		}
	}
	share := float64(pronounced) / float64(found)
	t.Logf("%d of %d distinct headwords of %d demo articles have a pronunciation (%.1f %%); without: %s",
		pronounced, found, len(files), 100*share, strings.Join(missing, ", "))
	if share < 0.95 {
		t.Errorf("only %.1f %% of the demo articles' headwords have a pronunciation, want at least 95 %%", 100*share)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func BenchmarkPronunciationLoad(b *testing.B) {
	for b.Loop() {
		if _, err := readPronunciations(bytes.NewReader(pronunciationData)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPronunciation(b *testing.B) {
	words := []string{"summit", "nuclear", "relations", "the", "interest rate", "zzzxq"}
	Pronunciation("warm") // load outside the timing
	for i := 0; b.Loop(); i++ {
		Pronunciation(words[i%len(words)])
	}
}
