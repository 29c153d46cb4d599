package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// festivalEntries are lexicon lines as festlex-cmu writes them (CMUdict 0.4's
// phones, Festival's syllables and stress).
var festivalEntries = map[string]string{
	"summit":           `("summit" nil (((s ah) 1) ((m ax t) 0)))`,
	"nuclear":          `("nuclear" nil (((n uw) 1) ((k l iy) 0) ((er) 0)))`,
	"relations":        `("relations" nil (((r iy) 0) ((l ey) 1) ((sh ax n z) 0)))`,
	"the":              `("the" nil (((dh ax) 0)))`,
	"pyongyang":        `("pyongyang" nil (((p y ao ng) 1) ((y ae ng) 1)))`,
	"denuclearization": `("denuclearization" nil (((d iy) 0) ((n uw) 1) ((k l iy) 0) ((er) 0) ((ax) 0) ((z ey) 1) ((sh ax n) 0)))`,
	"church":           `("church" nil (((ch er ch) 1)))`,
	"thing":            `("thing" nil (((th ih ng) 1)))`,
	"measure":          `("measure" nil (((m eh) 1) ((zh er) 0)))`,
	"judge":            `("judge" nil (((jh ah jh) 1)))`,
	"boy":              `("boy" nil (((b oy) 1)))`,
	"house":            `("house" nil (((hh aw s) 1)))`,
	"good":             `("good" nil (((g uh d) 1)))`,
}

func TestIPA(t *testing.T) {
	want := map[string]string{
		"summit":           "ˈsʌmət",
		"nuclear":          "ˈnukliɚ",
		"relations":        "riˈleɪʃənz",
		"the":              "ðə",
		"pyongyang":        "ˈpjɔŋˌjæŋ",
		"denuclearization": "diˈnukliɚəˌzeɪʃən", // primary and secondary stress swapped; see the package comment
		"church":           "tʃɝtʃ",
		"thing":            "θɪŋ",
		"measure":          "ˈmɛʒɚ",
		"judge":            "dʒʌdʒ",
		"boy":              "bɔɪ",
		"house":            "haʊs",
		"good":             "ɡʊd",
	}
	keep := map[string]bool{}
	var lex strings.Builder
	for w, line := range festivalEntries {
		keep[w] = true
		lex.WriteString(line + "\n")
	}
	prons, err := readLexicon(strings.NewReader(lex.String()), keep)
	if err != nil {
		t.Fatal(err)
	}
	for w, ipa := range want {
		if got := prons[w]; len(got) != 1 || got[0] != ipa {
			t.Errorf("%s: got %q, want %q", w, got, ipa)
		}
	}
}

func TestReadLexicon_variantsAndFilter(t *testing.T) {
	lex := `MNCL
("live" j (((l ay v) 1)))
("live" v (((l ih v) 1)))
("live" n (((l ay v) 1)))
("lives" nil (((l ih v z) 1)))
`
	prons, err := readLexicon(strings.NewReader(lex), map[string]bool{"live": true})
	if err != nil {
		t.Fatal(err)
	}
	if got := prons["live"]; len(got) != 2 || got[0] != "laɪv" || got[1] != "lɪv" {
		t.Errorf("live: got %q, want [laɪv lɪv] (the repeat dropped)", got)
	}
	if _, ok := prons["lives"]; ok {
		t.Error("lives is not a kept word but was read")
	}
	if _, err := readLexicon(strings.NewReader(`("x" nil (((q) 1)))`), map[string]bool{"x": true}); err == nil {
		t.Error("an unknown phone was accepted")
	}
	if _, err := readLexicon(strings.NewReader("not a lexicon line\n"), nil); err == nil {
		t.Error("a line that is not an entry was accepted")
	}
}

// TestRun_matchesCommittedData regenerates the data from the installed
// lexicon and WordNet and checks that it is identical to the committed file.
func TestRun_matchesCommittedData(t *testing.T) {
	const cmu = "/usr/share/festival/dicts/cmu/cmudict-0.4.out"
	const wordnet = "/usr/share/wordnet"
	for _, need := range []string{cmu, filepath.Join(wordnet, "index.noun")} {
		if _, err := os.Stat(need); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing: in CI scripts/test installs festlex-cmu and wordnet-base so that this test runs", need)
			}
			t.Skip("festlex-cmu or wordnet-base not installed (apt-get install festlex-cmu wordnet-base)")
		}
	}
	out := filepath.Join(t.TempDir(), "pronunciation.bin.gz")
	var log bytes.Buffer
	if err := run([]string{"prongen", "-cmu", cmu, "-wordnet", wordnet, "-out", out}, &log); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pronunciation.bin.gz", "PRONUNCIATION-LICENSE"} {
		got, err := os.ReadFile(filepath.Join(filepath.Dir(out), name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "internal", "dictionary", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("regenerated %s differs from the committed one; run go run ./cmd/prongen", name)
		}
	}
}
