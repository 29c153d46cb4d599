package glossary

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// CSVHeader is the header row that ExportCSV writes and ReadCSV expects.
var CSVHeader = []string{"headword", "lang", "translation", "note"}

// ReadCSV reads glossary rows from CSV with a header row naming the
// columns: headword, lang and translation, and optionally note, in any
// order. Row numbers count the header as row 1, as a spreadsheet does.
// Problems come back as an *ImportError. The file is read as a stream
// and refused with a *LimitError as soon as it passes MaxImportBytes or
// MaxImportEntries, so only the rows read so far are ever held.
func ReadCSV(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(capped(r, MaxImportBytes, "the CSV file"))
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileError("the file is empty; the first row must be the header %s", strings.Join(CSVHeader, ","))
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		switch name {
		case "headword", "lang", "translation", "note":
		default:
			return nil, fileError("the header names a column %q; the columns are %s (note may be left out)", name, strings.Join(CSVHeader, ", "))
		}
		if _, dup := col[name]; dup {
			return nil, fileError("the header names the column %q twice", name)
		}
		col[name] = i
	}
	for _, need := range CSVHeader[:3] {
		if _, ok := col[need]; !ok {
			return nil, fileError("the header has no %q column; the first row must name the columns %s", need, strings.Join(CSVHeader, ","))
		}
	}
	var rows []Row
	bad := &ImportError{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rows)+bad.Bad >= MaxImportEntries {
			return nil, tooManyEntries()
		}
		if len(rec) != len(header) {
			bad.add(line, fmt.Sprintf("has %d fields, but the header names %d columns", len(rec), len(header)))
			continue
		}
		row := Row{Row: line, Input: Input{Headword: rec[col["headword"]], Lang: rec[col["lang"]], Translation: rec[col["translation"]]}}
		if i, ok := col["note"]; ok {
			row.Note = rec[i]
		}
		rows = append(rows, row)
	}
	if bad.Bad > 0 {
		return nil, bad
	}
	return rows, nil
}

// csvError turns a CSV syntax error into the row it happened on.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := &ImportError{}
		e.add(pe.StartLine, "is not valid CSV: "+pe.Err.Error()+" (a field with a comma, quote or line break must be quoted, and quotes inside it doubled)")
		return e
	}
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("glossary: read CSV: %w", err)
}

// CSVWriter writes entries as CSV that ReadCSV reads back.
type CSVWriter struct{ cw *csv.Writer }

// NewCSVWriter writes the header row and returns a writer for the entries.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return nil, fmt.Errorf("glossary: write CSV: %w", err)
	}
	return &CSVWriter{cw: cw}, nil
}

// Write writes one entry.
func (c *CSVWriter) Write(e Entry) error {
	if err := c.cw.Write([]string{e.Headword, e.Lang, e.Translation, e.Note}); err != nil {
		return fmt.Errorf("glossary: write CSV: %w", err)
	}
	return nil
}

// Flush writes what is buffered and reports any error so far.
func (c *CSVWriter) Flush() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("glossary: write CSV: %w", err)
	}
	return nil
}
