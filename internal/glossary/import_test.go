package glossary

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadCSV(t *testing.T) {
	const file = "\ufeffheadword,lang,translation,note\n" +
		"Denuclearization,ko,비핵화,\"Of the Korean Peninsula, usually.\"\n" +
		"\n" +
		"sanctions relief,ko,제재 완화,\n"
	rows, err := ReadCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Row: 2, Input: Input{Headword: "Denuclearization", Lang: "ko", Translation: "비핵화", Note: "Of the Korean Peninsula, usually."}},
		{Row: 4, Input: Input{Headword: "sanctions relief", Lang: "ko", Translation: "제재 완화"}},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// Columns may come in any order, and note may be left out.
	rows, err = ReadCSV(strings.NewReader("lang,translation,headword\nko,휴전,ceasefire\n"))
	if err != nil || len(rows) != 1 || rows[0].Headword != "ceasefire" || rows[0].Translation != "휴전" {
		t.Errorf("reordered columns: got %+v, %v", rows, err)
	}
}

func TestReadCSV_refusesBadFilesWithTheRow(t *testing.T) {
	tests := []struct {
		name, file string
		row        int
		reason     string
	}{
		{"empty", "", 0, "file is empty"},
		{"no header", "denuclearization,ko,비핵화\n", 0, `column "denuclearization"`},
		{"missing column", "headword,lang\nx,ko\n", 0, `no "translation" column`},
		{"column twice", "headword,lang,translation,lang\n", 0, "twice"},
		{"wrong field count", "headword,lang,translation\nok,ko,좋아\ntoo,few\n", 3, "has 2 fields"},
		{"bare quote", "headword,lang,translation\nok,ko,좋아\nbad,ko,a \"quoted\" word\n", 3, "not valid CSV"},
		{"unterminated quote", "headword,lang,translation\n\"open,ko,x\n", 2, "not valid CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.file))
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Rows) == 0 {
				t.Fatalf("got %v, want an ImportError", err)
			}
			if ie.Rows[0].Row != tt.row || !strings.Contains(ie.Rows[0].Reason, tt.reason) {
				t.Errorf("got row %d %q, want row %d containing %q", ie.Rows[0].Row, ie.Rows[0].Reason, tt.row, tt.reason)
			}
		})
	}
}

func TestCSV_exportReadsBack(t *testing.T) {
	var b bytes.Buffer
	w, err := NewCSVWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	in := []Entry{
		{Headword: "denuclearization", Lang: "ko", Translation: "비핵화", Note: `a "quoted", comma'd note`},
		{Headword: "summit", Lang: "ja", Translation: "首脳会談"},
	}
	for _, e := range in {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadCSV(&b)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		e := in[i]
		if r.Input != (Input{Headword: e.Headword, Lang: e.Lang, Translation: e.Translation, Note: e.Note}) {
			t.Errorf("row %d: got %+v, want %+v", i, r.Input, e)
		}
	}
}

// dictdPair writes a small dictd database the way dictfmt does: the
// definitions one after another in .dict, and an index of base-64
// offsets and lengths, meta entries first.
func dictdPair(t *testing.T, defs [][2]string) (index, dict string) {
	t.Helper()
	var ib, db strings.Builder
	for _, d := range defs {
		off := db.Len()
		db.WriteString(d[1])
		fmt.Fprintf(&ib, "%s\t%s\t%s\n", d[0], encodeDictdNumber(int64(off)), encodeDictdNumber(int64(len(d[1]))))
	}
	return ib.String(), db.String()
}

func encodeDictdNumber(n int64) string {
	if n == 0 {
		return "A"
	}
	var out []byte
	for ; n > 0; n /= 64 {
		out = append([]byte{dictdDigits[n%64]}, out...)
	}
	return string(out)
}

func TestDecodeDictdNumber(t *testing.T) {
	tests := map[string]int64{"A": 0, "B": 1, "/": 63, "BA": 64, "Bc": 92, "CAA": 8192}
	for in, want := range tests {
		if got, ok := decodeDictdNumber(in); !ok || got != want {
			t.Errorf("decode %q: got %d, %v; want %d", in, got, ok, want)
		}
		if enc := encodeDictdNumber(want); enc != in {
			t.Errorf("encode %d: got %q, want %q", want, enc, in)
		}
	}
	for _, bad := range []string{"", "A-B", "AAAAAAAAA", "=="} {
		if _, ok := decodeDictdNumber(bad); ok {
			t.Errorf("decode %q: got ok, want refused", bad)
		}
	}
}

func TestReadDictd_plainAndDictzip(t *testing.T) {
	index, dict := dictdPair(t, [][2]string{
		{"00-database-info", "00-database-info\nA test dictionary written by the test.\n"},
		{"00-database-short", "00-database-short\nEnglish-Korean test\n"},
		{"denuclearization", "denuclearization /diːˌnjuːklɪəraɪˈzeɪʃən/\n비핵화\n"},
		{"sanctions relief", "sanctions relief\n  제재 완화\n  제재 해제\n"},
		{"summit", "summit\n정상회담\n"},
		{"summit", "summit\n정상\n"},
		{"ceasefire", "휴전\n"},
	})
	want := []Row{
		{Row: 3, Input: Input{Headword: "denuclearization", Lang: "ko", Translation: "비핵화", Note: "/diːˌnjuːklɪəraɪˈzeɪʃən/"}},
		{Row: 4, Input: Input{Headword: "sanctions relief", Lang: "ko", Translation: "제재 완화; 제재 해제"}},
		{Row: 5, Input: Input{Headword: "summit", Lang: "ko", Translation: "정상회담; 정상"}},
		{Row: 7, Input: Input{Headword: "ceasefire", Lang: "ko", Translation: "휴전"}},
	}
	var dz bytes.Buffer
	zw := gzip.NewWriter(&dz)
	_, _ = zw.Write([]byte(dict))
	_ = zw.Close()
	for name, d := range map[string]string{"dict": dict, "dict.dz": dz.String()} {
		rows, err := ReadDictd(strings.NewReader(index), strings.NewReader(d), "ko")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("%s: rows (-want +got):\n%s", name, diff)
		}
	}
}

func TestReadDictd_refusesBadFiles(t *testing.T) {
	_, dict := dictdPair(t, [][2]string{{"word", "word\n낱말\n"}})
	tests := []struct {
		name, index, dict, reason string
	}{
		{"not an index", "just some text\n", dict, "not an index line"},
		{"bad number", "word\tA!\tB\n", dict, "not a dictd base-64 number"},
		{"past the end", "word\tA\t/\n", dict, "past the end"},
		{"empty definition", "word\tA\tB\n", "\n", "empty definition"},
		{"bad gzip", "word\tA\tB\n", "\x1f\x8bnot gzip", "gzip"},
		{"damaged gzip", "word\tA\tB\n", truncatedGzip(), "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDictd(strings.NewReader(tt.index), strings.NewReader(tt.dict), "ko")
			var ie *ImportError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("got %v, want an ImportError containing %q", err, tt.reason)
			}
		})
	}
}

func truncatedGzip() string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write(bytes.Repeat([]byte("definition text "), 1000))
	_ = zw.Close()
	return b.String()[:b.Len()/2]
}

func TestReadDictd_boundsTheUncompressedText(t *testing.T) {
	// A dictzip bomb: a few hundred KB that expand past MaxDictSize. gzip
	// readers read concatenated members as one stream, so one compressed
	// MiB of zeros, repeated, is enough.
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, 1<<20))
	_ = zw.Close()
	b := bytes.Repeat(member.Bytes(), MaxDictSize>>20+1)
	_, err := ReadDictd(strings.NewReader("word\tA\tB\n"), bytes.NewReader(b), "ko")
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// repeatReader repeats line for ever.
type repeatReader struct {
	line string
	i    int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for n := range p {
		p[n] = r.line[r.i]
		r.i = (r.i + 1) % len(r.line)
	}
	return len(p), nil
}

func TestReadCSV_refusesAtTheLimitsWhileReading(t *testing.T) {
	// Short rows without end: refused at the entry limit, having read
	// little more than that many rows.
	const row = "word,ko,낱말,\n"
	src := &countingReader{r: io.MultiReader(strings.NewReader("headword,lang,translation,note\n"), &repeatReader{line: row})}
	_, err := ReadCSV(src)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitEntries || !errors.Is(err, ErrTooLarge) ||
		err.Error() != "the file has more than 100000 entries; split it into files of at most 100000" {
		t.Fatalf("endless short rows: got %v, want the entry limit", err)
	}
	if max := int64(MaxImportEntries+1)*int64(len(row)) + 64<<10; src.n > max {
		t.Errorf("read %d bytes before refusing, want at most %d", src.n, max)
	}
	// Long rows without end: refused at MaxImportBytes, while reading.
	long := "word,ko,낱말," + strings.Repeat("n", 1000) + "\n"
	src = &countingReader{r: io.MultiReader(strings.NewReader("headword,lang,translation,note\n"), &repeatReader{line: long})}
	_, err = ReadCSV(src)
	if !errors.As(err, &le) || le.Limit != LimitFile || err.Error() != "the CSV file is larger than 32 MB; split it into smaller files" {
		t.Fatalf("endless long rows: got %v, want the file limit", err)
	}
	if src.n > MaxImportBytes+64<<10 {
		t.Errorf("read %d bytes before refusing, want at most %d", src.n, MaxImportBytes+64<<10)
	}
	// At the limits exactly, the file is read.
	var b strings.Builder
	b.WriteString("headword,lang,translation,note\n")
	for i := range MaxImportEntries {
		fmt.Fprintf(&b, "w%d,ko,낱말,\n", i)
	}
	if rows, err := ReadCSV(strings.NewReader(b.String())); err != nil || len(rows) != MaxImportEntries {
		t.Errorf("%d rows: got %d, %v", MaxImportEntries, len(rows), err)
	}
}

func TestReadDictd_boundsRepeatedAndLargeDefinitions(t *testing.T) {
	// The security review's file: 300 index lines pointing at one 816 KB
	// definition. Each line is refused for its length, without reading it
	// 300 times.
	big := "word\n" + strings.Repeat("낱말 ", 816<<10/7) + "\n"
	var index strings.Builder
	for i := range 300 {
		fmt.Fprintf(&index, "w%d\tA\t%s\n", i, encodeDictdNumber(int64(len(big))))
	}
	start := time.Now()
	_, err := ReadDictd(strings.NewReader(index.String()), strings.NewReader(big), "ko")
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Bad != 300 || !strings.Contains(ie.Rows[0].Reason, "a definition may have at most 32 KB") {
		t.Fatalf("300 lines at an 816 KB definition: got %v, want each refused", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d) // 14.6 s before the limits; milliseconds after
	}

	// Lines at definitions under the per-definition limit, but more than
	// MaxDefinitionsTotal of them in all: refused as too large.
	def := strings.Repeat("x", MaxDefinitionBytes)
	index.Reset()
	n := MaxDefinitionsTotal/MaxDefinitionBytes + 1
	for i := range n {
		fmt.Fprintf(&index, "w%d\tA\t%s\n", i, encodeDictdNumber(int64(len(def))))
	}
	_, err = ReadDictd(strings.NewReader(index.String()), strings.NewReader(def), "ko")
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitDefinitions || !strings.Contains(err.Error(), "more than 64 MB of definitions in all") {
		t.Errorf("%d lines at one 32 KB definition: got %v, want the definitions limit", n, err)
	}

	// The same headword at the same definition many times is one entry.
	index.Reset()
	for range 50_000 {
		fmt.Fprintf(&index, "summit\tA\t%s\n", encodeDictdNumber(int64(len("summit\n정상회담\n"))))
	}
	rows, err := ReadDictd(strings.NewReader(index.String()), strings.NewReader("summit\n정상회담\n"), "ko")
	if err != nil || len(rows) != 1 || rows[0].Translation != "정상회담" {
		t.Errorf("one line 50,000 times: got %+v, %v", rows, err)
	}

	// Many lines for one headword, each a new translation: refused once
	// the translations together are too long, not joined without end.
	var dict strings.Builder
	index.Reset()
	for i := range 5_000 {
		d := fmt.Sprintf("뜻%d\n", i)
		fmt.Fprintf(&index, "summit\t%s\t%s\n", encodeDictdNumber(int64(dict.Len())), encodeDictdNumber(int64(len(d))))
		dict.WriteString(d)
	}
	_, err = ReadDictd(strings.NewReader(index.String()), strings.NewReader(dict.String()), "ko")
	if !errors.As(err, &ie) || ie.Bad != 1 || !strings.Contains(ie.Rows[0].Reason, "longer than 2000 characters") {
		t.Errorf("5,000 translations of one headword: got %v, want one row refused", err)
	}
}

func TestReadDictd_refusesTooManyEntries(t *testing.T) {
	var index strings.Builder
	for i := range MaxImportEntries + 1 {
		fmt.Fprintf(&index, "w%d\tA\tB\n", i)
	}
	_, err := ReadDictd(strings.NewReader(index.String()), strings.NewReader("x"), "ko")
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitEntries {
		t.Errorf("got %v, want the entry limit", err)
	}
}

// The .dict is read as a stream: a 30 MB text whose index points at its
// first bytes is not held in memory.
func TestReadDictd_doesNotHoldTheDict(t *testing.T) {
	dict := io.MultiReader(strings.NewReader("summit\n정상회담\n"), io.LimitReader(&repeatReader{line: "filler text\n"}, 30<<20))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rows, err := ReadDictd(strings.NewReader("summit\tA\tU\n"), dict, "ko")
	runtime.ReadMemStats(&after)
	if err != nil || len(rows) != 1 {
		t.Fatalf("got %+v, %v", rows, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("allocated %d bytes reading a 30 MB .dict, want under 4 MB", alloc)
	}
}

// A line past the end of the .dict is reported alone: lines after it in
// the text, and lines at the same offset that end sooner, are read.
func TestReadDictd_linePastTheEndSparesTheOthers(t *testing.T) {
	const dict = "alpha\n하나\nbeta\n둘\n"
	index := "alpha\tA\t" + encodeDictdNumber(int64(len("alpha\n하나\n"))) + "\n" + // within
		"long\tA\t" + encodeDictdNumber(int64(len(dict)+10)) + "\n" + // from the start past the end
		"beta\t" + encodeDictdNumber(int64(len("alpha\n하나\n"))) + "\t" + encodeDictdNumber(int64(len("beta\n둘\n"))) + "\n" // after it
	_, err := ReadDictd(strings.NewReader(index), strings.NewReader(dict), "ko")
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Bad != 1 || ie.Rows[0].Row != 2 || !strings.Contains(ie.Rows[0].Reason, "past the end") {
		t.Errorf("got %v, want only row 2 refused, as past the end", err)
	}
}
