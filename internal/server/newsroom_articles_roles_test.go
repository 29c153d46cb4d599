package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// Every handler of the article editor, called as every role and signed
// out: reporters write and submit their own drafts, editors and admins do
// everything, moderators nothing.
func TestNewsroomArticles_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		roles := []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin}
		browsers := map[account.Role]*staffBrowser{}
		for _, r := range roles {
			browsers[r] = ts.signIn(t, string(r)+"@paper.example")
		}
		// Each call gets its own article, written by the reporter, so that
		// no call depends on what an earlier one did.
		fresh := func(t *testing.T) int64 {
			return browsers[account.Reporter].createArticle(t, articleForm("Matrix article"))
		}
		published := func(t *testing.T) int64 {
			id := fresh(t)
			if res, _ := browsers[account.Editor].post(t, fmt.Sprintf("/newsroom/articles/%d/publish", id), nil); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("publish for the matrix: %d", res.StatusCode)
			}
			return id
		}
		saved := func(t *testing.T, id int64) url.Values {
			f := articleForm("Matrix article, edited")
			a, _ := ts.db.Article(context.Background(), id)
			f.Set("version", fmt.Sprint(a.Version))
			return f
		}
		future := time.Now().Add(48 * time.Hour).In(ts.siteZone(t)).Format("2006-01-02T15:04")
		writers := map[account.Role]int{account.Reporter: 200, account.Moderator: 403, account.Editor: 200, account.Admin: 200}
		writerPosts := map[account.Role]int{account.Reporter: 303, account.Moderator: 403, account.Editor: 303, account.Admin: 303}
		editorPosts := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 303, account.Admin: 303}
		previewWant := map[account.Role]int{account.Reporter: 200, account.Moderator: 403, account.Editor: 200, account.Admin: 200}
		tests := []struct {
			name   string
			method string
			path   func(t *testing.T) (string, url.Values)
			want   map[account.Role]int
		}{
			{"list", "GET", func(t *testing.T) (string, url.Values) { return "/newsroom/articles", nil }, writers},
			{"new form", "GET", func(t *testing.T) (string, url.Values) { return "/newsroom/articles/new", nil }, writers},
			{"create", "POST", func(t *testing.T) (string, url.Values) {
				return "/newsroom/articles/new", articleForm("Made in the matrix")
			}, writerPosts},
			{"editor", "GET", func(t *testing.T) (string, url.Values) { return fmt.Sprintf("/newsroom/articles/%d", fresh(t)), nil }, writers},
			{"editor of a published article", "GET", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d", published(t)), nil
			}, writers},
			{"save", "POST", func(t *testing.T) (string, url.Values) {
				id := fresh(t)
				return fmt.Sprintf("/newsroom/articles/%d", id), saved(t, id)
			}, writerPosts},
			{"save a published article", "POST", func(t *testing.T) (string, url.Values) {
				id := published(t)
				return fmt.Sprintf("/newsroom/articles/%d", id), saved(t, id)
			}, editorPosts},
			{"preview", "POST", func(t *testing.T) (string, url.Values) {
				return "/newsroom/preview", url.Values{"body": {"**bold**"}}
			}, previewWant},
			{"submit", "POST", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/submit", fresh(t)), nil
			}, writerPosts},
			{"schedule", "POST", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/schedule", fresh(t)), url.Values{"publish_at": {future}}
			}, editorPosts},
			{"publish", "POST", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/publish", fresh(t)), nil
			}, editorPosts},
			{"unpublish", "POST", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/unpublish", published(t)), nil
			}, editorPosts},
			{"correct", "POST", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/corrections", published(t)), url.Values{"correction": {"An earlier version misspelt the mayor's name."}}
			}, editorPosts},
			{"revisions", "GET", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/revisions", fresh(t)), nil
			}, writers},
			{"revision", "GET", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/revisions/1", fresh(t)), nil
			}, writers},
			{"diff", "GET", func(t *testing.T) (string, url.Values) {
				return fmt.Sprintf("/newsroom/articles/%d/diff?from=1&to=1", fresh(t)), nil
			}, writers},
			{"restore", "POST", func(t *testing.T) (string, url.Values) {
				id := fresh(t)
				return fmt.Sprintf("/newsroom/articles/%d/revisions/1/restore", id), url.Values{"version": {"1"}}
			}, writerPosts},
			{"restore on a published article", "POST", func(t *testing.T) (string, url.Values) {
				id := published(t)
				return fmt.Sprintf("/newsroom/articles/%d/revisions/1/restore", id), saved(t, id)
			}, editorPosts},
			// Once submitted or scheduled, an article is the editors' alone.
			{"save an article in review", "POST", func(t *testing.T) (string, url.Values) {
				id := fresh(t)
				if res, _ := browsers[account.Reporter].post(t, fmt.Sprintf("/newsroom/articles/%d/submit", id), url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("submit for the matrix: %d", res.StatusCode)
				}
				return fmt.Sprintf("/newsroom/articles/%d", id), saved(t, id)
			}, editorPosts},
			{"save a scheduled article", "POST", func(t *testing.T) (string, url.Values) {
				id := fresh(t)
				if res, _ := browsers[account.Editor].post(t, fmt.Sprintf("/newsroom/articles/%d/schedule", id), url.Values{"publish_at": {future}}); res.StatusCode != http.StatusSeeOther {
					t.Fatalf("schedule for the matrix: %d", res.StatusCode)
				}
				return fmt.Sprintf("/newsroom/articles/%d", id), saved(t, id)
			}, editorPosts},
		}
		for _, tt := range tests {
			for _, r := range roles {
				path, form := tt.path(t)
				var res *http.Response
				if tt.method == "GET" {
					res, _ = browsers[r].get(t, path)
				} else {
					res, _ = browsers[r].post(t, path, form)
				}
				if res.StatusCode != tt.want[r] {
					t.Errorf("%s as %s: %d, want %d", tt.name, r, res.StatusCode, tt.want[r])
				}
			}
			path, form := tt.path(t)
			var res *http.Response
			if tt.method == "GET" {
				res, _ = ts.get(t, path)
			} else {
				res, _ = ts.postForm(t, path, form)
			}
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s signed out: %d, want 303 to the login", tt.name, res.StatusCode)
			}
		}
		// A reporter sees only their own articles, another reporter's not.
		other, err := ts.db.EnsureStaff(context.Background(), account.Staff{Email: "other@paper.example", Name: "Other", Role: account.Reporter})
		if err != nil {
			t.Fatal(err)
		}
		ts.setPassword(t, other.Email)
		stranger := ts.signIn(t, other.Email)
		id := fresh(t)
		for _, path := range []string{"", "/revisions", "/revisions/1", "/diff?from=1&to=1"} {
			if res, _ := stranger.get(t, fmt.Sprintf("/newsroom/articles/%d%s", id, path)); res.StatusCode != http.StatusForbidden {
				t.Errorf("another reporter's article%s: %d, want 403", path, res.StatusCode)
			}
		}
		if res, _ := stranger.post(t, fmt.Sprintf("/newsroom/articles/%d", id), saved(t, id)); res.StatusCode != http.StatusForbidden {
			t.Errorf("saving another reporter's article: %d", res.StatusCode)
		}
	})
}
