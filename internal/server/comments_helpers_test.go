package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/reader"
)

// commenter is a signed-in reader: their session cookie and CSRF token.
type commenter struct {
	ts     *testServer
	id     int64
	cookie string
	csrf   string
}

// newCommenter creates a reader as a social login would and signs them
// in; acceptPolicy also records the current policy as accepted.
func (ts *testServer) newCommenter(t *testing.T, name string, acceptPolicy bool) *commenter {
	t.Helper()
	ctx := context.Background()
	rd, err := ts.db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "sub-" + name, DisplayName: name})
	if err != nil {
		t.Fatal(err)
	}
	if acceptPolicy {
		pg, err := ts.db.PageBySlug(ctx, comment.PolicySlug)
		if err != nil {
			t.Fatal(err)
		}
		if err := ts.db.AcceptPolicy(ctx, rd.ID, comment.ParsePolicy(pg.Body).Version); err != nil {
			t.Fatal(err)
		}
	}
	cookie, s := reader.NewSession(timeNow())
	s.ReaderID = rd.ID
	if err := ts.db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	return &commenter{ts: ts, id: rd.ID, cookie: cookie, csrf: s.CSRF}
}

// api sends a JSON request as the reader, with the CSRF token.
func (c *commenter) api(t *testing.T, method, path string, body any) (*http.Response, string) {
	t.Helper()
	var s string
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		s = string(b)
	}
	return c.ts.do(t, method, path, "", s, "Cookie", reader.CookieName+"="+c.cookie, "X-CSRF-Token", c.csrf)
}

// post posts a comment and returns the answer.
func (c *commenter) post(t *testing.T, articleID int64, body string) (*http.Response, string) {
	t.Helper()
	return c.api(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", articleID), map[string]any{"body": body})
}

// form posts a browser form as the reader.
func (c *commenter) form(t *testing.T, path string, values url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", c.ts.URL+path, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", reader.CookieName+"="+c.cookie)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = fmt.Fprint(&b, readAll(t, res))
	return res, b.String()
}

// page fetches a page as the reader.
func (c *commenter) page(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	return c.ts.get(t, path, "Cookie", reader.CookieName+"="+c.cookie)
}

// raiseLimits lifts the anti-manipulation limits so a test can post many
// comments quickly; tests of the limits set their own.
func (ts *testServer) raiseLimits(t *testing.T, extra map[string]string) {
	t.Helper()
	m := map[string]string{"comments_per_day": "100000", "comments_per_article": "100000", "comments_interval_seconds": "0",
		"reactions_per_day": "100000", "reactions_interval_seconds": "0", "comments_per_ip_hour": "0", "reactions_per_ip_hour": "0"}
	for k, v := range extra {
		m[k] = v
	}
	if res := ts.api(t, "PATCH", "/api/v1/moderation/settings", "admin", m, nil); res.StatusCode != 200 {
		t.Fatalf("raise limits: %d", res.StatusCode)
	}
}

// publishedArticle returns one published demo article.
func (ts *testServer) publishedArticle(t *testing.T, n int) article.Article {
	t.Helper()
	list, err := ts.db.ListArticles(context.Background(), article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: n + 1})
	if err != nil || len(list) <= n {
		t.Fatalf("demo articles: %v (%d)", err, len(list))
	}
	return list[n]
}

type commentJSON struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id"`
	Body     string `json:"body"`
	Status   string `json:"status"`
	Likes    int    `json:"likes"`
	Dislikes int    `json:"dislikes"`
	Rule     *struct {
		Number int    `json:"number"`
		Text   string `json:"text"`
	} `json:"rule"`
	Replies []commentJSON `json:"replies"`
}

type refusalJSON struct {
	Code       string            `json:"code"`
	Error      string            `json:"error"`
	Reason     string            `json:"reason"`
	Limit      int               `json:"limit"`
	RetryAfter int               `json:"retry_after"`
	Fields     map[string]string `json:"fields"`
	Rule       *struct {
		Number int    `json:"number"`
		Text   string `json:"text"`
	} `json:"rule"`
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func timeNow() time.Time { return time.Now() }

func commentQuery(articleID int64) comment.ListQuery {
	return comment.ListQuery{ArticleID: articleID, Sort: comment.Oldest, Limit: 100}
}
