// Command dictgen converts the WordNet 3.0 database (Debian's wordnet-base
// package) into the compact file embedded by internal/dictionary.
//
// Usage:
//
//	go run ./cmd/dictgen [-wordnet /usr/share/wordnet] [-out internal/dictionary/data/wordnet.bin.gz]
//
// The output is a gzip-compressed, line-oriented text file. Every line starts
// with a one-letter tag and has tab-separated fields:
//
//	S <pos> <word|word…> <definition> <example\x1fexample…>   one synset; ids count from 0 in file order
//	L <lemma> <pos> <count> <id,id…> [<pos> <count> <id,id…>…]  one headword, senses most frequent first
//	X <pos> <inflected form> <base form,base form…>              one morphological exception
//
// pos is one of n, v, a, r (satellite adjectives are folded into a). count is
// the sum of the SemCor tag counts of the headword's senses for that part of
// speech (from cntlist.rev). Same input gives the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"broadsheet/internal/dictionary/datagen"
)

func main() {
	if err := run(os.Args, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dictgen:", err)
		os.Exit(1)
	}
}

// posFiles lists WordNet's file suffixes with the one-letter tag used in the output.
var posFiles = []struct {
	name string
	tag  byte
}{
	{"noun", 'n'}, {"verb", 'v'}, {"adj", 'a'}, {"adv", 'r'},
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	wordnet := fs.String("wordnet", "/usr/share/wordnet", "WordNet dict folder")
	out := fs.String("out", "internal/dictionary/data/wordnet.bin.gz", "output file")
	license := fs.String("license", "/usr/share/doc/wordnet-base/copyright", "WordNet licence text to copy next to the output")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}

	var body bytes.Buffer
	if err := generate(&body, *wordnet); err != nil {
		return err
	}
	lic, err := os.ReadFile(*license)
	if err != nil {
		return fmt.Errorf("read licence: %w", err)
	}
	n, err := datagen.Write(*out, body.Bytes(), "WORDNET-LICENSE", lic)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "dictgen: wrote %s (%d bytes, %d uncompressed)\n", *out, n, body.Len())
	return nil
}

type synset struct {
	pos      byte
	words    []string
	def      string
	examples []string
}

type headword struct {
	lemma string
	pos   byte
	ids   []int
}

func generate(w *bytes.Buffer, dir string) error {
	counts, err := readCounts(filepath.Join(dir, "cntlist.rev"))
	if err != nil {
		return err
	}
	var synsets []synset
	var heads []headword
	for _, p := range posFiles {
		offsets, sets, err := readData(filepath.Join(dir, "data."+p.name), p.tag)
		if err != nil {
			return err
		}
		base := len(synsets)
		synsets = append(synsets, sets...)
		ids := make(map[string]int, len(offsets))
		for i, off := range offsets {
			ids[off] = base + i
		}
		hs, err := readIndex(filepath.Join(dir, "index."+p.name), p.tag, ids)
		if err != nil {
			return err
		}
		heads = append(heads, hs...)
	}

	for _, s := range synsets {
		fmt.Fprintf(w, "S\t%c\t%s\t%s\t%s\n", s.pos, strings.Join(s.words, "|"), s.def, strings.Join(s.examples, "\x1f"))
	}

	slices.SortStableFunc(heads, func(a, b headword) int {
		if c := strings.Compare(a.lemma, b.lemma); c != 0 {
			return c
		}
		return strings.IndexByte("nvar", a.pos) - strings.IndexByte("nvar", b.pos)
	})
	for i := 0; i < len(heads); {
		lemma := heads[i].lemma
		w.WriteString("L\t" + lemma)
		for ; i < len(heads) && heads[i].lemma == lemma; i++ {
			h := heads[i]
			ids := make([]string, len(h.ids))
			for j, id := range h.ids {
				ids[j] = strconv.Itoa(id)
			}
			fmt.Fprintf(w, "\t%c\t%d\t%s", h.pos, counts[string(h.pos)+lemma], strings.Join(ids, ","))
		}
		w.WriteByte('\n')
	}

	for _, p := range posFiles {
		if err := writeExceptions(w, filepath.Join(dir, p.name+".exc"), p.tag); err != nil {
			return err
		}
	}
	return nil
}

// readCounts sums cntlist.rev tag counts per part of speech and lemma, keyed pos+lemma.
func readCounts(path string) (map[string]int, error) {
	counts := make(map[string]int)
	err := eachLine(path, func(line string) error {
		f := strings.Fields(line)
		if len(f) != 3 {
			return fmt.Errorf("bad line %q", line)
		}
		lemma, key, ok := strings.Cut(f[0], "%")
		if !ok || key == "" {
			return fmt.Errorf("bad sense key %q", f[0])
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return err
		}
		var pos string
		switch key[0] {
		case '1':
			pos = "n"
		case '2':
			pos = "v"
		case '3', '5':
			pos = "a"
		case '4':
			pos = "r"
		default:
			return fmt.Errorf("bad sense key %q", f[0])
		}
		counts[pos+strings.ReplaceAll(lemma, "_", " ")] += n
		return nil
	})
	return counts, err
}

// readData parses one data.<pos> file into synsets, returning their offsets in file order.
func readData(path string, pos byte) ([]string, []synset, error) {
	var offsets []string
	var sets []synset
	err := eachLine(path, func(line string) error {
		if strings.HasPrefix(line, "  ") {
			return nil // licence header
		}
		fields, gloss, _ := strings.Cut(line, " | ")
		f := strings.Fields(fields)
		if len(f) < 4 {
			return fmt.Errorf("bad line %q", line)
		}
		n, err := strconv.ParseInt(f[3], 16, 0)
		if err != nil || len(f) < 4+2*int(n) {
			return fmt.Errorf("bad word count in %q", line)
		}
		s := synset{pos: pos}
		for i := range int(n) {
			s.words = append(s.words, cleanWord(f[4+2*i]))
		}
		s.def, s.examples = splitGloss(strings.TrimSpace(gloss))
		offsets = append(offsets, f[0])
		sets = append(sets, s)
		return nil
	})
	return offsets, sets, err
}

// cleanWord strips adjective position markers and turns underscores into spaces.
func cleanWord(w string) string {
	for _, m := range []string{"(a)", "(p)", "(ip)"} {
		w = strings.TrimSuffix(w, m)
	}
	return strings.ReplaceAll(w, "_", " ")
}

// splitGloss separates a gloss into its definition and its quoted examples.
func splitGloss(gloss string) (string, []string) {
	var defs, examples []string
	parts := strings.Split(gloss, "; ")
	for i := 0; i < len(parts); i++ {
		p := strings.TrimSpace(parts[i])
		if !strings.HasPrefix(p, `"`) {
			if p != "" {
				defs = append(defs, p)
			}
			continue
		}
		// An example may itself contain "; ": join until the closing quote.
		for !strings.HasSuffix(strings.TrimRight(p, " .!?-"), `"`) && i+1 < len(parts) {
			i++
			p += "; " + parts[i]
		}
		p = strings.TrimSpace(p)
		p = strings.TrimPrefix(p, `"`)
		if j := strings.LastIndexByte(p, '"'); j >= 0 {
			p = p[:j]
		}
		if p = strings.TrimSpace(p); p != "" {
			examples = append(examples, p)
		}
	}
	def := strings.Join(defs, "; ")
	def = strings.NewReplacer("\t", " ", "\n", " ").Replace(def)
	return def, examples
}

// readIndex parses index.<pos>: lemma, then synset offsets in sense-rank order.
func readIndex(path string, pos byte, ids map[string]int) ([]headword, error) {
	var heads []headword
	err := eachLine(path, func(line string) error {
		if strings.HasPrefix(line, "  ") {
			return nil
		}
		f := strings.Fields(line)
		if len(f) < 6 {
			return fmt.Errorf("bad line %q", line)
		}
		synsetCount, err := strconv.Atoi(f[2])
		if err != nil || len(f) < synsetCount {
			return fmt.Errorf("bad synset count in %q", line)
		}
		h := headword{lemma: strings.ReplaceAll(f[0], "_", " "), pos: pos}
		for _, off := range f[len(f)-synsetCount:] {
			id, ok := ids[off]
			if !ok {
				return fmt.Errorf("unknown synset %s in %q", off, line)
			}
			h.ids = append(h.ids, id)
		}
		heads = append(heads, h)
		return nil
	})
	return heads, err
}

func writeExceptions(w *bytes.Buffer, path string, pos byte) error {
	var lines []string
	err := eachLine(path, func(line string) error {
		f := strings.Fields(line)
		if len(f) < 2 {
			return fmt.Errorf("bad line %q", line)
		}
		for i := range f {
			f[i] = strings.ReplaceAll(f[i], "_", " ")
		}
		lines = append(lines, fmt.Sprintf("X\t%c\t%s\t%s\n", pos, f[0], strings.Join(f[1:], ",")))
		return nil
	})
	slices.Sort(lines)
	for _, l := range lines {
		w.WriteString(l)
	}
	return err
}

func eachLine(path string, fn func(string) error) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for line := range strings.Lines(string(b)) {
		if err := fn(strings.TrimRight(line, "\r\n")); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}
