package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// hostileMarkdown are bodies within the size limit whose nesting or marks
// cost goldmark time growing with their square: the first two took 164 s
// and 20 s before they were refused.
var hostileMarkdown = map[string]string{
	"500 KB of block quotes":   strings.Repeat(">", 500_000),
	"60,000 nested list items": strings.Repeat("- ", 60_000),
	"quotes past the limit":    strings.Repeat("> ", article.MaxNesting+1) + "x",
	"lists past the limit":     strings.Repeat("1. ", article.MaxNesting+1) + "x",
	"unpaired emphasis":        strings.Repeat("*a_\n", 3000),
	"longer than 512 KiB":      strings.Repeat("Plain text. ", article.MaxBody/12+1),
}

// Every door that takes article Markdown refuses a hostile body with a 422
// that names the limit, and stores nothing.
func TestAPI_hostileMarkdownIsRefusedAndStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := newTestServer(t, e)
		var saved struct {
			ID int64 `json:"id"`
		}
		if res := ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle("Kept as it was"), &saved); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		before := ts.counts(t)
		kept, _ := ts.db.Article(context.Background(), saved.ID)
		for name, body := range hostileMarkdown {
			a := politicsArticle("Hostile " + name)
			a["body"] = body
			for _, call := range []struct{ method, path string }{
				{"POST", "/api/v1/articles"},
				{"PATCH", fmt.Sprintf("/api/v1/articles/%d", saved.ID)},
			} {
				var got apiError
				res := ts.apiRaw(t, call.method, call.path, a, &got)
				if res.StatusCode != http.StatusUnprocessableEntity || got.Code != "validation_failed" || !strings.Contains(got.Fields["body"], "at most") {
					t.Errorf("%s %s with %s: %d %+v, want 422 naming the limit on body", call.method, call.path, name, res.StatusCode, got)
				}
			}
			var got apiError
			res := ts.apiRaw(t, "PUT", "/api/v1/pages/hostile", map[string]any{"title": "Hostile", "body": body}, &got)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got.Fields["body"], "at most") {
				t.Errorf("PUT a page with %s: %d %+v, want 422 naming the limit on body", name, res.StatusCode, got)
			}
		}
		if after := ts.counts(t); after != before {
			t.Errorf("counts went from %v to %v", before, after)
		}
		if now, _ := ts.db.Article(context.Background(), saved.ID); now.Version != kept.Version || now.Body != kept.Body {
			t.Errorf("the article changed: version %d to %d", kept.Version, now.Version)
		}
		if _, err := ts.db.PageBySlug(context.Background(), "hostile"); err == nil {
			t.Error("a hostile page was stored")
		}
	})
}

// apiRaw is api as an editor, with "<", ">" and "&" sent as themselves, as
// most clients send them, rather than as \u003e: 500 KB of ">" is then
// 500 KB of request.
func (ts *testServer) apiRaw(t *testing.T, method, path string, body map[string]any, out any) *http.Response {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		t.Fatal(err)
	}
	res, text := ts.do(t, method, path, ts.tokens[account.Editor], b.String())
	if err := json.Unmarshal([]byte(text), out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v\n%.300s", method, path, err, text)
	}
	return res
}

func TestNewsroom_hostileMarkdownIsRefusedInFormAndPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		before := ts.countArticles(t)
		for name, body := range hostileMarkdown {
			pf := articleForm("Hostile preview " + name)
			pf.Set("body", body)
			res, text := editor.post(t, "/newsroom/preview", pf)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text, "at most ") {
				t.Errorf("preview of %s: %d %.200s, want 422 naming the limit", name, res.StatusCode, text)
			}
			f := articleForm("Hostile " + name)
			f.Set("body", body)
			f.Set("action", "save")
			res, page := editor.post(t, "/newsroom/articles/new", f)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "at most ") {
				t.Errorf("saving %s: %d, want 422 naming the limit", name, res.StatusCode)
			}
		}
		if after := ts.countArticles(t); after != before {
			t.Errorf("%d articles stored", after-before)
		}
		// A deep but reasonable body still previews.
		ok := strings.Repeat("> ", 10) + "quoted\n\n" + "- a\n  - b\n    - c\n"
		okForm := articleForm("A deep but reasonable body")
		okForm.Set("body", ok)
		if res, text := editor.post(t, "/newsroom/preview", okForm); res.StatusCode != http.StatusOK || !strings.Contains(text, "<blockquote>") {
			t.Errorf("preview of a reasonable body: %d %.200s", res.StatusCode, text)
		}
	})
}
