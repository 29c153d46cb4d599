package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

type glossaryEntryOut struct {
	ID          int64  `json:"id"`
	Headword    string `json:"headword"`
	Lang        string `json:"lang"`
	Translation string `json:"translation"`
	Note        string `json:"note"`
}

type glossaryListOut struct {
	Entries []glossaryEntryOut `json:"entries"`
	Next    string             `json:"next"`
}

type lookupOut struct {
	Query    string `json:"query"`
	Lemma    string `json:"lemma"`
	Glossary []struct {
		Lang        string `json:"lang"`
		Translation string `json:"translation"`
		Note        string `json:"note"`
	} `json:"glossary"`
	Entries []struct {
		POS string `json:"pos"`
	} `json:"entries"`
}

func TestAPI_glossaryLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		var created glossaryEntryOut
		res := ts.api(t, "POST", "/api/v1/glossary", account.Editor,
			map[string]string{"headword": " Denuclearization ", "lang": "KO", "translation": "비핵화", "note": "Of the Korean Peninsula."}, &created)
		if res.StatusCode != http.StatusCreated || created.Headword != "denuclearization" || created.Lang != "ko" {
			t.Fatalf("create: %d %+v, want 201 with the headword in look-up form", res.StatusCode, created)
		}
		if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/glossary/%d", created.ID) {
			t.Errorf("Location: got %q", loc)
		}
		for _, body := range []map[string]string{
			{"headword": "sanction", "lang": "ko", "translation": "제재"},
			{"headword": "sanction", "lang": "ja", "translation": "制裁"},
			{"headword": "sanctions relief", "lang": "ko", "translation": "제재 완화"},
		} {
			if res := ts.api(t, "POST", "/api/v1/glossary", account.Admin, body, nil); res.StatusCode != http.StatusCreated {
				t.Fatalf("create %v: %d", body, res.StatusCode)
			}
		}
		var e409 apiError
		if res := ts.api(t, "POST", "/api/v1/glossary", account.Editor, map[string]string{"headword": "DENUCLEARIZATION", "lang": "ko", "translation": "x"}, &e409); res.StatusCode != http.StatusConflict || e409.Code != "conflict" {
			t.Errorf("same headword and language again: %d %q, want 409 conflict", res.StatusCode, e409.Code)
		}

		// Listing: prefix, language, pages.
		var page glossaryListOut
		ts.api(t, "GET", "/api/v1/glossary?q=Sanc&limit=2", account.Reporter, nil, &page)
		if len(page.Entries) != 2 || page.Entries[0].Lang != "ja" || page.Next == "" {
			t.Fatalf("first page of sanc: %+v, want sanction/ja, sanction/ko and a next cursor", page)
		}
		var page2 glossaryListOut
		ts.api(t, "GET", "/api/v1/glossary?q=Sanc&limit=2&after="+url.QueryEscape(page.Next), account.Reporter, nil, &page2)
		if len(page2.Entries) != 1 || page2.Entries[0].Headword != "sanctions relief" || page2.Next != "" {
			t.Errorf("second page: %+v, want only sanctions relief and no next", page2)
		}
		var ko glossaryListOut
		ts.api(t, "GET", "/api/v1/glossary?lang=ko", account.Reporter, nil, &ko)
		if len(ko.Entries) != 3 {
			t.Errorf("lang=ko: %d entries, want 3", len(ko.Entries))
		}

		path := fmt.Sprintf("/api/v1/glossary/%d", created.ID)
		var changed glossaryEntryOut
		if res := ts.api(t, "PATCH", path, account.Editor, map[string]string{"translation": "한반도 비핵화"}, &changed); res.StatusCode != 200 ||
			changed.Translation != "한반도 비핵화" || changed.Note != "Of the Korean Peninsula." {
			t.Errorf("patch: %d %+v, want the new translation and the note kept", res.StatusCode, changed)
		}
		var got glossaryEntryOut
		if res := ts.api(t, "GET", path, account.Reporter, nil, &got); res.StatusCode != 200 || got.Translation != "한반도 비핵화" {
			t.Errorf("get after patch: %d %+v", res.StatusCode, got)
		}
		if res, _ := ts.do(t, "DELETE", path, ts.tokens[account.Editor], ""); res.StatusCode != http.StatusNoContent {
			t.Errorf("delete: %d, want 204", res.StatusCode)
		}
		if res := ts.api(t, "GET", path, account.Reporter, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("get after delete: %d, want 404", res.StatusCode)
		}
	})
}

func TestAPI_glossaryRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		var entry glossaryEntryOut
		ts.api(t, "POST", "/api/v1/glossary", account.Editor, map[string]string{"headword": "summit", "lang": "ko", "translation": "정상회담"}, &entry)
		path := fmt.Sprintf("/api/v1/glossary/%d", entry.ID)
		csvBody := "headword,lang,translation\nceasefire,ko,휴전\n"
		n := 0
		calls := []struct {
			name                 string
			method, path, ctype  string
			body                 func() string
			reporterMay, editors bool
		}{
			{"list", "GET", "/api/v1/glossary", "", func() string { return "" }, true, true},
			{"get", "GET", path, "", func() string { return "" }, true, true},
			{"export", "GET", "/api/v1/glossary/export", "", func() string { return "" }, true, true},
			{"create", "POST", "/api/v1/glossary", "application/json", func() string {
				n++
				return fmt.Sprintf(`{"headword":"word%d","lang":"ko","translation":"낱말"}`, n)
			}, false, true},
			{"update", "PATCH", path, "application/json", func() string { return `{"note":"n"}` }, false, true},
			{"import", "POST", "/api/v1/glossary/import", "text/csv", func() string { return csvBody }, false, true},
		}
		for _, c := range calls {
			for _, role := range []account.Role{account.Reporter, account.Editor, account.Admin} {
				res, body := ts.do(t, c.method, c.path, ts.tokens[role], c.body(), "Content-Type", c.ctype)
				allowed := c.editors
				if role == account.Reporter {
					allowed = c.reporterMay
				}
				if ok := res.StatusCode < 300; ok != allowed {
					t.Errorf("%s as %s: %d %.120s; allowed = %v", c.name, role, res.StatusCode, body, allowed)
				}
				if !allowed && res.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s: refused with %d, want 403", c.name, role, res.StatusCode)
				}
			}
		}
		if res, _ := ts.do(t, "DELETE", path, ts.tokens[account.Reporter], ""); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete as reporter: %d, want 403", res.StatusCode)
		}
		if res, _ := ts.do(t, "GET", "/api/v1/glossary", "", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("list without a token: %d, want 401", res.StatusCode)
		}
	})
}

// writeGlossaryFiles writes, as an operator would have them, a CSV file
// and a dictd pair (.index and .dict.dz) of words of our own, and returns
// their paths.
func writeGlossaryFiles(t *testing.T) (csvPath, indexPath, dictPath string) {
	t.Helper()
	dir := t.TempDir()
	csvPath = filepath.Join(dir, "glossary.csv")
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll([][]string{
		{"headword", "lang", "translation", "note"},
		{"Denuclearization", "ko", "비핵화", "Used of the Korean Peninsula, as in \"complete denuclearization\"."},
		{"sanction", "ko", "제재", ""},
		{"sanctions relief", "ko", "제재 완화", "Lifting of economic sanctions."},
	})
	if err := os.WriteFile(csvPath, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	defs := [][2]string{
		{"00-database-short", "00-database-short\nTest English-Korean\n"},
		{"00-database-url", "00-database-url\nhttp://paper.test/\n"},
		{"ceasefire", "ceasefire /ˈsiːsfaɪər/\n휴전\n정전\n"},
		{"sanction", "sanction\n제재 조치\n"},
		{"inter-Korean", "inter-Korean\n남북\n"},
	}
	var index, dict strings.Builder
	for _, d := range defs {
		fmt.Fprintf(&index, "%s\t%s\t%s\n", d[0], dictdNumber(dict.Len()), dictdNumber(len(d[1])))
		dict.WriteString(d[1])
	}
	indexPath = filepath.Join(dir, "test-kor.index")
	dictPath = filepath.Join(dir, "test-kor.dict.dz")
	var dz bytes.Buffer
	zw := gzip.NewWriter(&dz)
	_, _ = zw.Write([]byte(dict.String()))
	_ = zw.Close()
	if err := os.WriteFile(indexPath, []byte(index.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dictPath, dz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return csvPath, indexPath, dictPath
}

// dictdNumber writes n in dictd's base 64, most significant digit first.
func dictdNumber(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	out := string(digits[n%64])
	for n /= 64; n > 0; n /= 64 {
		out = string(digits[n%64]) + out
	}
	return out
}

// multipartBody builds a multipart/form-data body of named parts.
func multipartBody(t *testing.T, parts ...[2]string) (body, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var fw io.Writer
		var err error
		if p[0] == "lang" {
			fw, err = mw.CreateFormField(p[0])
		} else {
			fw, err = mw.CreateFormFile(p[0], p[0]+".bin")
		}
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte(p[1]))
	}
	_ = mw.Close()
	return b.String(), mw.FormDataContentType()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type importOut struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

func TestAPI_glossaryImportCSVAndDictdThenExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		csvPath, indexPath, dictPath := writeGlossaryFiles(t)
		tok := ts.tokens[account.Editor]

		res, body := ts.do(t, "POST", "/api/v1/glossary/import", tok, readFile(t, csvPath), "Content-Type", "text/csv; charset=utf-8")
		var got importOut
		if res.StatusCode != 200 || jsonDecode(body, &got) != nil || got != (importOut{Added: 3}) {
			t.Fatalf("CSV import: %d %s, want 200 with 3 added", res.StatusCode, body)
		}
		mp, ctype := multipartBody(t, [2]string{"index", readFile(t, indexPath)}, [2]string{"dict", readFile(t, dictPath)}, [2]string{"lang", "ko"})
		res, body = ts.do(t, "POST", "/api/v1/glossary/import", tok, mp, "Content-Type", ctype)
		if res.StatusCode != 200 || jsonDecode(body, &got) != nil || got != (importOut{Added: 2, Updated: 1}) {
			t.Fatalf("dictd import: %d %s, want 200 with 2 added (ceasefire, inter-korean) and 1 updated (sanction)", res.StatusCode, body)
		}
		// The same file again changes nothing.
		res, body = ts.do(t, "POST", "/api/v1/glossary/import", tok, mp, "Content-Type", ctype)
		if res.StatusCode != 200 || jsonDecode(body, &got) != nil || got != (importOut{Unchanged: 3}) {
			t.Errorf("dictd import again: %d %s, want 3 unchanged", res.StatusCode, body)
		}

		res, exported := ts.do(t, "GET", "/api/v1/glossary/export", tok, "")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(exported)).ReadAll()
		if err != nil {
			t.Fatalf("export is not CSV: %v\n%s", err, exported)
		}
		want := [][]string{
			{"headword", "lang", "translation", "note"},
			{"ceasefire", "ko", "휴전; 정전", "/ˈsiːsfaɪər/"},
			{"denuclearization", "ko", "비핵화", "Used of the Korean Peninsula, as in \"complete denuclearization\"."},
			{"inter-korean", "ko", "남북", ""},
			{"sanction", "ko", "제재 조치", ""},
			{"sanctions relief", "ko", "제재 완화", "Lifting of economic sanctions."},
		}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Errorf("export:\ngot  %q\nwant %q", rows, want)
		}
		// The export imports back unchanged.
		res, body = ts.do(t, "POST", "/api/v1/glossary/import", tok, exported, "Content-Type", "text/csv")
		if res.StatusCode != 200 || jsonDecode(body, &got) != nil || got != (importOut{Unchanged: 5}) {
			t.Errorf("re-import of the export: %d %s, want 5 unchanged", res.StatusCode, body)
		}
	})
}

func TestAPI_glossaryImportRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		_, indexPath, dictPath := writeGlossaryFiles(t)
		index, dict := readFile(t, indexPath), readFile(t, dictPath)
		tok := ts.tokens[account.Editor]
		const header = "headword,lang,translation,note\n"
		mpMissing, ctMissing := multipartBody(t, [2]string{"index", index}, [2]string{"lang", "ko"})
		mpExtra, ctExtra := multipartBody(t, [2]string{"index", index}, [2]string{"dict", dict}, [2]string{"lang", "ko"}, [2]string{"script", "x"})
		mpLang, ctLang := multipartBody(t, [2]string{"index", index}, [2]string{"dict", dict}, [2]string{"lang", "Korean"})
		mpIndex, ctIndex := multipartBody(t, [2]string{"index", "ceasefire\tA\t//\n"}, [2]string{"dict", dict}, [2]string{"lang", "ko"})
		tests := []struct {
			name, body, ctype string
			status            int
			code, want        string // want: in the error or one of its fields
		}{
			{"no content type", header + "a,ko,b,\n", "", 415, "unsupported_media", "text/csv"},
			{"JSON", `{"headword":"a"}`, "application/json", 415, "unsupported_media", "multipart/form-data"},
			{"latin-1 CSV", header, "text/csv; charset=iso-8859-1", 415, "unsupported_media", "UTF-8"},
			{"empty CSV", "", "text/csv", 422, "validation_failed", "empty"},
			{"header only", header, "text/csv", 422, "validation_failed", "no entries"},
			{"no header", "denuclearization,ko,비핵화,\n", "text/csv", 422, "validation_failed", "header"},
			{"bare quote", header + "ok,ko,좋다,\nbad,ko,a \"quoted\" word,\n", "text/csv", 422, "validation_failed", "row 3"},
			{"too few fields", header + "ok,ko\n", "text/csv", 422, "validation_failed", "row 2"},
			{"control character", header + "ok,ko,좋다,\nbell\a,ko,종,\n", "text/csv", 422, "validation_failed", "control characters"},
			{"NUL", header + "nul,ko,a\x00b,\n", "text/csv", 422, "validation_failed", "control characters"},
			{"bad language", header + "ok,Korean,좋다,\n", "text/csv", 422, "validation_failed", "BCP 47"},
			{"missing translation", header + "ok,ko,,\n", "text/csv", 422, "validation_failed", "translation is required"},
			{"repeated row", header + "ok,ko,좋다,\nOK,ko,좋아,\n", "text/csv", 422, "validation_failed", "from row 2"},
			{"invalid UTF-8", header + "ok,ko,\xff\xfe,\n", "text/csv", 422, "validation_failed", "UTF-8"},
			{"multipart without dict", mpMissing, ctMissing, 422, "validation_failed", "dict"},
			{"multipart unknown part", mpExtra, ctExtra, 400, "malformed_request", "script"},
			{"multipart bad lang", mpLang, ctLang, 422, "validation_failed", "BCP 47"},
			{"index past the dict", mpIndex, ctIndex, 422, "validation_failed", "past the end"},
			{"multipart garbage", "not multipart at all", "multipart/form-data; boundary=xyz", 400, "malformed_request", "no parts"},
			{"multipart without boundary", "x", "multipart/form-data", 400, "malformed_request", "multipart"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, body := ts.do(t, "POST", "/api/v1/glossary/import", tok, tt.body, "Content-Type", tt.ctype)
				var e apiError
				if err := jsonDecode(body, &e); err != nil {
					t.Fatalf("answer is not JSON: %v\n%s", err, body)
				}
				if res.StatusCode != tt.status || e.Code != tt.code {
					t.Errorf("got %d %q (%s), want %d %q", res.StatusCode, e.Code, e.Error, tt.status, tt.code)
				}
				if !strings.Contains(body, tt.want) {
					t.Errorf("answer %s does not mention %q", body, tt.want)
				}
			})
		}
		var list glossaryListOut
		ts.api(t, "GET", "/api/v1/glossary", account.Editor, nil, &list)
		if len(list.Entries) != 0 {
			t.Errorf("after refused imports: %d entries stored, want none", len(list.Entries))
		}
	})
}

// endless is a body of n bytes of CSV rows, made as it is read: row, or
// a short one if row is empty.
type endless struct {
	left int
	row  string
}

func (e *endless) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	row := e.row
	if row == "" {
		row = "word,ko,낱말,a note that makes the row longer\n"
	}
	n := 0
	for n+len(row) <= len(p) && e.left > 0 {
		n += copy(p[n:], row)
		e.left -= len(row)
	}
	if n == 0 {
		n = copy(p, row[:len(p)])
		e.left -= n
	}
	return n, nil
}

func TestAPI_glossaryImportBodyLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		tok := ts.tokens[account.Admin]
		post := func(body io.Reader, ctype string) (int, apiError) {
			req, err := http.NewRequest("POST", ts.URL+"/api/v1/glossary/import", body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", ctype)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var ae apiError
			b, _ := io.ReadAll(res.Body)
			if err := jsonDecode(string(b), &ae); err != nil {
				t.Fatalf("answer is not JSON: %v\n%.300s", err, b)
			}
			return res.StatusCode, ae
		}
		// 33 MiB of CSV in rows of 1 KB, made while it is sent: over the
		// 32 MiB limit before the limit of entries.
		long := "word,ko,낱말," + strings.Repeat("n", 1000) + "\n"
		body := io.MultiReader(strings.NewReader("headword,lang,translation,note\n"), &endless{left: 33 << 20, row: long})
		if status, ae := post(body, "text/csv"); status != http.StatusRequestEntityTooLarge || ae.Code != "request_too_large" || !strings.Contains(ae.Error, "33554432") {
			t.Errorf("33 MiB CSV: %d %+v, want 413 naming the limit", status, ae)
		}
		// A small .dict.dz that expands past 128 MiB.
		var member bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
		_, _ = zw.Write(make([]byte, 1<<20))
		_ = zw.Close()
		bomb := bytes.Repeat(member.Bytes(), 129)
		mp, ctype := multipartBody(t, [2]string{"index", "word\tA\tB\n"}, [2]string{"dict", string(bomb)}, [2]string{"lang", "ko"})
		if status, ae := post(strings.NewReader(mp), ctype); status != http.StatusRequestEntityTooLarge || ae.Code != "request_too_large" {
			t.Errorf("dictzip bomb: %d %+v, want 413", status, ae)
		}
		// JSON bodies keep their 1 MiB limit.
		big := `{"headword":"a","lang":"ko","translation":"` + strings.Repeat("가", 1<<19) + `"}`
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/glossary", strings.NewReader(big))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("1.5 MB JSON entry: %d, want 413", res.StatusCode)
		}
	})
}

func TestAPI_glossaryEntryRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		tok := ts.tokens[account.Editor]
		var entry glossaryEntryOut
		ts.api(t, "POST", "/api/v1/glossary", account.Editor, map[string]string{"headword": "summit", "lang": "ko", "translation": "정상회담"}, &entry)
		path := fmt.Sprintf("/api/v1/glossary/%d", entry.ID)
		tests := []struct {
			name, method, path, body, ctype string
			status                          int
			want                            string
		}{
			{"no fields", "POST", "/api/v1/glossary", `{}`, "application/json", 422, `"headword"`},
			{"newline in translation", "POST", "/api/v1/glossary", `{"headword":"a","lang":"ko","translation":"x\ny"}`, "application/json", 422, "control characters"},
			{"NUL", "POST", "/api/v1/glossary", `{"headword":"a","lang":"ko","translation":"x\u0000"}`, "application/json", 422, "NUL"},
			{"overlong headword", "POST", "/api/v1/glossary", `{"headword":"` + strings.Repeat("a", 101) + `","lang":"ko","translation":"x"}`, "application/json", 422, "at most 100"},
			{"unknown field", "POST", "/api/v1/glossary", `{"headword":"a","lang":"ko","translation":"x","html":"<b>"}`, "application/json", 400, "html"},
			{"not JSON", "POST", "/api/v1/glossary", `headword=a`, "application/json", 400, "not valid JSON"},
			{"form content type", "POST", "/api/v1/glossary", `headword=a`, "application/x-www-form-urlencoded", 415, "JSON"},
			{"patch bad language", "PATCH", path, `{"lang":"xx-!!"}`, "application/json", 422, "BCP 47"},
			{"patch missing", "PATCH", "/api/v1/glossary/99999", `{"note":"n"}`, "application/json", 404, "glossary entry"},
			{"patch id not a number", "PATCH", "/api/v1/glossary/abc", `{"note":"n"}`, "application/json", 404, "glossary entry"},
			{"list bad cursor", "GET", "/api/v1/glossary?after=%21%21", "", "", 400, "cursor"},
			{"list bad language", "GET", "/api/v1/glossary?lang=Korean", "", "", 400, "BCP 47"},
			{"list bad limit", "GET", "/api/v1/glossary?limit=0", "", "", 400, "limit"},
			{"list NUL prefix", "GET", "/api/v1/glossary?q=a%00", "", "", 400, "NUL"},
			{"list control character prefix", "GET", "/api/v1/glossary?q=a%09b", "", "", 400, "control characters"},
			{"list invalid UTF-8 prefix", "GET", "/api/v1/glossary?q=%ff", "", "", 400, "UTF-8"},
			{"list long prefix", "GET", "/api/v1/glossary?q=" + strings.Repeat("a", 101), "", "", 400, "at most 100"},
			{"method", "PUT", "/api/v1/glossary/import", "", "", 405, "POST"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res, body := ts.do(t, tt.method, tt.path, tok, tt.body, "Content-Type", tt.ctype)
				if res.StatusCode != tt.status || !strings.Contains(body, tt.want) {
					t.Errorf("got %d %s, want %d mentioning %q", res.StatusCode, body, tt.status, tt.want)
				}
			})
		}
	})
}

func TestDictionary_glossaryFirstInAPIAndPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		lookup := func(q string) (*http.Response, lookupOut, string) {
			res, body := ts.get(t, "/api/v1/dictionary?q="+url.QueryEscape(q))
			var out lookupOut
			_ = jsonDecode(body, &out)
			return res, out, body
		}
		// Before the glossary has the word, WordNet alone answers.
		if _, out, _ := lookup("sanctions"); len(out.Glossary) != 0 || len(out.Entries) == 0 {
			t.Fatalf("sanctions before the glossary: %+v", out)
		}
		// WordNet lacks it: only its analysis into parts answers.
		if res, out, body := lookup("denuclearization"); res.StatusCode != http.StatusOK || len(out.Glossary) != 0 || len(out.Entries) != 0 || !strings.Contains(body, `"analysis"`) {
			t.Fatalf("denuclearization before the glossary: %d %s, want 200 with its analysis alone", res.StatusCode, body)
		}
		csvPath, _, _ := writeGlossaryFiles(t)
		if res, body := ts.do(t, "POST", "/api/v1/glossary/import", ts.tokens[account.Editor], readFile(t, csvPath), "Content-Type", "text/csv"); res.StatusCode != 200 {
			t.Fatalf("import: %d %s", res.StatusCode, body)
		}
		ts.api(t, "POST", "/api/v1/glossary", account.Editor, map[string]string{"headword": "sanctions", "lang": "ja", "translation": "制裁措置"}, nil)

		// The same look-up now answers with the glossary: nothing cached it.
		res, out, body := lookup("Sanctions")
		if res.StatusCode != 200 || len(out.Glossary) != 2 || len(out.Entries) == 0 {
			t.Fatalf("Sanctions: %d %s", res.StatusCode, body)
		}
		if out.Glossary[0].Translation != "制裁措置" || out.Glossary[1].Translation != "제재" {
			t.Errorf("glossary order: got %+v, want the word as typed (sanctions/ja), then its lemma (sanction/ko)", out.Glossary)
		}
		if strings.Index(body, `"glossary"`) > strings.Index(body, `"entries"`) {
			t.Errorf("glossary comes after WordNet's entries in %s", body)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("Cache-Control: got %q, want a one-minute public cache", cc)
		}
		// A word only the glossary knows answers 200.
		res, out, body = lookup("denuclearization,")
		if res.StatusCode != 200 || out.Lemma != "denuclearization" || len(out.Entries) != 0 || len(out.Glossary) != 1 || out.Glossary[0].Translation != "비핵화" {
			t.Errorf("glossary-only word: %d %s", res.StatusCode, body)
		}
		// A phrase only the glossary knows, too.
		if res, out, body = lookup("sanctions relief"); res.StatusCode != 200 || len(out.Glossary) != 1 {
			t.Errorf("glossary-only phrase: %d %s", res.StatusCode, body)
		}

		// The page shows the glossary before WordNet's senses.
		res, page := ts.get(t, "/dictionary?q=sanctions")
		gi, wi := strings.Index(page, "Newsroom glossary"), strings.Index(page, `class="dictionary-entry"`)
		if res.StatusCode != 200 || gi < 0 || wi < 0 || gi > wi || !strings.Contains(page, `lang="ko" class="glossary-translation">제재</dd>`) {
			t.Errorf("/dictionary?q=sanctions: %d, glossary at %d and WordNet at %d; want both, glossary first", res.StatusCode, gi, wi)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=60") {
			t.Errorf("page Cache-Control: got %q, want max-age=60", cc)
		}
		res, page = ts.get(t, "/dictionary?q=denuclearization&lang=ko")
		// The glossary first, then the word's parts (whose meanings are
		// WordNet's, credited as such).
		gi, ai := strings.Index(page, "편집국 용어집"), strings.Index(page, "dictionary-analysis")
		if res.StatusCode != 200 || gi < 0 || ai < gi || !strings.Contains(page, "비핵화") {
			t.Errorf("/dictionary?q=denuclearization: %d; want the glossary entry, then the word's analysis", res.StatusCode)
		}
	})
}

func TestDictionary_glossaryMarkupIsShownAsText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		const script = `<script>alert("x")</script><img src=x onerror=alert(1)>`
		if res := ts.api(t, "POST", "/api/v1/glossary", account.Editor,
			map[string]string{"headword": "summit", "lang": "ko", "translation": script, "note": script}, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		_, page := ts.get(t, "/dictionary?q=summit")
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") {
			t.Error("the page echoes a glossary entry's markup unescaped")
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Error("the page does not show the entry's text, escaped")
		}
		res, body := ts.get(t, "/api/v1/dictionary?q=summit")
		var out lookupOut
		if err := jsonDecode(body, &out); err != nil || len(out.Glossary) != 1 || out.Glossary[0].Translation != script {
			t.Errorf("API: %v %+v, want the text as given, as a JSON string", err, out)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("API answer: Content-Type %q, nosniff %q; want JSON that no browser sniffs as HTML", ct, res.Header.Get("X-Content-Type-Options"))
		}
	})
}
