package ghost

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"broadsheet/internal/importer"
)

// walk reads the file once, from its start: it finds the export's data
// object (inside the "db" list of a Ghost export, or at the top of the
// file in the form without it) and calls table with each of its tables.
// table either reads the whole list through r.each and reports true, or
// reports false and the list is skipped entry by entry. version, when not
// nil, is given meta.version.
func (s *Source) walk(ctx context.Context, record func() int, table func(r *reader, name string) (bool, error), version func(string)) error {
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("ghost: %w", err)
	}
	defer func() { _ = f.Close() }() // read only: nothing is lost
	lim := &limitReader{r: f, max: s.maxRecord}
	r := &reader{ctx: ctx, dec: json.NewDecoder(lim), lim: lim, record: record, path: s.path}

	tok, err := r.token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return notGhost("the file is empty")
		}
		return err
	}
	if tok != json.Delim('{') {
		return notGhost("it is not a JSON object")
	}
	found := false
	data := func() error {
		found = true
		tok, err := r.token()
		if err != nil {
			return err
		}
		if tok != json.Delim('{') {
			return notGhost(`its "data" is not an object of tables`)
		}
		for r.dec.More() {
			name, err := r.key()
			if err != nil {
				return err
			}
			r.table = name
			done, err := table(r, name)
			if err == nil && !done {
				err = r.skip()
			}
			r.table = ""
			if err != nil {
				return err
			}
		}
		return r.expect(json.Delim('}'), `the end of "data"`)
	}
	// object reads the top object or an entry of the "db" list.
	var object func(top bool) error
	object = func(top bool) error {
		for r.dec.More() {
			key, err := r.key()
			if err != nil {
				return err
			}
			switch {
			case key == "data":
				err = data()
			case key == "meta":
				err = r.meta(version)
			case key == "db" && top:
				tok, err = r.token()
				if err != nil {
					return err
				}
				if tok != json.Delim('[') {
					return notGhost(`its "db" is not a list`)
				}
				for err == nil && r.dec.More() {
					if tok, err = r.token(); err != nil {
						return err
					}
					if tok != json.Delim('{') {
						return notGhost(`an entry of its "db" list is not an object`)
					}
					err = object(false)
				}
				if err == nil {
					err = r.expect(json.Delim(']'), `the end of "db"`)
				}
			default:
				err = r.skip()
			}
			if err != nil {
				return err
			}
		}
		return r.expect(json.Delim('}'), "the end of an object")
	}
	if err := object(true); err != nil {
		return err
	}
	if !found {
		return notGhost(`it has no "db" list or "data" object`)
	}
	if _, err := r.dec.Token(); !errors.Is(err, io.EOF) {
		return r.fail("there is more after the end of the export's JSON object")
	}
	return nil
}

// reader is one pass's decoder, with the name of the table and the
// number of the entry being read for its errors.
type reader struct {
	ctx    context.Context
	dec    *json.Decoder
	lim    *limitReader
	record func() int
	table  string
	entry  int
	path   string
	start  int64 // where the value being decoded starts
}

// where names the place in the file for an error.
func (r *reader) where() string {
	if r.table == "" {
		return ""
	}
	if r.entry == 0 {
		return fmt.Sprintf(" (in the %q table)", r.table)
	}
	return fmt.Sprintf(" (in the %q table, entry %d)", r.table, r.entry)
}

func (r *reader) fail(reason string) error {
	return &importer.Error{Record: r.record(), Reason: reason + r.where()}
}

// jsonError turns a decoder's error into an *importer.Error that says
// where in the file the JSON breaks.
func (r *reader) jsonError(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errTooBig):
		return r.fail(fmt.Sprintf("an entry starting near byte %d is larger than %s, more than the import reads at once", r.start, size(r.lim.max)))
	case errors.As(err, &syn):
		return r.fail(fmt.Sprintf("the file is not valid JSON at byte %d: %s", r.locate(), syn.Error()))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return r.fail(fmt.Sprintf("the file ends in the middle of its JSON, at byte %d (is it cut short?)", r.lim.total))
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("ghost: %w", err)
	}
	return r.fail(fmt.Sprintf("the file cannot be read as JSON near byte %d: %v", r.dec.InputOffset(), err))
}

func (r *reader) token() (json.Token, error) {
	r.lim.mark()
	r.start = r.dec.InputOffset()
	tok, err := r.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) && r.dec.InputOffset() == 0 {
			return nil, err
		}
		return nil, r.jsonError(err)
	}
	return tok, nil
}

func (r *reader) key() (string, error) {
	tok, err := r.token()
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", r.fail(fmt.Sprintf("expected a name at byte %d", r.dec.InputOffset()))
	}
	return k, nil
}

func (r *reader) expect(want json.Delim, what string) error {
	tok, err := r.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return r.fail(fmt.Sprintf("expected %s at byte %d, found %s", what, r.dec.InputOffset(), describe(tok)))
	}
	return nil
}

// describe names a token for an error.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "a list"
		}
		return strconv.Quote(t.String())
	case string:
		if len(t) > 40 {
			t = t[:40] + "…"
		}
		return "the text " + strconv.Quote(t)
	case nil:
		return "null"
	default:
		return fmt.Sprint(t)
	}
}

// meta reads the export's meta object for its version.
func (r *reader) meta(version func(string)) error {
	var m struct {
		Version string `json:"version"`
	}
	if err := r.decode(&m); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) || errors.Is(err, errBadID) {
			return notGhost(`its "meta" is not a Ghost export's meta`)
		}
		return err
	}
	if version != nil {
		version(m.Version)
	}
	return nil
}

// each reads a table: fn reads one entry with r.entryInto. A null table
// is an empty one.
func (r *reader) each(fn func() error) error {
	tok, err := r.token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return r.fail(fmt.Sprintf("the table is %s, where Ghost writes a list", describe(tok)))
	}
	for r.entry = 1; r.dec.More(); r.entry++ {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if err := fn(); err != nil {
			return err
		}
	}
	r.entry = 0
	return r.expect(json.Delim(']'), "the end of the table")
}

// entryInto decodes the next entry of a table into v. what names the
// entry for an error ("post", "tag").
func (r *reader) entryInto(v any, what string) error {
	err := r.decode(v)
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		field := ute.Field
		if field == "" {
			return r.fail(fmt.Sprintf("the %s is a JSON %s, not an object", what, ute.Value))
		}
		return r.fail(fmt.Sprintf("the %s's %q is a JSON %s, which it cannot be", what, field, ute.Value))
	}
	if errors.Is(err, errBadID) {
		return r.fail(fmt.Sprintf("the %s has an id that is neither text nor a number", what))
	}
	return err
}

// locate finds where a value the decoder refused breaks: the decoder's
// own offsets count only the bytes of the values it decoded, so the
// value is read again from its start on its own.
func (r *reader) locate() int64 {
	f, err := os.Open(r.path)
	if err != nil {
		return r.start
	}
	defer func() { _ = f.Close() }() // read only: nothing is lost
	if _, err := f.Seek(r.start, io.SeekStart); err != nil {
		return r.start
	}
	br := bufio.NewReader(io.LimitReader(f, r.lim.max))
	skipped := int64(0)
	separator := false
	for {
		c, err := br.ReadByte()
		if err != nil {
			return r.start + skipped
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || (!separator && (c == ',' || c == ':')) {
			separator = separator || c == ',' || c == ':'
			skipped++
			continue
		}
		if err := br.UnreadByte(); err != nil {
			return r.start + skipped
		}
		break
	}
	var syn *json.SyntaxError
	if err := json.NewDecoder(br).Decode(&ignore{}); errors.As(err, &syn) && syn.Offset > 0 {
		return r.start + skipped + syn.Offset - 1
	}
	return r.start + skipped
}

func (r *reader) decode(v any) error {
	r.lim.mark()
	r.start = r.dec.InputOffset()
	err := r.dec.Decode(v)
	if err == nil {
		return nil
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) || errors.Is(err, errBadID) {
		return err
	}
	return r.jsonError(err)
}

// skip passes over the next value: a list entry by entry and an object
// key by key, so a large table the import does not read (post
// revisions, members, email batches) is never held whole.
func (r *reader) skip() error {
	tok, err := r.token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		// The entries of a table are counted for errors.
		counting := r.table != "" && r.entry == 0
		for n := 1; r.dec.More(); n++ {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			if counting {
				r.entry = n
			}
			if err := r.decode(&ignore{}); err != nil {
				return err
			}
		}
		if counting {
			r.entry = 0
		}
		return r.expect(json.Delim(']'), "the end of a list")
	case json.Delim('{'):
		for r.dec.More() {
			if _, err := r.key(); err != nil {
				return err
			}
			if err := r.skip(); err != nil {
				return err
			}
		}
		return r.expect(json.Delim('}'), "the end of an object")
	}
	return nil
}

// ignore decodes any value into nothing, without building it.
type ignore struct{}

func (*ignore) UnmarshalJSON([]byte) error { return nil }

// flexID is an id that old exports write as a number and newer ones as
// a string.
type flexID string

func (id *flexID) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*id = ""
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*id = flexID(strings.TrimSpace(v))
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return errBadID
		}
		*id = flexID(n.String())
	}
	return nil
}

// size writes a number of bytes for a person.
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// limitReader refuses to read more than max bytes between two marks: the
// decoder reads a whole value before it returns it.
type limitReader struct {
	r     io.Reader
	n     int64
	max   int64
	total int64 // bytes read in all
}

var (
	errTooBig = errors.New("entry too large")
	errBadID  = errors.New("an id is neither text nor a number")
)

func (l *limitReader) mark() { l.n = 0 }

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n >= l.max {
		return 0, errTooBig
	}
	if int64(len(p)) > l.max-l.n {
		p = p[:l.max-l.n]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	l.total += int64(n)
	return n, err
}
