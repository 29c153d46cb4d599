package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/glossary"
	"broadsheet/internal/store/storetest"
)

// hostileImports are files each of which once cost an import seconds and
// hundreds of MB: a CSV of short rows without end, a dictd index pointing
// 300 times at one 816 KB definition, and one pointing 2,100 times at a
// 32 KB definition (67 MB of definitions from a 32 KB .dict).
func hostileImports(t *testing.T) (shortRows io.Reader, repeatedIndex, repeatedDict, manyIndex, manyDict string) {
	t.Helper()
	shortRows = io.MultiReader(strings.NewReader("headword,lang,translation,note\n"), &endless{left: 30 << 20, row: "w,ko,낱말,\n"})
	repeatedDict = "word\n" + strings.Repeat("낱말 ", 816<<10/7) + "\n"
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "w%d\tA\t%s\n", i, dictdNumber(len(repeatedDict)))
	}
	repeatedIndex = b.String()
	manyDict = strings.Repeat("x", 32<<10)
	b.Reset()
	for i := range 2100 {
		fmt.Fprintf(&b, "w%d\tA\t%s\n", i, dictdNumber(len(manyDict)))
	}
	return shortRows, repeatedIndex, repeatedDict, b.String(), manyDict
}

func TestAPI_glossaryImportMemoryLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		tok := ts.tokens[account.Editor]
		shortRows, repIndex, repDict, manyIndex, manyDict := hostileImports(t)

		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/glossary/import", shortRows)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "text/csv")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var ae apiError
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if err := jsonDecode(string(b), &ae); err != nil || res.StatusCode != http.StatusRequestEntityTooLarge ||
			ae.Error != "The import is too large: the file has more than 100000 entries; split it into files of at most 100000. Nothing was imported." {
			t.Errorf("endless short rows: %d %s, want 413 naming the entry limit", res.StatusCode, b)
		}

		start := time.Now()
		mp, ct := multipartBody(t, [2]string{"index", repIndex}, [2]string{"dict", repDict}, [2]string{"lang", "ko"})
		res, body := ts.do(t, "POST", "/api/v1/glossary/import", tok, mp, "Content-Type", ct)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "300 row(s) are not valid") ||
			!strings.Contains(body, "a definition may have at most 32 KB") {
			t.Errorf("300 lines at one 816 KB definition: %d %.400s, want 422 naming the rows", res.StatusCode, body)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("300 lines at one 816 KB definition took %s", d)
		}

		mp, ct = multipartBody(t, [2]string{"index", manyIndex}, [2]string{"dict", manyDict}, [2]string{"lang", "ko"})
		res, body = ts.do(t, "POST", "/api/v1/glossary/import", tok, mp, "Content-Type", ct)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "more than 64 MB of definitions in all") {
			t.Errorf("2,100 lines at one 32 KB definition: %d %.400s, want 413 naming the limit", res.StatusCode, body)
		}
		if n := glossaryCount(t, ts); n != 0 {
			t.Errorf("refused imports stored %d entries", n)
		}
	})
}

func TestNewsroom_glossaryImportMemoryLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ad := ts.signIn(t, "admin@paper.example")
		_, repIndex, repDict, manyIndex, manyDict := hostileImports(t)
		var rows strings.Builder
		rows.WriteString("headword,lang,translation\n")
		for i := range 100_001 {
			fmt.Fprintf(&rows, "w%d,ko,낱말\n", i)
		}
		tests := []struct {
			name   string
			fields map[string]string
			files  map[string]string
			status int
			want   string
		}{
			{"100,001 rows", nil, map[string]string{"csv": rows.String()}, 413, "The file has more than 100000 entries."},
			{"300 lines at one 816 KB definition", map[string]string{"lang": "ko"}, map[string]string{"index": repIndex, "dict": repDict}, 422, "a definition may have at most 32 KB"},
			{"2,100 lines at one 32 KB definition", map[string]string{"lang": "ko"}, map[string]string{"index": manyIndex, "dict": manyDict}, 413, "more than 64 MB of definitions in all"},
		}
		for _, tt := range tests {
			res, page := ad.upload(t, "/newsroom/glossary/import", tt.fields, tt.files)
			if res.StatusCode != tt.status || !strings.Contains(page, tt.want) {
				t.Errorf("%s: %d, want %d with %q\n%s", tt.name, res.StatusCode, tt.status, tt.want, excerpt(page, "import"))
			}
		}
		if n := glossaryCount(t, ts); n != 0 {
			t.Errorf("refused imports stored %d entries", n)
		}
	})
}

// excerpt is the part of a page around the first use of word, to show in
// a failure.
func excerpt(page, word string) string {
	i := strings.Index(page, word)
	if i < 0 {
		return "(" + word + " not on the page)"
	}
	return page[max(0, i-300):min(len(page), i+300)]
}

// One glossary import at a time reads its file and stores its rows: a
// second waits for the first, and after glossary.ImportWait it is refused
// with 503 and Retry-After through the API and the newsroom alike, having
// imported nothing; once the first ends, imports work again. Not run
// beside other tests: it holds the process's one import turn.
func TestGlossaryImport_oneAtATime(t *testing.T) {
	e := storetest.Engines(t)[0] // the turn belongs to the process, not the database
	ts := staffTestServer(t, e)
	ad := ts.signIn(t, "admin@paper.example")
	defer func(w time.Duration) { glossary.ImportWait = w }(glossary.ImportWait)
	glossary.ImportWait = 50 * time.Millisecond
	release, err := glossary.TakeImportTurn(context.Background()) // an import under way
	if err != nil {
		t.Fatal(err)
	}
	csv := "headword,lang,translation\nsanction,ko,제재\n"
	res, body := ts.do(t, "POST", "/api/v1/glossary/import", ts.tokens[account.Editor], csv, "Content-Type", "text/csv")
	var ae apiError
	if err := jsonDecode(body, &ae); err != nil || res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
		ae.Code != "busy" || !strings.Contains(ae.Error, "Another glossary import is running") {
		t.Errorf("API import while another runs: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	res, page := ad.upload(t, "/newsroom/glossary/import", nil, map[string]string{"csv": csv})
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "Another glossary import is running") {
		t.Errorf("newsroom import while another runs: %d\n%s", res.StatusCode, excerpt(page, "import"))
	}
	if n := glossaryCount(t, ts); n != 0 {
		t.Errorf("refused imports stored %d entries", n)
	}
	release()
	if res, body := ts.do(t, "POST", "/api/v1/glossary/import", ts.tokens[account.Editor], csv, "Content-Type", "text/csv"); res.StatusCode != http.StatusOK {
		t.Errorf("API import after the other ended: %d %s", res.StatusCode, body)
	}
}
