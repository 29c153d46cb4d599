package dictionary

import (
	"math/rand/v2"
	"strings"
	"testing"
)

type wantPart struct{ lemma, kind string }

func TestAnalyze_partsAndPOS(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		word  string
		pos   string
		parts []wantPart
	}{
		{"denuclearization", "noun", []wantPart{{"de-", "prefix"}, {"nuclear", "stem"}, {"-ization", "suffix"}}},
		{"non-nuclear", "adjective", []wantPart{{"non-", "prefix"}, {"nuclear", "stem"}}},
		{"anti-government", "adjective", []wantPart{{"anti-", "prefix"}, {"government", "stem"}}},
		{"unelectable", "adjective", []wantPart{{"un-", "prefix"}, {"elect", "stem"}, {"-able", "suffix"}}},
		{"overreliance", "noun", []wantPart{{"over-", "prefix"}, {"reliance", "stem"}}},
		{"state-run", "adjective", []wantPart{{"state", "part"}, {"run", "part"}}},
		{"Seoul-based", "adjective", []wantPart{{"seoul", "part"}, {"based", "part"}}},
		{"24-hour", "adjective", []wantPart{{"24", "number"}, {"hour", "part"}}},
		{"post-election", "adjective", []wantPart{{"post-", "prefix"}, {"election", "stem"}}},
		{"year-on-year", "adjective", []wantPart{{"year", "part"}, {"on", "part"}, {"year", "part"}}},
		{"state-owned", "adjective", []wantPart{{"state", "part"}, {"owned", "part"}}},
		{"re-electable", "adjective", []wantPart{{"re-", "prefix"}, {"elect", "stem"}, {"-able", "suffix"}}},
		{"electability", "noun", []wantPart{{"elect", "stem"}, {"-ability", "suffix"}}},
		{"denuclearize", "verb", []wantPart{{"de-", "prefix"}, {"nuclear", "stem"}, {"-ize", "suffix"}}},
		{"Pyongyang-backed", "adjective", []wantPart{{"pyongyang", "part"}, {"backed", "part"}}},
		{"ceasefire", "noun", []wantPart{{"cease", "part"}, {"fire", "part"}}},
		{"denuclearised", "verb", []wantPart{{"de-", "prefix"}, {"nuclear", "stem"}, {"-ise", "suffix"}, {"-ed", "suffix"}}},
		{"denuclearizing", "verb", []wantPart{{"de-", "prefix"}, {"nuclear", "stem"}, {"-ize", "suffix"}, {"-ing", "suffix"}}},
		{"overreliances", "noun", []wantPart{{"over-", "prefix"}, {"reliance", "stem"}}}, // an inflected stem
		{"policymakers", "noun", []wantPart{{"policy", "part"}, {"maker", "part"}}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			a, ok := d.Analyze(tt.word)
			if !ok {
				t.Fatalf("Analyze(%q) found no analysis", tt.word)
			}
			checkAnalysis(t, d, a, tt.pos, tt.parts)
		})
	}
}

// These words are WordNet headwords, so Lookup answers them and Analyze
// refuses them; the analysis their parts give is still checked, since the
// same parts build words WordNet lacks.
func TestAnalyze_wordNetWordsAreNotAnalysed(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		word  string
		pos   string
		parts []wantPart
	}{
		{"reunification", "noun", []wantPart{{"re-", "prefix"}, {"unification", "stem"}}},
		{"three-way", "adjective", []wantPart{{"three", "number"}, {"way", "part"}}},
		{"high-level", "adjective", []wantPart{{"high", "part"}, {"level", "part"}}},
		{"re-elect", "verb", []wantPart{{"re-", "prefix"}, {"elect", "stem"}}},
		{"counterproposal", "noun", []wantPart{{"counter-", "prefix"}, {"proposal", "stem"}}},
		{"well-known", "adjective", []wantPart{{"well", "part"}, {"know", "part"}}},
		{"happiness", "noun", []wantPart{{"happy", "stem"}, {"-ness", "suffix"}}},
		{"blogger", "noun", []wantPart{{"blog", "stem"}, {"-er", "suffix"}}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if _, ok := d.Lookup(tt.word); !ok {
				t.Fatalf("Lookup(%q) found nothing; the test expects a WordNet word", tt.word)
			}
			if a, ok := d.Analyze(tt.word); ok {
				t.Fatalf("Analyze(%q) = %+v, want no analysis of a WordNet word", tt.word, a)
			}
			form, _ := normalize(tt.word)
			a, ok := d.analyzeForm(form)
			if !ok {
				t.Fatalf("analyzeForm(%q) found no analysis", form)
			}
			checkAnalysis(t, d, a, tt.pos, tt.parts)
		})
	}
}

func checkAnalysis(t *testing.T, d *Dictionary, a Analysis, pos string, want []wantPart) {
	t.Helper()
	if a.POS != pos {
		t.Errorf("POS = %q, want %q", a.POS, pos)
	}
	var got []wantPart
	for _, p := range a.Parts {
		got = append(got, wantPart{p.Lemma, p.Kind})
		if p.Kind != "part" && p.Meaning == "" {
			t.Errorf("part %+v has no meaning", p)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("parts = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("parts = %v, want %v", got, want)
			break
		}
	}
	if a.Gloss == "" {
		t.Error("empty gloss")
	}
	checkJoinsBack(t, d, a)
}

// checkJoinsBack checks the documented property of Part.Text: the parts
// put back together give the word, and a stem's Lemma differs from its
// Text only by restored letters and inflection.
func checkJoinsBack(t *testing.T, d *Dictionary, a Analysis) {
	t.Helper()
	var b strings.Builder
	for _, p := range a.Parts {
		b.WriteString(p.Text)
		if p.Kind == "stem" && p.Lemma != p.Text && !restoredFrom(d, p.Text, p.Lemma) {
			t.Errorf("stem %q shown as %q: not a restoration or dictionary form", p.Text, p.Lemma)
		}
	}
	if got, want := b.String(), strings.ReplaceAll(a.Word, "-", ""); got != want {
		t.Errorf("parts join to %q, want %q", got, want)
	}
}

// restoredFrom reports whether lemma is text with restored letters, or
// the dictionary form of such a spelling ("spots" → "spot").
func restoredFrom(d *Dictionary, text, lemma string) bool {
	for _, r := range restorations(text) {
		for _, rd := range d.readings(r) {
			if rd.lemma == lemma {
				return true
			}
		}
	}
	return false
}

func TestAnalyze_nothingToSay(t *testing.T) {
	d := testDictionary(t)
	for _, w := range []string{"xqzt", "zzzz-qqqq", "", "   ", "-", "---", "president", "election",
		strings.Repeat("a", MaxQueryLen+1), "bad\x00word", "a b c"} {
		if a, ok := d.Analyze(w); ok {
			t.Errorf("Analyze(%q) = %+v, want no analysis", w, a)
		}
	}
}

func TestLookupOrAnalyze(t *testing.T) {
	d := testDictionary(t)
	if r, a, ok := d.LookupOrAnalyze("elections"); !ok || a != nil || r.Lemma != "election" {
		t.Errorf("elections: Result %q, analysis %v, %v; want WordNet's entry", r.Lemma, a, ok)
	}
	// Lookup alone reads "post-election" as "election"; the analysis keeps
	// the prefix.
	if r, a, ok := d.LookupOrAnalyze("post-election"); !ok || a == nil || len(r.Entries) != 0 || a.POS != "adjective" {
		t.Errorf("post-election: entries %d, analysis %+v, %v; want the analysis only", len(r.Entries), a, ok)
	}
	if _, a, ok := d.LookupOrAnalyze("denuclearization"); !ok || a == nil {
		t.Error("denuclearization: no analysis")
	}
	if r, a, ok := d.LookupOrAnalyze("a Seoul-based"); ok {
		t.Errorf("a Seoul-based: %q, %+v; want nothing for a phrase WordNet lacks", r.Lemma, a)
	}
	if r, a, ok := d.LookupOrAnalyze("interest rates"); !ok || a != nil || r.Lemma != "interest rate" {
		t.Errorf("interest rates: %q, %+v, %v; want WordNet's phrase", r.Lemma, a, ok)
	}
	if _, _, ok := d.LookupOrAnalyze("zzzz-qqqq"); ok {
		t.Error("zzzz-qqqq: found, want nothing")
	}
}

// TestAnalyze_neverPanicsAndJoinsBack feeds random words built of affixes,
// headwords, hyphens and noise: Analyze must not panic, and every analysis
// must put back together into its word.
func TestAnalyze_neverPanicsAndJoinsBack(t *testing.T) {
	d := testDictionary(t)
	rng := rand.New(rand.NewPCG(16, 2))
	pieces := []string{"-", "-", "'s", "9", "24", "x", "qz", "é", "’", "able", "ization", "ness", "ly", "er", "ing"}
	for _, p := range prefixes {
		pieces = append(pieces, p.form)
	}
	for range 40 {
		pieces = append(pieces, d.headwords[rng.IntN(len(d.headwords))])
	}
	analysed := 0
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		w := b.String()
		a, ok := d.Analyze(w)
		if !ok {
			continue
		}
		analysed++
		if len(a.Parts) == 0 || a.Gloss == "" {
			t.Fatalf("Analyze(%q) = %+v: no parts or gloss", w, a)
		}
		checkJoinsBack(t, d, a)
	}
	if analysed < 100 {
		t.Errorf("only %d of 3000 random words analysed; the generator no longer exercises Analyze", analysed)
	}
}

// BenchmarkAnalyze measures one analysis per kind of word: derived,
// hyphenated, and nonsense (every affix tried in vain).
//
//	go test -run '^$' -bench Analyze -benchmem ./internal/dictionary/
func BenchmarkAnalyze(b *testing.B) {
	d := testDictionary(b)
	for _, w := range []string{"denuclearization", "unelectable", "Seoul-based", "year-on-year", "xqzt", "overcommercialisation"} {
		b.Run(w, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.Analyze(w)
			}
		})
	}
}
