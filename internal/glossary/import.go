package glossary

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Row is one entry read from an import file, with the number of the row
// (the line where it starts) to name in an error.
type Row struct {
	Row int
	Input
}

// RowError says why one row of an import file was refused.
type RowError struct {
	Row    int // 0 when the problem is with the file as a whole
	Reason string
}

// maxReportedRows bounds the rows an ImportError lists: enough to fix a
// file in a few rounds, without an answer as long as the file.
const maxReportedRows = 20

// ImportError refuses a whole import: nothing was stored. Rows lists the
// first problems found, Bad counts them all.
type ImportError struct {
	Rows []RowError
	Bad  int
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "glossary: import refused, %d bad row(s), nothing imported", e.Bad)
	for _, r := range e.Rows {
		if r.Row > 0 {
			fmt.Fprintf(&b, "; row %d: %s", r.Row, r.Reason)
		} else {
			fmt.Fprintf(&b, "; %s", r.Reason)
		}
	}
	return b.String()
}

func (e *ImportError) add(row int, reason string) {
	e.Bad++
	if len(e.Rows) < maxReportedRows {
		e.Rows = append(e.Rows, RowError{Row: row, Reason: reason})
	}
}

func fileError(format string, args ...any) *ImportError {
	e := &ImportError{}
	e.add(0, fmt.Sprintf(format, args...))
	return e
}

// ErrTooLarge reports an import file over the size this server reads.
var ErrTooLarge = errors.New("glossary: the import file is too large")

// Prepare validates every row and turns the rows into entries stamped
// now. It refuses the lot with an *ImportError if any row is invalid or
// repeats a headword and language of an earlier row, or if there are no
// rows at all.
func Prepare(rows []Row, now time.Time) ([]Entry, error) {
	bad := &ImportError{}
	if len(rows) == 0 {
		bad.add(0, "the file holds no entries")
		return nil, bad
	}
	now = now.UTC().Truncate(time.Millisecond)
	seen := make(map[Cursor]int, len(rows))
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		in, err := r.Normalize()
		var ve ValidationError
		if errors.As(err, &ve) {
			bad.add(r.Row, describe(ve))
			continue
		}
		k := Cursor{Headword: in.Headword, Lang: in.Lang}
		if first, dup := seen[k]; dup {
			bad.add(r.Row, fmt.Sprintf("repeats headword %q in %s from row %d", in.Headword, in.Lang, first))
			continue
		}
		seen[k] = r.Row
		out = append(out, Entry{Headword: in.Headword, Lang: in.Lang, Translation: in.Translation, Note: in.Note,
			CreatedAt: now, UpdatedAt: now})
	}
	if bad.Bad > 0 {
		return nil, bad
	}
	return out, nil
}

// describe turns a ValidationError into one sentence, fields in a fixed
// order.
func describe(ve ValidationError) string {
	var parts []string
	for _, f := range []string{"headword", "lang", "translation", "note"} {
		if msg, ok := ve[f]; ok {
			parts = append(parts, f+" "+msg)
		}
	}
	for f, msg := range ve { // none today; kept so no message is ever lost
		if !slices.Contains([]string{"headword", "lang", "translation", "note"}, f) {
			parts = append(parts, f+" "+msg)
		}
	}
	return strings.Join(parts, "; ")
}
