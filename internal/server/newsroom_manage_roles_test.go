package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/section"
	"broadsheet/internal/store/storetest"
)

// Every page for sections, authors, static pages and the site settings,
// as every role and signed out: editors and admins manage the first
// three, only admins change the site settings, and a signed-out browser
// is sent to the login.
func TestNewsroomManage_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ctx := context.Background()
		n := 0
		next := func() int { n++; return n }
		// newSection is an empty section, so each delete has one to remove.
		newSection := func() int64 {
			s := section.Section{Slug: fmt.Sprintf("matrix-%d", next()), Name: "Matrix"}
			if err := ts.db.CreateSection(ctx, &s); err != nil {
				t.Fatal(err)
			}
			return s.ID
		}
		sec := sectionByPath(t, ts, "sports")
		authors, err := ts.db.Authors(ctx)
		if err != nil || len(authors) == 0 {
			t.Fatal(err)
		}
		au := authors[0]
		pages, err := ts.db.Pages(ctx)
		if err != nil || len(pages) == 0 {
			t.Fatal(err)
		}
		pg, err := ts.db.PageBySlug(ctx, pages[0].Slug)
		if err != nil {
			t.Fatal(err)
		}
		type call struct {
			method, path string
			form         url.Values
		}
		managers := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 200, account.Admin: 200}
		managerPosts := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 303, account.Admin: 303}
		admin := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 403, account.Admin: 200}
		adminPosts := map[account.Role]int{account.Reporter: 403, account.Moderator: 403, account.Editor: 403, account.Admin: 303}
		tests := []struct {
			name string
			call func() call
			want map[account.Role]int
		}{
			{"sections", func() call { return call{"GET", "/newsroom/sections", nil} }, managers},
			{"section", func() call { return call{"GET", fmt.Sprintf("/newsroom/sections/%d", sec.ID), nil} }, managers},
			{"add section", func() call {
				return call{"POST", "/newsroom/sections", sectionForm("Added", fmt.Sprintf("added-%d", next()), 0, "", "0")}
			}, managerPosts},
			{"save section", func() call {
				return call{"POST", fmt.Sprintf("/newsroom/sections/%d", sec.ID), sectionForm(fmt.Sprintf("Sports %d", next()), "sports", 0, "", "10")}
			}, managerPosts},
			{"delete section", func() call {
				return call{"POST", fmt.Sprintf("/newsroom/sections/%d/delete", newSection()), nil}
			}, managerPosts},
			{"authors", func() call { return call{"GET", "/newsroom/authors", nil} }, managers},
			{"author", func() call { return call{"GET", fmt.Sprintf("/newsroom/authors/%d", au.ID), nil} }, managers},
			{"add author", func() call {
				i := next()
				return call{"POST", "/newsroom/authors", authorForm(fmt.Sprintf("Writer %d", i), "", fmt.Sprintf("writer%d@paper.example", i), "", "")}
			}, managerPosts},
			{"save author", func() call {
				return call{"POST", fmt.Sprintf("/newsroom/authors/%d", au.ID), authorForm(fmt.Sprintf("%s %d", au.Name, next()), au.Title, au.Email, au.Bio, "")}
			}, managerPosts},
			{"pages", func() call { return call{"GET", "/newsroom/pages", nil} }, managers},
			{"page", func() call { return call{"GET", fmt.Sprintf("/newsroom/pages/%d", pg.ID), nil} }, managers},
			{"add page", func() call {
				return call{"POST", "/newsroom/pages", pageForm("Added", fmt.Sprintf("added-%d", next()), "Text.")}
			}, managerPosts},
			{"save page", func() call {
				return call{"POST", fmt.Sprintf("/newsroom/pages/%d", pg.ID), pageForm(pg.Title, pg.Slug, pg.Body)}
			}, managerPosts},
			{"site settings", func() call { return call{"GET", "/newsroom/settings", nil} }, admin},
			{"save site settings", func() call {
				return call{"POST", "/newsroom/settings", siteForm(fmt.Sprintf("Paper %d", next()), "en", "Asia/Seoul")}
			}, adminPosts},
		}
		roles := []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin}
		browsers := map[account.Role]*staffBrowser{}
		for _, r := range roles {
			browsers[r] = ts.signIn(t, string(r)+"@paper.example")
		}
		for _, tt := range tests {
			for _, r := range roles {
				cl := tt.call()
				var res *http.Response
				var body string
				if cl.method == "GET" {
					res, body = browsers[r].get(t, cl.path)
				} else {
					res, body = browsers[r].post(t, cl.path, cl.form)
				}
				if res.StatusCode != tt.want[r] {
					t.Errorf("%s as %s: %d, want %d\n%s", tt.name, r, res.StatusCode, tt.want[r], body)
				}
			}
			cl := tt.call()
			var res *http.Response
			if cl.method == "GET" {
				res, _ = ts.get(t, cl.path)
			} else {
				res, _ = ts.postForm(t, cl.path, cl.form)
			}
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/newsroom/login") {
				t.Errorf("%s signed out: %d to %q, want 303 to the login", tt.name, res.StatusCode, loc)
			}
		}

		// The start page links to the pages each role may use.
		for _, r := range roles {
			_, home := browsers[r].get(t, "/newsroom/")
			for path, who := range map[string]func(account.Role) bool{
				`"/newsroom/sections"`: account.Role.CanManage, `"/newsroom/authors"`: account.Role.CanManage,
				`"/newsroom/pages"`: account.Role.CanManage, `"/newsroom/settings"`: func(r account.Role) bool { return r == account.Admin },
			} {
				if got := strings.Contains(home, path); got != who(r) {
					t.Errorf("start page of %s links to %s: %v", r, path, got)
				}
			}
		}
	})
}
