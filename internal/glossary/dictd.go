package glossary

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxDictSize bounds the uncompressed .dict text an import reads, so that
// a small compressed file cannot expand without limit.
const MaxDictSize = 128 << 20

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
func ReadDictd(index, dict io.Reader, lang string) ([]Row, error) {
	text, err := readDict(dict)
	if err != nil {
		return nil, err
	}
	var rows []Row
	byKey := map[string]int{} // Key(headword) → index in rows
	bad := &ImportError{}
	sc := bufio.NewScanner(index)
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
		off, okOff := decodeDictdNumber(f[1])
		n, okLen := decodeDictdNumber(f[2])
		if !okOff || !okLen {
			bad.add(line, fmt.Sprintf("has an offset %q or length %q that is not a dictd base-64 number", f[1], f[2]))
			continue
		}
		if off+n > int64(len(text)) {
			bad.add(line, fmt.Sprintf("points at bytes %d to %d, past the end of the .dict file (%d bytes)", off, off+n, len(text)))
			continue
		}
		note, translation := splitDefinition(head, string(text[off:off+n]))
		if translation == "" {
			bad.add(line, fmt.Sprintf("has an empty definition for %q", head))
			continue
		}
		k := Key(head)
		if i, dup := byKey[k]; dup {
			if !strings.Contains("; "+rows[i].Translation+"; ", "; "+translation+"; ") {
				rows[i].Translation += "; " + translation
			}
			if rows[i].Note == "" {
				rows[i].Note = note
			}
			continue
		}
		byKey[k] = len(rows)
		rows = append(rows, Row{Row: line, Input: Input{Headword: head, Lang: lang, Translation: translation, Note: note}})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fileError("the .index file has a line over 64 KiB; it is not a dictd index")
		}
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("glossary: read dictd index: %w", err)
	}
	if bad.Bad > 0 {
		return nil, bad
	}
	return rows, nil
}

// readDict reads the .dict text, gunzipping a .dict.dz, up to MaxDictSize.
// A failure of the file itself (bad gzip, damaged data) is an
// *ImportError; a failure to read it (the request body broke off, over
// its limit) is returned as it is, for the caller to answer.
func readDict(r io.Reader) ([]byte, error) {
	src := &sourceReader{r: r}
	br := bufio.NewReader(src)
	var text io.Reader = br
	gzipped := false
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if src.err != nil {
				return nil, fmt.Errorf("glossary: read dictd text: %w", src.err)
			}
			return nil, fileError("the .dict.dz file is not valid gzip/dictzip: %v", err)
		}
		defer func() { _ = zr.Close() }() // reading to the end already checked the data
		text, gzipped = zr, true
	}
	b, err := io.ReadAll(io.LimitReader(text, MaxDictSize+1))
	switch {
	case err != nil && src.err != nil:
		return nil, fmt.Errorf("glossary: read dictd text: %w", src.err)
	case err != nil && gzipped:
		return nil, fileError("the .dict.dz file is damaged: %v", err)
	case err != nil:
		return nil, fmt.Errorf("glossary: read dictd text: %w", err)
	case len(b) > MaxDictSize:
		return nil, fmt.Errorf("%w: the .dict text is over %d MiB", ErrTooLarge, MaxDictSize>>20)
	}
	return b, nil
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
