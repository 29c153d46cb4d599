package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/store/storetest"
)

// Both doors to redirects made by hand, the newsroom's page and the JSON
// API, go through one service: each case gets the same answer from each.
func TestRedirects_bothDoors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		browsers := map[account.Role]*staffBrowser{}
		for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
			browsers[r] = ts.signIn(t, string(r)+"@paper.example")
		}
		type door struct {
			name string
			add  func(t *testing.T, role account.Role, from, to string) (int, string)
			del  func(t *testing.T, role account.Role, from string) int
			list func(t *testing.T, role account.Role, q string) (int, string)
		}
		page := door{name: "newsroom",
			add: func(t *testing.T, role account.Role, from, to string) (int, string) {
				res, body := browsers[role].post(t, "/newsroom/redirects", url.Values{"from": {from}, "to": {to}})
				return res.StatusCode, body
			},
			del: func(t *testing.T, role account.Role, from string) int {
				res, _ := browsers[role].post(t, "/newsroom/redirects/delete", url.Values{"from": {from}})
				return res.StatusCode
			},
			list: func(t *testing.T, role account.Role, q string) (int, string) {
				res, body := browsers[role].get(t, "/newsroom/redirects?q="+url.QueryEscape(q))
				return res.StatusCode, body
			},
		}
		api := door{name: "api",
			add: func(t *testing.T, role account.Role, from, to string) (int, string) {
				b, err := json.Marshal(map[string]string{"from": from, "to": to})
				if err != nil {
					t.Fatal(err)
				}
				res, body := ts.do(t, "POST", "/api/v1/redirects", ts.tokens[role], string(b))
				// The JSON's strings unescaped, to compare with the page's words.
				s := strings.NewReplacer(`\"`, `"`, `\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(body)
				return res.StatusCode, s
			},
			del: func(t *testing.T, role account.Role, from string) int {
				res, _ := ts.do(t, "DELETE", "/api/v1/redirects?from="+url.QueryEscape(from), ts.tokens[role], "")
				return res.StatusCode
			},
			list: func(t *testing.T, role account.Role, q string) (int, string) {
				res, body := ts.do(t, "GET", "/api/v1/redirects?q="+url.QueryEscape(q), ts.tokens[role], "")
				return res.StatusCode, body
			},
		}
		for _, d := range []door{page, api} {
			t.Run(d.name, func(t *testing.T) {
				from := "/old-" + d.name + "/2019/03/budget-vote/"
				cases := []struct {
					name       string
					role       account.Role
					from, to   string
					status     int
					wantInBody string
				}{
					{"good", account.Editor, from, "/article/1/budget", http.StatusOK, "/old-" + d.name + "/2019/03/budget-vote"},
					{"bad old path", account.Editor, d.name + "/no-slash", "/article/1", http.StatusUnprocessableEntity, "must be a path starting with"},
					{"target on another host", account.Admin, "/" + d.name + "/x", "https://elsewhere.example/x", http.StatusUnprocessableEntity, "with no scheme or host"},
					{"target protocol-relative", account.Admin, "/" + d.name + "/y", "//elsewhere.example/x", http.StatusUnprocessableEntity, "must be a path on this site"},
					{"old path the site answers itself", account.Editor, "/newsroom/old", "/article/1", http.StatusUnprocessableEntity, "which the site answers itself"},
					{"duplicate", account.Admin, from, "/article/2/other", http.StatusConflict, "already redirects"},
					{"reporter", account.Reporter, "/" + d.name + "/r", "/article/1", http.StatusForbidden, ""},
					{"moderator", account.Moderator, "/" + d.name + "/m", "/article/1", http.StatusForbidden, ""},
				}
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						want := tc.status
						if d.name == "api" && want == http.StatusOK {
							want = http.StatusCreated
						}
						got, body := d.add(t, tc.role, tc.from, tc.to)
						if got != want || !strings.Contains(strings.ReplaceAll(body, "&#34;", `"`), tc.wantInBody) {
							t.Errorf("got %d, want %d with %q\n%s", got, want, tc.wantInBody, body)
						}
					})
				}
				// The good one works on the reader site.
				res, _ := ts.get(t, from)
				if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/article/1/budget" {
					t.Errorf("reader at %s: %d %q", from, res.StatusCode, res.Header.Get("Location"))
				}
				if st, body := d.list(t, account.Editor, "BUDGET-vote"); st != http.StatusOK || !strings.Contains(body, strings.TrimSuffix(from, "/")) {
					t.Errorf("search: %d\n%s", st, body)
				}
				if st, body := d.list(t, account.Editor, "nothing-like-it"); st != http.StatusOK || strings.Contains(body, strings.TrimSuffix(from, "/")) {
					t.Errorf("search for something else: %d\n%s", st, body)
				}
				if st, _ := d.list(t, account.Moderator, ""); st != http.StatusForbidden {
					t.Errorf("moderator's list: %d, want 403", st)
				}
				if st, _ := d.list(t, account.Editor, strings.Repeat("x", 201)); st != http.StatusUnprocessableEntity {
					t.Errorf("overlong search: %d, want 422", st)
				}
				if st := d.del(t, account.Reporter, from); st != http.StatusForbidden {
					t.Errorf("reporter's delete: %d, want 403", st)
				}
				okDel := http.StatusSeeOther
				if d.name == "api" {
					okDel = http.StatusNoContent
				}
				if st := d.del(t, account.Editor, from); st != okDel {
					t.Errorf("delete: %d, want %d", st, okDel)
				}
				if st := d.del(t, account.Editor, from); st != http.StatusNotFound {
					t.Errorf("delete again: %d, want 404", st)
				}
				if res, _ := ts.get(t, from); res.StatusCode != http.StatusNotFound {
					t.Errorf("reader after the delete: %d, want 404", res.StatusCode)
				}
			})
		}
		// The newsroom says what is wrong in the member's language.
		res, body := browsers[account.Editor].post(t, "/newsroom/redirects?lang=ko", url.Values{"from": {"/a"}, "to": {"https://elsewhere.example/"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "새 주소가 잘못되었습니다: scheme이나 호스트 없이") {
			t.Errorf("Korean refusal: %d\n%s", res.StatusCode, body)
		}
		for _, action := range []string{"redirect.create", "redirect.delete"} {
			entries, err := ts.db.AuditEntries(context.Background(), audit.Query{Action: action, Limit: 10})
			if err != nil || len(entries) != 2 {
				t.Errorf("%s: %d audit entries, %v; want one per door", action, len(entries), err)
			}
		}
	})
}

// The list pages through every redirect, 50 at a time.
func TestRedirects_pages(t *testing.T) {
	ts := staffTestServer(t, storetest.Engines(t)[0])
	editor := ts.signIn(t, "editor@paper.example")
	for i := range 51 {
		if res := ts.api(t, "POST", "/api/v1/redirects", account.Editor, map[string]string{"from": "/old/" + itoa(int64(1000+i)), "to": "/article/1"}, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("add %d: %d", i, res.StatusCode)
		}
	}
	_, first := editor.get(t, "/newsroom/redirects")
	if strings.Count(first, `name="from" value="/old/`) != 50 || !strings.Contains(first, `rel="next"`) || strings.Contains(first, "/old/1050") {
		t.Fatalf("first page:\n%s", first)
	}
	_, second := editor.get(t, "/newsroom/redirects?after=%2Fold%2F1049")
	if strings.Count(second, `name="from" value="/old/`) != 1 || !strings.Contains(second, "/old/1050") || strings.Contains(second, `rel="next"`) {
		t.Errorf("second page:\n%s", second)
	}
	var page struct {
		Redirects []struct{ From string } `json:"redirects"`
		Next      string                  `json:"next"`
	}
	ts.api(t, "GET", "/api/v1/redirects?limit=50", account.Editor, nil, &page)
	if len(page.Redirects) != 50 || page.Next != "/old/1049" {
		t.Errorf("API first page: %d, next %q", len(page.Redirects), page.Next)
	}
	if res := ts.api(t, "GET", "/api/v1/redirects?limit=0", account.Editor, nil, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("limit=0: %d, want 422", res.StatusCode)
	}
}
