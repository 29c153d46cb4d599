// Command prongen converts the CMU Pronouncing Dictionary, as Debian's
// festlex-cmu package carries it (Festival's lexicon built from CMUdict 0.4),
// into the compact IPA file embedded by internal/dictionary.
//
// Usage:
//
//	go run ./cmd/prongen [-cmu /usr/share/festival/dicts/cmu/cmudict-0.4.out] [-wordnet /usr/share/wordnet] [-out internal/dictionary/data/pronunciation.bin.gz]
//
// The output is a gzip-compressed text file, one word a line, sorted:
//
//	<word> <ipa> [<ipa> [<ipa>]]   tab-separated: the first pronunciation, then up to two variants
//
// Only words a reader can look up are kept: WordNet's single-word headwords
// (from its index files) and the closed-class words in functionWords, which
// WordNet lacks. Same input gives the same bytes.
//
// The transcription is General American, phone by phone (see ipa); the
// syllables are Festival's, and a stress mark stands before its syllable.
// Festival's lexicon marks every stressed syllable alike (it merged CMUdict's
// primary and secondary stress), so the first stressed syllable is taken as
// the primary (ˈ) and later ones as secondary (ˌ). That is right for most
// words: of CMUdict 0.7b's words with two or more stressed syllables, 60 %
// have the primary first and 32 % last ("denuclearization" is one of those,
// and comes out as /diˈnukliɚəˌzeɪʃən/ instead of /diˌnukliɚəˈzeɪʃən/).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"broadsheet/internal/dictionary/datagen"
)

func main() {
	if err := run(os.Args, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "prongen:", err)
		os.Exit(1)
	}
}

// maxPronunciations is how many pronunciations a word keeps: the first and
// up to two variants (such as the adjective and the verb "live").
const maxPronunciations = 3

// licenceHeader marks the shipped file as a modified form of the lexicon, as
// its licence asks.
const licenceHeader = `pronunciation.bin.gz is derived from the CMU Pronouncing Dictionary as
Festival's CMU lexicon (Debian package festlex-cmu) carries it. It was
modified: reduced to the words Broadsheet's dictionary can show and converted
from ARPAbet to IPA by cmd/prongen. The lexicon's licence follows.

`

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cmu := fs.String("cmu", "/usr/share/festival/dicts/cmu/cmudict-0.4.out", "Festival's CMU lexicon")
	wordnet := fs.String("wordnet", "/usr/share/wordnet", "WordNet dict folder, for its headwords")
	out := fs.String("out", "internal/dictionary/data/pronunciation.bin.gz", "output file")
	license := fs.String("license", "/usr/share/doc/festlex-cmu/copyright", "licence text to copy next to the output")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	keep, err := headwords(*wordnet)
	if err != nil {
		return err
	}
	for _, w := range functionWords {
		keep[w] = true
	}
	f, err := os.Open(*cmu)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read-only: a failed close loses nothing
	prons, err := readLexicon(f, keep)
	if err != nil {
		return err
	}
	words := make([]string, 0, len(prons))
	for w := range prons {
		words = append(words, w)
	}
	slices.Sort(words)
	var body bytes.Buffer
	for _, w := range words {
		body.WriteString(w)
		for _, p := range prons[w] {
			body.WriteByte('\t')
			body.WriteString(p)
		}
		body.WriteByte('\n')
	}
	lic, err := os.ReadFile(*license)
	if err != nil {
		return fmt.Errorf("read licence: %w", err)
	}
	lic = append([]byte(licenceHeader), lic...)
	n, err := datagen.Write(*out, body.Bytes(), "PRONUNCIATION-LICENSE", lic)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "prongen: wrote %s (%d words, %d bytes, %d uncompressed)\n", *out, len(words), n, body.Len())
	return nil
}

// headwords reads WordNet's single-word headwords from its index files.
func headwords(dir string) (map[string]bool, error) {
	keep := make(map[string]bool, 100000)
	for _, name := range []string{"index.noun", "index.verb", "index.adj", "index.adv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || line[0] == ' ' { // the licence header
				continue
			}
			lemma, _, _ := strings.Cut(line, " ")
			if !strings.Contains(lemma, "_") {
				keep[lemma] = true
			}
		}
		err = sc.Err()
		_ = f.Close() // read-only
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return keep, nil
}

// entryLine matches one lexicon entry: ("word" pos (syllables…)).
var entryLine = regexp.MustCompile(`^\("([^"]+)" [^ ]+ \((.*)\)\)$`)

// syllablePattern matches one syllable: ((phone phone…) stress).
var syllablePattern = regexp.MustCompile(`\(\(([a-z ]+)\) ([0-9])\)`)

// readLexicon reads the Festival lexicon and returns the IPA of every kept
// word, its lines in file order, without repeats.
func readLexicon(r io.Reader, keep map[string]bool) (map[string][]string, error) {
	prons := make(map[string][]string, len(keep))
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "MNCL" || line == "" { // Festival's header line
			continue
		}
		m := entryLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("lexicon line %d: cannot read %q", n, line)
		}
		word := m[1]
		if !keep[word] || len(prons[word]) == maxPronunciations {
			continue
		}
		var syllables []syllable
		for _, s := range syllablePattern.FindAllStringSubmatch(m[2], -1) {
			syllables = append(syllables, syllable{phones: strings.Fields(s[1]), stressed: s[2] != "0"})
		}
		p, err := ipa(syllables)
		if err != nil {
			return nil, fmt.Errorf("lexicon line %d: %w", n, err)
		}
		if !slices.Contains(prons[word], p) {
			prons[word] = append(prons[word], p)
		}
	}
	return prons, sc.Err()
}
