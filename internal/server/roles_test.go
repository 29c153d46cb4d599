package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// Every API route, called as every role, answers what the role allows.
func TestAPI_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, eng storetest.Engine) {
		ts := newTestServer(t, eng)
		draft := politicsArticle("Reporter draft")
		draft["status"] = "draft"
		var own articleOut
		if res := ts.api(t, "POST", "/api/v1/articles", account.Reporter, draft, &own); res.StatusCode != http.StatusCreated {
			t.Fatalf("reporter draft: %d, want 201", res.StatusCode)
		}
		var others articleOut
		ts.api(t, "POST", "/api/v1/articles", account.Editor, politicsArticle("Editor story"), &others)
		ownPath, othersPath := fmt.Sprintf("/api/v1/articles/%d", own.ID), fmt.Sprintf("/api/v1/articles/%d", others.ID)

		type call struct {
			method, path string
			body         any
		}
		allowed := func(r ...account.Role) map[account.Role]bool {
			m := map[account.Role]bool{}
			for _, x := range r {
				m[x] = true
			}
			return m
		}
		all, managers := allowed(account.Reporter, account.Editor, account.Admin), allowed(account.Editor, account.Admin)
		n := 0
		uniq := func(s string) string { n++; return fmt.Sprintf("%s-%d", s, n) }
		tests := []struct {
			name  string
			call  func() call
			allow map[account.Role]bool
		}{
			{"list articles", func() call { return call{"GET", "/api/v1/articles", nil} }, all},
			{"get article", func() call { return call{"GET", othersPath, nil} }, all},
			{"create draft", func() call {
				d := politicsArticle(uniq("draft"))
				d["status"] = "draft"
				return call{"POST", "/api/v1/articles", d}
			}, all},
			{"create published", func() call { return call{"POST", "/api/v1/articles", politicsArticle(uniq("pub"))} }, managers},
			{"edit own draft", func() call { return call{"PATCH", ownPath, map[string]any{"deck": uniq("deck")}} }, all},
			{"edit another's article", func() call { return call{"PATCH", othersPath, map[string]any{"deck": uniq("deck")}} }, managers},
			{"publish", func() call { return call{"POST", othersPath + "/publish", nil} }, managers},
			{"unpublish", func() call { return call{"POST", othersPath + "/unpublish", nil} }, managers},
			{"list sections", func() call { return call{"GET", "/api/v1/sections", nil} }, all},
			{"create section", func() call {
				return call{"POST", "/api/v1/sections", map[string]any{"slug": uniq("s"), "name": "New", "parent": "culture"}}
			}, managers},
			{"update section", func() call { return call{"PATCH", "/api/v1/sections/1", map[string]any{"description": uniq("d")}} }, managers},
			{"list authors", func() call { return call{"GET", "/api/v1/authors", nil} }, all},
			{"create author", func() call {
				return call{"POST", "/api/v1/authors", map[string]any{"name": "New Writer", "email": uniq("w") + "@paper.example"}}
			}, managers},
			{"update author", func() call { return call{"PATCH", "/api/v1/authors/1", map[string]any{"title": uniq("t")}} }, managers},
			{"list pages", func() call { return call{"GET", "/api/v1/pages", nil} }, all},
			{"get page", func() call { return call{"GET", "/api/v1/pages/about", nil} }, all},
			{"save page", func() call {
				return call{"PUT", "/api/v1/pages/" + uniq("p"), map[string]any{"title": "T", "body": "Text"}}
			}, managers},
			{"read settings", func() call { return call{"GET", "/api/v1/settings", nil} }, all},
			{"change settings", func() call { return call{"PATCH", "/api/v1/settings", map[string]any{"site_name": uniq("Paper")}} }, allowed(account.Admin)},
			{"set top stories", func() call { return call{"PUT", "/api/v1/top-stories", map[string]any{"article_ids": []int64{}}} }, managers},
		}
		for _, tt := range tests {
			for _, role := range []account.Role{account.Reporter, account.Editor, account.Admin} {
				c := tt.call()
				var e apiError
				res := ts.api(t, c.method, c.path, role, c.body, &e)
				ok := res.StatusCode < 300
				if ok != tt.allow[role] {
					t.Errorf("%s as %s: %d %s (%s); allowed = %v", tt.name, role, res.StatusCode, e.Code, e.Error, tt.allow[role])
				}
				if !ok && res.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s: refused with %d, want 403", tt.name, role, res.StatusCode)
				}
			}
		}
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
