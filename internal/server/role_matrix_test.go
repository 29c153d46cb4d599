package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/author"
	"broadsheet/internal/store/storetest"
)

// The one role matrix of the server tests: every role's API token and
// signed-in newsroom browser, the same targets for both, and one loop
// that asks each case of every role and of a signed-out caller.

// roleMatrix is a test server with a token and a signed-in browser for
// every role, and another reporter whose articles are "another's".
type roleMatrix struct {
	ts       *testServer
	browsers map[account.Role]*staffBrowser
	staff    map[account.Role]int64
	other    int64 // another reporter
	section  int64
	n        atomic.Int64
}

func newRoleMatrix(t *testing.T, e storetest.Engine) *roleMatrix {
	t.Helper()
	ts := staffTestServer(t, e)
	m := &roleMatrix{ts: ts, browsers: map[account.Role]*staffBrowser{}, staff: map[account.Role]int64{}}
	for _, r := range article.Roles {
		m.browsers[r] = ts.signIn(t, string(r)+"@paper.example")
		m.staff[r] = ts.staffID(t, string(r)+"@paper.example")
	}
	m.other = ts.newMember(t, "other.reporter@paper.example", account.Reporter)
	sec, err := ts.db.SectionByPath(context.Background(), "national/politics")
	if err != nil {
		t.Fatal(err)
	}
	m.section = sec.ID
	return m
}

// target makes a fresh article in state, created by owner, stored
// directly so that making it asks no door.
func (m *roleMatrix) target(t *testing.T, state article.Status, owner int64) article.Article {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	h := fmt.Sprintf("Matrix story %d", m.n.Add(1))
	a := article.Article{Slug: article.Slugify(h), Headline: h, Deck: "A deck", Body: "The council met.",
		BodyHTML: "<p>The council met.</p>", SectionID: m.section, Status: state, CreatedAt: now, UpdatedAt: now,
		CreatedBy: owner, SavedBy: owner, Authors: []author.Author{{Name: "Mina Park", Email: "mina.park@paper.example"}}}
	switch state {
	case article.Published:
		a.PublishedAt = now.Add(-time.Minute)
	case article.Scheduled:
		a.PublishedAt = now.Add(48 * time.Hour)
	}
	if err := m.ts.db.CreateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// matrixCall is one request of the matrix: through the JSON API with the
// role's token (api), or through the newsroom in the role's browser.
type matrixCall struct {
	api          bool
	method, path string
	form         url.Values // the newsroom's form
	body         any        // the API's JSON body
}

// roleCase is one call asked of every role, with the status each gets.
type roleCase struct {
	name string
	call func(t *testing.T) matrixCall
	want map[account.Role]int
}

// statuses is a want map, in the order reporter, moderator, editor, admin.
func statuses(reporter, moderator, editor, admin int) map[account.Role]int {
	return map[account.Role]int{account.Reporter: reporter, account.Moderator: moderator, account.Editor: editor, account.Admin: admin}
}

// do makes the call as role; role "" is signed out (no token, no session).
func (m *roleMatrix) do(t *testing.T, role account.Role, c matrixCall) (*http.Response, string) {
	t.Helper()
	switch {
	case c.api && role == "":
		return m.ts.do(t, c.method, c.path, "", "")
	case c.api:
		body := ""
		if c.body != nil {
			body = mustJSON(t, c.body)
		}
		return m.ts.do(t, c.method, c.path, m.ts.tokens[role], body)
	case role == "" && c.method == "GET":
		return m.ts.get(t, c.path)
	case role == "":
		return m.ts.postForm(t, c.path, c.form)
	case c.method == "GET":
		return m.browsers[role].get(t, c.path)
	}
	return m.browsers[role].post(t, c.path, c.form)
}

// run asks every case of every role, each with a fresh call, and once
// signed out: the newsroom sends that caller to the login, the API
// answers 401.
func (m *roleMatrix) run(t *testing.T, cases []roleCase) {
	t.Helper()
	for _, tc := range cases {
		for _, r := range article.Roles {
			res, body := m.do(t, r, tc.call(t))
			if res.StatusCode != tc.want[r] {
				t.Errorf("%s as %s: %d, want %d\n%.300s", tc.name, r, res.StatusCode, tc.want[r], body)
			}
		}
		c := tc.call(t)
		res, _ := m.do(t, "", c)
		switch loc := res.Header.Get("Location"); {
		case c.api && res.StatusCode != http.StatusUnauthorized:
			t.Errorf("%s without a token: %d, want 401", tc.name, res.StatusCode)
		case !c.api && (res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/newsroom/login")):
			t.Errorf("%s signed out: %d to %q, want 303 to the login", tc.name, res.StatusCode, loc)
		}
	}
}
