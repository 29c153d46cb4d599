package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"broadsheet/internal/glossary"
	"broadsheet/internal/store/storetest"
)

// upload posts a multipart form with files (field → file content) as a
// browser sends the glossary's import form.
func (b *staffBrowser) upload(t *testing.T, path string, fields map[string]string, files map[string]string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if _, ok := fields["csrf"]; !ok {
		_ = mw.WriteField("csrf", b.csrf)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for k, v := range files {
		fw, err := mw.CreateFormFile(k, k+".file")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte(v))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", b.ts.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", "bs_staff="+b.cookie)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return res, readAll(t, res)
}

func glossaryCount(t *testing.T, ts *testServer) int {
	t.Helper()
	n := 0
	if err := ts.db.EachGlossaryEntry(context.Background(), func(glossary.Entry) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

var glossaryEditLink = regexp.MustCompile(`href="/newsroom/glossary/(\d+)"`)

func TestNewsroom_glossaryAddEditDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ed := ts.signIn(t, "editor@paper.example")

		_, home := ed.get(t, "/newsroom/")
		if !strings.Contains(home, `href="/newsroom/glossary"`) {
			t.Error("the start page has no link to the glossary for an editor")
		}
		res, page := ed.get(t, "/newsroom/glossary")
		if res.StatusCode != 200 || !strings.Contains(page, "Newsroom glossary") || !strings.Contains(page, `action="/newsroom/glossary/import"`) {
			t.Fatalf("glossary page: %d\n%s", res.StatusCode, page)
		}

		// A refused entry is shown again with a message at its field.
		res, page = ed.post(t, "/newsroom/glossary", url.Values{"headword": {"sanctions"}, "lang": {"Korean!"}, "translation": {"제재"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="add-lang-error"`) || !strings.Contains(page, `value="sanctions"`) {
			t.Errorf("bad language: %d, want 422 with the field's error and the typed values\n%s", res.StatusCode, page)
		}
		if n := glossaryCount(t, ts); n != 0 {
			t.Fatalf("a refused entry was stored: %d entries", n)
		}

		res, _ = ed.post(t, "/newsroom/glossary", url.Values{"headword": {" Sanctions "}, "lang": {"ko"}, "translation": {"제재 조치"}, "note": {"Economic."}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/newsroom/glossary") {
			t.Fatalf("add: %d to %q, want 303 to the glossary", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = ed.post(t, "/newsroom/glossary", url.Values{"headword": {"SANCTIONS"}, "lang": {"ko"}, "translation": {"x"}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("same headword and language again: %d, want 409", res.StatusCode)
		}
		_, page = ed.get(t, "/newsroom/glossary?q=Sanc")
		m := glossaryEditLink.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, "제재 조치") {
			t.Fatalf("the search for Sanc does not list the entry\n%s", page)
		}
		id := m[1]

		// Edit on the entry's own page.
		res, page = ed.get(t, "/newsroom/glossary/"+id)
		if res.StatusCode != 200 || !strings.Contains(page, `value="제재 조치"`) {
			t.Fatalf("entry page: %d\n%s", res.StatusCode, page)
		}
		res, page = ed.post(t, "/newsroom/glossary/"+id, url.Values{"headword": {"sanctions"}, "lang": {"ko"}, "translation": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="edit-translation-error"`) {
			t.Errorf("empty translation: %d, want 422 at the field", res.StatusCode)
		}
		res, _ = ed.post(t, "/newsroom/glossary/"+id, url.Values{"headword": {"sanctions"}, "lang": {"ko"}, "translation": {"제재"}, "note": {"Economic measures."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d, want 303", res.StatusCode)
		}

		// The dictionary answers with the glossary first, then WordNet.
		res, body := ts.get(t, "/api/v1/dictionary?q=sanctions")
		var out lookupOut
		_ = jsonDecode(body, &out)
		if res.StatusCode != 200 || len(out.Glossary) != 1 || out.Glossary[0].Translation != "제재" || out.Glossary[0].Note != "Economic measures." {
			t.Fatalf("dictionary after the edit: %d %s", res.StatusCode, body)
		}
		if gi, wi := strings.Index(body, `"glossary"`), strings.Index(body, `"entries"`); gi < 0 || wi < 0 || gi > wi {
			t.Errorf("the glossary is not before WordNet's entries: %s", body)
		}

		// Delete.
		res, _ = ed.post(t, "/newsroom/glossary/"+id+"/delete", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d, want 303", res.StatusCode)
		}
		if res, _ := ed.get(t, "/newsroom/glossary/"+id); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted entry's page: %d, want 404", res.StatusCode)
		}
		_, body = ts.get(t, "/api/v1/dictionary?q=sanctions")
		out = lookupOut{}
		_ = jsonDecode(body, &out)
		if len(out.Glossary) != 0 {
			t.Errorf("dictionary after the delete still has the glossary: %s", body)
		}
	})
}

func TestNewsroom_glossaryImportAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ad := ts.signIn(t, "admin@paper.example")

		good := "headword,lang,translation,note\ndenuclearization,ko,비핵화,Of the Korean Peninsula.\nsanction,ko,제재,\n"
		res, _ := ad.upload(t, "/newsroom/glossary/import", nil, map[string]string{"csv": good})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import: %d, want 303", res.StatusCode)
		}
		_, page := ad.get(t, res.Header.Get("Location"))
		if !strings.Contains(page, "Import done: 2 added, 0 updated, 0 unchanged.") || !strings.Contains(page, "비핵화") {
			t.Errorf("after the import the page does not report it\n%s", page)
		}

		// A bad row refuses the whole file, naming the row.
		bad := "headword,lang,translation\nsanction,ko,제재 조치\nnuclear,ko,\nsummit,ko,정상회담\n"
		res, page = ad.upload(t, "/newsroom/glossary/import", nil, map[string]string{"csv": bad})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Row 3: translation is required") {
			t.Errorf("bad CSV: %d, want 422 naming row 3\n%s", res.StatusCode, page)
		}
		if n := glossaryCount(t, ts); n != 2 {
			t.Errorf("after a refused import the glossary has %d entries, want the 2 it had", n)
		}
		_, body := ts.get(t, "/api/v1/dictionary?q=sanction")
		if strings.Contains(body, "제재 조치") || strings.Contains(body, "정상회담") {
			t.Errorf("the refused import changed the glossary: %s", body)
		}
		if res, _ := ad.upload(t, "/newsroom/glossary/import", nil, nil); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("import without a file: %d, want 422", res.StatusCode)
		}

		// Export.
		res, body = ad.get(t, "/newsroom/glossary/export")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
			!strings.HasPrefix(body, "headword,lang,translation,note\n") || !strings.Contains(body, "denuclearization,ko,비핵화,Of the Korean Peninsula.") {
			t.Errorf("export: %d %q\n%s", res.StatusCode, res.Header.Get("Content-Disposition"), body)
		}
	})
}

func TestNewsroom_glossaryRolesAndCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ed := ts.signIn(t, "editor@paper.example")
		res, _ := ed.post(t, "/newsroom/glossary", url.Values{"headword": {"summit"}, "lang": {"ko"}, "translation": {"정상회담"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d", res.StatusCode)
		}
		_, page := ed.get(t, "/newsroom/glossary")
		id := glossaryEditLink.FindStringSubmatch(page)[1]

		for _, role := range []string{"moderator", "reporter"} {
			b := ts.signIn(t, role+"@paper.example")
			_, home := b.get(t, "/newsroom/")
			if strings.Contains(home, `href="/newsroom/glossary"`) {
				t.Errorf("%s: the start page links to the glossary", role)
			}
			for _, path := range []string{"/newsroom/glossary", "/newsroom/glossary/" + id, "/newsroom/glossary/export"} {
				if res, _ := b.get(t, path); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", role, path, res.StatusCode)
				}
			}
			for _, path := range []string{"/newsroom/glossary", "/newsroom/glossary/" + id, "/newsroom/glossary/" + id + "/delete"} {
				if res, _ := b.post(t, path, url.Values{"headword": {"x"}, "lang": {"ko"}, "translation": {"y"}}); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", role, path, res.StatusCode)
				}
			}
			if res, _ := b.upload(t, "/newsroom/glossary/import", nil, map[string]string{"csv": "headword,lang,translation\nx,ko,y\n"}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s import: %d, want 403", role, res.StatusCode)
			}
		}

		// Without the CSRF token, or with another one, nothing changes.
		for _, tok := range []string{"", "not-the-token"} {
			if res, _ := ed.post(t, "/newsroom/glossary/"+id+"/delete", url.Values{"csrf": {tok}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("delete with csrf %q: %d, want 403", tok, res.StatusCode)
			}
			if res, _ := ed.post(t, "/newsroom/glossary", url.Values{"csrf": {tok}, "headword": {"talks"}, "lang": {"ko"}, "translation": {"회담"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("add with csrf %q: %d, want 403", tok, res.StatusCode)
			}
			if res, _ := ed.upload(t, "/newsroom/glossary/import", map[string]string{"csrf": tok}, map[string]string{"csv": "headword,lang,translation\ntalks,ko,회담\n"}); res.StatusCode != http.StatusForbidden {
				t.Errorf("import with csrf %q: %d, want 403", tok, res.StatusCode)
			}
		}
		if n := glossaryCount(t, ts); n != 1 {
			t.Errorf("the glossary has %d entries, want the 1 the editor added", n)
		}
		if res, _ := ts.get(t, "/newsroom/glossary"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d, want 303 to the login", res.StatusCode)
		}
	})
}
