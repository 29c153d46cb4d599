package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// The API's routes as every role and without a token: each route's role
// rule, and reads of each kind of article target. Every action on an
// article is walked by TestPolicy_bothDoorsAnswerAsTheTable.
func TestAPI_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, eng storetest.Engine) {
		m := newRoleMatrix(t, eng)
		ts := m.ts
		n := 0
		uniq := func(s string) string { n++; return fmt.Sprintf("%s-%d", s, n) }
		type call = matrixCall
		get := func(state article.Status, owner int64) func(*testing.T) call {
			return func(t *testing.T) call {
				return call{api: true, method: "GET", path: fmt.Sprintf("/api/v1/articles/%d", m.target(t, state, owner).ID)}
			}
		}
		api := func(method, path string, body any) call {
			return call{api: true, method: method, path: path, body: body}
		}
		writers, managers, all := statuses(200, 403, 200, 200), statuses(403, 403, 200, 200), statuses(200, 200, 200, 200)
		m.run(t, []roleCase{
			{"list articles", func(*testing.T) call { return api("GET", "/api/v1/articles", nil) }, writers},
			{"create a draft", func(*testing.T) call {
				d := politicsArticle(uniq("draft"))
				d["status"] = "draft"
				return api("POST", "/api/v1/articles", d)
			}, statuses(201, 403, 201, 201)},
			{"create a published article", func(*testing.T) call { return api("POST", "/api/v1/articles", politicsArticle(uniq("pub"))) }, statuses(403, 403, 201, 201)},
			{"get the reporter's draft", get(article.Draft, m.staff[account.Reporter]), statuses(200, 404, 200, 200)},
			{"get another reporter's draft", get(article.Draft, m.other), statuses(404, 404, 200, 200)},
			{"get another reporter's article in review", get(article.Review, m.other), statuses(404, 404, 200, 200)},
			{"get another reporter's scheduled article", get(article.Scheduled, m.other), statuses(404, 404, 200, 200)},
			{"get another reporter's published article", get(article.Published, m.other), all},
			{"list sections", func(*testing.T) call { return api("GET", "/api/v1/sections", nil) }, all},
			{"create section", func(*testing.T) call {
				return api("POST", "/api/v1/sections", map[string]any{"slug": uniq("s"), "name": "New", "parent": "culture"})
			}, statuses(403, 403, 201, 201)},
			{"update section", func(*testing.T) call {
				return api("PATCH", "/api/v1/sections/1", map[string]any{"description": uniq("d")})
			}, managers},
			{"list authors", func(*testing.T) call { return api("GET", "/api/v1/authors", nil) }, all},
			{"create author", func(*testing.T) call {
				return api("POST", "/api/v1/authors", map[string]any{"name": "New Writer", "email": uniq("w") + "@paper.example"})
			}, statuses(403, 403, 201, 201)},
			{"update author", func(*testing.T) call { return api("PATCH", "/api/v1/authors/1", map[string]any{"title": uniq("t")}) }, managers},
			{"list pages", func(*testing.T) call { return api("GET", "/api/v1/pages", nil) }, all},
			{"get page", func(*testing.T) call { return api("GET", "/api/v1/pages/about", nil) }, all},
			{"save page", func(*testing.T) call {
				return api("PUT", "/api/v1/pages/"+uniq("p"), map[string]any{"title": "T", "body": "Text"})
			}, managers},
			{"read settings", func(*testing.T) call { return api("GET", "/api/v1/settings", nil) }, all},
			{"change settings", func(*testing.T) call {
				return api("PATCH", "/api/v1/settings", map[string]any{"site_name": uniq("Paper")})
			}, statuses(403, 403, 403, 200)},
			{"set top stories", func(*testing.T) call {
				return api("PUT", "/api/v1/top-stories", map[string]any{"article_ids": []int64{}})
			}, managers},
			{"moderation queue", func(*testing.T) call { return api("GET", "/api/v1/moderation/queue", nil) }, statuses(403, 200, 200, 200)},
		})
		ownPath := fmt.Sprintf("/api/v1/articles/%d", m.target(t, article.Draft, m.staff[account.Reporter]).ID)
		// Without a token nothing but the OpenAPI document answers.
		for _, p := range []string{"/api/v1/articles", "/api/v1/sections", ownPath} {
			if res, _ := ts.do(t, "GET", p, "", ""); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET %s without a token: %d, want 401", p, res.StatusCode)
			}
		}
		for _, c := range []struct{ method, path, allow string }{
			{"PUT", "/api/v1/articles", "GET, POST"}, {"DELETE", ownPath, "GET, PATCH"}, {"POST", "/api/v1/openapi.json", "GET"},
		} {
			res, _ := ts.do(t, c.method, c.path, ts.tokens[account.Admin], "")
			if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != c.allow {
				t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", c.method, c.path, res.StatusCode, res.Header.Get("Allow"), c.allow)
			}
		}
		if res, _ := ts.do(t, "GET", "/api/v1/openapi.json", "", ""); res.StatusCode != http.StatusOK {
			t.Errorf("openapi.json: %d, want 200", res.StatusCode)
		}
	})
}

func TestAPI_staleVersionIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, eng storetest.Engine) {
		ts := newTestServer(t, eng)
		var a articleOut
		ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle("Versioned"), &a)
		path := fmt.Sprintf("/api/v1/articles/%d", a.ID)
		if res := ts.api(t, "PATCH", path, account.Editor, map[string]any{"deck": "first", "version": a.Version}, nil); res.StatusCode != 200 {
			t.Fatalf("first edit: %d", res.StatusCode)
		}
		var e apiError
		res := ts.api(t, "PATCH", path, account.Admin, map[string]any{"deck": "second", "version": a.Version}, &e)
		if res.StatusCode != http.StatusConflict || e.Code != "conflict" {
			t.Errorf("stale edit: %d %q, want 409 conflict", res.StatusCode, e.Code)
		}
		var got struct {
			Deck string `json:"deck"`
		}
		ts.api(t, "GET", path, account.Editor, nil, &got)
		if got.Deck != "first" {
			t.Errorf("deck = %q after a refused edit, want first", got.Deck)
		}
	})
}

func TestAPI_sectionsLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, eng storetest.Engine) {
		ts := newTestServer(t, eng)
		var s struct {
			ID   int64  `json:"id"`
			Path string `json:"path"`
		}
		res := ts.api(t, "POST", "/api/v1/sections", account.Editor, map[string]any{"slug": "books", "name": "Books", "parent": "culture"}, &s)
		if res.StatusCode != http.StatusCreated || s.Path != "culture/books" {
			t.Fatalf("create section: %d %+v", res.StatusCode, s)
		}
		if res, body := ts.get(t, "/section/culture"); res.StatusCode != 200 || !contains(body, `href="/section/culture/books"`) {
			t.Error("culture front does not list the new child section")
		}
		var e apiError
		for _, tt := range []struct {
			body   map[string]any
			status int
		}{
			{map[string]any{"slug": "books", "name": "Again", "parent": "culture"}, http.StatusConflict},
			{map[string]any{"slug": "Bad Slug!", "name": "X"}, http.StatusUnprocessableEntity},
			{map[string]any{"slug": "orphan", "name": "X", "parent": "nowhere"}, http.StatusUnprocessableEntity},
		} {
			if res := ts.api(t, "POST", "/api/v1/sections", account.Editor, tt.body, &e); res.StatusCode != tt.status {
				t.Errorf("create %v: %d, want %d", tt.body, res.StatusCode, tt.status)
			}
		}
		if res := ts.api(t, "DELETE", "/api/v1/sections/1", account.Editor, nil, &e); res.StatusCode != http.StatusConflict {
			t.Errorf("delete a section in use: %d, want 409", res.StatusCode)
		}
		if res, _ := ts.do(t, "DELETE", fmt.Sprintf("/api/v1/sections/%d", s.ID), ts.tokens[account.Editor], ""); res.StatusCode != http.StatusNoContent {
			t.Errorf("delete an empty section: %d, want 204", res.StatusCode)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
