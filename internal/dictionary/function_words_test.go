package dictionary

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func testFunctionWords(tb testing.TB) *functionLexicon {
	tb.Helper()
	lx, err := loadFunctionWords()
	if err != nil {
		tb.Fatalf("parse data/function-words.tsv: %v", err)
	}
	return lx
}

// wordsOf lower-cases text and pads every word with spaces, so that a word
// or phrase can be found with strings.Contains(" " + w + " ").
func wordsOf(text string) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, r := range strings.ToLower(quoteReplacer.Replace(text)) {
		if r >= 'a' && r <= 'z' || r == '\'' {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte(' ')
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestFunctionWords_wellFormed(t *testing.T) {
	lx := testFunctionWords(t)
	// The forms by which a headword may appear in an example: itself, its
	// inflected forms and the contractions that include it.
	forms := map[string][]string{}
	for f, l := range lx.forms {
		forms[l] = append(forms[l], f)
		if _, ok := lx.entries[f]; ok {
			t.Errorf("form %q is also a headword; one of the two is never reached", f)
		}
	}
	for c, parts := range lx.contract {
		for _, p := range parts {
			if l := lx.lemma(p); l != "" {
				forms[l] = append(forms[l], c)
			} else if !testDictionary(t).Has(p) {
				t.Errorf("contraction %q stands for %q, which neither the lexicon nor WordNet has", c, p)
			}
		}
	}
	entries := 0
	for _, lemma := range lx.headwords {
		if lemma == "" || lemma != strings.ToLower(strings.TrimSpace(lemma)) {
			t.Errorf("key %q is not a trimmed lower-case word", lemma)
		}
		seen := map[string]bool{}
		for _, e := range lx.entries[lemma] {
			entries++
			if seen[e.POS] {
				t.Errorf("%s: two %s entries; senses of one part of speech belong on adjacent lines", lemma, e.POS)
			}
			seen[e.POS] = true
			if strings.ToLower(e.Lemma) != lemma || !slices.Contains(functionPOS, e.POS) || len(e.Senses) == 0 {
				t.Errorf("%s: malformed entry %+v", lemma, e)
			}
			defs := map[string]bool{}
			for _, s := range e.Senses {
				if s.Definition == "" || s.Definition != strings.TrimSpace(s.Definition) || strings.HasSuffix(s.Definition, ".") {
					t.Errorf("%s (%s): definition %q is empty, padded or ends in a full stop", lemma, e.POS, s.Definition)
				}
				if defs[s.Definition] {
					t.Errorf("%s (%s): definition %q twice", lemma, e.POS, s.Definition)
				}
				defs[s.Definition] = true
				if len(s.Examples) == 0 {
					t.Errorf("%s (%s) %q: no example", lemma, e.POS, s.Definition)
				}
				for _, ex := range s.Examples {
					words := " " + wordsOf(ex) + " "
					if !slices.ContainsFunc(append([]string{lemma}, forms[lemma]...), func(f string) bool {
						return strings.Contains(words, " "+f+" ")
					}) {
						t.Errorf("%s (%s): example %q does not use the word", lemma, e.POS, ex)
					}
					if ex != strings.TrimSpace(ex) {
						t.Errorf("%s (%s): example %q is padded", lemma, e.POS, ex)
					}
				}
			}
		}
	}
	if entries < 280 {
		t.Errorf("%d entries, want about 300", entries)
	}
	t.Logf("%d headwords, %d entries, %d forms, %d contractions", len(lx.headwords), entries, len(lx.forms), len(lx.contract))
}

func TestParseFunctionWords_rejectsBadLines(t *testing.T) {
	for _, text := range []string{
		"the\tarticle\tused before a noun\tThe end.",
		"the\tdeterminer\tused before a noun",
		"=is\tbe",
	} {
		if _, err := parseFunctionWords(text); err == nil {
			t.Errorf("parseFunctionWords(%q) = nil error, want one", text)
		}
	}
}

func TestLookup_functionWords(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		q, lemma string
		pos      []string // the entries' parts of speech in order, then "…" if more may follow
	}{
		{"the", "the", []string{"determiner"}},
		{"The", "the", []string{"determiner"}},
		{"i", "I", []string{"pronoun", "…"}},
		{"can", "can", []string{"modal verb", "noun", "verb"}},
		{"will", "will", []string{"modal verb", "noun", "verb"}},
		{"whom", "whom", []string{"pronoun"}},
		{"whether", "whether", []string{"conjunction"}},
		{"that", "that", []string{"determiner", "pronoun", "conjunction"}},
		{"since", "since", []string{"preposition", "conjunction"}},
		{"is", "be", []string{"auxiliary verb", "…"}},
		{"were", "be", []string{"auxiliary verb", "…"}},
		{"has", "have", []string{"auxiliary verb", "…"}},
		{"did", "do", []string{"auxiliary verb", "…"}},
		{"don't", "do", []string{"auxiliary verb", "adverb"}},
		{"Don’t", "do", []string{"auxiliary verb", "adverb"}},
		{"doesn't", "do", []string{"auxiliary verb", "adverb"}},
		{"won't", "will", []string{"modal verb", "adverb"}},
		{"can't", "can", []string{"modal verb", "adverb"}},
		{"cannot", "can", []string{"modal verb", "adverb"}},
		{"isn't", "be", []string{"auxiliary verb", "adverb"}},
		{"hadn't", "have", []string{"auxiliary verb", "adverb"}},
		{"mustn't", "must", []string{"modal verb", "adverb"}},
		{"I'm", "I", []string{"pronoun", "auxiliary verb"}},
		{"they’re", "they", []string{"pronoun", "auxiliary verb"}},
		{"it's", "it", []string{"pronoun", "auxiliary verb", "auxiliary verb"}},
		{"It’s", "it", []string{"pronoun", "auxiliary verb", "auxiliary verb"}},
		{"she's", "she", []string{"pronoun", "auxiliary verb", "auxiliary verb"}},
		{"I've", "I", []string{"pronoun", "auxiliary verb"}},
		{"we'll", "we", []string{"pronoun", "modal verb"}},
		{"I'd", "I", []string{"pronoun", "modal verb", "auxiliary verb"}},
		{"there's", "there", []string{"pronoun", "adverb", "auxiliary verb", "auxiliary verb"}},
		{"who's", "who", []string{"pronoun", "auxiliary verb", "auxiliary verb"}},
		{"let's", "let", []string{"noun", "verb", "pronoun"}},
		{"its", "its", []string{"determiner", "…"}},
		{"everybody's", "everybody", []string{"pronoun"}},
		{"others'", "other", []string{"determiner", "pronoun"}},
		{"Workers'", "worker", []string{"noun"}},
		{"Workers’", "worker", []string{"noun"}},
		{"“Their", "their", []string{"determiner"}},
		{"according to", "according to", []string{"preposition"}},
	}
	for _, tt := range tests {
		r, ok := d.Lookup(tt.q)
		if !ok {
			t.Errorf("Lookup(%q) found nothing, want %q", tt.q, tt.lemma)
			continue
		}
		var got []string
		for _, e := range r.Entries {
			got = append(got, e.POS)
		}
		want, open := tt.pos, false
		if n := len(want); want[n-1] == "…" {
			want, open = want[:n-1], true
		}
		if r.Lemma != tt.lemma || len(got) < len(want) || !slices.Equal(got[:len(want)], want) || (!open && len(got) != len(want)) {
			t.Errorf("Lookup(%q) = %q %v, want %q %v", tt.q, r.Lemma, got, tt.lemma, tt.pos)
		}
	}
	if r, _ := d.Lookup("let's"); !slices.ContainsFunc(r.Entries, func(e Entry) bool { return e.Lemma == "us" }) {
		t.Errorf("Lookup(let's) lacks the entry for us: %v", r.Lemmas())
	}
}

func TestLookupPhrase_functionWords(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		text  string
		i     int
		lemma string
		pos   string
	}{
		{"Three people, according to the police, were hurt.", 2, "according to", "preposition"},
		{"Three people, according to the police, were hurt.", 3, "according to", "preposition"},
		{"The city will plant trees instead of building a car park.", 5, "instead of", "preposition"},
		{"Neighbors helped one another after the storm.", 3, "one another", "pronoun"},
		{"The road was widened so that buses could pass.", 4, "so that", "conjunction"},
		{"The mayor said so; that ended the debate.", 4, "that", "determiner"}, // no phrase across the semicolon
	}
	for _, tt := range tests {
		words := strings.Fields(tt.text)
		r, ok := d.LookupPhrase(words, tt.i)
		if !ok || r.Lemma != tt.lemma || r.Entries[0].POS != tt.pos {
			t.Errorf("LookupPhrase(%q, %d) = %q %v, want %q (%s)", tt.text, tt.i, r.Lemma, r.Lemmas(), tt.lemma, tt.pos)
		}
	}
}

// demoArticleAllowList are lower-case words of the demo articles that no
// dictionary is expected to know, each with the reason.
// The lexicon holds closed-class words only; these are open-class words
// that WordNet 3.0 lacks, to be answered by analysis into known parts.
var demoArticleAllowList = map[string]string{
	"jeonse": "Korean loanword", "hagwon": "Korean loanword", "officetel": "Korean loanword",
	"gayageum": "Korean loanword", "gugak": "Korean loanword", "haegeum": "Korean loanword",
	"underrepresented": "prefixed word", "redrawing": "prefixed word", "relabelled": "prefixed word",
	"cruellest": "British spelling of a superlative", "driverless": "suffixed word",
	"schoolchildren": "compound", "policymakers": "compound", "jobseekers": "compound",
	"baseman": "compound", "curveball": "compound", "midfielder": "compound",
	"cafés":   "accented spelling; WordNet has cafe",
	"celadon": "loanword for a glaze, newer than WordNet 3.0",
}

var (
	markdownLink = regexp.MustCompile(`\]\([^)]*\)`)
	// Hyphens stay inside a word, so the parts of a romanised given name
	// (Tae-rin) are skipped with its capital.
	lowerWord = regexp.MustCompile(`\pL+(?:['’-]\pL+)*`)
)

// TestLookup_demoArticleWordsFound looks up every lower-case word of the demo
// articles, so the words WordNet leaves out (the, whom, could) must be in the
// function-word lexicon. Capitalised words are skipped: most are names.
func TestLookup_demoArticleWordsFound(t *testing.T) {
	d := testDictionary(t)
	paths, err := filepath.Glob("../demo/content/articles/*.md")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no demo articles: %v", err)
	}
	checked, fromLexicon := map[string]bool{}, map[string]bool{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		head, body, ok := strings.Cut(string(raw), "\n---\n")
		if !ok {
			t.Fatalf("%s: no front matter", p)
		}
		if strings.Contains("\n"+head+"\n", "\nlanguage: ko\n") {
			continue // a Korean version: not for the English dictionary
		}
		body = markdownLink.ReplaceAllString(body, "]")
		for _, w := range lowerWord.FindAllString(body, -1) {
			if w != strings.ToLower(w) || checked[w] {
				continue
			}
			checked[w] = true
			if _, ok := d.Lookup(w); !ok {
				if _, allowed := demoArticleAllowList[w]; !allowed {
					t.Errorf("%s: %q is not found", filepath.Base(p), w)
				}
				continue
			}
			form, _ := normalize(w)
			if _, lex := d.lookupFunctionWord(w, form); lex && len(d.readings(form)) == 0 {
				fromLexicon[w] = true
			}
		}
	}
	t.Logf("%d distinct lower-case words; %d found only through the function-word lexicon", len(checked), len(fromLexicon))
}

func BenchmarkLookup_functionWord(b *testing.B) {
	d := testDictionary(b)
	testFunctionWords(b)
	words := []string{"the", "whom", "could", "don't", "it’s", "against"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := d.Lookup(words[i%len(words)]); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkParseFunctionWords is the lexicon's share of start-up, paid once
// on the first look-up.
func BenchmarkParseFunctionWords(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseFunctionWords(functionWordData); err != nil {
			b.Fatal(err)
		}
	}
}

// Function words carry their pronunciation as WordNet's entries do.
func TestLookup_functionWordsArePronounced(t *testing.T) {
	d := testDictionary(t)
	for word, want := range map[string]string{"the": "/ðə/", "whom": "/hum/", "against": "/əˈɡɛnst/"} {
		r, ok := d.Lookup(word)
		if !ok || len(r.Entries) == 0 {
			t.Fatalf("%s: not found", word)
		}
		if got := r.Entries[0].Pronunciation; got != want {
			t.Errorf("%s: pronunciation %q, want %q", word, got, want)
		}
	}
}
