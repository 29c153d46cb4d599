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
//	S <pos> <word|word…> <definition> <example\x1fexample…> <relations>   one synset; ids count from 0 in file order
//	L <lemma> <pos> <count> <id[:n],id[:n]…> [<pos> <count> <ids>…]  one headword, senses most frequent first
//	X <pos> <inflected form> <base form,base form…>                    one morphological exception
//
// pos is one of n, v, a, r (satellite adjectives are folded into a). count is
// the sum of the SemCor tag counts of the headword's senses for that part of
// speech (from cntlist.rev); n after a sense's id is that sense's own count,
// left out when it is 0. relations lists the synsets related to this one
// that help tell senses apart, each as a kind letter and an id, comma
// separated: @ hypernym, ~ hyponym, # holonym, % meronym, & similar to,
// ^ see also, = attribute, ; domain, + derivationally related, \ pertains
// to, $ verb group, * entailment, > cause (see relationKinds). Same input
// gives the same bytes.
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
	pointers []pointer // resolved into relations once every file is read
	lexFile  string    // the lexicographer file, two digits
}

// pointer is one WordNet pointer of a synset, not yet resolved to an id.
type pointer struct {
	kind   byte   // one of relationKinds
	target string // the target's part of speech and offset, as offsetKey makes it
}

type headword struct {
	lemma  string
	pos    byte
	ids    []int
	counts []int // SemCor count of each sense, in the order of ids
}

// relationKinds maps WordNet's pointer symbols to the one-letter kinds
// written out; pointers not listed (antonyms, domain members, participles)
// are left out: they rarely share words with a sense's use, and domain
// member lists run to hundreds of synsets.
var relationKinds = map[string]byte{
	"@": '@', "@i": '@', "~": '~', "~i": '~',
	"#m": '#', "#s": '#', "#p": '#', "%m": '%', "%s": '%', "%p": '%',
	"&": '&', "^": '^', "=": '=', ";c": ';', ";r": ';', ";u": ';',
	"+": '+', "\\": '\\', "$": '$', "*": '*', ">": '>',
}

// offsetKey names a synset across the four data files: the part of speech
// of its file and its byte offset there.
func offsetKey(pos byte, offset string) string {
	if pos == 's' {
		pos = 'a' // satellites live in data.adj
	}
	return string(pos) + offset
}

func generate(w *bytes.Buffer, dir string) error {
	counts, totals, err := readCounts(filepath.Join(dir, "cntlist.rev"))
	if err != nil {
		return err
	}
	var synsets []synset
	ids := make(map[string]int, 120000) // offsetKey → id
	for _, p := range posFiles {
		offsets, sets, err := readData(filepath.Join(dir, "data."+p.name), p.tag)
		if err != nil {
			return err
		}
		for i, off := range offsets {
			ids[offsetKey(p.tag, off)] = len(synsets) + i
		}
		synsets = append(synsets, sets...)
	}
	var heads []headword
	for _, p := range posFiles {
		hs, err := readIndex(filepath.Join(dir, "index."+p.name), p.tag, ids, synsets, counts)
		if err != nil {
			return err
		}
		heads = append(heads, hs...)
	}

	for _, s := range synsets {
		rels := make([]string, 0, len(s.pointers))
		for _, ptr := range s.pointers {
			id, ok := ids[ptr.target]
			if !ok {
				return fmt.Errorf("unknown pointer target %s", ptr.target)
			}
			if r := string(ptr.kind) + strconv.Itoa(id); !slices.Contains(rels, r) {
				rels = append(rels, r)
			}
		}
		fmt.Fprintf(w, "S\t%c\t%s\t%s\t%s\t%s\n", s.pos, strings.Join(s.words, "|"), s.def,
			strings.Join(s.examples, "\x1f"), strings.Join(rels, ","))
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
			senses := make([]string, len(h.ids))
			for j, id := range h.ids {
				senses[j] = strconv.Itoa(id)
				if h.counts[j] > 0 {
					senses[j] += ":" + strconv.Itoa(h.counts[j])
				}
			}
			fmt.Fprintf(w, "\t%c\t%d\t%s", h.pos, totals[string(h.pos)+lemma], strings.Join(senses, ","))
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

// senseCount is one line of cntlist.rev: a sense's SemCor tag count and
// the lexicographer file its sense key names.
type senseCount struct {
	n       int
	lexFile string // two digits, as in the data files
}

// readCounts reads cntlist.rev: the SemCor tag count of each sense, keyed
// by part of speech, lemma and sense number ("nsummit#3"), and their sums
// per part of speech and lemma ("nsummit").
func readCounts(path string) (map[string]senseCount, map[string]int, error) {
	counts := make(map[string]senseCount)
	totals := make(map[string]int)
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
		lemma = strings.ReplaceAll(lemma, "_", " ")
		lexFile, _, _ := strings.Cut(key[2:], ":")
		counts[senseKey(pos, lemma, f[1])] = senseCount{n: n, lexFile: lexFile}
		totals[pos+lemma] += n
		return nil
	})
	return counts, totals, err
}

func senseKey(pos, lemma, number string) string { return pos + lemma + "#" + number }

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
		s := synset{pos: pos, lexFile: f[1]}
		for i := range int(n) {
			s.words = append(s.words, cleanWord(f[4+2*i]))
		}
		ptrs := f[4+2*int(n):]
		if len(ptrs) == 0 {
			return fmt.Errorf("no pointer count in %q", line)
		}
		np, err := strconv.Atoi(ptrs[0])
		if err != nil || len(ptrs) < 1+4*np {
			return fmt.Errorf("bad pointer count in %q", line)
		}
		for i := range np {
			sym, off, ppos := ptrs[1+4*i], ptrs[2+4*i], ptrs[3+4*i]
			if kind, ok := relationKinds[sym]; ok && len(ppos) == 1 {
				s.pointers = append(s.pointers, pointer{kind: kind, target: offsetKey(ppos[0], off)})
			}
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
//
// cntlist.rev numbers senses as an older index did for some words: a count
// is given to a sense only when the lexicographer file of its sense key is
// the synset's, and is otherwise left out (it still counts in the total).
func readIndex(path string, pos byte, ids map[string]int, synsets []synset, counts map[string]senseCount) ([]headword, error) {
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
		for i, off := range f[len(f)-synsetCount:] {
			id, ok := ids[offsetKey(pos, off)]
			if !ok {
				return fmt.Errorf("unknown synset %s in %q", off, line)
			}
			h.ids = append(h.ids, id)
			n := 0
			if c, ok := counts[senseKey(string(pos), h.lemma, strconv.Itoa(i+1))]; ok && c.lexFile == synsets[id].lexFile {
				n = c.n
			}
			h.counts = append(h.counts, n)
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
