package glossary

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzImport feeds arbitrary files to both readers and Prepare. Whatever
// the bytes, they must answer with rows or an *ImportError (which the API
// turns into a 422) or ErrTooLarge (413): never panic, and never another
// error, which the API would have to call a server failure.
func FuzzImport(f *testing.F) {
	f.Add("headword,lang,translation,note\ndenuclearization,ko,비핵화,\n", "word\tA\tB\n", "word\n낱말\n")
	f.Add("translation,headword,lang\n\"a\"\"b\",x,ko\n", "00-database-info\tA\tC\nx\tC\tD\n", "\x1f\x8b\x08\x00")
	f.Add("headword\n\xff\n", "a\t/\t/\n", "")
	f.Fuzz(func(t *testing.T, csvText, index, dict string) {
		check := func(what string, rows []Row, err error) {
			var ie *ImportError
			switch {
			case err == nil:
				if _, err := Prepare(rows, time.Now()); err != nil && !errors.As(err, &ie) {
					t.Fatalf("%s: Prepare: %v is not an ImportError", what, err)
				}
			case errors.As(err, &ie):
				if ie.Bad == 0 || len(ie.Rows) == 0 {
					t.Fatalf("%s: an ImportError with no rows: %+v", what, ie)
				}
			case errors.Is(err, ErrTooLarge):
			default:
				t.Fatalf("%s: %v is neither an ImportError nor ErrTooLarge", what, err)
			}
		}
		rows, err := ReadCSV(strings.NewReader(csvText))
		check("CSV", rows, err)
		rows, err = ReadDictd(strings.NewReader(index), strings.NewReader(dict), "ko")
		check("dictd", rows, err)
	})
}
