package dictionary

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

//go:embed data/wordnet.bin.gz
var wordnetData []byte

// synset is one WordNet synonym set. Words and examples are kept as the raw
// separated fields of the data file and split only when a sense is shown.
type synset struct {
	pos      byte
	words    string // joined with '|'
	def      string
	examples string // joined with '\x1f'
	// relations lists related synsets as a kind letter and an id each,
	// comma separated ("@123,~456"); see cmd/dictgen.
	relations string
}

// senseID parses one sense of a headword's id list, "id" or "id:count",
// into the synset id and the sense's SemCor count.
func senseID(text string) (id, count int, ok bool) {
	idText, countText, hasCount := strings.Cut(text, ":")
	id, err := strconv.Atoi(idText)
	if err != nil || id < 0 {
		return 0, 0, false
	}
	if hasCount {
		if count, err = strconv.Atoi(countText); err != nil {
			return 0, 0, false
		}
	}
	return id, count, true
}

// Dictionary answers look-ups against the embedded WordNet data. Its zero
// value is not usable; call Default or Load. A Dictionary is safe for
// concurrent use.
type Dictionary struct {
	synsets    []synset
	lemmas     map[string]string // lemma → raw "pos\tcount\tids…" fields
	headwords  []string          // sorted, for Suggest
	exceptions [numPOS]map[string]string

	ranked  sync.Map // word form → wordRank, memo of LessCommonWords
	nRanked atomic.Int32

	signatures sync.Map // synset id → signature, memo of signature
	words      wordTable
}

var loadDefault = sync.OnceValues(loadEmbedded)

// loadEmbedded decodes the embedded data.
func loadEmbedded() (*Dictionary, error) {
	// The gzip trailer ends with the uncompressed size modulo 2³².
	size := 0
	if n := len(wordnetData); n >= 4 {
		size = int(binary.LittleEndian.Uint32(wordnetData[n-4:]))
	}
	return load(bytes.NewReader(wordnetData), size)
}

// Default returns the dictionary built from the embedded WordNet data,
// decoding it on first use.
func Default() (*Dictionary, error) {
	return loadDefault()
}

// Load decodes a gzip-compressed file written by cmd/dictgen.
func Load(r io.Reader) (*Dictionary, error) {
	return load(r, 0)
}

// load is Load with a hint of the uncompressed size, to decode into one
// allocation.
func load(r io.Reader, sizeHint int) (*Dictionary, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("dictionary: load: %w", err)
	}
	var b strings.Builder
	b.Grow(min(sizeHint, 1<<28))
	if _, err := io.Copy(&b, zr); err != nil {
		return nil, fmt.Errorf("dictionary: load: %w", err)
	}
	text := b.String()
	d := &Dictionary{
		synsets:   make([]synset, 0, 120000),
		lemmas:    make(map[string]string, 160000),
		headwords: make([]string, 0, 160000),
	}
	for i := range d.exceptions {
		d.exceptions[i] = make(map[string]string)
	}
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		if err := d.parseLine(line); err != nil {
			return nil, fmt.Errorf("dictionary: load: line %d: %w", n, err)
		}
	}
	return d, nil
}

func (d *Dictionary) parseLine(line string) error {
	tag, rest, ok := strings.Cut(line, "\t")
	if !ok {
		return fmt.Errorf("no fields in %q", line)
	}
	switch tag {
	case "S":
		f := strings.SplitN(rest, "\t", 5)
		if len(f) != 5 || len(f[0]) != 1 {
			return fmt.Errorf("bad synset %q", line)
		}
		d.synsets = append(d.synsets, synset{pos: f[0][0], words: f[1], def: f[2], examples: f[3], relations: f[4]})
	case "L":
		lemma, senses, ok := strings.Cut(rest, "\t")
		if !ok {
			return fmt.Errorf("bad headword %q", line)
		}
		d.lemmas[lemma] = senses
		d.headwords = append(d.headwords, lemma)
	case "X":
		f := strings.SplitN(rest, "\t", 3)
		p := posIndex(f[0])
		if len(f) != 3 || p < 0 {
			return fmt.Errorf("bad exception %q", line)
		}
		d.exceptions[p][f[1]] = f[2]
	default:
		return fmt.Errorf("unknown tag %q", tag)
	}
	return nil
}
