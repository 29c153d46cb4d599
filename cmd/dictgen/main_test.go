package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSplitGloss(t *testing.T) {
	tests := []struct {
		gloss    string
		def      string
		examples []string
	}{
		{`a sign; "the signal to attack"; "a warning signal"`, "a sign", []string{"the signal to attack", "a warning signal"}},
		{`go away; leave`, "go away; leave", nil},
		{`say; "he said; she said"`, "say", []string{"he said; she said"}},
		{`quit; "I quit!"  `, "quit", []string{"I quit!"}},
	}
	for _, tt := range tests {
		def, examples := splitGloss(tt.gloss)
		if def != tt.def || !slices.Equal(examples, tt.examples) {
			t.Errorf("splitGloss(%q) = %q, %q; want %q, %q", tt.gloss, def, examples, tt.def, tt.examples)
		}
	}
}

func TestCleanWord(t *testing.T) {
	tests := map[string]string{
		"beautiful(a)": "beautiful",
		"aforesaid(p)": "aforesaid",
		"elect(ip)":    "elect",
		"heat_wave":    "heat wave",
		"Seoul":        "Seoul",
	}
	for in, want := range tests {
		if got := cleanWord(in); got != want {
			t.Errorf("cleanWord(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRun_matchesCommittedData regenerates the data from the installed
// WordNet and checks that it is identical to the committed file.
func TestRun_matchesCommittedData(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating takes seconds")
	}
	const wordnet = "/usr/share/wordnet"
	if _, err := os.Stat(filepath.Join(wordnet, "data.noun")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("WordNet is not installed: in CI scripts/test installs wordnet-base so that this test runs")
		}
		t.Skip("WordNet not installed (apt-get install wordnet-base)")
	}
	out := filepath.Join(t.TempDir(), "wordnet.bin.gz")
	if err := run([]string{"dictgen", "-wordnet", wordnet, "-out", out}, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"wordnet.bin.gz", "WORDNET-LICENSE"} {
		got, err := os.ReadFile(filepath.Join(filepath.Dir(out), name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "internal", "dictionary", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("regenerated %s differs from the committed one; run go run ./cmd/dictgen", name)
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(mustRead(t, out)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
