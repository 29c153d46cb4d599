package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGlossaryCLI_importsCSVAndFreeDictThenExports is what an operator
// does: load the newsroom's CSV and a FreeDict dictionary from files, then
// export the result.
func TestGlossaryCLI_importsCSVAndFreeDictThenExports(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	csvPath := filepath.Join(dir, "newsroom.csv")
	writeFile(t, csvPath, "headword,lang,translation,note\nDenuclearization,ko,비핵화,Used of the Korean Peninsula.\nsanction,ko,제재,\n")
	// A FreeDict-style pair: eng-kor names its target language.
	var dict strings.Builder
	var index strings.Builder
	for _, d := range [][2]string{
		{"00-database-short", "00-database-short\nTest English-Korean\n"},
		{"ceasefire", "ceasefire /ˈsiːsfaɪər/\n휴전\n"},
		{"sanction", "sanction\n제재 조치\n"},
	} {
		fmt.Fprintf(&index, "%s\t%s\t%s\n", d[0], b64(dict.Len()), b64(len(d[1])))
		dict.WriteString(d[1])
	}
	writeFile(t, filepath.Join(dir, "eng-kor.index"), index.String())
	var dz bytes.Buffer
	zw := gzip.NewWriter(&dz)
	_, _ = zw.Write([]byte(dict.String()))
	_ = zw.Close()
	writeFile(t, filepath.Join(dir, "eng-kor.dict.dz"), dz.String())

	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"broadsheet", "glossary", "import", csvPath}, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 added, 0 updated, 0 unchanged") {
		t.Errorf("CSV import said %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"broadsheet", "glossary", "import", filepath.Join(dir, "eng-kor.index")}, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "taken as ko") || !strings.Contains(out.String(), "1 added, 1 updated, 0 unchanged") {
		t.Errorf("dictd import said %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"broadsheet", "glossary", "export"}, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	want := "headword,lang,translation,note\n" +
		"ceasefire,ko,휴전,/ˈsiːsfaɪər/\n" +
		"denuclearization,ko,비핵화,Used of the Korean Peninsula.\n" +
		"sanction,ko,제재 조치,\n"
	if out.String() != want {
		t.Errorf("export:\ngot  %q\nwant %q", out.String(), want)
	}
	exported := filepath.Join(dir, "out.csv")
	if err := run(ctx, []string{"broadsheet", "glossary", "export", "--out", exported}, getenv, io.Discard, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(exported); string(b) != want {
		t.Errorf("export --out wrote %q", b)
	}
}

func TestGlossaryCLI_refusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	bad := filepath.Join(dir, "bad.csv")
	writeFile(t, bad, "headword,lang,translation\nok,ko,좋다\nbell\a,ko,종\n")
	writeFile(t, filepath.Join(dir, "words.index"), "word\tA\tB\n")
	writeFile(t, filepath.Join(dir, "words.dict"), "word\n낱말\n")
	writeFile(t, filepath.Join(dir, "words.txt"), "word")
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"glossary", "import", bad}, "row 3: headword must not contain control characters"},
		{[]string{"glossary", "import", filepath.Join(dir, "words.index")}, ""}, // no --lang, no FreeDict name
		{[]string{"glossary", "import", filepath.Join(dir, "words.txt")}, ""},
		{[]string{"glossary", "import", filepath.Join(dir, "missing.csv")}, ""},
		{[]string{"glossary", "import"}, ""},
		{[]string{"glossary", "import", filepath.Join(dir, "words.index"), "--lang", "Klingonese!"}, ""},
		{[]string{"glossary", "rename"}, ""},
		{[]string{"glossary"}, ""},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		err := run(context.Background(), append([]string{"broadsheet"}, tt.args...), getenv, io.Discard, &stderr, nil)
		if err == nil {
			t.Errorf("%q: succeeded, want an error", tt.args)
			continue
		}
		if !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("%q: stderr %q, want it to contain %q", tt.args, stderr.String(), tt.stderr)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"broadsheet", "glossary", "import", filepath.Join(dir, "words.index"), "--lang", "ko"}, getenv, &out, io.Discard, nil); err != nil {
		t.Errorf("with --lang after the file: %v", err)
	}
}

// The command line reads files through the same limits as the API and
// the newsroom.
func TestGlossaryCLI_importLimits(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "BROADSHEET_DATA" {
			return dir
		}
		return ""
	}
	var csv strings.Builder
	csv.WriteString("headword,lang,translation\n")
	for i := range 100_001 {
		fmt.Fprintf(&csv, "w%d,ko,낱말\n", i)
	}
	writeFile(t, filepath.Join(dir, "huge.csv"), csv.String())
	// 2,100 headwords at one 32 KB definition: 67 MB of definitions.
	def := strings.Repeat("x", 32<<10)
	var index strings.Builder
	for i := range 2100 {
		fmt.Fprintf(&index, "w%d\tA\t%s\n", i, b64(len(def)))
	}
	writeFile(t, filepath.Join(dir, "eng-kor.index"), index.String())
	writeFile(t, filepath.Join(dir, "eng-kor.dict"), def)
	for file, want := range map[string]string{
		"huge.csv":      "nothing imported: the file has more than 100000 entries",
		"eng-kor.index": "nothing imported: the index points at more than 64 MB of definitions in all",
	} {
		err := run(context.Background(), []string{"broadsheet", "glossary", "import", filepath.Join(dir, file)}, getenv, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", file, err, want)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// b64 writes n in dictd's base 64.
func b64(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	out := string(digits[n%64])
	for n /= 64; n > 0; n /= 64 {
		out = string(digits[n%64]) + out
	}
	return out
}
