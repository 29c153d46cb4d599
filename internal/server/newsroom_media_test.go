package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/media"
	"broadsheet/internal/store/storetest"
)

// mediaPost sends the media library's upload as a script (accept
// "application/json") or as the library's form (accept "") does.
func (b *staffBrowser) mediaPost(t *testing.T, path, file string, data []byte, fields map[string]string, accept string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if _, ok := fields["csrf"]; !ok {
		_ = mw.WriteField("csrf", b.csrf)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if data != nil {
		fw, _ := mw.CreateFormFile("image", file)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", "bs_staff="+b.cookie)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, string(out)
}

type mediaAnswer struct {
	ID       int64  `json:"id"`
	URL      string `json:"url"`
	Thumb    string `json:"thumb"`
	Srcset   string `json:"srcset"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Alt      string `json:"alt"`
	Caption  string `json:"caption"`
	Credit   string `json:"credit"`
	Markdown string `json:"markdown"`
	Uses     int    `json:"uses"`
	Message  string `json:"message"`
}

// mediaUploadJSON uploads a photo as the editor's script does and returns
// the answer, failing the test unless it is 201.
func (b *staffBrowser) mediaUploadJSON(t *testing.T, d media.Details) mediaAnswer {
	t.Helper()
	res, body := b.mediaPost(t, "/newsroom/media", "photo.jpg", testJPEG(t, 700, 500),
		map[string]string{"alt": d.Alt, "caption": d.Caption, "credit": d.Credit}, "application/json")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d\n%s", res.StatusCode, body)
	}
	var a mediaAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("upload answer %q: %v", body, err)
	}
	return a
}

// mediaFileCount counts the files of uploaded images on disk.
func mediaFileCount(ts *testServer) int {
	n := 0
	_ = filepath.Walk(filepath.Join(ts.mediaDir, "u"), func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func imageCount(t *testing.T, ts *testServer) int {
	t.Helper()
	list, err := ts.db.Images(context.Background(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// A script's upload answers with the image as the editor needs it, and a
// form's is sent to the image's page; both keep the details and write an
// audit entry.
func TestNewsroomMedia_uploadJSONAndForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		reporter := ts.signIn(t, "reporter@paper.example")
		d := media.Details{Alt: `A gull on the "pier" rail`, Caption: "Morning at the pier", Credit: "Mina Park"}
		a := reporter.mediaUploadJSON(t, d)
		if !strings.HasPrefix(a.URL, "/media/u/") || !strings.HasSuffix(a.URL, "/640.jpg") || a.Width != 700 || a.Height != 500 {
			t.Errorf("answer: %+v", a)
		}
		if !strings.Contains(a.Srcset, "320w") || !strings.HasSuffix(a.Thumb, "/320.jpg") {
			t.Errorf("srcset %q, thumb %q", a.Srcset, a.Thumb)
		}
		if want := `![A gull on the "pier" rail](` + a.URL + ` "Morning at the pier | Mina Park")`; a.Markdown != want {
			t.Errorf("markdown:\n got %s\nwant %s", a.Markdown, want)
		}
		im, err := ts.db.Image(context.Background(), a.ID)
		if err != nil || im.Details != d {
			t.Errorf("stored: %+v, %v", im.Details, err)
		}
		res, err := http.Get(ts.URL + a.URL)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("the image's file: %v %v", res, err)
		}
		res.Body.Close()

		// The editor uploads before asking for the alt text; a form asks
		// for it with the file.
		if noAlt := reporter.mediaUploadJSON(t, media.Details{}); noAlt.Alt != "" || noAlt.Markdown != "![]("+noAlt.URL+")" {
			t.Errorf("a script's upload without details: %+v", noAlt)
		}
		res, body := reporter.mediaPost(t, "/newsroom/media", "photo.jpg", testJPEG(t, 400, 300), map[string]string{"caption": "x"}, "")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Alt text is needed.") {
			t.Errorf("form without alt text: %d\n%s", res.StatusCode, body)
		}
		res, body = reporter.mediaPost(t, "/newsroom/media?lang=ko", "photo.jpg", testJPEG(t, 400, 300), nil, "")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "대체 텍스트") || !strings.Contains(body, "입력해 주세요") {
			t.Errorf("Korean form without alt text: %d\n%s", res.StatusCode, body)
		}
		res, body = reporter.mediaPost(t, "/newsroom/media", "photo.jpg", testJPEG(t, 400, 300), map[string]string{"alt": "A bus at night"}, "")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/newsroom/media/") {
			t.Fatalf("form upload: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		res, body = reporter.get(t, res.Header.Get("Location"))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="A bus at night"`) || !strings.Contains(body, "No article or page uses this image.") {
			t.Errorf("the image's page: %d\n%s", res.StatusCode, body)
		}
		if n := imageCount(t, ts); n != 3 {
			t.Errorf("%d images stored, want 3", n)
		}
		uploads := 0
		for _, en := range auditLog(t, ts) {
			if en.Action == "image.upload" && en.TargetType == "image" {
				uploads++
			}
		}
		if uploads != 3 {
			t.Errorf("%d upload audit entries, want 3", uploads)
		}

		_, body = reporter.get(t, "/newsroom/media")
		for _, want := range []string{`A gull on the &#34;pier&#34; rail`, "Morning at the pier", "Mina Park", "700 × 500", "Used in 0 articles or pages", "(no alt text)", "reporter"} {
			if !strings.Contains(body, want) {
				t.Errorf("the library page lacks %q", want)
			}
		}
	})
}

// Every refused upload is a 4xx (or 503) with a sentence in the page's
// language, and stores nothing.
func TestNewsroomMedia_uploadRefusals(t *testing.T) {
	// A site of its own.
	t.Parallel()
	ts := staffTestServer(t, storetest.Engines(t)[0]) // the store is not what this tests
	reporter := ts.signIn(t, "reporter@paper.example")
	photo := testJPEG(t, 400, 300)
	ok := map[string]string{"alt": "A tram in the rain"}
	cases := []struct {
		name    string
		path    string
		file    string
		data    []byte
		fields  map[string]string
		status  int
		message string
	}{
		{"over 10 MB", "/newsroom/media", "big.jpg", bytes.Repeat([]byte{0xFF}, 11<<20), ok, 413, "larger than 10 MB"},
		{"over 10 MB, Korean", "/newsroom/media?lang=ko", "big.jpg", bytes.Repeat([]byte{0xFF}, 11<<20), ok, 413, "10MB"},
		{"just over the library's limit", "/newsroom/media", "big.jpg", append(bytes.Repeat([]byte{0xFF}, 10<<20), 0), ok, 413, "larger than 10 MB"},
		{"HTML named .jpg", "/newsroom/media", "photo.jpg", []byte("<html><script>alert(1)</script></html>"), ok, 415, "Only JPEG, PNG and WebP"},
		{"not an image, Korean", "/newsroom/media?lang=ko", "photo.jpg", []byte("plain text"), ok, 415, "이미지만 올릴 수 있습니다"},
		{"decompression bomb", "/newsroom/media", "bomb.png", pngClaiming(100000, 100000), ok, 422, "too many pixels"},
		{"damaged JPEG", "/newsroom/media", "half.jpg", photo[:len(photo)/2], ok, 422, "could not be read"},
		{"no file", "/newsroom/media", "", nil, ok, 422, "Choose an image file"},
		{"alt text too long", "/newsroom/media", "photo.jpg", photo, map[string]string{"alt": strings.Repeat("가", media.MaxAlt+1)}, 422, "at most 1000 characters"},
		{"caption too long", "/newsroom/media", "photo.jpg", photo, map[string]string{"alt": "x", "caption": strings.Repeat("a", media.MaxCaption+1)}, 422, "Caption may be at most 1000"},
		{"credit too long, Korean", "/newsroom/media?lang=ko", "photo.jpg", photo, map[string]string{"alt": "x", "credit": strings.Repeat("a", media.MaxCredit+1)}, 422, "출처는 120자까지"},
		{"caption on two lines", "/newsroom/media", "photo.jpg", photo, map[string]string{"alt": "x", "caption": "one\ntwo"}, 422, "single line"},
		{"alt text not UTF-8", "/newsroom/media", "photo.jpg", photo, map[string]string{"alt": "\xff\xfe"}, 422, "single line"},
		{"wrong CSRF", "/newsroom/media", "photo.jpg", photo, map[string]string{"alt": "x", "csrf": "forged"}, 403, "This form expired"},
	}
	for _, c := range cases {
		for _, accept := range []string{"application/json", ""} {
			res, body := reporter.mediaPost(t, c.path, c.file, c.data, c.fields, accept)
			if res.StatusCode != c.status || !strings.Contains(body, c.message) {
				t.Errorf("%s (accept %q): got %d, want %d with %q\n%.600s", c.name, accept, res.StatusCode, c.status, c.message, body)
			}
			if accept != "" {
				var a mediaAnswer
				if err := json.Unmarshal([]byte(body), &a); err != nil || a.Message == "" {
					t.Errorf("%s: the refusal is not {\"message\"}: %.300s", c.name, body)
				}
			}
		}
	}
	if n, f := imageCount(t, ts), mediaFileCount(ts); n != 0 || f != 0 {
		t.Errorf("refused uploads stored %d images and %d files", n, f)
	}
	// A moderator does not write: no upload, no library.
	mod := ts.signIn(t, "moderator@paper.example")
	if res, body := mod.mediaPost(t, "/newsroom/media", "photo.jpg", photo, ok, "application/json"); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "message") {
		t.Errorf("moderator's upload: %d %s", res.StatusCode, body)
	}
	if res, _ := mod.get(t, "/newsroom/media"); res.StatusCode != http.StatusForbidden {
		t.Errorf("moderator's library: %d", res.StatusCode)
	}
}

// Reporters change only their own images; editors any. An image that an
// article or page shows is not deleted, and nothing of it goes; an unused
// one goes with its files.
func TestNewsroomMedia_editAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		if _, err := ts.db.EnsureStaff(ctx, account.Staff{Email: "reporter2@paper.example", Name: "Second reporter", Role: account.Reporter}); err != nil {
			t.Fatal(err)
		}
		ts.setPassword(t, "reporter2@paper.example")
		reporter, other := ts.signIn(t, "reporter@paper.example"), ts.signIn(t, "reporter2@paper.example")
		editor := ts.signIn(t, "editor@paper.example")
		lead := reporter.mediaUploadJSON(t, media.Details{Alt: "Lead photo"})
		inBody := reporter.mediaUploadJSON(t, media.Details{Alt: "Body photo"})
		unused := reporter.mediaUploadJSON(t, media.Details{Alt: "Spare photo"})
		path := func(id int64, rest string) string { return fmt.Sprintf("/newsroom/media/%d%s", id, rest) }

		// Another reporter may neither edit nor delete.
		res, body := other.post(t, path(unused.ID, ""), url.Values{"alt": {"Hijacked"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only the reporter who uploaded this image") {
			t.Errorf("another reporter's edit: %d\n%.400s", res.StatusCode, body)
		}
		res, _ = other.post(t, path(unused.ID, "/delete"), nil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("another reporter's delete: %d", res.StatusCode)
		}
		if _, body := other.get(t, path(unused.ID, "")); strings.Contains(body, "Delete this image") || strings.Contains(body, `name="alt"`) {
			t.Error("another reporter's view of the image offers to change it")
		}
		// The uploader edits; too long a field is refused in Korean.
		res, body = reporter.post(t, path(unused.ID, "?lang=ko"), url.Values{"alt": {strings.Repeat("a", media.MaxAlt+1)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "1000자까지") {
			t.Errorf("too long alt text: %d\n%.400s", res.StatusCode, body)
		}
		res, _ = reporter.post(t, path(unused.ID, ""), url.Values{"alt": {"Spare photo of the quay"}, "caption": {"The quay"}, "credit": {"Staff"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("the uploader's edit: %d", res.StatusCode)
		}
		// An editor edits anyone's image.
		res, _ = editor.post(t, path(lead.ID, ""), url.Values{"alt": {"Lead photo of the harbour"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("the editor's edit: %d", res.StatusCode)
		}
		if im, _ := ts.db.Image(ctx, unused.ID); im.Details != (media.Details{Alt: "Spare photo of the quay", Caption: "The quay", Credit: "Staff"}) {
			t.Errorf("edited details: %+v", im.Details)
		}

		form := articleForm("Harbour works begin")
		form.Set("image_url", lead.URL)
		form.Set("image_alt", "Lead photo")
		leadArticle := editor.createArticle(t, form)
		form = articleForm("Quay reopens")
		form.Set("body", "The quay reopened.\n\n![Body photo]("+inBody.URL+` "Caption | Credit")`+"\n")
		bodyArticle := editor.createArticle(t, form)

		for _, c := range []struct {
			im      mediaAnswer
			article int64
			title   string
		}{{lead, leadArticle, "Harbour works begin"}, {inBody, bodyArticle, "Quay reopens"}} {
			files := mediaFileCount(ts)
			res, body := editor.post(t, path(c.im.ID, "/delete"), nil)
			if res.StatusCode != http.StatusConflict || !strings.Contains(body, "This image was not deleted") ||
				!strings.Contains(body, fmt.Sprintf(`/newsroom/articles/%d">%s</a>`, c.article, c.title)) {
				t.Errorf("delete of an image in use: %d\n%.1500s", res.StatusCode, body)
			}
			if _, err := ts.db.Image(ctx, c.im.ID); err != nil {
				t.Errorf("the refused delete deleted the row: %v", err)
			}
			if n := mediaFileCount(ts); n != files {
				t.Errorf("the refused delete left %d files of %d", n, files)
			}
			res, body = reporter.post(t, path(c.im.ID, "/delete?lang=ko"), nil)
			if res.StatusCode != http.StatusConflict || !strings.Contains(body, "이미지를 삭제하지 않았습니다") {
				t.Errorf("Korean refusal: %d\n%.600s", res.StatusCode, body)
			}
			req, _ := http.NewRequest("POST", ts.URL+path(c.im.ID, "/delete"), strings.NewReader(url.Values{"csrf": {editor.csrf}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", "bs_staff="+editor.cookie)
			req.Header.Set("Accept", "application/json")
			jres, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			jb, _ := io.ReadAll(jres.Body)
			jres.Body.Close()
			if jres.StatusCode != http.StatusConflict || !strings.Contains(string(jb), `"message"`) {
				t.Errorf("a script's delete of an image in use: %d %s", jres.StatusCode, jb)
			}
		}
		_, body = editor.get(t, path(lead.ID, ""))
		if !strings.Contains(body, fmt.Sprintf(`/newsroom/articles/%d">Harbour works begin</a>`, leadArticle)) {
			t.Errorf("the image's page does not list the article using it:\n%.1500s", body)
		}
		_, body = editor.get(t, "/newsroom/media")
		if !strings.Contains(body, "Used in 1 article or page") {
			t.Error("the library does not count the uses")
		}

		files := mediaFileCount(ts)
		res, _ = reporter.post(t, path(unused.ID, "/delete"), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/newsroom/media?deleted=1" {
			t.Fatalf("delete of an unused image: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if _, err := ts.db.Image(ctx, unused.ID); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("the deleted image's row: %v", err)
		}
		if n := mediaFileCount(ts); n >= files {
			t.Errorf("%d files before the delete, %d after", files, n)
		}
		if res, err := http.Get(ts.URL + unused.URL); err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("the deleted image's file answers %d", res.StatusCode)
			}
		}
		if res, _ := reporter.get(t, path(unused.ID, "")); res.StatusCode != http.StatusNotFound {
			t.Errorf("the deleted image's page: %d", res.StatusCode)
		}
		// An article saved with the deleted image is refused, not left
		// showing a broken image.
		form = articleForm("Quay photo gone")
		form.Set("image_url", unused.URL)
		form.Set("image_alt", "Spare photo")
		res, body = editor.post(t, "/newsroom/articles/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "may have been deleted") {
			t.Errorf("an article with a deleted image: %d\n%.600s", res.StatusCode, body)
		}
		// So is a body whose figure shows it, naming the body.
		form = articleForm("Quay photo gone from the text")
		form.Set("body", "The quay before the works.\n\n![The quay]("+unused.URL+" \"The quay | Desk\")\n")
		res, body = editor.post(t, "/newsroom/articles/new", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="body-error"`) || !strings.Contains(body, "may have been deleted") {
			t.Errorf("an article whose body shows a deleted image: %d\n%.3000s", res.StatusCode, body)
		}
		actions := map[string]int{}
		for _, en := range auditLog(t, ts) {
			if en.TargetType == "image" {
				actions[en.Action]++
			}
		}
		if actions["image.edit"] != 2 || actions["image.delete"] != 1 {
			t.Errorf("image audit entries: %v", actions)
		}
	})
}

// The library pages through its images newest first and searches their
// details; bad searches and page numbers are refused.
func TestNewsroomMedia_searchAndPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		for i := range media.PageSize + 2 {
			im := media.Image{Key: fmt.Sprintf("u/%04x", i), Ext: "jpg", Width: 800, Height: 600, Widths: []int{320, 640, 800},
				ContentType: "image/jpeg", Bytes: 1000, CreatedAt: base.Add(time.Duration(i) * time.Minute),
				Details: media.Details{Alt: fmt.Sprintf("Photo number %d", i), Caption: "Ordinary"}}
			if i == 3 {
				im.Details.Caption = "The lighthouse at Sokcho"
			}
			if err := ts.db.CreateImage(ctx, &im); err != nil {
				t.Fatal(err)
			}
		}
		b := ts.signIn(t, "reporter@paper.example")
		list := func(q string) (int, struct {
			Images []mediaAnswer `json:"images"`
			Next   int           `json:"next"`
			Msg    string        `json:"message"`
		}) {
			t.Helper()
			res, body := b.get(t, "/newsroom/media.json?"+q)
			var out struct {
				Images []mediaAnswer `json:"images"`
				Next   int           `json:"next"`
				Msg    string        `json:"message"`
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatalf("media.json?%s: %v\n%s", q, err, body)
			}
			return res.StatusCode, out
		}
		st, p1 := list("")
		if st != 200 || len(p1.Images) != media.PageSize || p1.Next != 2 || p1.Images[0].Alt != fmt.Sprintf("Photo number %d", media.PageSize+1) {
			t.Errorf("first page: %d, %d images, next %d", st, len(p1.Images), p1.Next)
		}
		st, p2 := list("page=2")
		if st != 200 || len(p2.Images) != 2 || p2.Next != 0 || p2.Images[1].Alt != "Photo number 0" {
			t.Errorf("second page: %d, %+v", st, p2)
		}
		st, hit := list("q=LIGHTHOUSE")
		if st != 200 || len(hit.Images) != 1 || hit.Images[0].Alt != "Photo number 3" {
			t.Errorf("search: %d, %+v", st, hit)
		}
		for _, q := range []string{"page=0", "page=abc", fmt.Sprintf("page=%d", media.MaxPage+1), "q=" + strings.Repeat("x", media.MaxSearch+1)} {
			if st, out := list(q); st != http.StatusBadRequest || out.Msg == "" {
				t.Errorf("media.json?%s: %d %+v", q, st, out)
			}
		}
		res, body := b.get(t, "/newsroom/media?q=lighthouse")
		if res.StatusCode != 200 || !strings.Contains(body, "The lighthouse at Sokcho") || strings.Contains(body, "Photo number 4") {
			t.Errorf("the library's search: %d", res.StatusCode)
		}
		res, body = b.get(t, "/newsroom/media")
		if !strings.Contains(body, `href="/newsroom/media?page=2"`) {
			t.Errorf("the library's first page has no link to the next: %d", res.StatusCode)
		}
		res, body = b.get(t, "/newsroom/media?page=abc&lang=ko")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "쪽 번호는 1부터") {
			t.Errorf("bad page number: %d\n%.500s", res.StatusCode, body)
		}
		res, body = b.get(t, "/newsroom/media?q="+strings.Repeat("x", media.MaxSearch+1))
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "at most 100 characters") {
			t.Errorf("too long a search: %d", res.StatusCode)
		}
	})
}

// An image too big to resize within the memory budget, and any upload
// while the budget is taken, are refused in the page's language; busy
// asks to come back later.
func TestNewsroomMedia_memoryAndBusyRefusals(t *testing.T) {
	t.Parallel() // a site, and so a memory budget, of its own
	ts := staffTestServer(t, storetest.Engines(t)[0], func(c *config.Config) { c.ImageWait = 50 * time.Millisecond })
	reporter := ts.signIn(t, "reporter@paper.example")
	ok := map[string]string{"alt": "A scanned map"}
	res, body := reporter.mediaPost(t, "/newsroom/media?lang=ko", "scan.png", png16Claiming(6300, 6300), ok, "application/json")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "메모리가 너무 많이") {
		t.Errorf("16-bit 6300×6300 PNG: %d %s", res.StatusCode, body)
	}
	release, err := ts.site.Images.Reserve(context.Background(), 256<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	for _, c := range []struct{ path, want string }{
		{"/newsroom/media", "busy resizing other images. Try again in 30 seconds"},
		{"/newsroom/media?lang=ko", "30초 뒤에 다시 시도해 주세요"},
	} {
		res, body := reporter.mediaPost(t, c.path, "photo.jpg", testJPEG(t, 400, 300), ok, "application/json")
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "30" || !strings.Contains(body, c.want) {
			t.Errorf("%s with the budget taken: %d (Retry-After %q) %s", c.path, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	}
	if n := imageCount(t, ts); n != 0 {
		t.Errorf("refused uploads stored %d images", n)
	}
}

// A reporter sees, of an image's uses, only the articles the article
// policy lets them read; the others are a count, in their language. The
// delete is still refused while an article they cannot see uses it, and
// the refusal does not name it.
func TestNewsroomMedia_usesHideUnreadableArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		if _, err := ts.db.EnsureStaff(ctx, account.Staff{Email: "reporter2@paper.example", Name: "Second reporter", Role: account.Reporter}); err != nil {
			t.Fatal(err)
		}
		ts.setPassword(t, "reporter2@paper.example")
		reporter, other := ts.signIn(t, "reporter@paper.example"), ts.signIn(t, "reporter2@paper.example")
		photo := reporter.mediaUploadJSON(t, media.Details{Alt: "Ferry at dawn"})
		secret := "Secret ferry plan draft"
		form := articleForm(secret)
		form.Set("image_url", photo.URL)
		form.Set("image_alt", "Ferry at dawn")
		draft := other.createArticle(t, form)
		form = articleForm("My own ferry note")
		form.Set("body", "The ferry ran.\n\n![Ferry at dawn]("+photo.URL+` "Dawn | Staff")`+"\n")
		mine := reporter.createArticle(t, form)
		path := fmt.Sprintf("/newsroom/media/%d", photo.ID)

		_, body := reporter.get(t, path)
		if strings.Contains(body, secret) || strings.Contains(body, fmt.Sprintf("/newsroom/articles/%d\"", draft)) {
			t.Errorf("the reporter sees another reporter's draft:\n%.3000s", body)
		}
		if !strings.Contains(body, fmt.Sprintf(`/newsroom/articles/%d">My own ferry note</a>`, mine)) ||
			!strings.Contains(body, "and 1 other article or page you cannot open") {
			t.Errorf("the reporter's view of the uses:\n%.3000s", body)
		}
		if _, body := reporter.get(t, path+"?lang=ko"); !strings.Contains(body, "열어 볼 수 없는 기사·페이지 1곳") {
			t.Errorf("Korean count of hidden uses:\n%.3000s", body)
		}
		// The draft's writer sees it.
		if _, body := other.get(t, path); !strings.Contains(body, secret) {
			t.Errorf("the writer does not see their own draft:\n%.3000s", body)
		}

		// Only the hidden draft uses it now; the delete is still refused.
		edit := reporter.editorForm(t, mine)
		edit.Set("body", "The ferry ran.")
		if res, body := reporter.post(t, fmt.Sprintf("/newsroom/articles/%d", mine), edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("removing the figure: %d\n%.600s", res.StatusCode, body)
		}
		res, body := reporter.post(t, path+"/delete", nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "This image was not deleted") ||
			strings.Contains(body, secret) || !strings.Contains(body, "Used by 1 article or page you cannot open") {
			t.Errorf("delete of an image used by a hidden draft: %d\n%.3000s", res.StatusCode, body)
		}
		if _, err := ts.db.Image(ctx, photo.ID); err != nil {
			t.Errorf("the refused delete deleted the row: %v", err)
		}
	})
}

// A lead image uploaded with the editor's form, without JavaScript, goes
// into the media library as the library's own uploads do: with the
// form's alt text, caption and credit as its details and in its audit
// entry, and refused in the editor's language.
func TestNewsroomMedia_editorLeadImageUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		editor := ts.signIn(t, "editor@paper.example")
		id := editor.createArticle(t, articleForm("Harbour lights return"))
		res, body := editor.uploadImage(t, id, 1, "photo.jpg", testJPEG(t, 800, 600),
			map[string]string{"alt": "Lights along the harbour wall", "caption": "The harbour at dusk", "credit": "Desk photo"})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("lead image upload: %d\n%.600s", res.StatusCode, body)
		}
		ims, err := ts.db.SearchImages(ctx, media.ListQuery{Text: "harbour wall"})
		if err != nil || len(ims) != 1 {
			t.Fatalf("the library's images: %v, %v", ims, err)
		}
		want := media.Details{Alt: "Lights along the harbour wall", Caption: "The harbour at dusk", Credit: "Desk photo"}
		if ims[0].Details != want {
			t.Errorf("the uploaded image's details: %+v, want %+v", ims[0].Details, want)
		}
		found := false
		for _, en := range auditLog(t, ts) {
			if en.Action == "image.upload" && en.TargetID == ims[0].ID {
				found = strings.Contains(en.After, `"caption":"The harbour at dusk"`) && strings.Contains(en.After, `"credit":"Desk photo"`)
			}
		}
		if !found {
			t.Error("the upload's audit entry lacks the image's details")
		}

		form := url.Values{}
		if a, err := ts.db.Article(ctx, id); err == nil {
			form = articleValues(t, ts, a)
		}
		form.Set("csrf", editor.csrf)
		form.Set("image_alt", "Not a photo")
		res, body = editor.postMultipart(t, fmt.Sprintf("/newsroom/articles/%d?lang=ko", id), form, "notes.txt", []byte("just some text, no image"))
		if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, "JPEG, PNG, WebP 이미지만 올릴 수 있습니다") {
			t.Errorf("a refused lead image for a Korean editor: %d\n%.3000s", res.StatusCode, body)
		}
	})
}
