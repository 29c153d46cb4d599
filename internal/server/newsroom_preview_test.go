package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"broadsheet/internal/store/storetest"
)

// articleElement is the <article> of a reader page, the part the preview
// must draw exactly as the published page does.
var articleElement = regexp.MustCompile(`(?s)<article class="article">.*?</article>`)

// previewForm posts form to the preview as the editor's script does: a
// multipart form.
func (b *staffBrowser) previewMultipart(t *testing.T, form url.Values) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", b.csrf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.ts.URL+"/newsroom/preview", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", "bs_staff="+b.cookie)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, string(out)
}

// The preview of a published article, unchanged, is the published page:
// the same <article> element, byte for byte, so the two cannot drift.
// Only the page around it differs: the banner, noindex, no comments.
func TestNewsroomPreview_isThePublishedPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		f := articleForm("Night buses stay")
		f.Set("body", "The council met on Tuesday.\n\n## What changes\n\n> A quotation.\n\n- one\n- two")
		f.Set("image_url", "/media/demo/assembly.png")
		f.Set("image_alt", "The assembly hall")
		f.Set("image_caption", "The hall on Tuesday")
		f.Set("image_credit", "Desk")
		id := editor.createArticle(t, f)
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		a, err := ts.db.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		_, published := ts.get(t, a.URL())
		form := editor.editorForm(t, id)
		form.Set("article_id", fmt.Sprint(id))
		for name, send := range map[string]func() (*http.Response, string){
			"urlencoded": func() (*http.Response, string) { return editor.post(t, "/newsroom/preview", form) },
			"multipart":  func() (*http.Response, string) { return editor.previewMultipart(t, form) },
		} {
			res, preview := send()
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s preview: %d %s\n%.500s", name, res.StatusCode, res.Header.Get("Content-Type"), preview)
			}
			want, got := articleElement.FindString(published), articleElement.FindString(preview)
			if want == "" || got != want {
				t.Errorf("%s: the preview's article differs from the published page's:\npreview:\n%s\npublished:\n%s", name, got, want)
			}
			for _, must := range []string{`class="preview-banner"`, `<meta name="robots" content="noindex">`, `<base target="_blank">`, "<h2>What changes</h2>"} {
				if !strings.Contains(preview, must) {
					t.Errorf("%s: the preview lacks %s", name, must)
				}
			}
			for _, mustNot := range []string{`id="comments"`, "comments.js", "dictionary.js"} {
				if strings.Contains(preview, mustNot) {
					t.Errorf("%s: the preview has %s", name, mustNot)
				}
			}
			if strings.Contains(published, `class="preview-banner"`) || !strings.Contains(published, `id="comments"`) {
				t.Error("the published page lost its comments or got the banner")
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("%s: Cache-Control %q, want no-store", name, cc)
			}
		}
		// An edit shows in the preview and is not saved.
		form.Set("headline", "Night buses stay, for now")
		if _, preview := editor.post(t, "/newsroom/preview", form); !strings.Contains(preview, "<h1>Night buses stay, for now</h1>") {
			t.Error("the preview does not show the edited headline")
		}
		if b, _ := ts.db.Article(context.Background(), id); b.Headline != "Night buses stay" || b.Version != a.Version {
			t.Errorf("the preview changed the article: %q version %d", b.Headline, b.Version)
		}
	})
}

// A new article, never saved, previews as the page it will be; nothing is
// stored. A figure of an uploaded image gets its srcset in the preview,
// as it does in the body saved.
func TestNewsroomPreview_newArticleWithFigure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		withPhoto := draftWithImage(t, editor, "A draft with a photo")
		photo, err := ts.db.Article(context.Background(), withPhoto)
		if err != nil || photo.LeadImage.Srcset == "" {
			t.Fatalf("the upload has no srcset: %v %+v", err, photo.LeadImage)
		}
		before := ts.countArticles(t)
		f := articleForm("Harbour at dawn")
		f.Set("body", "Boats came in early.\n\n![Boats at the wall]("+photo.LeadImage.URL+" \"Boats at the wall at dawn | Min-ji Park\")\n\n![Elsewhere](https://pictures.example/pier.jpg)")
		f.Set("article_id", "0")
		res, preview := editor.previewMultipart(t, f)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("preview of a new article: %d\n%.500s", res.StatusCode, preview)
		}
		if after := ts.countArticles(t); after != before {
			t.Errorf("the preview stored %d articles", after-before)
		}
		figure := `<figure class="article-figure"><img src="` + photo.LeadImage.URL + `" alt="Boats at the wall" srcset="` + photo.LeadImage.Srcset + `"`
		for _, must := range []string{"<h1>Harbour at dawn</h1>", figure,
			`<figcaption><span class="caption">Boats at the wall at dawn</span><span class="visually-hidden">. </span><span class="credit">Min-ji Park</span></figcaption>`,
			`<img src="https://pictures.example/pier.jpg" alt="Elsewhere" sizes=`, "MINA PARK"} {
			if !strings.Contains(preview, must) {
				t.Errorf("the preview lacks %s\n%s", must, articleElement.FindString(preview))
			}
		}
		// The save stores the same body HTML, srcset and all.
		id := editor.createArticle(t, f)
		saved, err := ts.db.Article(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(saved.BodyHTML, figure) || !strings.Contains(preview, saved.BodyHTML) {
			t.Errorf("the saved body differs from the preview's:\n%s", saved.BodyHTML)
		}
	})
}

// The preview reads a multipart form within the editor form's bounds: a
// body over the article's limit is refused naming it, and a form larger
// than any editor form is cut off while it is read.
func TestNewsroomPreview_multipartBounds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		f := articleForm("Too long")
		f.Set("body", strings.Repeat("The council met again. ", 600<<10/23))
		if res, text := editor.previewMultipart(t, f); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text, "at most 512 KiB") {
			t.Errorf("a body over 512 KiB: %d %.200s, want 422 naming the limit", res.StatusCode, text)
		}
		f = articleForm("Too big")
		f.Set("lead_image_file", strings.Repeat("x", 14<<20))
		if res, _ := editor.previewMultipart(t, f); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a 14 MiB form: %d, want 413", res.StatusCode)
		}
	})
}

// The preview asks the article service as a save does: a reporter cannot
// preview another's draft (not found, as for reading it) nor edit a
// published article (forbidden); moderators do not write.
func TestNewsroomPreview_permissionsAreTheSave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		reporter := ts.signIn(t, "reporter@paper.example")
		moderator := ts.signIn(t, "moderator@paper.example")
		draft := editor.createArticle(t, articleForm("The editor's draft"))
		published := editor.createArticle(t, articleForm("The editor's story"))
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", published), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		own := reporter.createArticle(t, articleForm("The reporter's draft"))
		for _, c := range []struct {
			who  *staffBrowser
			role string
			name string
			id   int64
			want int
		}{
			{reporter, "reporter", "another's draft", draft, http.StatusNotFound},
			{reporter, "reporter", "a published article", published, http.StatusForbidden},
			{reporter, "reporter", "their own draft", own, http.StatusOK},
			{reporter, "reporter", "a new article", 0, http.StatusOK},
			{editor, "editor", "the reporter's draft", own, http.StatusOK},
			{moderator, "moderator", "a new article", 0, http.StatusForbidden},
			{editor, "editor", "an article that does not exist", 99999, http.StatusNotFound},
		} {
			f := articleForm("Previewed")
			f.Set("article_id", fmt.Sprint(c.id))
			res, body := c.who.post(t, "/newsroom/preview", f)
			if res.StatusCode != c.want {
				t.Errorf("%s previewing %s: %d, want %d\n%.300s", c.role, c.name, res.StatusCode, c.want, body)
			}
			if c.want != http.StatusOK && strings.Contains(body, "Previewed") {
				t.Errorf("%s previewing %s: the refusal shows the article", c.role, c.name)
			}
		}
		f := articleForm("No id")
		f.Set("article_id", "twelve")
		if res, _ := editor.post(t, "/newsroom/preview", f); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("article_id twelve: %d, want 422", res.StatusCode)
		}
		if res, _ := ts.postForm(t, "/newsroom/preview", articleForm("Signed out")); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d, want a redirect to the login", res.StatusCode)
		}
	})
}

// A form that could not be saved is refused as plain text naming every
// reason, in the editor's language; a hostile body is drawn harmless.
func TestNewsroomPreview_refusalsAndHostileBody(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		f := articleForm("")
		f.Set("authors", "nobody")
		f.Set("body", strings.Repeat("> ", 150)+"deep")
		res, text := editor.post(t, "/newsroom/preview", f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("unsaveable form: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.Contains(text, "Authors line 1") {
			t.Errorf("the refusal does not name the authors' line:\n%s", text)
		}
		f.Set("authors", "Mina Park <mina.park@paper.example>")
		if res, text = editor.post(t, "/newsroom/preview", f); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(text, "Headline ") || !strings.Contains(text, "Body nests") {
			t.Errorf("unsaveable form: %d\n%s, want the headline and the body named", res.StatusCode, text)
		}
		if _, text := editor.post(t, "/newsroom/preview?lang=ko", f); !strings.Contains(text, "본문") {
			t.Errorf("the Korean editor's refusal is not in Korean:\n%s", text)
		}

		hostile := articleForm(`Headline <script>alert(1)</script>`)
		hostile.Set("deck", `Deck <img src=x onerror=alert(2)>`)
		hostile.Set("body", "<script>alert(3)</script>\n\n<iframe src=javascript:alert(4)></iframe>\n\n[link](javascript:alert(5))\n\n"+
			`![x" onerror="alert(6)](javascript:alert(7) "caption <script>alert(8)</script> | <b onclick=alert(9)>credit</b>")`)
		hostile.Set("image_url", "javascript:alert(10)")
		res, page := editor.post(t, "/newsroom/preview", hostile)
		if res.StatusCode == http.StatusOK {
			if bad := liveMarkup(articleElement.FindString(page)); bad != "" {
				t.Errorf("the preview has live markup: %s", bad)
			}
		} else if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("hostile form: %d, want the page or a refusal", res.StatusCode)
		}
		hostile.Set("image_url", "")
		if res, page = editor.post(t, "/newsroom/preview", hostile); res.StatusCode != http.StatusOK {
			t.Fatalf("hostile body: %d\n%.300s", res.StatusCode, page)
		}
		if bad := liveMarkup(page); bad != "" {
			t.Errorf("the preview has live markup: %s", bad)
		}
		if !strings.Contains(page, `<span class="caption">caption &lt;script&gt;alert(8)&lt;/script&gt;</span>`) {
			t.Errorf("the hostile caption is not shown as text:\n%s", articleElement.FindString(page))
		}
	})
}

// liveMarkup names the first element or attribute in page that could run
// script or load a frame, or is "" when there is none. The page's
// JSON-LD is data, not code.
func liveMarkup(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Key] = strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(a.Key, "on") || ((a.Key == "href" || a.Key == "src") && strings.HasPrefix(attrs[a.Key], "javascript:")) {
					return "attribute " + a.Key + "=" + a.Val + " on " + tok.Data
				}
			}
			switch {
			case tok.Data == "iframe", tok.Data == "object", tok.Data == "embed":
				return "element " + tok.Data
			case tok.Data == "script" && attrs["type"] != "application/ld+json":
				return "element script"
			}
		}
	}
}
