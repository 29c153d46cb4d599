package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/section"
	"broadsheet/internal/store/storetest"
)

// Every page for sections, authors, static pages and the site settings,
// as every role and signed out: editors and admins manage the first
// three, only admins change the site settings, and a signed-out browser
// is sent to the login.
func TestNewsroomManage_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		ts := m.ts
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
		type call = matrixCall
		managers, managerPosts := statuses(403, 403, 200, 200), statuses(403, 403, 303, 303)
		admin, adminPosts := statuses(403, 403, 403, 200), statuses(403, 403, 403, 303)
		m.run(t, []roleCase{
			{"sections", func(*testing.T) call { return call{method: "GET", path: "/newsroom/sections"} }, managers},
			{"section", func(*testing.T) call { return call{method: "GET", path: fmt.Sprintf("/newsroom/sections/%d", sec.ID)} }, managers},
			{"add section", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/sections", form: sectionForm("Added", fmt.Sprintf("added-%d", next()), 0, "", "0")}
			}, managerPosts},
			{"save section", func(*testing.T) call {
				return call{method: "POST", path: fmt.Sprintf("/newsroom/sections/%d", sec.ID), form: sectionForm(fmt.Sprintf("Sports %d", next()), "sports", 0, "", "10")}
			}, managerPosts},
			{"delete section", func(*testing.T) call {
				return call{method: "POST", path: fmt.Sprintf("/newsroom/sections/%d/delete", newSection())}
			}, managerPosts},
			{"authors", func(*testing.T) call { return call{method: "GET", path: "/newsroom/authors"} }, managers},
			{"author", func(*testing.T) call { return call{method: "GET", path: fmt.Sprintf("/newsroom/authors/%d", au.ID)} }, managers},
			{"add author", func(*testing.T) call {
				i := next()
				return call{method: "POST", path: "/newsroom/authors", form: authorForm(fmt.Sprintf("Writer %d", i), "", fmt.Sprintf("writer%d@paper.example", i), "", "")}
			}, managerPosts},
			{"save author", func(*testing.T) call {
				return call{method: "POST", path: fmt.Sprintf("/newsroom/authors/%d", au.ID), form: authorForm(fmt.Sprintf("%s %d", au.Name, next()), au.Title, au.Email, au.Bio, "")}
			}, managerPosts},
			{"pages", func(*testing.T) call { return call{method: "GET", path: "/newsroom/pages"} }, managers},
			{"page", func(*testing.T) call { return call{method: "GET", path: fmt.Sprintf("/newsroom/pages/%d", pg.ID)} }, managers},
			{"add page", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/pages", form: pageForm("Added", fmt.Sprintf("added-%d", next()), "Text.")}
			}, managerPosts},
			{"save page", func(*testing.T) call {
				return call{method: "POST", path: fmt.Sprintf("/newsroom/pages/%d", pg.ID), form: pageForm(pg.Title, pg.Slug, pg.Body)}
			}, managerPosts},
			{"site settings", func(*testing.T) call { return call{method: "GET", path: "/newsroom/settings"} }, admin},
			{"save site settings", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/settings", form: siteForm(fmt.Sprintf("Paper %d", next()), "en", "Asia/Seoul")}
			}, adminPosts},
		})
		// The start page links to the pages each role may use.
		for _, r := range article.Roles {
			_, home := m.browsers[r].get(t, "/newsroom/")
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
