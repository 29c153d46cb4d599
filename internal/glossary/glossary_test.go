package glossary

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Denuclearization", "denuclearization"},
		{"  Sanctions   Relief, ", "sanctions relief"},
		{"“Workers’”", "workers"},
		{"U.S.", "u.s"},
		{"...", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeLang(t *testing.T) {
	good := map[string]string{"ko": "ko", "KO": "ko", "ko-kr": "ko-KR", "zh-hant": "zh-Hant", " en ": "en"}
	for in, want := range good {
		if got, err := NormalizeLang(in); err != nil || got != want {
			t.Errorf("NormalizeLang(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "korean", "k", "und", "ko_KR!", strings.Repeat("a", 40), "x-private"} {
		if got, err := NormalizeLang(in); err == nil {
			t.Errorf("NormalizeLang(%q): got %q, want an error", in, got)
		}
	}
}

func TestInputNormalize_namesEveryBadField(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want []string // fields refused
	}{
		{"valid", Input{Headword: " Denuclearization ", Lang: "ko", Translation: " 비핵화 ", Note: "noun"}, nil},
		{"all missing", Input{}, []string{"headword", "lang", "translation"}},
		{"punctuation only", Input{Headword: "?!", Lang: "ko", Translation: "x"}, []string{"headword"}},
		{"too long", Input{Headword: strings.Repeat("a", MaxHeadwordLen+1), Lang: "ko", Translation: strings.Repeat("가", MaxTranslationLen+1), Note: strings.Repeat("n", MaxNoteLen+1)},
			[]string{"headword", "note", "translation"}},
		{"control characters", Input{Headword: "bell\a", Lang: "ko", Translation: "a\nb", Note: "tab\there"}, []string{"headword", "note", "translation"}},
		{"NUL", Input{Headword: "nul", Lang: "ko", Translation: "a\x00b"}, []string{"translation"}},
		{"invalid UTF-8", Input{Headword: "ok", Lang: "ko", Translation: "\xff\xfe"}, []string{"translation"}},
		{"bad language", Input{Headword: "ok", Lang: "Korean", Translation: "x"}, []string{"lang"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Normalize()
			var ve ValidationError
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if want := (Input{Headword: "denuclearization", Lang: "ko", Translation: "비핵화", Note: "noun"}); got != want {
					t.Errorf("got %+v, want %+v", got, want)
				}
				return
			}
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			var fields []string
			for f, msg := range ve {
				fields = append(fields, f)
				if msg == "" {
					t.Errorf("field %s: empty message", f)
				}
			}
			if diff := cmp.Diff(tt.want, fields, sortStrings); diff != "" {
				t.Errorf("refused fields (-want +got):\n%s\n(%v)", diff, err)
			}
		})
	}
}

var sortStrings = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestCursor_roundTrip(t *testing.T) {
	c := Cursor{Headword: "sanctions relief", Lang: "ko"}
	got, err := ParseCursor(c.String())
	if err != nil || got != c {
		t.Errorf("ParseCursor(String()): got %+v, %v; want %+v", got, err, c)
	}
	controls := base64.RawURLEncoding.EncodeToString([]byte("a\tb\nc"))
	for _, bad := range []string{"!!", "bm8tdGFi", controls} {
		if _, err := ParseCursor(bad); !errors.Is(err, ErrBadCursor) {
			t.Errorf("ParseCursor(%q): got %v, want ErrBadCursor", bad, err)
		}
	}
}

func TestPrepare_refusesRepeatsAndEmptyFiles(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	_, err := Prepare([]Row{
		{Row: 2, Input: Input{Headword: "Summit", Lang: "ko", Translation: "정상회담"}},
		{Row: 3, Input: Input{Headword: "summit", Lang: "ko", Translation: "정상"}},
		{Row: 4, Input: Input{Headword: "summit", Lang: "ja", Translation: "首脳会談"}},
	}, now)
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Bad != 1 || ie.Rows[0].Row != 3 || !strings.Contains(ie.Rows[0].Reason, "from row 2") {
		t.Errorf("a repeated headword: got %v, want row 3 refused as a repeat of row 2", err)
	}
	if _, err := Prepare(nil, now); !errors.As(err, &ie) || !strings.Contains(err.Error(), "no entries") {
		t.Errorf("no rows: got %v, want an ImportError saying so", err)
	}
	entries, err := Prepare([]Row{{Row: 2, Input: Input{Headword: "Summit", Lang: "ko", Translation: "정상회담"}}}, now)
	if err != nil || len(entries) != 1 || entries[0].Headword != "summit" || !entries[0].CreatedAt.Equal(now) {
		t.Errorf("one good row: got %+v, %v", entries, err)
	}
}

func TestImportError_reportsAtMost20Rows(t *testing.T) {
	var rows []Row
	for i := range 50 {
		rows = append(rows, Row{Row: i + 2, Input: Input{Headword: "w", Lang: "??", Translation: "x"}})
	}
	_, err := Prepare(rows, time.Now())
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Bad != 50 || len(ie.Rows) != maxReportedRows {
		t.Errorf("50 bad rows: got %v, want all 50 counted and the first %d listed", err, maxReportedRows)
	}
}

func TestLookupKeysAndOrder(t *testing.T) {
	keys := LookupKeys("Sanctions,", "sanction", "sanctions", "")
	if diff := cmp.Diff([]string{"sanctions", "sanction"}, keys); diff != "" {
		t.Errorf("LookupKeys (-want +got):\n%s", diff)
	}
	entries := []Entry{{Headword: "sanction", Lang: "ko"}, {Headword: "sanctions", Lang: "ko"}, {Headword: "sanctions", Lang: "ja"}}
	Order(entries, keys)
	var got []string
	for _, e := range entries {
		got = append(got, e.Headword+"/"+e.Lang)
	}
	if diff := cmp.Diff([]string{"sanctions/ja", "sanctions/ko", "sanction/ko"}, got); diff != "" {
		t.Errorf("Order (-want +got):\n%s", diff)
	}
}
