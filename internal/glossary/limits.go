package glossary

import (
	"fmt"
	"io"
)

// The limits of one import, the same through every door (the JSON API,
// the newsroom and the command line), since all of them read files with
// ReadCSV and ReadDictd. Together they bound what an import holds in
// memory: the rows (at most MaxImportEntries, whose text comes from at
// most MaxImportBytes of CSV or MaxDefinitionsTotal of definitions), and
// never the .dict text, which is read as a stream.
const (
	// MaxImportBytes bounds a file as it is read: a CSV file, a dictd
	// .index, or a .dict or .dict.dz as stored. FreeDict's bilingual
	// dictionaries are a few MB as .dict.dz; a glossary CSV is far
	// smaller.
	MaxImportBytes = 32 << 20
	// MaxImportEntries bounds the rows of a CSV file or the lines of a
	// dictd index (meta entries aside): a newsroom glossary has
	// thousands, the largest FreeDict dictionaries under 100,000.
	MaxImportEntries = 100_000
	// MaxDefinitionBytes bounds one definition in a .dict: a valid entry
	// has at most 2,000 characters of translation and 2,000 of note.
	MaxDefinitionBytes = 32 << 10
	// MaxDefinitionsTotal bounds the definition bytes a dictd index points
	// at, all lines counted, so that many lines pointing at the same
	// large definition do not multiply it.
	MaxDefinitionsTotal = 64 << 20
	// MaxDictSize bounds the uncompressed .dict text read (and not
	// kept), so that a small compressed file cannot expand without limit.
	MaxDictSize = 128 << 20
)

// The limits a LimitError names.
const (
	LimitFile        = "file"        // MaxImportBytes
	LimitEntries     = "entries"     // MaxImportEntries
	LimitDefinitions = "definitions" // MaxDefinitionsTotal
	LimitDict        = "dict"        // MaxDictSize
)

// LimitError refuses an import over one of the limits above; it is
// ErrTooLarge for errors.Is, and its message can be shown as it is.
type LimitError struct {
	Limit string // LimitFile, LimitEntries, LimitDefinitions or LimitDict
	Msg   string
}

func (e *LimitError) Error() string        { return e.Msg }
func (e *LimitError) Is(target error) bool { return target == ErrTooLarge }

func overLimit(limit, format string, args ...any) *LimitError {
	return &LimitError{Limit: limit, Msg: fmt.Sprintf(format, args...)}
}

func tooManyEntries() *LimitError {
	return overLimit(LimitEntries, "the file has more than %d entries; split it into files of at most %d", MaxImportEntries, MaxImportEntries)
}

// cappedReader reads r and fails with a LimitError past max bytes, so a
// file is refused at the limit while it is read, not after.
type cappedReader struct {
	r    io.Reader
	left int64
	what string // "the CSV file", for the message
}

func capped(r io.Reader, max int64, what string) *cappedReader {
	return &cappedReader{r: r, left: max, what: what}
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, overLimit(LimitFile, "%s is larger than %d MB; split it into smaller files", c.what, MaxImportBytes>>20)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, overLimit(LimitFile, "%s is larger than %d MB; split it into smaller files", c.what, MaxImportBytes>>20)
	}
	return n, err
}
