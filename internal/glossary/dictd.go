package glossary

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// ReadDictd reads a dictd database, as FreeDict ships its bilingual
// dictionaries: index is the .index file, dict the .dict text or the
// .dict.dz (dictzip is gzip with an index of chunks, so any gzip reader
// reads it whole). lang is the language of the translations, which the
// files do not state in a form to rely on.
//
// Each index line is headword, offset and length, separated by tabs, the
// numbers in dictd's base 64 (A–Z a–z 0–9 + /, most significant digit
// first), pointing into the .dict text. Meta entries (00-database-info and
// the like) are skipped. A definition's first line usually repeats the
// headword, with a pronunciation: the rest of that line becomes the note,
// and the following lines, joined with "; ", the translation. A headword
// listed more than once gets its translations joined. Row numbers are the
// index file's line numbers.
//
// The index is read first and checked against the limits (MaxImportEntries,
// MaxDefinitionBytes, MaxDefinitionsTotal); then the .dict is read once, as
// a stream, keeping only the definitions the index points at. A line that
// repeats another's headword, offset and length is skipped.
func ReadDictd(index, dict io.Reader, lang string) ([]Row, error) {
	refs, bad, err := readDictdIndex(index)
	if err != nil {
		return nil, err
	}
	size, err := readDefinitions(dict, refs)
	if err != nil {
		return nil, err
	}
	var rows []Row
	byKey := map[string]int{} // Key(headword) → index in rows
	long := map[int]bool{}    // rows whose joined translations are already too long
	for i := range refs {     // in line order
		r := &refs[i]
		if r.off+r.n > size {
			bad.add(r.line, fmt.Sprintf("points at bytes %d to %d, past the end of the .dict file (%d bytes)", r.off, r.off+r.n, size))
			continue
		}
		if r.translation == "" {
			bad.add(r.line, fmt.Sprintf("has an empty definition for %q", r.head))
			continue
		}
		k := Key(r.head)
		j, dup := byKey[k]
		if !dup {
			byKey[k] = len(rows)
			rows = append(rows, Row{Row: r.line, Input: Input{Headword: r.head, Lang: lang, Translation: r.translation, Note: r.note}})
			continue
		}
		if long[j] {
			continue
		}
		if !strings.Contains("; "+rows[j].Translation+"; ", "; "+r.translation+"; ") {
			// Joined past the longest valid translation, the entry can
			// only be refused: say so once and stop joining, so that many
			// lines for one headword cannot grow one string without end.
			if utf8.RuneCountInString(rows[j].Translation)+utf8.RuneCountInString(r.translation)+2 > MaxTranslationLen {
				long[j] = true
				bad.add(r.line, fmt.Sprintf("makes the translations of %q together longer than %d characters", r.head, MaxTranslationLen))
				continue
			}
			rows[j].Translation += "; " + r.translation
		}
		if rows[j].Note == "" {
			rows[j].Note = r.note
		}
	}
	if bad.Bad > 0 {
		return nil, bad
	}
	return rows, nil
}

// dictdRef is one index line: where its definition is, then what it says.
type dictdRef struct {
	line              int
	head              string
	off, n            int64
	note, translation string
}

// readDictdIndex reads the index lines, refusing the lot with a
// *LimitError past MaxImportEntries lines or MaxDefinitionsTotal bytes
// of definitions, and a bad line with its row in the *ImportError it
// returns (the caller adds to it).
func readDictdIndex(index io.Reader) ([]dictdRef, *ImportError, error) {
	var refs []dictdRef
	type place struct {
		key    string
		off, n int64
	}
	seen := map[place]bool{}
	var total int64
	bad := &ImportError{}
	sc := bufio.NewScanner(capped(index, MaxImportBytes, "the .index file"))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for line := 1; sc.Scan(); line++ {
		raw := sc.Text()
		if strings.TrimSpace(raw) == "" {
			continue
		}
		f := strings.Split(raw, "\t")
		if len(f) < 3 {
			bad.add(line, "is not an index line: want headword, offset and length separated by tabs")
			continue
		}
		head := f[0]
		if strings.HasPrefix(head, "00-database-") || strings.HasPrefix(head, "00database") {
			continue
		}
		if len(refs)+bad.Bad >= MaxImportEntries {
			return nil, nil, tooManyEntries()
		}
		off, okOff := decodeDictdNumber(f[1])
		n, okLen := decodeDictdNumber(f[2])
		if !okOff || !okLen {
			bad.add(line, fmt.Sprintf("has an offset %q or length %q that is not a dictd base-64 number", f[1], f[2]))
			continue
		}
		if n > MaxDefinitionBytes {
			bad.add(line, fmt.Sprintf("points at a definition of %d bytes; a definition may have at most %d KB", n, MaxDefinitionBytes>>10))
			continue
		}
		p := place{Key(head), off, n}
		if seen[p] {
			continue // the same definition for the same headword adds nothing
		}
		seen[p] = true
		if total += n; total > MaxDefinitionsTotal {
			return nil, nil, overLimit(LimitDefinitions, "the index points at more than %d MB of definitions in all (line %d passes it); "+
				"split the dictionary into smaller ones", MaxDefinitionsTotal>>20, line)
		}
		refs = append(refs, dictdRef{line: line, head: head, off: off, n: n})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fileError("the .index file has a line over 64 KiB; it is not a dictd index")
		}
		if errors.Is(err, ErrTooLarge) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("glossary: read dictd index: %w", err)
	}
	return refs, bad, nil
}

// readDefinitions reads the .dict text once, gunzipping a .dict.dz, up to
// MaxDictSize, and sets the note and translation of every ref whose
// definition lies within it; it returns the text's length. Only the
// definition being read is held: refs are visited by offset, and the
// text before the next one's offset is dropped. A failure of the file
// itself (bad gzip, damaged data) is an *ImportError; a failure to read
// it (the request body broke off, over its limit) is returned as it is,
// for the caller to answer.
func readDefinitions(r io.Reader, refs []dictdRef) (int64, error) {
	src := &sourceReader{r: capped(r, MaxImportBytes, "the .dict file")}
	br := bufio.NewReader(src)
	var text io.Reader = br
	gzipped := false
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if src.err != nil {
				return 0, fmt.Errorf("glossary: read dictd text: %w", src.err)
			}
			return 0, fileError("the .dict.dz file is not valid gzip/dictzip: %v", err)
		}
		defer func() { _ = zr.Close() }() // reading to the end already checked the data
		text, gzipped = zr, true
	}
	order := make([]int, len(refs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(refs[a].off, refs[b].off), cmp.Compare(refs[a].n, refs[b].n))
	})
	lr := &io.LimitedReader{R: text, N: MaxDictSize + 1}
	var win []byte     // the text from winStart on, read and still needed
	var winStart int64 // offset of win[0]
	var err error
	eof := false                     // the text ended; refs past it are reported by the caller
	parsed := map[string][2]string{} // head → note, translation, within one place
	lastOff, lastN := int64(-1), int64(-1)
	ended := func(e error) bool { return errors.Is(e, io.EOF) || errors.Is(e, io.ErrUnexpectedEOF) }
	for _, i := range order {
		ref := &refs[i]
		// Drop what no later ref needs: they all start at ref.off or later.
		if drop := min(ref.off-winStart, int64(len(win))); drop > 0 {
			win = append(win[:0], win[drop:]...)
			winStart += drop
		}
		if winStart < ref.off && !eof { // past what was read: skip to it
			var skipped int64
			skipped, err = io.CopyN(io.Discard, lr, ref.off-winStart)
			winStart += skipped
			if eof = ended(err); err != nil && !eof {
				break
			}
		}
		if need := ref.off + ref.n - winStart - int64(len(win)); need > 0 && !eof {
			k := len(win)
			win = slices.Grow(win, int(need))[:k+int(need)]
			var got int
			got, err = io.ReadFull(lr, win[k:])
			win = win[:k+got]
			if eof = ended(err); err != nil && !eof {
				break
			}
		}
		if winStart > ref.off || ref.off+ref.n > winStart+int64(len(win)) {
			continue // past the end of the text
		}
		if ref.off != lastOff || ref.n != lastN {
			clear(parsed)
			lastOff, lastN = ref.off, ref.n
		}
		// Lines of different headwords may share a definition; each is
		// split once.
		if p, ok := parsed[ref.head]; ok {
			ref.note, ref.translation = p[0], p[1]
			continue
		}
		def := win[ref.off-winStart : ref.off-winStart+ref.n]
		ref.note, ref.translation = splitDefinition(ref.head, string(def))
		parsed[ref.head] = [2]string{ref.note, ref.translation}
	}
	if err == nil || eof {
		// Read to the end: the rest of the text is not needed, but its
		// length is, and gzip checks its data only at the end.
		_, err = io.Copy(io.Discard, lr)
	}
	size := MaxDictSize + 1 - lr.N // bytes of text read
	switch {
	case err != nil && src.err != nil:
		return 0, fmt.Errorf("glossary: read dictd text: %w", src.err)
	case err != nil && gzipped:
		return 0, fileError("the .dict.dz file is damaged: %v", err)
	case err != nil:
		return 0, fmt.Errorf("glossary: read dictd text: %w", err)
	case size > MaxDictSize:
		return 0, overLimit(LimitDict, "the uncompressed .dict text is larger than %d MB", MaxDictSize>>20)
	}
	return size, nil
}

// sourceReader remembers an error of the reader under the gzip reader, to
// tell a broken upload from a damaged file.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	return n, err
}

const dictdDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeDictdNumber reads a number in dictd's base 64. Eight digits
// (2⁴⁸) are far beyond any real file and keep the sum from overflowing.
func decodeDictdNumber(s string) (int64, bool) {
	if s == "" || len(s) > 8 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(dictdDigits, s[i])
		if d < 0 {
			return 0, false
		}
		n = n*64 + int64(d)
	}
	return n, true
}

// splitDefinition takes a definition's text apart: if its first line
// starts with the headword, the rest of that line is the note (FreeDict
// puts the pronunciation there) and the other lines the translation;
// otherwise every line is translation.
func splitDefinition(head, def string) (note, translation string) {
	var lines []string
	for l := range strings.SplitSeq(def, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "", ""
	}
	if rest, ok := cutPrefixFold(lines[0], head); ok {
		rest = strings.TrimSpace(rest)
		if len(lines) == 1 {
			return "", rest // "word translation" on one line
		}
		note, lines = rest, lines[1:]
	}
	return note, strings.Join(lines, "; ")
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
