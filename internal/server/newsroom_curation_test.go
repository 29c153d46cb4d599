package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// Editors pin and order the home page's top stories and the stories that
// lead a section front; the site shows the order at once.
func TestNewsroomCuration_pinAndOrderFronts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		editor := ts.signIn(t, "editor@paper.example")
		ctx := context.Background()
		list, err := ts.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, Limit: 10})
		if err != nil || len(list) < 5 {
			t.Fatal(err)
		}
		// Warm the cache, so the test sees the change invalidate it.
		ts.get(t, "/")
		first, second := list[4], list[3]
		res, body := editor.post(t, "/newsroom/curation", url.Values{
			fmt.Sprintf("pos_%d", first.ID): {"1"}, fmt.Sprintf("pos_%d", second.ID): {"2"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save top stories: %d\n%s", res.StatusCode, body)
		}
		_, home := ts.get(t, "/")
		top := home[strings.Index(home, `class="top-stories"`):]
		i, j := strings.Index(top, first.Headline), strings.Index(top, second.Headline)
		if i < 0 || j < 0 || i > j {
			t.Errorf("the home page does not lead with the picks in order (%d, %d)", i, j)
		}
		_, page := editor.get(t, "/newsroom/curation")
		if got := pinnedOnPage(page); len(got) != 2 || got[0] != first.ID || got[1] != second.ID {
			t.Errorf("the curation page lists %v, want [%d %d]", got, first.ID, second.ID)
		}

		// A section front: the pick leads the first page and is not
		// listed twice.
		sec, err := ts.db.SectionByID(ctx, list[0].SectionID)
		if err != nil {
			t.Fatal(err)
		}
		inSection, _ := ts.db.ListArticles(ctx, article.ListQuery{Scope: article.SystemScope(), Status: article.Published, SectionIDs: []int64{sec.ID}, Limit: 10})
		pick := inSection[len(inSection)-1]
		path := fmt.Sprintf("/newsroom/curation/sections/%d", sec.ID)
		if res, body := editor.post(t, path, url.Values{fmt.Sprintf("pos_%d", pick.ID): {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save section picks: %d\n%s", res.StatusCode, body)
		}
		_, front := ts.get(t, "/section/"+sec.Path)
		if n := strings.Count(front, ">"+pick.Headline+"<"); n != 1 {
			t.Errorf("the pick appears %d times on the front", n)
		}
		if k := strings.Index(front, `class="section-picks"`); k < 0 || !strings.Contains(front[k:k+2000], pick.Headline) {
			t.Error("the front does not lead with the pick")
		}

		// Refusals: a draft, a place that is not a number, too many picks,
		// an unknown section; nothing changes.
		draft := editor.createArticle(t, articleForm("Not yet out"))
		var otherSection article.Article
		for _, a := range list {
			if a.SectionID != sec.ID {
				otherSection = a
			}
		}
		tooMany := url.Values{}
		for k := 0; k < 6; k++ {
			tooMany.Set(fmt.Sprintf("pos_%d", list[k].ID), fmt.Sprint(k+1))
		}
		for name, c := range map[string]struct {
			path string
			form url.Values
			want int
		}{
			"draft":       {"/newsroom/curation", url.Values{fmt.Sprintf("pos_%d", draft): {"1"}}, 422},
			"not number":  {"/newsroom/curation", url.Values{fmt.Sprintf("pos_%d", first.ID): {"first"}}, 422},
			"too many":    {path, tooMany, 422},
			"no section":  {"/newsroom/curation/sections/999999", nil, 404},
			"twice":       {"/newsroom/curation", url.Values{fmt.Sprintf("pos_%d", first.ID): {"1"}, fmt.Sprintf("pos_0%d", first.ID): {"2"}}, 422},
			"elsewhere":   {path, url.Values{fmt.Sprintf("pos_%d", otherSection.ID): {"1"}}, 422},
			"bad section": {"/newsroom/curation/sections/abc", nil, 404},
		} {
			if res, _ := editor.post(t, c.path, c.form); res.StatusCode != c.want {
				t.Errorf("%s: %d, want %d", name, res.StatusCode, c.want)
			}
		}
		top2, _ := ts.db.TopStories(ctx, 20)
		if len(top2) != 2 || top2[0].ID != first.ID {
			t.Errorf("a refused form changed the top stories: %d", len(top2))
		}
		// Only editors and admins curate.
		for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
			b := ts.signIn(t, string(r)+"@paper.example")
			want := http.StatusForbidden
			if r.CanPublish() {
				want = http.StatusOK
			}
			for _, p := range []string{"/newsroom/curation", path} {
				if res, _ := b.get(t, p); res.StatusCode != want {
					t.Errorf("GET %s as %s: %d, want %d", p, r, res.StatusCode, want)
				}
				wantPost := http.StatusSeeOther
				if !r.CanPublish() {
					wantPost = http.StatusForbidden
				}
				id := first.ID
				if p == path {
					id = pick.ID // a section front takes its own articles only
				}
				if res, _ := b.post(t, p, url.Values{fmt.Sprintf("pos_%d", id): {"1"}}); res.StatusCode != wantPost {
					t.Errorf("POST %s as %s: %d, want %d", p, r, res.StatusCode, wantPost)
				}
			}
		}
		if res, _ := ts.get(t, "/newsroom/curation"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d", res.StatusCode)
		}
	})
}
