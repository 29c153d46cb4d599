package dictionary

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func testDictionary(tb testing.TB) *Dictionary {
	tb.Helper()
	d, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return d
}

func readLemmaTable(tb testing.TB) [][2]string {
	tb.Helper()
	f, err := os.Open("testdata/demo_lemmas.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var rows [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, lemma, ok := strings.Cut(line, "\t")
		if !ok {
			tb.Fatalf("bad line %q", line)
		}
		rows = append(rows, [2]string{word, lemma})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

func TestLookup_demoArticleLemmas(t *testing.T) {
	d := testDictionary(t)
	rows := readLemmaTable(t)
	if len(rows) < 200 {
		t.Fatalf("got %d rows in testdata/demo_lemmas.tsv, want at least 200", len(rows))
	}
	for _, row := range rows {
		t.Run(row[0], func(t *testing.T) {
			r, ok := d.Lookup(row[0])
			if !ok {
				t.Fatalf("Lookup(%q) found nothing, want lemma %q", row[0], row[1])
			}
			if r.Lemma != row[1] {
				t.Errorf("Lookup(%q).Lemma = %q, want %q", row[0], r.Lemma, row[1])
			}
			checkResult(t, r)
		})
	}
}

func TestLookup_normalisesInput(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		in, lemma string
	}{
		{"  Signals  ", "signal"},
		{"COUNTRIES", "country"},
		{"“departed,”", "depart"},
		{"(mice)", "mouse"},
		{"worker’s", "worker"},
		{"workers'", "worker"},
		{"Parents'", "parent"},
		{"government's", "government"},
		{"heat-wave", "heat wave"},
		{"well-known", "well-known"},
		{"e-mail", "e-mail"},
		{"post-election", "election"},
		{"interest rates", "interest rate"},
		{"laid off", "lay off"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, ok := d.Lookup(tt.in)
			if !ok || r.Lemma != tt.lemma {
				t.Errorf("Lookup(%q) = %q, %v; want %q, true", tt.in, r.Lemma, ok, tt.lemma)
			}
			if r.Query != tt.in {
				t.Errorf("Query = %q, want %q", r.Query, tt.in)
			}
		})
	}
}

func TestLookup_entriesForEveryPartOfSpeech(t *testing.T) {
	d := testDictionary(t)
	r, ok := d.Lookup("better")
	if !ok {
		t.Fatal("Lookup(better) found nothing")
	}
	var got []string
	for _, e := range r.Entries {
		got = append(got, e.Lemma+"/"+e.POS)
	}
	for _, want := range []string{"good/adjective", "well/adverb", "better/noun", "better/verb", "better/adjective", "better/adverb"} {
		if !slices.Contains(got, want) {
			t.Errorf("entries %v lack %s", got, want)
		}
	}
	if r.Entries[0].Lemma != r.Lemma {
		t.Errorf("first entry is %q, want the lemma %q", r.Entries[0].Lemma, r.Lemma)
	}

	r, _ = d.Lookup("signal")
	first := r.Entries[0].Senses[0]
	if first.Definition == "" || len(first.Examples) == 0 || strings.Contains(first.Definition, `"`) {
		t.Errorf("signal sense 1 = %+v, want a definition without quotes and examples", first)
	}
	for _, e := range r.Entries {
		for _, s := range e.Senses {
			if slices.Contains(s.Synonyms, "signal") {
				t.Errorf("%s synonyms %v include the headword", e.POS, s.Synonyms)
			}
		}
	}
}

func TestLookup_rejectsBadInput(t *testing.T) {
	d := testDictionary(t)
	tests := map[string]string{
		"empty":        "",
		"spaces":       "   ",
		"punctuation":  "?!…",
		"too long":     strings.Repeat("a", MaxQueryLen+1),
		"10000 chars":  strings.Repeat("word ", 2000),
		"control":      "sig\x00nal",
		"escape":       "\x1b[31mred",
		"invalid utf8": "sign\xffal",
		"markup":       "<script>alert(1)</script>",
		"sql":          "'; DROP TABLE articles; --",
		"not a word":   "qzxvbnmq",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if r, ok := d.Lookup(in); ok {
				t.Errorf("Lookup(%q) = %+v, true; want false", in, r)
			}
		})
	}
}

func TestLookupPhrase(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		sentence string
		i        int
		query    string
		lemma    string
	}{
		{"since interest rates rose", 1, "interest rates", "interest rate"},
		{"since interest rates rose", 2, "interest rates", "interest rate"},
		{"the extreme heat wave warning", 3, "heat wave", "heat wave"},
		{"factories laid off workers", 1, "laid off", "lay off"},
		{"the budget sets aside money", 2, "sets aside", "set aside"},
		{"the prime minister said", 2, "prime minister", "prime minister"},
		{"a falling birth rate.", 3, "birth rate.", "birth rate"},
		{"rates, heat waves", 0, "rates,", "rate"},
		{"interest. Rates rose", 0, "interest.", "interest"},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			r, ok := d.LookupPhrase(strings.Fields(tt.sentence), tt.i)
			if !ok || r.Query != tt.query || r.Lemma != tt.lemma {
				t.Errorf("LookupPhrase(%q, %d) = %q, %q, %v; want %q, %q, true", tt.sentence, tt.i, r.Query, r.Lemma, ok, tt.query, tt.lemma)
			}
		})
	}
	for _, i := range []int{-1, 3, 100} {
		if _, ok := d.LookupPhrase([]string{"a", "b", "c"}, i); ok {
			t.Errorf("LookupPhrase(…, %d) = true, want false", i)
		}
	}
}

func TestSuggest(t *testing.T) {
	d := testDictionary(t)
	tests := []struct {
		in   string
		want string
	}{
		{"goverment", "government"},
		{"comittee", "committee"},
		{"embankmnt", "embankment"},
		{"Budgett", "budget"},
		{"legislat", "legislate"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := d.Suggest(tt.in, 5)
			if !slices.Contains(got, tt.want) || len(got) > 5 {
				t.Errorf("Suggest(%q, 5) = %v, want at most 5 including %q", tt.in, got, tt.want)
			}
		})
	}
	for _, in := range []string{"", "\x00", strings.Repeat("x", 1000)} {
		if got := d.Suggest(in, 5); len(got) != 0 {
			t.Errorf("Suggest(%q) = %v, want none", in, got)
		}
	}
	if got := d.Suggest("budget", 0); len(got) != 0 {
		t.Errorf("Suggest(budget, 0) = %v, want none", got)
	}
}

func TestLoad_rejectsCorruptData(t *testing.T) {
	if _, err := Load(strings.NewReader("not gzip")); err == nil {
		t.Error("Load(not gzip) = nil error, want an error")
	}
}

func checkResult(t testing.TB, r Result) {
	t.Helper()
	if r.Lemma == "" || len(r.Entries) == 0 {
		t.Fatalf("result %+v has no lemma or entries", r)
	}
	for _, e := range r.Entries {
		if e.Lemma == "" || !slices.Contains(posNames[:], e.POS) && !slices.Contains(functionPOS, e.POS) || len(e.Senses) == 0 {
			t.Fatalf("bad entry %+v", e)
		}
		for _, s := range e.Senses {
			if !utf8.ValidString(s.Definition) {
				t.Fatalf("bad definition %q", s.Definition)
			}
		}
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"signals", "Workers’", "heat-wave", "", "'s", "s'", "-", "a-", "--x", "better", "\x00", "ünïcode", "laid off"} {
		f.Add(s)
	}
	d := testDictionary(f)
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := d.Lookup(s)
		if ok {
			checkResult(t, r)
		} else if r.Lemma != "" || r.Entries != nil {
			t.Fatalf("Lookup(%q) = %+v, false; want an empty result", s, r)
		}
		if r, ok := d.LookupPhrase(strings.Fields(s), 0); ok {
			checkResult(t, r)
		}
		if len(d.Suggest(s, 3)) > 3 {
			t.Fatalf("Suggest(%q, 3) returned more than 3", s)
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := loadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup looks up the words of the demo-article table in turn and
// also reports the 99th-percentile latency of a single look-up.
func BenchmarkLookup(b *testing.B) {
	d := testDictionary(b)
	var words []string
	for _, row := range readLemmaTable(b) {
		words = append(words, row[0])
	}
	words = append(words, "the", "and", "Seoul", "qzxv", "interest-rate", "officials’")
	lat := make([]time.Duration, 0, 1<<16)
	i := 0
	for b.Loop() {
		w := words[i%len(words)]
		i++
		start := time.Now()
		d.Lookup(w)
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
	}
}

func TestFrequency(t *testing.T) {
	d := testDictionary(t)
	if common, rare := d.Frequency("government"), d.Frequency("embankment"); common <= rare {
		t.Errorf("Frequency(government) = %d, Frequency(embankment) = %d; want the first larger", common, rare)
	}
	if got := d.Frequency("qzxv"); got != 0 {
		t.Errorf("Frequency(qzxv) = %d, want 0", got)
	}
}

func TestLookup_concurrent(t *testing.T) {
	words := []string{"signals", "held", "mice", "better", "Workers’"}
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			d, err := Default()
			if err != nil {
				t.Error(err)
				return
			}
			for _, w := range words {
				if _, ok := d.Lookup(w); !ok {
					t.Errorf("Lookup(%q) found nothing", w)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}
