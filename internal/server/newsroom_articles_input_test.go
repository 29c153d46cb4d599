package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// countArticles is how many articles the database holds, of any status.
func (ts *testServer) countArticles(t *testing.T) int {
	t.Helper()
	n := 0
	var after article.Cursor
	for {
		list, err := ts.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), After: after, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n += len(list)
		if len(list) < 100 {
			return n
		}
		last := list[len(list)-1]
		at := last.PublishedAt
		if at.IsZero() {
			at = last.CreatedAt
		}
		after = article.Cursor{PublishedAt: at, ID: last.ID}
	}
}

// Script typed into every field of the editor is stored as typed and
// shown as text, in the newsroom and on the site.
func TestNewsroomArticles_scriptInEveryFieldIsInert(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		const x = `<script>alert(1)</script>`
		f := articleForm(`Headline ` + x)
		f.Set("deck", `Deck <img src=x onerror=alert(2)>`)
		f.Set("body", "Body "+x+"\n\n<iframe src=javascript:alert(3)></iframe> [link](javascript:alert(4))")
		f.Set("authors", `Mina "<b>" Park <mina.park@paper.example>`)
		f.Set("tags", `Tag `+x)
		f.Set("image_url", "/media/demo/assembly.png")
		f.Set("image_alt", `Alt "><script>alert(5)</script>`)
		f.Set("image_caption", `Caption `+x)
		f.Set("image_credit", `Credit `+x)
		f.Set("seo_title", `SEO `+x)
		f.Set("seo_description", `Description `+x)
		id := editor.createArticle(t, f)
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		a, _ := ts.db.Article(context.Background(), id)
		if a.Headline != `Headline `+x || !strings.Contains(a.Body, x) {
			t.Errorf("not stored as typed: %q", a.Headline)
		}
		_, edit := editor.get(t, fmt.Sprintf("/newsroom/articles/%d", id))
		_, page := ts.get(t, a.URL())
		for name, body := range map[string]string{"editor": edit, "article page": page} {
			for _, bad := range []string{"<script>alert", "<img src=x onerror", "<iframe", `href="javascript:`, `"><script>`} {
				if strings.Contains(body, bad) {
					t.Errorf("the %s has live markup %q", name, bad)
				}
			}
		}
		if !strings.Contains(page, "Headline &lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Error("the headline is not shown as text on the article page")
		}
	})
}

// Bad input is refused with a message per field, and nothing is stored.
func TestNewsroomArticles_badInputIsRefusedAndStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		before := ts.countArticles(t)
		long := strings.Repeat("a", 301)
		cases := []struct {
			name, field, value string
			status             int
			message            string
		}{
			{"empty headline", "headline", "  ", 422, "Headline must not be empty"},
			{"long headline", "headline", long, 422, "Headline must be at most 300 characters"},
			{"empty body", "body", "", 422, "Body must not be empty"},
			{"body over 512 KiB", "body", strings.Repeat("word ", 110_000), 422, "Body is longer than 512 KiB"},
			{"unknown section", "section", "nowhere/at-all", 422, "no section has the path"},
			{"no authors", "authors", "", 422, "must list at least one author"},
			{"a byline without an email", "authors", "Mina Park", 422, "write each author as Name"},
			{"bad slug", "slug", "Not A Slug!", 422, "lower-case letters"},
			{"image without alt", "image_url", "/media/demo/assembly.png", 422, "must describe the image"},
			{"javascript image", "image_url", "javascript:alert(1)", 422, "must be an http(s) URL"},
			{"NUL in the headline", "headline", "a\x00b", 422, "single line"},
			{"invalid UTF-8 deck", "deck", "\xff\xfe", 422, "not valid UTF-8"},
			{"unknown comment mode", "comment_mode", "anything goes", 422, "must be one of the listed modes"},
		}
		for _, c := range cases {
			f := articleForm("A fine headline")
			f.Set(c.field, c.value)
			res, body := editor.post(t, "/newsroom/articles/new", f)
			if res.StatusCode != c.status || !strings.Contains(body, c.message) {
				t.Errorf("%s: %d, want %d with %q", c.name, res.StatusCode, c.status, c.message)
			}
		}
		// A form larger than the editor's limit.
		f := articleForm("Too big")
		f.Set("body", strings.Repeat("x", 3<<20))
		if res, body := editor.post(t, "/newsroom/articles/new", f); res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too large") {
			t.Errorf("oversized form: %d", res.StatusCode)
		}
		// A wrong or missing CSRF token.
		for _, token := range []string{"wrong", ""} {
			f := articleForm("Forged")
			f.Set("csrf", token)
			if res, _ := editor.post(t, "/newsroom/articles/new", f); res.StatusCode != http.StatusForbidden {
				t.Errorf("CSRF %q: %d, want 403", token, res.StatusCode)
			}
		}
		if after := ts.countArticles(t); after != before {
			t.Fatalf("refused forms stored articles: %d before, %d after", before, after)
		}

		// Scheduling in the past or at a time that is not one; corrections
		// empty or too long; publishing an image without alt text.
		id := editor.createArticle(t, articleForm("Schedule me"))
		for _, at := range []string{"2001-01-01T07:00", "tomorrow", "", "99999-01-01T00:00"} {
			res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/schedule", id), url.Values{"publish_at": {at}})
			if res.StatusCode != 422 || !strings.Contains(body, "field-error") {
				t.Errorf("schedule at %q: %d", at, res.StatusCode)
			}
		}
		f = articleForm("Picture without words")
		f.Set("body", "Look: ![](/media/demo/assembly.png)")
		pic := editor.createArticle(t, f)
		if res, body := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", pic), nil); res.StatusCode != 422 || !strings.Contains(body, "every image needs alt text") {
			t.Errorf("publishing an image without alt text: %d", res.StatusCode)
		}
		if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		for _, text := range []string{"   ", strings.Repeat("c", 2001)} {
			if res, _ := editor.post(t, fmt.Sprintf("/newsroom/articles/%d/corrections", id), url.Values{"correction": {text}}); res.StatusCode != 422 {
				t.Errorf("correction of %d characters: %d", len(text), res.StatusCode)
			}
		}
		a, _ := ts.db.Article(context.Background(), id)
		if len(a.Corrections) != 0 || a.Status != article.Published {
			t.Errorf("refused steps changed the article: %+v", a.Corrections)
		}
		for _, path := range []string{"/newsroom/articles/999999", "/newsroom/articles/abc", "/newsroom/articles/999999/revisions"} {
			if res, _ := editor.get(t, path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.StatusCode)
			}
		}
	})
}
